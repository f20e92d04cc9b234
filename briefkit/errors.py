"""The error tree: every failure a user can cause ends in one of these, never a traceback.

Errors carry their data in `args`, so they pickle: an error raised in a worker process reaches
the parent with its class, exit code and problem list intact.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The text of a location's line, when it can be read (the CLI reads it from the project).
LineReader = Callable[["Location"], "str | None"]


@dataclass(frozen=True)
class Location:
    """Where a value came from: file (relative to the project), 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    location: Location
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: "
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


def did_you_mean(name: str, options: Iterable[str], otherwise: str | None = "available",
                 shown: str = "'{}'") -> str:
    """' (did you mean 'x'?)' for the closest option; else ' (available: a, b)' (or nothing when
    `otherwise` is None). The one place every 'did you mean' of the tool is worded."""
    options = list(options)
    hint = closest(name, options)
    if hint is not None:
        return f" (did you mean {shown.format(hint)}?)"
    if otherwise is None:
        return ""
    return f" ({otherwise}: {', '.join(options) or 'none'})"


def closest(name: str, options: Iterable[str]) -> str | None:
    """The option `name` is a near miss of, if any."""
    import difflib  # only when there is something to suggest: it costs a few ms to import

    return next((option for option in difflib.get_close_matches(name, list(options), n=3) if _near(name, option)), None)


def _near(typed: str, option: str) -> bool:
    """A near miss: the start of the option, or a slip of one character in a short word, of two
    in a longer one, three past ten characters (so 'cost' never suggests 'context'). Case
    differences do not count."""
    typed, option = typed.lower(), option.lower()
    if len(typed) >= 4 and option.startswith(typed):  # the start of a longer name: 'interagency'
        return True
    allowed = 1 if len(typed) <= 5 else 2 if len(typed) <= 10 else 3
    if abs(len(typed) - len(option)) > allowed:
        return False
    # edit distance with two swapped neighbours counting as one slip ('lsit' for 'list'), row by row
    before: list[int] = []
    previous = list(range(len(option) + 1))
    for i, a in enumerate(typed, 1):
        current = [i]
        for j, b in enumerate(option, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == option[j - 2] and typed[i - 2] == b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1] <= allowed


class BriefkitError(Exception):
    """Base of all user-facing errors; `exit_code` is what the CLI returns."""

    exit_code = 1

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def report(self, lines: LineReader | None = None) -> str:
        """The message as printed; `lines` gives the source lines that located problems quote."""
        return f"error: {self}"


class UsageError(BriefkitError):
    """The command line asks for something that does not exist or makes no sense."""

    exit_code = 2


class InputError(BriefkitError):
    """Content, profiles or templates are invalid: all problems found, reported together."""

    def __init__(self, problems: Iterable[Problem]):
        # the same problem found twice (a set loaded for two audiences) is reported once
        ordered = sorted(dict.fromkeys(problems), key=lambda p: (p.location.file, p.location.line, p.location.column))
        super().__init__(ordered)

    @property
    def problems(self) -> list[Problem]:
        return list(self.args[0])

    def __str__(self) -> str:
        return self.report().removeprefix("error: ")

    def report(self, lines: LineReader | None = None) -> str:
        count = len(self.problems)
        head = f"error: {count} problem{'s' if count != 1 else ''} in the input"
        out = [head]
        for problem in self.problems:
            first, *more = str(problem).split("\n")  # the quoted line goes under the problem's first line
            out.append(f"  {first}")
            line = lines(problem.location) if lines is not None and problem.location.column else None
            if line is not None:
                out += quote(line, problem.location)
            out += more
        return "\n".join(out)


QUOTED = 100  # characters of a long source line shown around the column


def quote(line: str, where: Location) -> list[str]:
    """The source line, and a caret under the column, as compilers show them."""
    text = "".join(" " if c == "\t" else c for c in line.rstrip("\r\n"))
    column = max(1, where.column)
    start = max(0, min(column - 1 - QUOTED // 2, len(text) - QUOTED))
    shown = ("…" if start else "") + text[start:start + QUOTED] + ("…" if start + QUOTED < len(text) else "")
    before = ("…" if start else "") + text[start:column - 1]
    offset = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)  # wide characters
    number = str(where.line)
    return [f"    {number} | {shown}", f"    {' ' * len(number)} | {' ' * offset}^"]


class TemplateProblem(BriefkitError):
    """A template failed to compile or render, or made markup that cannot be laid out; the
    message names the template and line."""


class LayoutError(BriefkitError):
    """A document does not fit its page limit even at the smallest readable type size."""


class CheckFailed(BriefkitError):
    """A built PDF failed one of its checks; nothing was written."""

    @classmethod
    def raise_if_any(cls, failures: list[str], most: int | None = None) -> None:
        """Raise listing the failures (the first `most` of them), if there are any."""
        if failures:
            listed = failures if most is None else failures[:most]
            raise cls("checks failed; nothing was written:\n" + "\n".join(f"  {f}" for f in listed))


class OutputError(BriefkitError):
    """The output folder cannot be written (not a folder, no permission, disk full)."""


class FontMissing(BriefkitError):
    """A language's fonts are not installed; `install` says how to get them."""

    def __init__(self, message: str, install: str):
        super().__init__(message, install)

    @property
    def install(self) -> str:
        return str(self.args[1])
