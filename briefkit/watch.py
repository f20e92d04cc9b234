"""`--watch`: rebuild what changed whenever content or templates are saved.

Each rebuild prints one status line. A save that breaks the input prints the located error and
watching goes on; the last good PDFs stay in place (a failed build writes nothing). Ctrl-C stops.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable

from .errors import BriefkitError


def watch_project(project: Path, build: Callable[[Callable[..., None]], int]) -> int:
    from watchfiles import watch

    def once() -> None:
        lines: list[str] = []
        started = time.perf_counter()
        stamp = time.strftime("%H:%M:%S")
        try:
            build(lambda *parts: lines.append(" ".join(str(p) for p in parts)))
        except BriefkitError as exc:
            print(f"[{stamp}] {exc.report()}\n[{stamp}] the last good outputs are unchanged; watching for the next save",
                  file=sys.stderr, flush=True)
            return
        built = [line for line in lines if line.startswith("built ")]
        summary = lines[-1] if lines else "done"
        if built:
            summary = f"rebuilt {len(built)}: " + ", ".join(Path(line.split()[1]).name or line.split()[1]
                                                             for line in built) + f" ({time.perf_counter() - started:.2f} s, checks passed)"
        print(f"[{stamp}] {summary}", flush=True)

    folders = [str(project / name) for name in ("content", "templates") if (project / name).is_dir()]
    print(f"watching {', '.join(Path(f).name + '/' for f in folders)} (Ctrl-C stops)", flush=True)
    # The first build runs once the watches are in place (the generator's first, possibly empty,
    # answer comes within rust_timeout), so a file saved while it runs still triggers a rebuild.
    first = True
    try:
        for changes in watch(*folders, debounce=250, step=50, rust_timeout=100, yield_on_timeout=True):
            if changes or first:
                first = False
                once()
    except KeyboardInterrupt:
        pass
    print("stopped watching", flush=True)
    return 0
