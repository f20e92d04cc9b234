"""Progress as work happens: each finished item said at once, and for long runs a bar with counts
and elapsed time on a terminal (plain count lines in logs, where a bar cannot redraw)."""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

BAR = 24

_listener: Callable[[Any], None] | None = None  # says a finished item (see `reporting`)


class Progress:
    """Reports `done` of `total`; silent unless there are more than `threshold` items, and always
    silent after `Progress.quiet = True` (the command line's --quiet). With `lines=False` it is a
    terminal bar only: where finished items are said one by one, count lines would repeat them."""

    quiet = False
    drawn: Progress | None = None  # the bar on the terminal now, erased while a line is said

    def __init__(self, label: str, total: int, threshold: int = 300, stream: TextIO | None = None,
                 lines: bool = True):
        self.label, self.total, self.stream = label, total, stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.active = total > threshold and not self.quiet and (self.terminal or lines)
        self.started = time.perf_counter()
        self.next_line = 0
        self.done = 0

    def update(self, done: int) -> None:
        if not self.active:
            return
        self.done = done
        elapsed = time.perf_counter() - self.started
        if self.terminal:
            self._draw(end="\n" if done >= self.total else "")
            Progress.drawn = None if done >= self.total else self
        elif done >= self.next_line or done == self.total:
            print(f"{self.label}: {done}/{self.total} ({elapsed:.1f} s)", file=self.stream, flush=True)
            self.next_line = done + max(1, self.total // 10)

    def _draw(self, end: str = "") -> None:
        filled = BAR * self.done // self.total
        elapsed = time.perf_counter() - self.started
        print(f"\r{self.label}: [{'#' * filled}{'.' * (BAR - filled)}] {self.done}/{self.total} {elapsed:.1f} s",
              end=end, file=self.stream, flush=True)

    def erase(self) -> None:
        print("\r\x1b[K", end="", file=self.stream, flush=True)


@contextmanager
def reporting(listener: Callable[[Any], None]) -> Iterator[None]:
    """While inside, `finished(item)` hands each finished item to `listener` (which prints it)."""
    global _listener
    before, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = before


@contextmanager
def announcing(say: Callable[[str], None], lines_of: Callable[[Any], list[str]]) -> Iterator[None]:
    """Say each finished item's lines as it finishes. If the work then fails before its outputs
    are published, say that what was reported is not published (a failed publish says itself
    what it wrote)."""
    from .errors import BriefkitError, OutputError

    said = False

    def listener(item: Any) -> None:
        nonlocal said
        for line in lines_of(item):
            said = True
            say(line)

    with reporting(listener):
        try:
            yield
        except BriefkitError as exc:
            if said and not isinstance(exc, OutputError):
                say("stopped: what was built above is not published; the previous outputs are unchanged")
            raise


def finished(item: Any) -> None:
    """An item of work is done: say it now, above the progress bar if one is drawn."""
    if _listener is None:
        return
    bar = Progress.drawn
    if bar is not None:
        bar.erase()
    _listener(item)
    if bar is not None:
        bar._draw()
