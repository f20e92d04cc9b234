"""The Jinja environment: sandboxed, strict, autoescaped, loading overrides before the defaults.

Lookup order is the audience's override folders (templates/audiences/<name>/, the project's then
the shipped ones, for the profile and each profile it extends), then the project's templates/,
then the shipped templates. An override extends the template it replaces through a prefix:
`default/` skips the audience folders ({% extends "default/brief.xml.j2" %} in an audience
override), `briefkit/` names the shipped template itself (for a project's own templates/brief.xml.j2).
"""
from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateProblem
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


class Environment(SandboxedEnvironment):
    """A sandboxed Jinja environment that knows how to name its template files to the user."""

    shown: Callable[[str | Path], str] = str


def make_environment(roots: list[Path], override_folders: list[str], dates: Dates | None = None,
                     shown: Callable[[str | Path], str] = str) -> Environment:
    """`roots`: the project's templates/ (when it has one), then the shipped templates, last."""
    general = [str(root) for root in roots]
    prefixed = jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(general),
                                    "briefkit": jinja2.FileSystemLoader(general[-1])}, delimiter="/")
    chain = jinja2.ChoiceLoader([jinja2.FileSystemLoader([*override_folders, *general]), prefixed])
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


def render_template(env: Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; errors name the template file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{env.shown(exc.filename or exc.name or name)}:{exc.lineno}"
        raise TemplateProblem(f"{where}: template syntax: {exc.message}\n    {(exc.source or '').splitlines()[exc.lineno - 1].strip() if exc.source else ''}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"template {exc.name} not found in templates/ (needed for {name})") from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError, ValueError, RecursionError) as exc:
        raise TemplateProblem(f"{_template_frame(exc, name, env.shown)}: {_describe(exc)}") from None


def _describe(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "templates include or extend each other without end"
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message}: check the name against docs/content-schema.md (content) or --explain (audience)"
    return str(exc)


def _template_frame(exc: Exception, fallback: str, shown: Callable[[str | Path], str]) -> str:
    """The innermost template file and line in the traceback (Jinja maps frames to templates)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{shown(frame.filename)}:{frame.lineno}"
    return fallback


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
