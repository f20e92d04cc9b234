"""The Jinja environment: sandboxed, strict, autoescaped, loading overrides before the defaults.

Lookup order is the audience's override folders (templates/audiences/<name>/, the project's then
the shipped ones, for the profile and each profile it extends), then the project's templates/,
then the shipped templates. An override extends the template it replaces through a prefix:
`default/` skips the audience folders ({% extends "default/brief.xml.j2" %} in an audience
override), `briefkit/` names the shipped template itself (for a project's own templates/brief.xml.j2).

A template is a program, so it is bounded like one: it is read only from the template folders (a
regular UTF-8 file, no link leading elsewhere), it renders within RENDER_SECONDS and makes at
most OUTPUT_CHARACTERS of markup, and `*` and `**` refuse results of absurd size. Whatever goes
wrong while it runs is an error naming the template file and line.
"""
from __future__ import annotations

import functools
import os
import posixpath
import re
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from ..errors import BriefkitError, TemplateProblem
from ..inputs.files import TEMPLATE_BYTES, Unreadable, read_input
from ..inputs.periods import SIZES, count_periods
from ..inputs.schema import EventDate
from ..locales import Dates


class _SharedCompiled(jinja2.BytecodeCache):
    """Compiled templates, shared by every environment of this process. Each audience has its own
    environment (its own override folders), but most names resolve to the same files, which Jinja
    would otherwise compile once per audience. Entries are keyed by name, file and a hash of the
    source, so an edited or overriding file is compiled afresh; nothing is written to disk."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], Any] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        bucket.code = self._code.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.code


_COMPILED = _SharedCompiled()


RENDER_SECONDS = 30.0            # the shipped templates take well under a second
OUTPUT_CHARACTERS = 20_000_000   # the register of a 5,000-recipient meeting is about 1.5 million
LARGEST_VALUE = 1_000_000        # items of a string or list made by `*`; digits of a number made by `**`


class Environment(SandboxedEnvironment):
    """A sandboxed Jinja environment that knows how to name its template files to the user."""

    shown: Callable[[str | Path], str] = str
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """`'x' * 300000000` or `10 ** 10 ** 10` would take the memory or the time of the
        machine: refused before they are computed."""
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > LARGEST_VALUE:
                    raise jinja2.exceptions.SecurityError(
                        f"'*' would make a value of {len(sequence) * count:,} items (at most {LARGEST_VALUE:,})")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 \
                and right > 0 and right * abs(left).bit_length() > LARGEST_VALUE * 3.33:
            raise jinja2.exceptions.SecurityError(f"'**' would make a number of more than {LARGEST_VALUE:,} digits")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """A method called with a huge number (`'x'.ljust(10 ** 9)`) would take the memory."""
        _refuse_huge(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _refuse_huge(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for given in (*args, *kwargs.values()):
        if isinstance(given, int) and not isinstance(given, bool) and abs(given) > LARGEST_VALUE:
            raise jinja2.exceptions.SecurityError(f"a call with the number {given:,} (at most {LARGEST_VALUE:,})")


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter refusing huge numbers too (`'x' | center(10 ** 9)`); Jinja's markers of what the
    filter is passed (context, environment) are kept by functools.wraps."""
    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _refuse_huge(args, kwargs)
        return function(*args, **kwargs)
    return bounded


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading through read_input: a FIFO, a device, a link leading out of
    the template folders, a file too large or not UTF-8 is an error naming the file."""

    def __init__(self, searchpath: list[str], shown: Callable[[str | Path], str]) -> None:
        super().__init__(searchpath)
        self.shown = shown

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.lexists(filename) and not os.path.isdir(filename):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        try:
            raw = read_input(Path(filename), self.searchpath, TEMPLATE_BYTES, "a template")
            source = raw.decode("utf-8")
        except Unreadable as exc:
            raise TemplateProblem(f"{self.shown(filename)}: {exc}") from None
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise TemplateProblem(f"{self.shown(filename)}:{line}:{column}: is not valid UTF-8 (byte "
                                  f"0x{raw[exc.start]:02x}): save the template as UTF-8") from None
        mtime = os.path.getmtime(filename)
        return source, os.path.normpath(filename), lambda: _unchanged(filename, mtime)


def _unchanged(filename: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(filename) == mtime
    except OSError:
        return False


def make_environment(roots: list[Path], override_folders: list[str], dates: Dates | None = None,
                     shown: Callable[[str | Path], str] = str) -> Environment:
    """`roots`: the project's templates/ (when it has one), then the shipped templates, last."""
    general = [str(root) for root in roots]
    prefixed = jinja2.PrefixLoader({"default": _Loader(general, shown),
                                    "briefkit": _Loader(general[-1:], shown)}, delimiter="/")
    chain = jinja2.ChoiceLoader([_Loader([*override_folders, *general], shown), prefixed])
    env = Environment(
        loader=chain,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.shown = shown
    env.globals.pop("lipsum", None)  # filler text has no place in a briefing, and lipsum(10 ** 6) is slow
    env.filters = {name: _bounded_filter(function) for name, function in env.filters.items()}
    env.filters["locators"] = lambda refs: ", ".join(refs)
    env.filters["stop"] = full_stop
    if dates is not None:
        env.filters["longdate"] = dates.long
        env.filters["sourcedate"] = lambda raw: source_date(raw, dates)
        env.filters["per_period"] = lambda events, bucket="auto": per_period(events, dates, bucket)
        env.filters["per_decade"] = lambda events: per_decade(events, dates)
    return env


_ENDS_SENTENCE = re.compile(r"[.!?…。:;][\"'”’»)\]]*$")


def full_stop(text: str) -> str:
    """A run-in lead or title closed by a full stop, unless its author already ended it with
    one (or with ?, !, …), so a lead written "Barter fails." does not print two stops."""
    return text if _ENDS_SENTENCE.search(text.rstrip()) else f"{text}."


def source_date(raw: str, dates: Dates) -> str:
    """A source's publication date in the document's language ("15 March 2019") when it is
    written like an event date ("2019-03-15", "2019-03", "2019"); any other wording as given."""
    try:
        date = EventDate.parse(raw.strip())
    except ValueError:
        return raw
    return dates.event(date.precision, date.start, date.end)


def per_period(events: list[dict], dates: Dates, bucket: str = "auto") -> list[dict]:
    """Occurrences of the events per period, every period from the first to the last: each with
    its label, its value, how many of them are uncertain (a date the source hedges or the record
    disputes: counted apart), and label and value as text (for alternative text). The period is
    `bucket` (year, five-years, decade…), or with `auto` one that suits the spread of the dates."""
    if bucket not in ("auto", *SIZES):
        raise ValueError(f"per_period: no period '{bucket}' (auto, {', '.join(SIZES)})")
    periods = count_periods(((event["date"]["start"].year, event.get("occurrences", 1)) for event in events), bucket)
    uncertain: dict[int, int] = {}
    for event in events:
        if event.get("certainty", "firm") != "firm" and periods:
            year, size = event["date"]["start"].year, periods[0].size
            uncertain[year // size * size] = uncertain.get(year // size * size, 0) + event.get("occurrences", 1)
    bars = [{"label": dates.period(p.start, p.size), "value": p.count, "uncertain": uncertain.get(p.start, 0)}
            for p in periods]
    return [{**bar, "text": f"{bar['label']}: {bar['value']}"} for bar in bars]


def per_decade(events: list[dict], dates: Dates) -> list[dict]:
    """Occurrences per decade of the events' start dates, every decade from the first to the last."""
    return [{"label": bar["label"], "value": bar["value"]} for bar in per_period(events, dates, "decade")]


class _TooLong(Exception):
    """The render ran past RENDER_SECONDS (raised inside the template's code, so its frame is there)."""


def render_template(env: Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; errors name the template file and line."""
    shown = name
    try:
        template = env.get_template(name)
        shown = env.shown(template.filename or name)
        with _time_limit():
            return _bounded(template.generate(**context), time.monotonic() + RENDER_SECONDS)
    except BriefkitError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        where = f"{env.shown(exc.filename or exc.name or name)}:{exc.lineno}"
        raise TemplateProblem(f"{where}: template syntax: {exc.message}\n    {(exc.source or '').splitlines()[exc.lineno - 1].strip() if exc.source else ''}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"template {exc.name} not found in templates/ (needed for {name})") from None
    except Exception as exc:  # noqa: BLE001 - a template is a program: whatever it raises is its error
        raise TemplateProblem(f"{_template_frame(exc, shown, env.shown)}: {_describe(exc)}{_template_line(exc)}") from None


def _bounded(pieces: Iterator[str], deadline: float) -> str:
    """The rendered text, stopped when it grows past OUTPUT_CHARACTERS or runs past the deadline
    (checked at each piece; loops that print nothing are stopped by _time_limit)."""
    out: list[str] = []
    size = 0
    for piece in pieces:
        out.append(piece)
        size += len(piece)
        if size > OUTPUT_CHARACTERS:
            raise _Oversized(f"the template made more than {OUTPUT_CHARACTERS:,} characters of markup; "
                             "a loop runs too long or repeats too much")
        if time.monotonic() > deadline:
            raise _TooLong()
    return "".join(out)


class _Oversized(Exception):
    pass


@contextmanager
def _time_limit() -> Iterator[None]:
    """Interrupt the render after RENDER_SECONDS, even inside a loop that prints nothing: with a
    timer signal, available in the main thread of a process (workers render in theirs)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise _TooLong()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _describe(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "templates include or extend each other without end"
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message}: check the name against docs/content-schema.md (content) or `briefkit explain AUDIENCE` (profile)"
    if isinstance(exc, _TooLong):
        return (f"the template ran for more than {RENDER_SECONDS:g} s and was stopped; "
                "a loop runs too long (over a range, or nested)")
    if isinstance(exc, (_Oversized, jinja2.exceptions.SecurityError, TypeError, ValueError)):
        return str(exc)
    return f"{exc} ({type(exc).__name__})" if str(exc) else type(exc).__name__


def _template_frame(exc: Exception, fallback: str, shown: Callable[[str | Path], str]) -> str:
    """The innermost template file and line in the traceback (Jinja maps frames to templates)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{shown(frame.filename)}:{frame.lineno}"
    return fallback


def _template_line(exc: Exception) -> str:
    """The innermost template line the error happened on, to show under the message."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") and frame.line:
            text = " ".join(frame.line.split())
            return f"\n    {text[:117] + '…' if len(text) > 120 else text}"
    return ""


def template_source(env: jinja2.Environment, name: str) -> tuple[str, str] | None:
    """A template's source and file, as the environment resolves its name; None if none exists."""
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return None
    return source, filename or name


def template_files(env: jinja2.Environment, name: str) -> list[str]:
    """Every template file `name` uses: itself and what it extends, includes or imports, by path."""
    files: list[str] = []
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        found = template_source(env, current)
        if found is None:
            continue
        source, filename = found
        files.append(filename)
        pending += _referenced(env, filename, source)
    return files


_references: dict[tuple[str, str], list[str]] = {}  # (file, source) → template names it refers to


def _referenced(env: jinja2.Environment, filename: str, source: str) -> list[str]:
    """The template names a source extends, includes or imports (parsed once per process)."""
    from jinja2 import nodes

    key = (filename, source)
    if key not in _references:
        names: list[str] = []
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            tree = None
        found: list[nodes.Extends | nodes.Include | nodes.Import | nodes.FromImport] = \
            list(tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport))) if tree else []
        for node in found:
            target = node.template
            if isinstance(target, nodes.Const) and isinstance(target.value, str):
                names.append(target.value)
            elif isinstance(target, (nodes.List, nodes.Tuple)):
                names += [item.value for item in target.items if isinstance(item, nodes.Const)]
        _references[key] = names
    return _references[key]
