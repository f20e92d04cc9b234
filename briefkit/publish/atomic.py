"""Atomic publishing into the output folder: every new output, every removal and the manifest
take effect together, or none does.

Outputs are first written to a staging folder inside the output folder (same file system) and
flushed to disk. Then a journal (.journal.json) lists every step: old files to park in the
staging folder (removals), staged files to move over their targets (the manifest last), and
where each replaced file is kept meanwhile. Only then does anything change. If a step fails, the
steps done are undone at once; if the process dies, the next build (or `check`) reads the
journal and finishes the publish, or, when a step cannot be done, undoes it. SIGINT and SIGTERM
are held back while the steps run (a fraction of a second), so an interrupt lands before the
publish or after it, never half-way. A lock file serialises concurrent builds into the folder.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..paths import MANIFEST, Project
from .leftovers import sweep
from .manifest import ManifestUpdate, Output, load_manifest, manifest_bytes


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


class PublishedThenInterrupted(OutputError):
    """Interrupted once the new outputs were in place: they stay; what follows them did not run."""

    exit_code = 130


@dataclass
class Published:
    """What a publish changed: whether anything was written, and the outputs it removed."""

    changed: bool
    removed: list[str]
    manifest: dict[str, Any]


def publish(project: Project, outputs: list[Output], update: ManifestUpdate, remove: Sequence[str] = (),
            after: Callable[[Published], None] | None = None) -> Published:
    """Write `outputs`, remove the output files `remove` names, and write the manifest `update`
    makes of the one on disk: all of it, or (on any failure) nothing at all.

    `after` runs once everything is in place, still holding the lock (previews, the overview page,
    the build cache); what it raises is not a failed publish and is not reported as one.
    """
    folder = output_folder(project)
    with build_lock(project):
        recover(project)
        old = load_manifest(project)
        manifest = update.compose(project, old)
        removed = [path for path in dict.fromkeys(remove) if project.file(path).is_file()]
        data = manifest_bytes(manifest)
        unchanged = not outputs and not removed and old is not None and _same(project.manifest, data)
        done: list[bool] = []
        try:
            if not unchanged:
                _transact(project, folder, outputs, removed, data, done)
                _remove_empty_folders(project, removed)
            result = Published(not unchanged, removed, manifest)
            if after is not None:
                after(result)
            return result
        except KeyboardInterrupt:
            if done:
                raise PublishedThenInterrupted(
                    "interrupted after the new outputs and the manifest were published; the previews, the "
                    "overview page or the build cache may be out of date (the next build updates them)") from None
            raise


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _transact(project: Project, folder: Path, outputs: list[Output], removed: list[str], manifest: bytes,
              done: list[bool]) -> None:
    """The publish itself; `done` gets True the moment it is complete (an interrupt held back
    during it is raised just after)."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        try:
            moves: list[tuple[Path, Path]] = []
            for output in outputs:
                target = project.file(output.path)
                if folder.resolve() not in target.resolve().parents:
                    raise OutputError(f"refusing to write {output.path}: outside {project.out}/")
                temporary = staging / f"{len(moves)}{Path(output.path).suffix}"
                output.save(temporary)
                moves.append((temporary, target))
            manifest_tmp = staging / MANIFEST
            _write_synced(manifest_tmp, manifest)
            moves.append((manifest_tmp, project.manifest))  # last: the manifest describes what is in place
            _preflight(moves)
            plan = Plan.make(project, staging, moves, removed)
        except OSError as exc:
            raise _unchanged(exc, folder) from None
        with _signals_held():
            try:
                plan.write_journal()
            except OSError as exc:
                project.journal.unlink(missing_ok=True)
                raise _unchanged(exc, folder) from None
            try:
                plan.forward()
            except OSError as exc:
                try:
                    plan.back()
                except OSError as again:
                    raise OutputError(f"cannot write {exc.filename or folder}: {exc.strerror or exc}; undoing the "
                                      f"publish failed too ({again.filename}: {again.strerror or again}): the next "
                                      "build or check finishes or undoes it") from None
                project.journal.unlink(missing_ok=True)
                raise _unchanged(exc, folder) from None
            project.journal.unlink(missing_ok=True)  # the publish is complete
            done.append(True)
    finally:
        if not project.journal.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _unchanged(exc: OSError, folder: Path) -> OutputError:
    where = exc.filename or folder
    if getattr(exc, "removing", False):
        return OutputError(f"cannot remove {where}, which is no longer planned: {exc.strerror or exc}; make it "
                           "removable or move it away, then build again; previous outputs are unchanged")
    return OutputError(f"cannot write {where}: {exc.strerror or exc}; previous outputs are unchanged")


@dataclass
class Plan:
    """The steps of one publish, as its journal records them (paths relative to the output
    folder's parent): removals park old files in the staging folder, moves put staged files in
    place, keeping each replaced file as a hard link there until the publish is complete."""

    project: Project
    staging: Path
    removals: list[tuple[str, str]]            # output file → where it is parked
    moves: list[tuple[str, str, str]]          # staged file → target, and where the old target is kept

    @classmethod
    def make(cls, project: Project, staging: Path, moves: list[tuple[Path, Path]], removed: list[str]) -> Plan:
        rel = project.relative
        return cls(project, staging,
                   [(path, rel(staging / f"removed-{index}")) for index, path in enumerate(removed)],
                   [(rel(source), rel(target), rel(staging / f"previous-{index}"))
                    for index, (source, target) in enumerate(moves)])

    @classmethod
    def read(cls, project: Project) -> Plan | None:
        """The journal's plan, or None when the journal is torn (written by a killed process
        before it was complete: nothing had been done yet)."""
        try:
            data = json.loads(project.journal.read_text(encoding="utf-8"))
            removals = [(str(a), str(b)) for a, b in data["removals"]]
            moves = [(str(a), str(b), str(c)) for a, b, c in data["moves"]]
            staging = project.file(str(data["staging"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        inside = project.output.resolve()
        paths = [staging, *(project.file(p) for pair in removals for p in pair),
                 *(project.file(p) for step in moves for p in step)]
        if not all(inside in path.resolve().parents for path in paths):
            return None  # not a journal this program wrote: follow none of it
        return cls(project, staging, removals, moves)

    def write_journal(self) -> None:
        temporary = self.staging / self.project.journal.name
        plan = {"staging": self.project.relative(self.staging), "removals": self.removals, "moves": self.moves}
        _write_synced(temporary, json.dumps(plan).encode())
        os.replace(temporary, self.project.journal)

    def forward(self) -> None:
        """Do every step not done yet (each step's state is read from the files themselves)."""
        file = self.project.file
        for path, parked in self.removals:
            if _present(file(path)):
                try:
                    os.replace(file(path), file(parked))
                except OSError as exc:
                    exc.removing = True  # type: ignore[attr-defined]
                    raise
        for source, target, kept in self.moves:
            if not _present(file(source)):
                continue  # moved already
            destination = file(target)
            for parent in reversed(destination.parents):
                if not parent.exists():
                    parent.mkdir()
            if _present(destination) and not _present(file(kept)):
                if destination.is_dir():
                    raise IsADirectoryError(21, "a folder is in the way", str(destination))
                os.link(destination, file(kept), follow_symlinks=False)  # the old file stays reachable
            os.replace(file(source), destination)

    def back(self) -> None:
        """Undo every step done: each new file goes back to the staging folder and the file it
        replaced back in place (a target that was new is left absent), then the parked files
        return. Like `forward`, it reads each step's state from the files, so running it again,
        or running `forward` after it, is safe."""
        file = self.project.file
        for source, target, kept in reversed(self.moves):
            if not _present(file(source)) and _present(file(target)):
                os.replace(file(target), file(source))
            if _present(file(kept)):
                if _present(file(target)):
                    file(kept).unlink()  # the old file never left: drop its spare link
                else:
                    os.replace(file(kept), file(target))
        for path, parked in reversed(self.removals):
            if _present(file(parked)):
                file(path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(file(parked), file(path))


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def recover(project: Project) -> None:
    """Finish or undo a publish that was killed half-way (call with the lock held).

    A journal means the publish had begun: its steps are done to the end; when one cannot be done
    (a file that cannot be removed or replaced), the steps are undone instead. Either way the
    outputs and the manifest agree again, and staging folders left behind are deleted.
    """
    if project.journal.is_file():
        with _signals_held():  # an interrupt lands once the outputs agree again
            _finish_or_undo(project)
        project.journal.unlink(missing_ok=True)
    for leftover in project.output.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    sweep(project.output, ours=False)  # copies a killed build staged (this build's own are in use)


def _finish_or_undo(project: Project) -> None:
    """Do the journal's steps to the end, or undo them when one cannot be done."""
    plan = Plan.read(project)
    if plan is not None:
        try:
            plan.forward()
        except OSError as exc:
            try:
                plan.back()
            except OSError as again:
                raise OutputError(f"an interrupted publish can be neither finished ({exc.filename}: "
                                  f"{exc.strerror or exc}) nor undone ({again.filename}: {again.strerror or again}); "
                                  f"make those files writable and run the build again "
                                  f"(its steps are in {project.relative(project.journal)})") from None


def recover_under_lock(project: Project) -> None:
    """Recover an interrupted publish before reading the output folder (for `check`)."""
    if project.output.is_dir():
        with build_lock(project):
            recover(project)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the publish's steps run; they arrive, to the handlers
    there were before, once it is done. (Handlers rather than a signal mask: a mask is per
    thread, and a signal may be delivered to another thread.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    before = {number: signal.signal(number, lambda received, frame: arrived.append(received))
              for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for received in dict.fromkeys(arrived):
            signal.raise_signal(received)


def _remove_empty_folders(project: Project, removed: list[str]) -> None:
    """Folders emptied by removals go too (a removed audience's folder), up to the output folder."""
    top = project.output.resolve()
    for path in removed:
        folder = project.file(path).parent
        while folder.resolve() != top and top in folder.resolve().parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def _preflight(moves: list[tuple[Path, Path]]) -> None:
    """Refuse before anything moves when a folder or file stands where an output must go."""
    for _, target in moves:
        if target.is_dir():
            raise IsADirectoryError(21, "a folder is in the way", str(target))
        for parent in target.parents:
            if parent.exists() and not parent.is_dir():
                raise NotADirectoryError(20, "a file is in the way", str(parent))


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
