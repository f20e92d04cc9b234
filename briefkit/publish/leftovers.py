"""Folders a build stages inside the output folder, named by the build's process, and the sweep
that removes those left by a build that is gone.

A folder is `<prefix><pid>-…`, where <pid> is the build's own process (not a worker's: a worker
may outlive a killed build), so a later build can tell a folder in use from one left behind.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

COPIES = ".copies-"


def build_pid() -> int:
    """The build's process: this one, or the parent of the worker this runs in."""
    import multiprocessing  # here: a build with nothing to do never needs it

    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None and parent.pid is not None else os.getpid()


def sweep(output: Path, ours: bool = True) -> None:
    """Remove copies folders that no build is using: left by a process that is gone, or (`ours`)
    by an earlier build of this one (a watching process; then call before this build stages anything)."""
    if not output.is_dir():
        return
    for folder in output.glob(f"{COPIES}*"):
        pid = folder.name.removeprefix(COPIES).split("-", 1)[0]
        if not pid.isdigit() or (ours and int(pid) == os.getpid()) or not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: not ours to judge
    return True
