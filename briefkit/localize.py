"""Turn typed records into plain, single-language data for templates.

Templates never see a Text object: every text is resolved to the document's language first, and
every text that lacks that language is reported with its location, all at once, instead of a
silent fallback to another language inside the document.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from .errors import InputError, Problem
from .schema import EventDate, Refs, Text


def localize(roots: dict[str, Any], language: str, fallback: str | None = None) -> dict[str, Any]:
    """Resolve every Text under each root to `language` (or `fallback`, when a profile allows it).

    Each root is one file's record, so key paths in errors read as they do in that file.
    """
    problems: list[Problem] = []
    result = {name: _walk(value, language, fallback, problems, "") for name, value in roots.items()}
    if problems:
        raise InputError(problems)
    return result


def _walk(value: Any, language: str, fallback: str | None, problems: list[Problem], path: str) -> Any:
    if isinstance(value, Text):
        text = value.in_language(language) or (fallback and value.in_language(fallback))
        if text is None:
            problems.append(Problem(value.location, path, f"no '{language}' text: add a {language} translation"))
            return ""
        return text
    if isinstance(value, Refs):
        return [f"p{n}" for n in value.paragraphs]
    if isinstance(value, EventDate):
        return {"raw": value.raw, "precision": value.precision, "start": value.start, "end": value.end,
                "text": value.display()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _walk(getattr(value, f.name), language, fallback, problems, _join(path, f.name))
                for f in dataclasses.fields(value) if not f.metadata.get("internal")}
    if isinstance(value, (list, tuple)):
        return [_walk(item, language, fallback, problems, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {k: _walk(v, language, fallback, problems, _join(path, k)) for k, v in value.items()}
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
