"""Where numbered copies wait for their publish: written to disk as each is made, so memory stays
flat however many recipients a meeting has.

A meeting's copies go into a hidden folder inside the output folder (same file system, so the
publish moves them into place instead of copying them): `.copies-<pid>-<slug>-<random>/`, where
<pid> is the build's own process (not a worker's: a worker may outlive a killed build). The
publish moves them in with the rest of the build, all or nothing; a failed build removes the
folder. A folder left by a killed build (its pid no longer runs) is removed by the next build.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..publish.leftovers import COPIES, build_pid
from ..publish.manifest import Output

FLUSHING = 4  # threads waiting on the disk for copies written


class StagedOutput(Output):
    """An output whose bytes are already on disk, in a copies folder: the publish moves the file
    instead of holding its bytes, and its SHA-256 was taken when it was written."""

    def __init__(self, path: str, file: Path, sha256: str, entry: dict) -> None:
        self.path, self.file, self.entry, self._sha256 = path, file, entry, sha256

    @property
    def data(self) -> bytes:  # type: ignore[override]  # read from the file when asked for (previews)
        return self.file.read_bytes()

    @property
    def sha256(self) -> str:
        return self._sha256

    def save(self, path: Path) -> None:
        os.replace(self.file, path)  # written and flushed to disk when it was staged


class CopyFolder:
    """One meeting's copies folder: `write` puts a copy on disk; `finish` returns once every copy
    is flushed to disk; `discard` removes what is left (everything when the build failed, an
    empty folder once published).

    Flushing a file waits for the disk (tens of milliseconds on a busy one): a few threads flush
    the copies already written while the next are stamped and checked, so the disk and the
    processor work at once.
    """

    def __init__(self, output: Path, slug: str) -> None:
        output.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f"{COPIES}{build_pid()}-{slug}-", dir=output))
        self._flushing = ThreadPoolExecutor(max_workers=FLUSHING, thread_name_prefix="copies-flush")
        self._pending: list[Future[None]] = []

    def write(self, name: str, data: bytes) -> Path:
        target = self.path / name
        target.write_bytes(data)
        self._pending = [flush for flush in self._pending if not _done(flush)]  # only those still running are held
        self._pending.append(self._flushing.submit(_flush, target))
        return target

    def finish(self) -> None:
        """Wait until every copy written is on disk (an error writing one is raised here)."""
        for future in self._pending:
            future.result()
        self._pending.clear()
        self._flushing.shutdown()

    def discard(self) -> None:
        self._flushing.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.path, ignore_errors=True)


def _done(flush: Future[None]) -> bool:
    """Whether a flush has finished; one that failed raises its error here."""
    if flush.done():
        flush.result()
        return True
    return False


def _flush(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def discard(folder: str | Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
