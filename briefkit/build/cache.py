"""Incremental builds: rebuild an output only when something it depends on changed.

Two levels, both recorded in the output folder's .cache.json after every successful build:

- The whole input. A fingerprint of every file under content/ and templates/, the code and the
  shipped templates, the fonts, SOURCE_DATE_EPOCH and the command line's selection. When it
  matches, and every output is still on disk as it was written, the build is a no-op and stops
  before parsing anything.
- Each output. A document's and a meeting's key hash what they are made from (see keys.py). Only
  outputs whose key changed are made again.

`--force` ignores the cache. A cache that cannot be read is ignored, never trusted.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import BriefkitError
from ..paths import PACKAGE, Project
from ..render import fonts


def hash_files(digest: Any, project: Project, paths: list[Path]) -> None:
    for path in paths:
        digest.update(project.shown(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")


def code_and_fonts(project: Project) -> str:
    """The package's code and shipped templates, and every font file a language may use (by size
    and time: they are large); installing or removing a language's fonts changes it too."""
    digest = hashlib.sha256(__version__.encode())
    hash_files(digest, project, sorted(PACKAGE.rglob("*.py")))
    if project.builtin.resolve() != project.templates.resolve():
        hash_files(digest, project, sorted(p for p in project.builtin.rglob("*") if p.is_file()))
    for font_set in fonts.FONT_SETS.values():
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


def world_fingerprint(project: Project, code: str, selection: list[Any]) -> str:
    digest = hashlib.sha256(code.encode())
    digest.update(json.dumps(selection).encode())
    for base in (project.content, project.templates):
        if base.is_dir():
            hash_files(digest, project, sorted(p for p in base.rglob("*") if p.is_file()))
    return digest.hexdigest()


def file_key(project: Project, files: list[Path], *extra: str) -> str:
    """A key over some input files' bytes and extra strings (listings, other keys)."""
    digest = hashlib.sha256()
    for value in extra:
        digest.update(value.encode() + b"\0")
    hash_files(digest, project, sorted(set(files)))
    return digest.hexdigest()


@dataclass
class DocumentRecord:
    """What the cache remembers of a document built or kept."""

    key: str                    # over its inputs (keys.document_key)
    templates: list[str]        # the template files it used
    content_read: list[str]     # the content files (stems) its template read
    output: str                 # over what its PDF is made from once the template ran (keys.output_key)
    sha256: str
    headings: list[list[Any]]   # (level, text, page) of its H1 and H2
    title: str
    pages: int
    scale: float
    entry: dict[str, Any]       # its manifest entry

    @classmethod
    def read(cls, data: Any) -> DocumentRecord | None:
        """A record from the cache file, or None when it is not one (never trusted half-read)."""
        try:
            record = cls(**data)
        except TypeError:
            return None
        ok = (all(isinstance(text, str) for text in (record.key, record.output, record.sha256, record.title))
              and isinstance(record.pages, int) and isinstance(record.scale, (int, float))
              and isinstance(record.templates, list) and isinstance(record.headings, list)
              and isinstance(record.entry, dict) and isinstance(record.content_read, list)
              and all(isinstance(name, str) for name in record.content_read))
        return record if ok else None


@dataclass
class MeetingRecord:
    key: str
    outputs: list[str]

    @classmethod
    def read(cls, data: Any) -> MeetingRecord | None:
        try:
            record = cls(**data)
        except TypeError:
            return None
        ok = isinstance(record.key, str) and isinstance(record.outputs, list)
        return record if ok and all(isinstance(path, str) for path in record.outputs) else None


@dataclass
class Cache:
    """What the last successful build recorded; stale or unreadable entries are never trusted."""

    project: Project
    world: str = ""
    outputs: dict[str, list[int]] = field(default_factory=dict)   # path → [size, mtime_ns] as written
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    meetings: dict[str, MeetingRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, project: Project) -> Cache:
        try:
            data = json.loads(project.cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(project)
        if not isinstance(data, dict) or not {"world", "outputs", "documents", "meetings"} <= set(data):
            return cls(project)
        documents = {path: document for path, entry in _mapping(data["documents"]).items()
                     if (document := DocumentRecord.read(entry)) is not None}
        meetings = {slug: meeting for slug, entry in _mapping(data["meetings"]).items()
                    if (meeting := MeetingRecord.read(entry)) is not None}
        outputs = {path: stat for path, stat in _mapping(data["outputs"]).items()
                   if isinstance(stat, list) and len(stat) == 2}
        return cls(project, str(data["world"]), outputs, documents, meetings)

    def outputs_intact(self, paths: list[str] | None = None) -> bool:
        """The outputs are on disk exactly as this cache saw them written (size and time)."""
        for path in (self.outputs if paths is None else paths):
            if path not in self.outputs:
                return False
            try:
                stat = self.project.file(path).stat()
            except OSError:
                return False
            if [stat.st_size, stat.st_mtime_ns] != self.outputs[path]:
                return False
        return bool(self.outputs) if paths is None else True

    def is_noop(self, fingerprint: str) -> bool:
        return self.world == fingerprint and self.outputs_intact()

    def last(self, path: str) -> DocumentRecord | None:
        """What the last build recorded of a document, whatever changed since."""
        return self.documents.get(path)

    def document(self, path: str, key: str) -> DocumentRecord | None:
        """The record of a document whose key is unchanged and whose PDF is still as written."""
        record = self.documents.get(path)
        return record if record and record.key == key and self.outputs_intact([path]) else None

    def meeting(self, slug: str, key: str) -> MeetingRecord | None:
        record = self.meetings.get(slug)
        return record if record and record.key == key and self.outputs_intact(record.outputs) else None

    def record(self, world: str, documents: dict[str, DocumentRecord], meetings: dict[str, MeetingRecord]) -> None:
        """After a successful publish: remember keys and the outputs' sizes and times."""
        self.world = world
        self.documents.update(documents)
        self.meetings.update(meetings)
        self.outputs = {}
        for path in [*self.documents, *(p for m in self.meetings.values() for p in m.outputs)]:
            try:
                stat = self.project.file(path).stat()
            except OSError:
                continue
            self.outputs[path] = [stat.st_size, stat.st_mtime_ns]
        data = {"world": self.world, "outputs": self.outputs,
                "documents": {path: dataclasses.asdict(r) for path, r in self.documents.items()},
                "meetings": {slug: dataclasses.asdict(r) for slug, r in self.meetings.items()}}
        temporary = self.project.cache.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.project.cache)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
