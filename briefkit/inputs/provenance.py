"""Locators and quotations checked against a source text.

A locator pN names the Nth non-empty line of the source after stripping white space; the source
has one paragraph per line, headings included.
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from .model import CONTENT_FILES, ContentSet
from .schema import Refs


def read_paragraphs(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--source-text {path}: cannot be read as UTF-8 text ({exc})") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def all_refs(content: ContentSet) -> Iterator[tuple[str, str, Refs]]:
    """(file, key path, refs) for every locator list in the set."""
    for stem in CONTENT_FILES:
        yield from _walk(getattr(content, stem), f"{content.folder}/{stem}.yaml", "")


def _walk(value: Any, file: str, path: str) -> Iterator[tuple[str, str, Refs]]:
    if isinstance(value, Refs):
        yield file, path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if not f.metadata.get("internal"):
                yield from _walk(getattr(value, f.name), file, f"{path}.{f.name}" if path else f.name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, file, f"{path}[{index}]")


def verify(content: ContentSet, paragraphs: list[str], source_name: str) -> list[Problem]:
    """Every locator exists in the source and every quotation appears verbatim where it says."""
    problems = []
    for _, path, refs in all_refs(content):
        for number in refs.paragraphs:
            if number > len(paragraphs):
                problems.append(Problem(refs.location, path,
                                        f"p{number} does not exist: {source_name} has {len(paragraphs)} paragraphs"))
    for index, quote in enumerate(content.quotes.quotes):
        cited = [n for n in quote.refs.paragraphs if n <= len(paragraphs)]
        if any(quote.text in paragraphs[n - 1] for n in cited):
            continue
        elsewhere = [f"p{n + 1}" for n, text in enumerate(paragraphs) if quote.text in text]
        if elsewhere:
            detail = f"the words are in {', '.join(elsewhere)}, not in {quote.refs}: fix the locator"
        else:
            near = _closest(quote.text, [paragraphs[n - 1] for n in cited])
            detail = f"not found verbatim in {quote.refs}" + (f"; the source reads: \u201c{near}\u201d" if near else "")
        problems.append(Problem(quote.where, f"quotes[{index}] ({quote.id})", detail))
    return problems


def _closest(quote: str, texts: list[str]) -> str:
    """The run of source words that best matches a misquoted passage."""
    size = len(quote.split())
    windows = []
    for text in texts:
        words = text.split()
        windows += [" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))]
    match = difflib.get_close_matches(quote, windows, n=1, cutoff=0.5)
    return match[0] if match else ""


def uncited(content_sets: list[ContentSet], paragraphs: list[str]) -> list[int]:
    cited = {n for content in content_sets for _, _, refs in all_refs(content) for n in refs.paragraphs}
    return [n for n in range(1, len(paragraphs) + 1) if n not in cited]


def coverage_report(content_sets: list[ContentSet], paragraphs: list[str]) -> str:
    missing = uncited(content_sets, paragraphs)
    lines = [f"coverage: {len(paragraphs) - len(missing)} of {len(paragraphs)} source paragraphs are cited"]
    for number in missing:
        preview = paragraphs[number - 1]
        lines.append(f"  p{number} not cited: {preview[:70]}{'…' if len(preview) > 70 else ''}")
    return "\n".join(lines)
