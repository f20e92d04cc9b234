"""Checks every built PDF with two readers independent of ReportLab: pypdf for its structure
(pages, paper, metadata, the structure tree) and PDFium for what its pages show (text, and the
fonts it is drawn in). Each reads the file once, and every check shares its reading.

Besides pages, paper, fonts, metadata and text, every PDF is checked as a tagged PDF: it declares
itself tagged (structure tree, /MarkInfo, /StructParents, PDF/UA in its XMP); everything painted
on its pages is inside marked content, tagged or artifact, and every tagged piece belongs to an
element; its structure reads the words of its markup in markup order; every Figure has
alternative text; and headings step down one level at a time.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from collections.abc import Iterator
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject

from .paper import PageSetup
from .structure import HEADINGS
from .tagged_reading import Element, PageReading, StructureReading, read_pages, read_structure

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
    spoken: tuple[str, ...] = ()     # the markup's text in reading order (markup.spoken)


def check_pdf(pdf: bytes, expected: Expectation | None, spoken: tuple[str, ...] | None = None,
              tagged: bool = True) -> list[Check]:
    """The checks every PDF gets; with an expectation, also its pages, paper, headings and texts.
    Tagged PDFs (all but print-only sheets) get the tagged checks, with the reading order compared
    to the expectation's words or to `spoken`."""
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=True)
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        return [Check("readable", False, f"pypdf cannot read it: {exc}")]
    readings = read_pages(pdf)
    structure = read_structure(reader, readings) if tagged else None
    words_read = (expected.spoken if expected is not None else spoken) or None  # none given: order not compared
    checks = tagged_checks(readings, structure, words_read) if structure is not None else []
    if expected is None:
        return [_fonts_embedded(readings), _metadata(reader), *checks]
    texts = [reading.text for reading in readings]
    return [
        _page_count(len(pages), expected),
        _paper(pages, expected.setup),
        _fonts_embedded(readings),
        _metadata(reader),
        _text_present(texts),
        _headings(texts, expected.headings),
        *([_required(texts, expected)] if expected.required else []),
        *([_on_every_page("marking", texts, expected.marking)] if expected.marking else []),
        *([_on_every_page("watermark", texts, expected.watermark)] if expected.watermark else []),
        *checks,
    ]


def tagged_checks(readings: list[PageReading], structure: StructureReading,
                  spoken: tuple[str, ...] | None) -> list[Check]:
    """The checks of a tagged PDF; with `spoken`, also that its structure reads those words."""
    checks = [Check("tagged", not structure.missing, "structure tree, /MarkInfo, /StructParents and PDF/UA XMP"
                    if not structure.missing else "missing: " + "; ".join(structure.missing)),
              _marked_content(readings, structure), _figures_have_alt(structure), _heading_levels(structure)]
    if spoken is not None:
        checks.append(_reading_order(structure, spoken))
    return checks


def _marked_content(readings: list[PageReading], structure: StructureReading) -> Check:
    problems = [f"page {number}: painted outside marked content ({', '.join(sorted(set(reading.unmarked)))})"
                for number, reading in enumerate(readings, start=1) if reading.unmarked]
    orphans = sorted((page + 1, mcid) for page, reading in enumerate(readings) for mcid in reading.ids
                     if (page, mcid) not in structure.referenced)
    if orphans:
        problems.append(f"{len(orphans)} tagged piece(s) belong to no element, first on page {orphans[0][0]}")
    problems += structure.problems[:3]
    count = sum(len(reading.ids) for reading in readings)
    return Check("marked-content", not problems, "; ".join(problems[:4]) if problems else
                 f"every mark is tagged or an artifact; {count} tagged pieces, each in an element")


def _figures_have_alt(structure: StructureReading) -> Check:
    figures = [element for _, element in structure.root.walk() if element.role == "Figure"]
    bare = sum(1 for figure in figures if not figure.alt.strip())
    return Check("figure-alt", not bare, f"{len(figures)} figure(s), each with alternative text" if not bare
                 else f"{bare} of {len(figures)} figure(s) without alternative text")


def _heading_levels(structure: StructureReading) -> Check:
    levels = [int(element.role[1]) for _, element in structure.root.walk() if element.role in HEADINGS]
    jumps = [(before, after) for before, after in zip([0, *levels], levels) if after > before + 1]
    if jumps:
        before, after = jumps[0]
        return Check("heading-levels", False, f"H{after} follows {f'H{before}' if before else 'the start'}: "
                     "a heading level is skipped")
    return Check("heading-levels", True, f"{len(levels)} headings, none skipping a level")


def spoken_text(pdf: bytes) -> list[str]:
    """What a screen reader reads of a tagged PDF, element by element, in reading order."""
    return list(read_structure(PdfReader(io.BytesIO(pdf)), read_pages(pdf)).root.spoken())


def part_titles(pdf: bytes) -> list[str]:
    """The titles of the Parts directly under the structure's Document (a packet's documents)."""
    reader = PdfReader(io.BytesIO(pdf))
    root = read_structure(reader, []).root
    return [part.title for document in root.kids if isinstance(document, Element)
            for part in document.kids if isinstance(part, Element) and part.role == "Part"]


def words(texts: list[str] | tuple[str, ...]) -> list[str]:
    """Texts as the words they hold: what a listener hears, whatever the punctuation."""
    return re.findall(r"\w+", " ".join(texts).replace("\u00ad", "").casefold())


def _reading_order(structure: StructureReading, spoken: tuple[str, ...]) -> Check:
    """The letters the structure reads, in order, against the markup's: word breaks are not
    compared (readers disagree on them at the ends of lines and where fonts change), the order
    of every letter is."""
    heard, wanted = "".join(words(list(structure.root.spoken()))), "".join(words(spoken))
    if heard == wanted:
        return Check("reading-order", True, f"the structure reads the markup's {len(words(spoken))} words in order")
    at = next((i for i, (a, b) in enumerate(zip(heard, wanted)) if a != b), min(len(heard), len(wanted)))
    return Check("reading-order", False, f"the structure departs from the markup at letter {at + 1}: it reads "
                 f"\u201c{heard[max(at - 12, 0):at + 28]}\u201d where the markup has "
                 f"\u201c{wanted[max(at - 12, 0):at + 28]}\u201d")


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


def _fonts_embedded(readings: list[PageReading]) -> Check:
    names = {name for reading in readings for name in reading.fonts}
    missing = {name for reading in readings for name, embedded in reading.fonts.items() if not embedded}
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
    """Text as compared: white space left out, for a word too long for its line is split by the
    layout (and reads back as two), and a line break may fall after a hyphen."""
    return "".join(text.replace("\u00ad", "").split()).casefold()


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
