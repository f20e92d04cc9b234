"""Checks every built PDF with pypdf, an independent reader of what ReportLab wrote."""
from __future__ import annotations

import io
from dataclasses import dataclass
from collections.abc import Iterator
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject

from .paper import PageSetup

REQUIRED_METADATA = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def as_json(self) -> dict:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class Expectation:
    """What a document must be: its page range, paper and the headings its markup declared."""

    min_pages: int
    max_pages: int
    setup: PageSetup
    headings: tuple[str, ...]
    required: tuple[str, ...] = ()   # content texts that must be printed (event titles, terms)
    required_what: str = ""
    marking: str = ""                # printed on every page when set
    watermark: str = ""              # across every page when set (DRAFT on a draft set's documents)


def check_pdf(pdf: bytes, expected: Expectation | None) -> list[Check]:
    """The checks every PDF gets; with an expectation, also its pages, paper, headings and texts."""
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=True)
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        return [Check("readable", False, f"pypdf cannot read it: {exc}")]
    if expected is None:
        return [_fonts_embedded(pages), _metadata(reader)]
    texts = [page.extract_text() or "" for page in pages]
    return [
        _page_count(len(pages), expected),
        _paper(pages, expected.setup),
        _fonts_embedded(pages),
        _metadata(reader),
        _text_present(texts),
        _headings(texts, expected.headings),
        *([_required(texts, expected)] if expected.required else []),
        *([_on_every_page("marking", texts, expected.marking)] if expected.marking else []),
        *([_on_every_page("watermark", texts, expected.watermark)] if expected.watermark else []),
    ]


def _page_count(count: int, expected: Expectation) -> Check:
    low, high = expected.min_pages, expected.max_pages
    allowed = f"exactly {low}" if low == high else f"{low} to {high}"
    return Check("page-count", low <= count <= high, f"{count} page(s), {allowed} allowed")


def _paper(pages: list[PageObject], setup: PageSetup) -> Check:
    want = setup.size
    wrong = [i + 1 for i, page in enumerate(pages)
             if abs(float(page.mediabox.width) - want[0]) > 0.5 or abs(float(page.mediabox.height) - want[1]) > 0.5]
    detail = f"{setup.paper} {setup.orientation} ({want[0]:.0f}x{want[1]:.0f} pt)"
    return Check("paper", not wrong, detail if not wrong else f"pages {wrong} are not {detail}")


def dictionary(value: Any) -> DictionaryObject:
    """A PDF value as a dictionary, following a reference; an empty one when it is not one."""
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def page_fonts(pages: list[PageObject]) -> Iterator[DictionaryObject]:
    """Every font dictionary the pages use, including those inside form XObjects, each once."""
    seen: set[int] = set()
    pending: list[Any] = [page.get("/Resources") for page in pages]
    while pending:
        resources = dictionary(pending.pop())
        if id(resources) in seen:
            continue
        seen.add(id(resources))
        for reference in dictionary(resources.get("/Font")).values():
            font = dictionary(reference)
            if id(font) not in seen:
                seen.add(id(font))
                yield font
        for reference in dictionary(resources.get("/XObject")).values():
            xobject = dictionary(reference)
            if xobject.get("/Subtype") == "/Form":
                pending.append(xobject.get("/Resources"))


def _fonts_embedded(pages: list[PageObject]) -> Check:
    names, missing = set(), set()
    for font in page_fonts(pages):
        name = str(font.get("/BaseFont", "?"))
        names.add(name)
        descendants = font.get("/DescendantFonts")
        descendant = dictionary(descendants.get_object()[0]) if descendants is not None else font
        descriptor = dictionary(descendant.get("/FontDescriptor"))
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.add(name)
    if missing:
        return Check("fonts-embedded", False, "not embedded: " + ", ".join(sorted(missing)))
    return Check("fonts-embedded", bool(names), f"{len(names)} fonts, all embedded")


def _metadata(reader: PdfReader) -> Check:
    info: dict[str, Any] = dict(reader.metadata or {})
    absent = [key[1:] for key in REQUIRED_METADATA if str(info.get(key, "")).strip().lower() in ("", "untitled", "anonymous")]
    language = str(dictionary(reader.trailer["/Root"]).get("/Lang", "")).strip()
    if not language:
        absent.append("Lang")
    if absent:
        return Check("metadata", False, "missing: " + ", ".join(absent))
    return Check("metadata", True, f"title \u201c{info.get('/Title')}\u201d, language {language}")


def _text_present(texts: list[str]) -> Check:
    empty = [i + 1 for i, text in enumerate(texts) if not text.strip()]
    return Check("text", not empty, f"{sum(len(t.split()) for t in texts)} words extracted" if not empty
                 else f"no text on pages {empty}")


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split()).casefold()


def _headings(texts: list[str], headings: tuple[str, ...]) -> Check:
    everything = _normal(" ".join(texts))
    absent = [h for h in headings if _normal(h) not in everything]
    if absent:
        return Check("headings", False, "not found in the text: " + "; ".join(absent))
    return Check("headings", bool(headings), f"{len(headings)} headings found")


def _required(texts: list[str], expected: Expectation) -> Check:
    everything = _normal(" ".join(texts))
    absent = [t for t in expected.required if _normal(t) not in everything]
    what = expected.required_what or "required texts"
    if absent:
        return Check("content", False, f"{len(absent)} {what} not found in the text: " + "; ".join(absent[:5]))
    return Check("content", True, f"all {len(expected.required)} {what} found")


def _on_every_page(name: str, texts: list[str], words: str) -> Check:
    missing = [i + 1 for i, text in enumerate(texts) if _normal(words) not in _normal(text)]
    if missing:
        return Check(name, False, f"\u201c{words}\u201d missing on pages {missing}")
    return Check(name, True, f"\u201c{words}\u201d on every page")
