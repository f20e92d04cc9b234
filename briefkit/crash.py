"""What happens when briefkit itself fails: one line that says it is a bug, the trace kept in a file.

Every failure a user can cause has its own message (errors.py). Anything else is a bug in
briefkit: the user gets one line naming the file where the full trace was saved (under the
project's `.briefkit/` folder, or the system's temporary folder when the project cannot be
written) and the exit code 70 (EX_SOFTWARE), never a traceback on the terminal.
"""
from __future__ import annotations

import datetime
import os
import platform
import tempfile
import traceback
from pathlib import Path

from . import __version__

EXIT = 70  # EX_SOFTWARE in sysexits.h: an internal software error
FOLDER = ".briefkit"
KEEP = 20  # the most recent crash logs kept; older ones are deleted


def report(exc: BaseException, project: Path | None, argv: list[str]) -> str:
    """Save the trace of an unexpected exception and return the one line to print."""
    if isinstance(exc, MemoryError):
        what = "briefkit ran out of memory (an input too large for this machine, or a bug)"
    else:
        what = f"briefkit failed unexpectedly: this is a bug, not a problem with your input ({_summary(exc)})"
    saved = save(exc, project, argv)
    where = f"the full trace is in {saved}; please report it with that file" if saved else \
        "the trace could not be saved anywhere"
    return f"error: {what}; {where}"


def _summary(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 160 else text[:157] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def save(exc: BaseException, project: Path | None, argv: list[str]) -> str | None:
    """Write the trace; return the file as the user should read it (relative to the project when
    it is there), or None when nothing could be written."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    text = "".join([
        f"briefkit {__version__} on Python {platform.python_version()}, {platform.platform()}\n",
        f"command: briefkit {' '.join(argv)}\n",
        f"at: {stamp} UTC\n\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ])
    for folder in ([project / FOLDER] if project is not None else []) + [Path(tempfile.gettempdir()) / "briefkit"]:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError:
            continue
        _prune(folder)
        if project is not None and path.is_relative_to(project):
            return path.relative_to(project).as_posix()
        return str(path)
    return None


def _prune(folder: Path) -> None:
    """Keep only the most recent logs: a crash repeated by --watch must not fill the disk."""
    try:
        logs = sorted(folder.glob("crash-*.log"))
        for old in logs[:-KEEP]:
            old.unlink()
    except OSError:
        pass

