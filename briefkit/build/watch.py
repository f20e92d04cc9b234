"""`watch` (and `serve`): rebuild what changed whenever content or templates are saved.

A line says when a rebuild starts and what set it off, another what it did. A save that breaks
the input prints the located error (and a bug in briefkit its one line, crash.py) and watching
goes on; the last good PDFs stay in place (a failed build writes nothing). Ctrl-C stops.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import BriefkitError
from ..paths import Project
from .report import BuildReport

# After each rebuild: its report (None: nothing needed rebuilding) or the error that stopped it.
Rebuilt = Callable[[BuildReport | None, BriefkitError | None], None]


def status_line(report: BuildReport | None, seconds: float) -> str:
    """What one rebuild did, in a line."""
    if report is None:
        return "nothing to rebuild"
    made = [item.output.path for item in report.built] + [m.folder + "/" for m in report.meetings_built]
    if not made:
        return report.summary()
    names = ", ".join(Path(path).name for path in made)
    return f"rebuilt {len(made)}: {names} ({seconds:.2f} s, checks passed)"


def changed_line(project: Project, paths: Iterable[str]) -> str:
    """Which saved files set a rebuild off, in a line."""
    shown = sorted({project.shown(path) for path in paths})
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    return f"{', '.join(shown[:3])}{more} changed: rebuilding"


def watch_project(project: Project, build: Callable[[], BuildReport | None], after: Rebuilt | None = None,
                  workers: int | None = None) -> int:
    """`build` makes what is stale and returns its report (None when nothing needed rebuilding);
    then the page previews of what changed are drawn, in up to `workers` processes (default: one
    per core), and `after` hears of each rebuild's outcome."""
    from watchfiles import watch

    def once() -> None:
        started = time.perf_counter()
        stamp = time.strftime("%H:%M:%S")
        try:
            report = build()
        except Exception as exc:  # noqa: BLE001 - even a bug ends this rebuild only, never the watch
            from .. import crash

            from ..inputs.files import source_lines

            said = exc.report(source_lines(project)) if isinstance(exc, BriefkitError) else \
                crash.report(exc, project.root, ["watch"])
            if isinstance(exc, BriefkitError) and exc.exit_code == 130:  # interrupted once published: stop
                print(f"[{stamp}] {said}", file=sys.stderr, flush=True)
                raise KeyboardInterrupt from None
            print(f"[{stamp}] {said}\n[{stamp}] the last good outputs are unchanged; watching for the next save",
                  file=sys.stderr, flush=True)
            if after is not None:
                after(None, exc if isinstance(exc, BriefkitError) else BriefkitError(said.removeprefix("error: ")))
            return
        print(f"[{stamp}] {status_line(report, time.perf_counter() - started)}", flush=True)
        for problem in report.problems if report is not None else []:
            print(f"[{stamp}] error: {problem}", file=sys.stderr, flush=True)
        from ..publish.site import draw_previews

        draw_previews(project, workers or os.cpu_count() or 1, lambda line: None,
                      lambda line: print(f"[{stamp}] {line}", file=sys.stderr, flush=True))
        if after is not None:  # a served page reloads once the previews are there too
            after(report, None)

    folders = [str(folder) for folder in (project.content, project.templates) if folder.is_dir()]
    print(f"watching {', '.join(Path(f).name + '/' for f in folders)} (Ctrl-C stops)", flush=True)
    # The first build runs once the watches are in place (the generator's first, possibly empty,
    # answer comes within rust_timeout), so a file saved while it runs still triggers a rebuild.
    first = True
    try:
        for changes in watch(*folders, debounce=250, step=50, rust_timeout=100, yield_on_timeout=True):
            if changes or first:
                print(f"[{time.strftime('%H:%M:%S')}] "
                      f"{changed_line(project, (path for _, path in changes)) if changes else 'building'}", flush=True)
                first = False
                once()
    except KeyboardInterrupt:
        pass
    print("stopped watching", flush=True)
    return 0
