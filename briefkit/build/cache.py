"""Incremental builds: rebuild an output only when something it depends on changed.

Two levels, both recorded in the output folder's .cache.json after every successful build:

- The whole input. A fingerprint of every file under content/ and templates/, the code and the
  shipped templates, the fonts and SOURCE_DATE_EPOCH, remembered for each selection built (the
  command line's --set, --audience, --kind, --meeting). When the selection's fingerprint matches,
  and every output and the manifest are still on disk as they were written, the build is a no-op
  and stops before parsing anything. A build keeps the fingerprints of other selections made
  from the same input: a narrowed build, forced or not, leaves a plain build a no-op.
- Each output. A document's and a meeting's key hash what they are made from (see keys.py). Only
  outputs whose key changed are made again; a build changes the records of what it made and
  drops those of what it removed, and no other.

`--force` ignores the cache (and still records what it made). A cache that cannot be read is ignored, never trusted.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import Any

from .. import __version__, reads
from ..errors import BriefkitError
from ..inputs.files import LARGEST_INPUT, Unreadable, read_input
from ..paths import PACKAGE, Project
from ..publish.leftovers import COPIES
from ..render import fonts


def hash_files(digest: Any, project: Project, paths: list[Path],
               read: Callable[[Path], bytes | None] = reads.digest) -> None:
    """Each file's name and its bytes: by default as this build read them (see reads.py); a
    fingerprint that must see every save passes a `read` that takes them as they are now."""
    for path in paths:
        digest.update(project.shown(path).encode() + b"\0")
        digest.update(read(path) or b"<unreadable>")
        digest.update(b"\0")


def _now(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _input_now(project: Project) -> Callable[[Path], bytes]:
    """A file of content/ or templates/ as reading inputs would take it now (inputs/files.py): a
    FIFO or device is never opened, nor a link out of the project followed; such a file, or one
    larger than any input may be, counts as the reason it is refused, for the build that reads
    it to report."""
    def read(path: Path) -> bytes:
        try:
            return read_input(path, project.input_roots(), LARGEST_INPUT)
        except Unreadable as refused:
            return f"<refused: {refused}>".encode()
    return read


def _listed(folder: Path) -> list[Path]:
    """Everything under `folder` but its subfolders: a FIFO or a link to a folder is listed too,
    so that adding one changes the fingerprint."""
    return sorted(p for p in folder.rglob("*") if p.is_symlink() or not p.is_dir())


def code_and_fonts(project: Project) -> str:
    """The package's code and shipped templates, and every font file a language may use (by size
    and time: they are large); installing or removing a language's fonts changes it too."""
    digest = hashlib.sha256(__version__.encode())
    hash_files(digest, project, sorted(PACKAGE.rglob("*.py")), _now)
    if project.builtin.resolve() != project.templates.resolve():
        hash_files(digest, project, _listed(project.builtin), _input_now(project))
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


def world_fingerprint(project: Project, code: str) -> str:
    digest = hashlib.sha256(code.encode())
    for base in (project.content, project.templates):
        if base.is_dir():
            hash_files(digest, project, _listed(base), _input_now(project))
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
    entries: list[dict[str, Any]] = field(default_factory=list)  # their manifest entries

    @classmethod
    def read(cls, data: Any) -> MeetingRecord | None:
        try:
            record = cls(**data)
        except TypeError:
            return None
        ok = (isinstance(record.key, str) and isinstance(record.outputs, list) and isinstance(record.entries, list)
              and all(isinstance(e, dict) and isinstance(e.get("path"), str) for e in record.entries))
        return record if ok and all(isinstance(path, str) for path in record.outputs) else None


@dataclass
class Cache:
    """What the last successful build recorded; stale or unreadable entries are never trusted."""

    project: Project
    worlds: dict[str, str] = field(default_factory=dict)         # selection → fingerprint of the input
    outputs: dict[str, list[int]] = field(default_factory=dict)   # path → [size, mtime_ns] as written
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    meetings: dict[str, MeetingRecord] = field(default_factory=dict)
    manifest: list[int] = field(default_factory=list)             # the manifest's [size, mtime_ns] as written

    @classmethod
    def load(cls, project: Project) -> Cache:
        try:
            data = json.loads(project.cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(project)
        if not isinstance(data, dict) or not {"worlds", "outputs", "documents", "meetings"} <= set(data):
            return cls(project)
        documents = {path: document for path, entry in _mapping(data["documents"]).items()
                     if (document := DocumentRecord.read(entry)) is not None}
        meetings = {slug: meeting for slug, entry in _mapping(data["meetings"]).items()
                    if (meeting := MeetingRecord.read(entry)) is not None}
        outputs = {path: stat for path, stat in _mapping(data["outputs"]).items()
                   if isinstance(stat, list) and len(stat) == 2}
        worlds = {selection: world for selection, world in _mapping(data["worlds"]).items() if isinstance(world, str)}
        manifest = data.get("manifest")
        return cls(project, worlds, outputs, documents, meetings, manifest if isinstance(manifest, list) else [])

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

    def is_noop(self, fingerprint: str, selection: str) -> bool:
        """Nothing to do: the input is as this selection last saw it, and the outputs and the
        manifest are as written (a manifest changed by hand is written again)."""
        try:
            stat = self.project.manifest.stat()
        except OSError:
            return False
        return (self.worlds.get(selection) == fingerprint and self.outputs_intact()
                and self.manifest == [stat.st_size, stat.st_mtime_ns] and not self._leftovers())

    def _leftovers(self) -> bool:
        """A killed build left a publish to finish or staged files to remove: the build does that."""
        output = self.project.output
        return self.project.journal.exists() or any(output.glob(".staging-*")) or any(output.glob(f"{COPIES}*"))

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

    def entries(self) -> list[dict[str, Any]]:
        """The manifest entries of every output recorded (to rebuild a garbled manifest from)."""
        found = [{"path": path, **record.entry, "sha256": record.sha256} for path, record in self.documents.items()]
        return found + [entry for record in self.meetings.values() for entry in record.entries]

    def record(self, world: str, selection: str, documents: dict[str, DocumentRecord],
               meetings: dict[str, MeetingRecord], removed: set[str]) -> None:
        """After a successful publish: the records of what was made replace theirs, those of what
        was removed go, the others stay; then the outputs' sizes and times, and the manifest's.
        `world` (empty when this build is not to be trusted as complete) becomes the selection's
        fingerprint; the other selections keep theirs only if they were made from the same input."""
        self.worlds = {key: value for key, value in self.worlds.items() if value == world and world}
        self.worlds.pop(selection, None)
        if world:
            self.worlds[selection] = world
        self.documents = {path: r for path, r in {**self.documents, **documents}.items() if path not in removed}
        self.meetings.update(meetings)
        self.meetings = {slug: r for slug, r in self.meetings.items() if not set(r.outputs) <= removed}
        self.outputs = {}
        for path in [*self.documents, *(p for m in self.meetings.values() for p in m.outputs)]:
            try:
                stat = self.project.file(path).stat()
            except OSError:
                continue
            self.outputs[path] = [stat.st_size, stat.st_mtime_ns]
        try:
            stat = self.project.manifest.stat()
            self.manifest = [stat.st_size, stat.st_mtime_ns]
        except OSError:
            self.manifest = []
        data = {"worlds": self.worlds, "outputs": self.outputs, "manifest": self.manifest,
                "documents": {path: dataclasses.asdict(r) for path, r in self.documents.items()},
                "meetings": {slug: dataclasses.asdict(r) for slug, r in self.meetings.items()}}
        temporary = self.project.cache.with_name(self.project.cache.name + ".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.project.cache)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
