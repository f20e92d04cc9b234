"""The manifest, manifest.json in the output folder: every output with its kind, pages, paper,
SHA-256 and the result of every check.

An entry's path is relative to the folder that holds the output folder ("briefings/…")."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
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


def read_manifest(project: Project) -> dict[str, Any]:
    try:
        manifest = json.loads(project.manifest.read_text(encoding="utf-8"))
        if isinstance(manifest, dict) and isinstance(manifest.get("outputs"), list):
            return manifest
    except (OSError, ValueError):
        pass
    return {"outputs": []}


def merged_manifest(project: Project, outputs: list[Output], removed: set[str]) -> dict[str, Any]:
    """The old manifest's entries for files that still exist, replaced by this build's."""
    fresh = {o.path: {"path": o.path, **o.entry, "sha256": o.sha256} for o in outputs}
    kept = [e for e in read_manifest(project)["outputs"]
            if isinstance(e, dict) and e.get("path") not in fresh and e.get("path") not in removed
            and project.file(str(e.get("path"))).is_file()]
    return {"outputs": sorted(kept + list(fresh.values()), key=lambda e: str(e["path"]))}
