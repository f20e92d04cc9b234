"""`watch`: rebuild what changed whenever content or templates are saved.

Each rebuild prints a line when it starts (naming the files saved) and one status line when it ends. A save that breaks the input prints the located error and
watching goes on; the last good PDFs stay in place (a failed build writes nothing). Ctrl-C stops.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import BriefkitError
from ..paths import Project
from .report import BuildReport


def status_line(report: BuildReport | None, seconds: float) -> str:
    """What one rebuild did, in a line."""
    if report is None:
        return "nothing to rebuild"
    made = [item.output.path for item in report.built] + [m.folder + "/" for m in report.meetings_built]
    if not made:
        return report.summary()
    names = ", ".join(Path(path).name for path in made)
    return f"rebuilt {len(made)}: {names} ({seconds:.2f} s, checks passed)"


def started_line(project: Project, changed: list[str]) -> str:
    """What a rebuild starts from: the files saved (the first few), or the first build."""
    if not changed:
        return "building…"
    names = [project.shown(path) for path in changed[:3]] + ([f"{len(changed) - 3} more"] if len(changed) > 3 else [])
    return f"{', '.join(names)} changed: rebuilding…"


def watch_project(project: Project, build: Callable[[], BuildReport | None]) -> int:
    """`build` makes what is stale and returns its report (None when nothing needed rebuilding)."""
    from watchfiles import watch

    def once(changed: list[str]) -> None:
        started = time.perf_counter()
        stamp = time.strftime("%H:%M:%S")
        print(f"[{stamp}] {started_line(project, changed)}", flush=True)
        try:
            report = build()
        except BriefkitError as exc:
            print(f"[{stamp}] {exc.report()}\n[{stamp}] the last good outputs are unchanged; watching for the next save",
                  file=sys.stderr, flush=True)
            return
        print(f"[{stamp}] {status_line(report, time.perf_counter() - started)}", flush=True)

    folders = [str(folder) for folder in (project.content, project.templates) if folder.is_dir()]
    print(f"watching {', '.join(Path(f).name + '/' for f in folders)} (Ctrl-C stops)", flush=True)
    # The first build runs once the watches are in place (the generator's first, possibly empty,
    # answer comes within rust_timeout), so a file saved while it runs still triggers a rebuild.
    first = True
    try:
        for changes in watch(*folders, debounce=250, step=50, rust_timeout=100, yield_on_timeout=True):
            if changes or first:
                first = False
                once(sorted({path for _, path in changes}))
    except KeyboardInterrupt:
        pass
    print("stopped watching", flush=True)
    return 0
