"""Locators and quotations checked against a source text, and which of its paragraphs a set cites.

A locator pN names the Nth non-empty line of the source after stripping white space; the source
has one paragraph per line, headings included.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from ..errors import Problem
from .model import CONTENT_FILES, ContentSet
from .schema import Refs, Text
from .sourcetext import CLOSE, SourceText


def all_refs(content: ContentSet) -> Iterator[tuple[str, str, Refs]]:
    """(file, key path, refs) for every locator list in the set."""
    for file, path, value in all_values(content, (Refs,)):
        yield file, path, value


def all_values(content: ContentSet, kinds: tuple[type, ...]) -> Iterator[tuple[str, str, Any]]:
    """(file, key path, value) for every value of the set that is one of `kinds`."""
    for stem in CONTENT_FILES:
        yield from _walk(getattr(content, stem), f"{content.folder}/{stem}.yaml", "", kinds)


def _walk(value: Any, file: str, path: str, kinds: tuple[type, ...]) -> Iterator[tuple[str, str, Any]]:
    if isinstance(value, kinds):
        yield file, path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if not f.metadata.get("internal"):
                yield from _walk(getattr(value, f.name), file, f"{path}.{f.name}" if path else f.name, kinds)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, file, f"{path}[{index}]", kinds)


def verify(content: ContentSet, source: SourceText) -> list[Problem]:
    """Every locator exists in the source and every quotation appears verbatim where it says
    (typography aside: see sourcetext.py)."""
    problems = []
    count = len(source)
    for _, path, refs in all_refs(content):
        for number in refs.paragraphs:
            if number > count:
                problems.append(Problem(refs.location, path,
                                        f"p{number} does not exist: {source.name} has {count} paragraphs"))
    for index, quote in enumerate(content.quotes.quotes):
        if any(source.contains(n, quote.text) for n in quote.refs.paragraphs):
            continue
        elsewhere = [f"p{match.paragraph}" for match in source.find(quote.text)]
        if elsewhere:
            detail = f"the words are in {', '.join(elsewhere)}, not in {quote.refs}: fix the locator"
            where = quote.refs.location
        else:
            detail = _not_found(quote.text, str(quote.refs), [n for n in quote.refs.paragraphs if n <= count], source)
            where = content.located(f"quotes[{index}].text", quote.where)
        problems.append(Problem(where, f"quotes[{index}] ({quote.id})", detail))
    return problems + quotation_problems(content, source)


# Words in quotation marks: double quotes anywhere, single ones only where they open after a space
# or bracket and close before one (so that apostrophes, as in "Xi's", are not taken for quotes).
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)[\"\u201d]"
                     r"|(?:^|(?<=[\s(\[\u2014\u2013/]))['\u2018]([^'\u2018\u2019]+)['\u2019](?=$|[\s.,;:!?)\]\u2014\u2013])")
_TRAILING = ".,;:!?"


def quoted(text: str) -> Iterator[str]:
    """The words a text puts in quotation marks."""
    for match in _QUOTED.finditer(text):
        yield (match[1] or match[2]).strip()


def quotation_problems(content: ContentSet, source: SourceText) -> list[Problem]:
    """Quotation marks mean verbatim: words the set's texts (in the source's language) put in
    quotation marks must be in the source, unless glossary.yaml `quoted_terms` lists them as a
    term or our translation. Texts in other languages are translations and are not checked."""
    language = content.source.language
    terms = {term.casefold() for term in content.glossary.quoted_terms}
    problems = []
    for _, path, text in all_values(content, (Text,)):
        for words in quoted(text.in_language(language) or ""):
            bare = words.rstrip(_TRAILING)
            if not bare or bare.casefold() in terms or source.find(words) or source.find(bare):
                continue
            number, start, likeness = source.closest(bare)
            closest = f":\n{source.mismatch(bare, number, start)}" if likeness >= max(CLOSE, 0.6) else ""
            problems.append(Problem(text.located(language, path)[0], f"{path}.{language}",
                                    f"\u201c{bare}\u201d is in quotation marks but not in {source.name}: quote the "
                                    "source's words exactly, or, if it is a term or our translation, list it in "
                                    f"glossary.yaml quoted_terms{closest}"))
    return problems


def _not_found(words: str, refs: str, cited: list[int], source: SourceText) -> str:
    """Not there: the words above the closest passage of the paragraphs cited, or of the whole
    source when nothing cited comes close."""
    detail = f"not found verbatim in {refs}"
    number, start, likeness = source.closest(words, cited) if cited else (0, 0, 0.0)
    if likeness < 0.6:
        anywhere = source.closest(words)
        if anywhere[2] >= max(0.6, likeness + 0.1):
            number, start, likeness = anywhere
            detail += f"; the closest passage is in p{number}"
    if not number or likeness < CLOSE:
        return detail + f" (nothing like it there: `briefkit locate` finds a phrase in {source.name})"
    return f"{detail}:\n{source.mismatch(words, number, start)}"


def uncited(content: ContentSet, source: SourceText) -> list[int]:
    """The body paragraphs no item of the set cites."""
    cited = {n for _, _, refs in all_refs(content) for n in refs.paragraphs}
    return [n for n in range(1, len(source) + 1) if n not in cited and source.is_body(n)]


def coverage_report(content: ContentSet, source: SourceText) -> str:
    missing = uncited(content, source)
    body = sum(1 for n in range(1, len(source) + 1) if source.is_body(n))
    lines = [f"coverage of {content.folder}/: {body - len(missing)} of {body} body paragraphs of {source.name} "
             f"are cited ({len(source) - body} headings and short lines not counted)"]
    for number in missing:
        preview = source.shown[number - 1]
        lines.append(f"  p{number} not cited: {preview[:70]}{'…' if len(preview) > 70 else ''}")
    return "\n".join(lines)
