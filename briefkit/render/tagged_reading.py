"""A tagged PDF read back the way a screen reader meets it, by two readers independent of the
writer: PDFium (the reader Chrome uses) for what the pages show, pypdf for the structure.

PDFium reads each page as objects (text, paths, images, forms), each knowing the marked content
it is in: that gives each MCID its text, and anything painted outside every sequence (neither
tagged content nor an artifact); it also gives the page's text, about ten times faster than
pypdf extracts it, and the fonts its text is drawn in (in forms too), each embedded or not,
without parsing their width tables as pypdf would. pypdf then walks the structure tree from its
root, giving the elements in reading order, each with its role, its text (a Figure's /Alt, an
element's /ActualText when it has one) and its alternative text.
"""
from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

OBJECT_KINDS = {1: "text", 2: "path", 3: "image", 4: "shading", 5: "form"}  # PDFium's FPDF_PAGEOBJ_*


@dataclass(slots=True)
class PageReading:
    """One page: its text, the text of each marked-content id, what is painted unmarked."""

    text: str = ""
    marked: dict[int, str] = field(default_factory=dict)
    ids: set[int] = field(default_factory=set)  # every MCID in the content, with text or not
    unmarked: list[str] = field(default_factory=list)  # kinds of the objects painted outside marked content
    fonts: dict[str, bool] = field(default_factory=dict)  # base font name → embedded, for every text drawn


def read_pages(pdf: bytes) -> list[PageReading]:
    """Every page of the PDF, as PDFium reads it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    readings = []
    buffer = _Buffer()
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            reading = PageReading(text=textpage.get_text_range())
            pieces: dict[int, list[str]] = {}
            for number in range(raw.FPDFPage_CountObjects(page)):
                item = raw.FPDFPage_GetObject(page, number)
                kind = raw.FPDFPageObj_GetType(item)
                _note_fonts(raw, item, kind, reading.fonts, buffer)
                if raw.FPDFPageObj_CountMarks(item) == 0:
                    reading.unmarked.append(OBJECT_KINDS.get(kind, "object"))
                    continue
                mcid = raw.FPDFPageObj_GetMarkedContentID(item)
                if mcid < 0:
                    continue  # an artifact
                reading.ids.add(mcid)
                if kind == raw.FPDF_PAGEOBJ_TEXT:
                    pieces.setdefault(mcid, []).append(buffer.text(raw, item, textpage))
            reading.marked = {mcid: "".join(parts) for mcid, parts in pieces.items()}
            readings.append(reading)
            textpage.close()
            page.close()
    finally:
        document.close()
    return readings


def page_text(pdf: bytes, index: int) -> str:
    """One page's text, as PDFium extracts it (artifacts included: a stamp reads as it shows)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        textpage = page.get_textpage()
        text = str(textpage.get_text_range())
        textpage.close()
        page.close()
        return text
    finally:
        document.close()


class _Buffer:
    """One UTF-16 buffer for every text object of a document, grown when a text needs more: PDFium
    looks for an object's characters through its whole page at each call, so one call an object
    (not one for the size and one for the text) halves the cost of reading a page's texts."""

    def __init__(self) -> None:
        self.size = 8192  # bytes
        self.data = (ctypes.c_ushort * (self.size // 2))()

    def _filled(self, call: Callable[[Any, int], int]) -> int:
        """The length PDFium reports for what `call` wrote into the buffer, grown first if it
        had too little room (PDFium then writes nothing)."""
        size = call(self.data, self.size)
        if size > self.size:
            self.size = size
            self.data = (ctypes.c_ushort * ((size + 1) // 2))()
            size = call(self.data, self.size)
        return size

    def text(self, raw: Any, item: Any, textpage: Any) -> str:
        """A text object's text as written: a line ends without a space unless the PDF has one, so
        words run together where a writer left the space out."""
        size = self._filled(lambda data, room: raw.FPDFTextObj_GetText(item, textpage, data, room))
        return ctypes.string_at(self.data, max(size - 2, 0)).decode("utf-16-le", errors="replace")

    def font_name(self, raw: Any, font: Any) -> str:
        size = self._filled(lambda data, room: raw.FPDFFont_GetBaseFontName(font, ctypes.cast(data, ctypes.c_char_p),
                                                                            room))
        return ctypes.string_at(self.data, max(size - 1, 0)).decode("latin-1")


def _note_fonts(raw: Any, item: Any, kind: int, fonts: dict[str, bool], buffer: _Buffer) -> None:
    """Note the font of a text object, or of every text object inside a form, and whether the PDF
    embeds it."""
    if kind == raw.FPDF_PAGEOBJ_TEXT:
        font = raw.FPDFTextObj_GetFont(item)
        name = buffer.font_name(raw, font)
        fonts[name] = fonts.get(name, True) and raw.FPDFFont_GetIsEmbedded(font) == 1
    elif kind == raw.FPDF_PAGEOBJ_FORM:
        for number in range(raw.FPDFFormObj_CountObjects(item)):
            inner = raw.FPDFFormObj_GetObject(item, number)
            _note_fonts(raw, inner, raw.FPDFPageObj_GetType(inner), fonts, buffer)


@dataclass(slots=True)
class Element:
    """A structure element: its role (H1, P, Figure… without the slash), its alternative and
    actual texts, and its kids in order: the text of each of its marked-content sequences, and
    its child elements."""

    role: str
    alt: str = ""
    actual_text: str = ""
    title: str = ""
    kids: list[Element | str] = field(default_factory=list)

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Element]]:
        """(depth, element) for it and every element under it, in reading order."""
        yield depth, self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk(depth + 1)

    def spoken(self) -> Iterator[str]:
        """What a screen reader reads, block by block: a Figure's alternative text (not the shapes
        and labels inside it), an element's /ActualText in place of its content, no list markers
        (a reader announces list items itself), and an inline element's text (a Span in another
        language) run on with the text around it."""
        if self.role == "Figure":
            yield self.alt
            return
        if self.actual_text:
            yield self.actual_text
            return
        if self.role == "Lbl":
            return
        run: list[str] = []
        for kid in self.kids:
            if isinstance(kid, str) or kid.role in INLINE:
                run.append(kid if isinstance(kid, str) else "".join(kid.spoken()))
                continue
            if run:
                yield "".join(run)
                run = []
            yield from kid.spoken()
        if run:
            yield "".join(run)


INLINE = frozenset({"Span", "Quote", "Link", "Reference", "Note"})  # read within the text around them


@dataclass
class StructureReading:
    missing: list[str]                # what a tagged PDF has and this one lacks
    root: Element                     # the structure tree under a root of role "StructTreeRoot"
    referenced: set[tuple[int, int]]  # (page index, MCID) that the elements point at
    problems: list[str]               # references to nothing


def read_structure(reader: PdfReader, pages: list[PageReading]) -> StructureReading:
    catalog = _dictionary(reader.trailer["/Root"])
    missing = []
    if not bool(_dictionary(catalog.get("/MarkInfo")).get("/Marked", False)):
        missing.append("/MarkInfo /Marked true")
    tree = _dictionary(catalog.get("/StructTreeRoot"))
    if not tree:
        missing.append("/StructTreeRoot")
    metadata = catalog.get("/Metadata")
    if metadata is None:
        missing.append("XMP metadata")
    elif b"pdfuaid:part" not in metadata.get_object().get_data():
        missing.append("pdfuaid:part in the XMP metadata")
    unkeyed = [i + 1 for i, page in enumerate(reader.pages) if "/StructParents" not in page]
    if unkeyed:
        missing.append(f"/StructParents on pages {unkeyed}")
    index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)
             if page.indirect_reference is not None}
    reading = StructureReading(missing, Element("StructTreeRoot"), set(), [])
    _read_kids(tree.get("/K"), reading.root, None, index, pages, reading, set())
    return reading


def _read_kids(kids: Any, parent: Element, page: int | None, index: dict[int, int], pages: list[PageReading],
               reading: StructureReading, seen: set[object]) -> None:
    kids = kids.get_object() if kids is not None else None
    for kid in kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]:
        item = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(item, int):
            parent.kids.append(_content(page, int(item), pages, reading))
        elif isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
            parent.kids.append(_content(_page_of(item, page, index), _number(item["/MCID"]), pages, reading))
        elif isinstance(item, DictionaryObject) and "/S" in item:
            identity = (kid.idnum, kid.generation) if isinstance(kid, IndirectObject) else id(item)
            if identity in seen:
                reading.problems.append("the structure tree has a cycle")
                continue
            seen.add(identity)
            element = Element(str(item["/S"])[1:], str(item.get("/Alt", "")), str(item.get("/ActualText", "")),
                              str(item.get("/T", "")))
            parent.kids.append(element)
            _read_kids(item.get("/K"), element, _page_of(item, page, index), index, pages, reading, seen)
            if isinstance(kid, IndirectObject):  # read once: let pypdf forget it, so memory stays flat in the tree's size
                kid.pdf.resolved_objects.pop((kid.generation, kid.idnum), None)


def _content(page: int | None, mcid: int, pages: list[PageReading], reading: StructureReading) -> str:
    if page is None or not 0 <= page < len(pages):
        reading.problems.append(f"MCID {mcid} on no page")
        return ""
    reading.referenced.add((page, mcid))
    if mcid not in pages[page].marked and mcid not in pages[page].ids:
        reading.problems.append(f"MCID {mcid} on page {page + 1} is not in its content")
    return pages[page].marked.get(mcid, "")


def _page_of(item: DictionaryObject, default: int | None, index: dict[int, int]) -> int | None:
    reference = item.get("/Pg")
    if reference is None or not hasattr(reference, "idnum"):
        return default
    return index.get(reference.idnum, default)


def _number(value: Any) -> int:
    return int(value.get_object())


def _dictionary(value: Any) -> DictionaryObject:
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else DictionaryObject()
