"""Turn typed records into plain, single-language data for templates.

Templates never see a Text object: every text is resolved to the document's language first, and
every text that lacks that language is reported with its location, all at once, instead of a
silent fallback to another language inside the document.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import InputError, Location, Problem
from ..inputs.schema import EventDate, Refs, Text
from ..locales import Dates


Printable = Callable[[str], list[str]]  # text → the characters no font of the document can draw


@dataclass
class _Walk:
    language: str
    fallback: str | None
    printable: Printable | None
    dates: Dates | None
    problems: list[Problem]
    fell_back: list[str]


def localize(roots: dict[str, Any], language: str, fallback: str | None = None,
             printable: Printable | None = None, dates: Dates | None = None,
             fell_back: list[str] | None = None) -> dict[str, Any]:
    """Resolve every Text under each root to `language` (or `fallback`, when a profile allows it).

    Each root is one file's record, so key paths in errors read as they do in that file. With
    `printable`, every string is also checked against the fonts: a character they lack is a
    located error, never a silently missing glyph. `dates` writes event dates in the language.
    `fell_back` collects the key paths printed in the fallback language.
    """
    walk = _Walk(language, fallback, printable, dates, [], fell_back if fell_back is not None else [])
    result = {name: _walk(value, walk, "", Location("")) for name, value in roots.items()}
    if walk.problems:
        raise InputError(walk.problems)
    return result


def check_labels(labels: dict[str, str], printable: Printable) -> None:
    """Labels print on the page like content: a character the fonts lack is a located error.
    `labels` may carry where each was set (inputs/labels.py's Labels)."""
    walk = _Walk("", None, printable, None, [], [])
    where: dict[str, Location] = getattr(labels, "where", {})
    for key, text in labels.items():
        _check(text, walk, where.get(key, Location("templates/labels")), key)
    if walk.problems:
        raise InputError(walk.problems)


def _check(text: str, walk: _Walk, where: Location, path: str) -> str:
    missing = walk.printable(text) if walk.printable else []
    if missing:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing)
        walk.problems.append(Problem(where, path, f"{'the character' if len(missing) == 1 else 'the characters'} "
                                                  f"{listed} {'is' if len(missing) == 1 else 'are'} in none of the "
                                                  "document's fonts: replace or remove "
                                                  f"{'it' if len(missing) == 1 else 'them'}"))
    return text


def _walk(value: Any, walk: _Walk, path: str, where: Location) -> Any:
    if isinstance(value, Text):
        language = walk.language
        text = value.in_language(language)
        if text is None and walk.fallback:
            text = value.in_language(walk.fallback)
            if text is not None:
                walk.fell_back.append(path)
                language = walk.fallback
        if text is None:
            walk.problems.append(Problem(value.location, path,
                                         f"no '{walk.language}' text: add a {walk.language} translation"))
            return ""
        return _check(text, walk, *value.located(language, path))
    if isinstance(value, str):
        return _check(value, walk, where, path)
    if isinstance(value, Refs):
        return [f"p{n}" for n in value.paragraphs]
    if isinstance(value, EventDate):
        text = walk.dates.event(value.precision, value.start, value.end) if walk.dates else value.raw
        return {"raw": value.raw, "precision": value.precision, "start": value.start, "end": value.end, "text": text}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        where = getattr(value, "where", where)
        return {f.name: _walk(getattr(value, f.name), walk, _join(path, f.name), where)
                for f in dataclasses.fields(value) if not f.metadata.get("internal")}
    if isinstance(value, (list, tuple)):
        return [_walk(item, walk, f"{path}[{i}]", where) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {k: _walk(v, walk, _join(path, k), where) for k, v in value.items()}
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
