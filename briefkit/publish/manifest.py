"""The manifest, manifest.json in the output folder: every output with its kind, pages, paper,
SHA-256 and the result of every check.

An entry's path is relative to the folder that holds the output folder ("briefings/…")."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import Project


@dataclass
class Output:
    """One file to publish, with its manifest entry."""

    path: str  # relative to the folder holding the output folder: "briefings/…"
    data: bytes
    entry: dict

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def save(self, path: Path) -> None:
        """Put the output's bytes at `path` (a staging file), on disk when this returns."""
        with open(path, "wb") as handle:
            handle.write(self.data)
            handle.flush()
            os.fsync(handle.fileno())


def read_manifest(project: Project) -> dict[str, Any]:
    try:
        manifest = json.loads(project.manifest.read_text(encoding="utf-8"))
        if isinstance(manifest, dict) and isinstance(manifest.get("outputs"), list):
            return manifest
    except (OSError, ValueError):
        pass
    return {"outputs": []}


def merged_manifest(project: Project, outputs: list[Output], removed: set[str], planned: set[str] | None = None,
                    skipped: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The old manifest's entries for files that still exist, replaced by this build's; and what
    was left out (an audience a set has no language for, a timeline without dated events): this
    build's word for the content sets it `planned`, the last word for the others."""
    old = read_manifest(project)
    fresh = {o.path: {"path": o.path, **o.entry, "sha256": o.sha256} for o in outputs}
    kept = [e for e in old["outputs"]
            if isinstance(e, dict) and e.get("path") not in fresh and e.get("path") not in removed
            and project.file(str(e.get("path"))).is_file()]
    manifest: dict[str, Any] = {"outputs": sorted(kept + list(fresh.values()), key=lambda e: str(e["path"]))}
    left_out = [e for e in old.get("skipped", []) if isinstance(e, dict) and e.get("content_set") not in (planned or set())]
    left_out += skipped or []
    if left_out:
        manifest["skipped"] = sorted(left_out, key=lambda e: (e.get("content_set", ""), e.get("audience", ""),
                                                              e.get("kind", "")))
    return manifest
