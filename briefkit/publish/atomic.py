"""Atomic publishing into the output folder.

Outputs are first written to a staging folder inside the output folder (same file system),
flushed to disk, and only moved into place once every document of the build has passed its
checks; the manifest is replaced last. A failed build therefore changes nothing, and no reader
ever sees a half-written PDF. A lock file serialises concurrent builds into the same folder.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError
from ..paths import MANIFEST, Project
from .manifest import Output, merged_manifest


def output_folder(project: Project) -> Path:
    folder = project.output
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; {project.out}/ must be a folder: move the file away")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror}") from None
    return folder


@contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """Hold an exclusive lock on the output folder while publishing; a second build waits its turn."""
    try:
        handle = open(project.lock, "a")
    except OSError as exc:
        raise OutputError(f"cannot write in {project.output}: {exc.strerror}") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(project: Project, outputs: list[Output], prune: list[str] | tuple[str, ...] = (),
            after: Callable[[], None] | None = None,
            skipped: tuple[set[str], list[dict[str, str]]] = (set(), [])) -> None:
    """Write every output and the updated manifest, or (on any failure) nothing at all.

    `prune` names folders whose files this build replaces as a whole (a meeting's copies): files
    there that are not among `outputs` are stale and are removed once the new ones are in place.
    `after` runs once everything is in place, still holding the lock (it records the build cache).
    `skipped`: the content sets this build planned, and what it left out of them (see manifest.py).
    """
    folder = output_folder(project)
    fresh = {output.path for output in outputs}
    with build_lock(project):
        recover(project)
        stale = [p for name in prune for p in sorted(project.file(name).glob("*"))
                 if p.is_file() and project.relative(p) not in fresh]
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
        try:
            moves: list[tuple[Path, Path]] = []
            for output in outputs:
                target = project.file(output.path)
                if folder.resolve() not in target.resolve().parents:
                    raise OutputError(f"refusing to write {output.path}: outside {project.out}/")
                temporary = staging / f"{len(moves)}{Path(output.path).suffix}"
                output.save(temporary)
                moves.append((temporary, target))
            manifest = merged_manifest(project, outputs, {project.relative(p) for p in stale}, *skipped)
            manifest_tmp = staging / MANIFEST
            _write_synced(manifest_tmp, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
            moves.append((manifest_tmp, project.manifest))  # last: the manifest describes what is in place
            _preflight(moves)
            _write_journal(project, staging, moves, stale)
            try:
                _swap_in(moves, staging)
            except OSError:
                project.journal.unlink(missing_ok=True)  # rolled back: nothing to finish
                raise
            for path in stale:
                path.unlink(missing_ok=True)
            project.journal.unlink(missing_ok=True)
            if after is not None:
                after()
        except OSError as exc:
            where = exc.filename or folder
            raise OutputError(f"cannot write {where}: {exc.strerror or exc}; previous outputs are unchanged") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def recover(project: Project) -> None:
    """Finish a publish that was killed half-way (call with the lock held).

    Once every output is staged, a journal lists the moves still to make. A build killed after
    that point is rolled forward here: the remaining staged files move into place, the manifest
    last. A build killed before it left only a staging folder, which is deleted. Either way the
    outputs and the manifest agree again.
    """
    journal = project.journal
    if journal.is_file():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
            for temporary, target in plan["moves"]:
                source = project.file(temporary)
                if source.is_file():
                    project.file(target).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, project.file(target))
            for path in plan["remove"]:
                project.file(path).unlink(missing_ok=True)
        except (ValueError, KeyError, TypeError):
            pass  # a journal torn by the kill itself was never complete: nothing had moved yet
        journal.unlink(missing_ok=True)
    for leftover in project.output.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def recover_under_lock(project: Project) -> None:
    """Recover an interrupted publish before reading the output folder (for `check`)."""
    if project.output.is_dir():
        with build_lock(project):
            recover(project)


def _preflight(moves: list[tuple[Path, Path]]) -> None:
    """Refuse before anything moves when a folder or file stands where an output must go."""
    for _, target in moves:
        if target.is_dir():
            raise IsADirectoryError(21, "a folder is in the way", str(target))
        for parent in target.parents:
            if parent.exists() and not parent.is_dir():
                raise NotADirectoryError(20, "a file is in the way", str(parent))


def _write_journal(project: Project, staging: Path, moves: list[tuple[Path, Path]], stale: list[Path]) -> None:
    plan = {"staging": project.relative(staging),
            "moves": [[project.relative(t), project.relative(d)] for t, d in moves],
            "remove": [project.relative(p) for p in stale]}
    temporary = staging / project.journal.name
    _write_synced(temporary, json.dumps(plan).encode())
    os.replace(temporary, project.journal)


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
