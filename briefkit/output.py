"""Atomic writes into briefings/ and the manifest that lists every output.

Outputs are first written to a staging folder inside briefings/ (same file system), flushed to
disk, and only moved into place once every document of the build has passed its checks; the
manifest is replaced last. A failed build therefore changes nothing, and no reader ever sees a
half-written PDF. A lock file serialises concurrent builds into the same folder.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import OutputError

MANIFEST = "manifest.json"
JOURNAL = ".journal.json"


@dataclass
class Output:
    """One file to publish, with its manifest entry."""

    path: str  # relative to the project root, always under briefings/
    data: bytes
    entry: dict

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def briefings_folder(project: Path) -> Path:
    folder = project / "briefings"
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; briefings/ must be a folder: move the file away")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror}") from None
    return folder


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on briefings/ while publishing; a second build waits its turn."""
    try:
        handle = open(folder / ".lock", "a")
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror}") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_manifest(project: Path) -> dict:
    path = project / "briefings" / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(manifest, dict) and isinstance(manifest.get("outputs"), list):
            return manifest
    except (OSError, ValueError):
        pass
    return {"outputs": []}


def publish(project: Path, outputs: list[Output], prune: list[str] | tuple[str, ...] = (),
            after: Callable[[], None] | None = None) -> None:
    """Write every output and the updated manifest, or (on any failure) nothing at all.

    `prune` names folders whose files this build replaces as a whole (a meeting's copies): files
    there that are not among `outputs` are stale and are removed once the new ones are in place.
    `after` runs once everything is in place, still holding the lock (it records the build cache).
    """
    folder = briefings_folder(project)
    fresh = {output.path for output in outputs}
    with build_lock(folder):
        recover(project)
        stale = [p for name in prune for p in sorted((project / name).glob("*"))
                 if p.is_file() and str(p.relative_to(project)) not in fresh]
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
        journal = folder / JOURNAL
        try:
            moves = []
            for output in outputs:
                target = project / output.path
                if folder.resolve() not in target.resolve().parents:
                    raise OutputError(f"refusing to write {output.path}: outside briefings/")
                temporary = staging / f"{len(moves)}{Path(output.path).suffix}"
                _write_synced(temporary, output.data)
                moves.append((temporary, target))
            manifest = _merged_manifest(project, outputs, {str(p.relative_to(project)) for p in stale})
            manifest_tmp = staging / MANIFEST
            _write_synced(manifest_tmp, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
            moves.append((manifest_tmp, folder / MANIFEST))  # last: the manifest describes what is in place
            _preflight(moves)
            _write_journal(project, journal, staging, moves, stale)
            try:
                _swap_in(moves, staging)
            except OSError:
                journal.unlink(missing_ok=True)  # rolled back: nothing to finish
                raise
            for path in stale:
                path.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            if after is not None:
                after()
        except OSError as exc:
            where = exc.filename or folder
            raise OutputError(f"cannot write {where}: {exc.strerror or exc}; previous outputs are unchanged") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def recover(project: Path) -> None:
    """Finish a publish that was killed half-way (call with the lock held).

    Once every output is staged, a journal lists the moves still to make. A build killed after
    that point is rolled forward here: the remaining staged files move into place, the manifest
    last. A build killed before it left only a staging folder, which is deleted. Either way the
    outputs and the manifest agree again.
    """
    folder = project / "briefings"
    journal = folder / JOURNAL
    if journal.is_file():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
            for temporary, target in plan["moves"]:
                source = project / temporary
                if source.is_file():
                    (project / target).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, project / target)
            for path in plan["remove"]:
                (project / path).unlink(missing_ok=True)
        except (ValueError, KeyError, TypeError):
            pass  # a journal torn by the kill itself was never complete: nothing had moved yet
        journal.unlink(missing_ok=True)
    for leftover in folder.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def recover_under_lock(project: Path) -> None:
    """Recover an interrupted publish before reading briefings/ (for --check)."""
    folder = project / "briefings"
    if folder.is_dir():
        with build_lock(folder):
            recover(project)


def _preflight(moves: list[tuple[Path, Path]]) -> None:
    """Refuse before anything moves when a folder or file stands where an output must go."""
    for _, target in moves:
        if target.is_dir():
            raise IsADirectoryError(21, "a folder is in the way", str(target))
        for parent in target.parents:
            if parent.exists() and not parent.is_dir():
                raise NotADirectoryError(20, "a file is in the way", str(parent))


def _write_journal(project: Path, journal: Path, staging: Path, moves: list[tuple[Path, Path]],
                   stale: list[Path]) -> None:
    plan = {"staging": str(staging.relative_to(project)),
            "moves": [[str(t.relative_to(project)), str(d.relative_to(project))] for t, d in moves],
            "remove": [str(p.relative_to(project)) for p in stale]}
    temporary = staging / JOURNAL
    _write_synced(temporary, json.dumps(plan).encode())
    os.replace(temporary, journal)


def _swap_in(moves: list[tuple[Path, Path]], staging: Path) -> None:
    """Move staged files over their targets; if one move fails, put every earlier target back."""
    done: list[tuple[Path, Path | None]] = []
    created: list[Path] = []
    try:
        for index, (temporary, target) in enumerate(moves):
            for parent in reversed(target.parents):
                if not parent.exists():
                    parent.mkdir()
                    created.append(parent)
            backup = None
            if target.exists() or target.is_symlink():
                if target.is_dir():
                    raise IsADirectoryError(21, "a folder is in the way", str(target))
                backup = staging / f"previous-{index}"
                os.link(target, backup, follow_symlinks=False)  # keeps the old file while it is replaced
            os.replace(temporary, target)
            done.append((target, backup))
    except OSError:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        for parent in reversed(created):
            parent.rmdir()
        raise


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _merged_manifest(project: Path, outputs: list[Output], removed: set[str]) -> dict:
    """The old manifest's entries for files that still exist, replaced by this build's."""
    fresh = {o.path: {"path": o.path, **o.entry, "sha256": o.sha256} for o in outputs}
    kept = [e for e in read_manifest(project)["outputs"]
            if isinstance(e, dict) and e.get("path") not in fresh and e.get("path") not in removed
            and (project / str(e.get("path"))).is_file()]
    return {"outputs": sorted(kept + list(fresh.values()), key=lambda e: str(e["path"]))}
