"""Progress for long runs: a bar with counts and elapsed time on a terminal, plain lines in logs."""
from __future__ import annotations

import sys
import time
from typing import TextIO

BAR = 24


class Progress:
    """Reports `done` of `total`; silent unless there are more than `threshold` items, and always
    silent after `Progress.quiet = True` (the command line's --quiet)."""

    quiet = False

    def __init__(self, label: str, total: int, threshold: int = 300, stream: TextIO | None = None):
        self.label, self.total, self.stream = label, total, stream or sys.stderr
        self.active = total > threshold and not self.quiet
        self.started = time.perf_counter()
        self.terminal = self.stream.isatty()
        self.next_line = 0

    def update(self, done: int) -> None:
        if not self.active:
            return
        elapsed = time.perf_counter() - self.started
        if self.terminal:
            filled = BAR * done // self.total
            print(f"\r{self.label}: [{'#' * filled}{'.' * (BAR - filled)}] {done}/{self.total} {elapsed:.1f} s",
                  end="\n" if done >= self.total else "", file=self.stream, flush=True)
        elif done >= self.next_line or done == self.total:
            print(f"{self.label}: {done}/{self.total} ({elapsed:.1f} s)", file=self.stream, flush=True)
            self.next_line = done + max(1, self.total // 10)
