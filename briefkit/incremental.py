"""Incremental builds: rebuild an output only when something it depends on changed.

Two levels, both recorded in briefings/.cache.json after every successful build:

- The whole input. A fingerprint of every file under content/ and templates/, the code, the
  fonts, SOURCE_DATE_EPOCH and the command line's selection. When it matches, and every output
  is still on disk as it was written, the build is a no-op and stops before parsing anything.
- Each output. A document's key hashes what it depends on: its content set's files, its profile
  chain, the templates it uses (followed through extends, include and import, and resolved
  through its override folders, so a new override changes the key of exactly the documents
  that use that template), the fonts, the code and SOURCE_DATE_EPOCH. A meeting's key adds its meeting file and the keys of its documents. Only
  outputs whose key changed are rendered again.

`--force` ignores the cache. A cache that cannot be read is ignored, never trusted.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import __version__
from .errors import BriefkitError
from . import fonts

CACHE = "briefings/.cache.json"
CODE = Path(__file__).resolve().parent


def _hash_files(digest: "hashlib._Hash", root: Path, paths: list[Path]) -> None:
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")


def code_and_fonts() -> str:
    """The package's own source and every font file a language may use (by size and time: they are
    large); installing or removing a language's fonts changes it too."""
    digest = hashlib.sha256(__version__.encode())
    _hash_files(digest, CODE, sorted(CODE.glob("*.py")))
    for font_set in (fonts.LATIN, *fonts.FONT_SETS.values()):
        for family in font_set.families:
            for name in sorted({**family.files, **family.extra}.values()):
                try:
                    path = fonts.font_path(family, name)
                    stat = path.stat() if path is not None else None
                except (OSError, BriefkitError):
                    stat = None
                digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode() if stat else f"{name}: missing".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return digest.hexdigest()


def world_fingerprint(project: Path, selection: list[str]) -> str:
    digest = hashlib.sha256(code_and_fonts().encode())
    digest.update(json.dumps(selection).encode())
    for folder in ("content", "templates"):
        base = project / folder
        if base.is_dir():
            _hash_files(digest, project, sorted(p for p in base.rglob("*") if p.is_file()))
    return digest.hexdigest()


def file_key(project: Path, files: list[Path], *extra: str) -> str:
    """A key over some input files' bytes and extra strings (listings, other keys)."""
    digest = hashlib.sha256()
    for value in extra:
        digest.update(value.encode() + b"\0")
    _hash_files(digest, project, sorted(set(files)))
    return digest.hexdigest()


def content_inputs(folder: Path, content_read: list | None) -> tuple[list[Path], list[str]]:
    """What a key covers of a content set: the files an output read (all of them when that is not
    known), and strings naming the set's files and those read. The names read come from the cache
    file: only names of files in the folder are used, so none leads elsewhere."""
    listing = sorted(path.name for path in folder.glob("*.yaml"))
    read = listing if content_read is None else [name for name in listing if name[:-5] in content_read]
    return [folder / name for name in read], [*listing, *(f"read:{name}" for name in read)]


class Cache:
    """What the last successful build recorded; stale or unreadable entries are never trusted."""

    def __init__(self, project: Path, data: dict | None = None):
        self.project = project
        self.data = data or {"world": "", "outputs": {}, "documents": {}, "meetings": {}}

    @classmethod
    def load(cls, project: Path) -> "Cache":
        try:
            data = json.loads((project / CACHE).read_text(encoding="utf-8"))
            if isinstance(data, dict) and {"world", "outputs", "documents", "meetings"} <= set(data):
                return cls(project, data)
        except (OSError, ValueError):
            pass
        return cls(project)

    def outputs_intact(self, paths: list[str] | None = None) -> bool:
        """The outputs are on disk exactly as this cache saw them written (size and time)."""
        recorded = self.data["outputs"]
        for path in (recorded if paths is None else paths):
            if path not in recorded:
                return False
            try:
                stat = (self.project / path).stat()
            except OSError:
                return False
            if [stat.st_size, stat.st_mtime_ns] != recorded[path]:
                return False
        return bool(recorded) if paths is None else True

    def is_noop(self, fingerprint: str) -> bool:
        return self.data["world"] == fingerprint and self.outputs_intact()

    def last(self, path: str) -> dict | None:
        """What the last build recorded of a document, whatever changed since."""
        entry = self.data["documents"].get(path)
        return entry if isinstance(entry, dict) else None

    def document(self, path: str, key: str) -> dict | None:
        entry = self.data["documents"].get(path)
        if entry and entry.get("key") == key and self.outputs_intact([path]):
            return entry
        return None

    def meeting(self, slug: str, key: str) -> dict | None:
        entry = self.data["meetings"].get(slug)
        if entry and entry.get("key") == key and self.outputs_intact(entry.get("outputs", [])):
            return entry
        return None

    def record(self, world: str, documents: dict[str, dict], meetings: dict[str, dict]) -> None:
        """After a successful publish: remember keys and the outputs' sizes and times."""
        self.data["world"] = world
        self.data["documents"].update(documents)
        self.data["meetings"].update(meetings)
        paths = list(self.data["documents"]) + [p for m in self.data["meetings"].values() for p in m["outputs"]]
        outputs = {}
        for path in paths:
            try:
                stat = (self.project / path).stat()
                outputs[path] = [stat.st_size, stat.st_mtime_ns]
            except OSError:
                continue
        self.data["outputs"] = outputs
        target = self.project / CACHE
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.data), encoding="utf-8")
        os.replace(temporary, target)
