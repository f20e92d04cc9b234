"""The manifest, manifest.json in the output folder: every output with its kind, pages, paper,
SHA-256 and the result of every check.

An entry's path is relative to the folder that holds the output folder ("briefings/…"). A build
rewrites the entries of what it was asked to build (made, kept, or found up to date) and drops
those of outputs no longer planned there; other entries stay. A manifest that cannot be read is
rebuilt from the entries the build cache recorded, for the files still on disk as recorded.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
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

    @property
    def manifest_entry(self) -> dict[str, Any]:
        return {"path": self.path, **self.entry, "sha256": self.sha256}

    def save(self, path: Path) -> None:
        """Put the output's bytes at `path` (a staging file), on disk when this returns."""
        with open(path, "wb") as handle:
            handle.write(self.data)
            handle.flush()
            os.fsync(handle.fileno())


def load_manifest(project: Project) -> dict[str, Any] | None:
    """The manifest on disk; an empty one when there is none; None when it is there but garbled."""
    try:
        manifest = json.loads(project.manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"outputs": []}
    except (OSError, ValueError):
        return None
    if isinstance(manifest, dict) and isinstance(manifest.get("outputs"), list) \
            and all(isinstance(e, dict) and isinstance(e.get("path"), str) for e in manifest["outputs"]):
        return manifest
    return None


def read_manifest(project: Project) -> dict[str, Any]:
    """The manifest on disk, or an empty one when there is none or it cannot be read."""
    return load_manifest(project) or {"outputs": []}


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def file_matches(project: Project, entry: dict[str, Any]) -> bool:
    """The file an entry names is on disk with the SHA-256 it records."""
    try:
        data = project.file(str(entry["path"])).read_bytes()
    except (OSError, KeyError):
        return False
    return hashlib.sha256(data).hexdigest() == entry.get("sha256")


@dataclass
class ManifestUpdate:
    """What one build says of the outputs: the entries of everything it planned, what it covered
    (an entry it covers and did not plan is gone), and what it left out of the sets it planned."""

    entries: list[dict[str, Any]]
    covers: Callable[[dict[str, Any]], bool]
    planned_sets: set[str]
    skipped: list[dict[str, str]]
    recorded: Iterable[dict[str, Any]] = ()  # entries the build cache holds: a garbled manifest's stand-in

    def compose(self, project: Project, old: dict[str, Any] | None) -> dict[str, Any]:
        """The new manifest, from the one on disk (`old`, None when garbled)."""
        fresh = {entry["path"]: entry for entry in self.entries}
        if old is None:
            base = [e for e in self.recorded if e["path"] not in fresh and file_matches(project, e)]
            old = {"outputs": base}
        kept = [e for e in old["outputs"] if e["path"] not in fresh and not self.covers(e)
                and project.file(e["path"]).is_file()]
        manifest: dict[str, Any] = {"outputs": sorted(kept + list(fresh.values()), key=lambda e: str(e["path"]))}
        left_out = [e for e in old.get("skipped", []) if isinstance(e, dict)
                    and e.get("content_set") not in self.planned_sets]
        left_out += self.skipped
        if left_out:
            manifest["skipped"] = sorted(left_out, key=lambda e: (e.get("content_set", ""), e.get("audience", ""),
                                                                  e.get("kind", "")))
        return manifest
