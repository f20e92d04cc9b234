"""A tagged PDF read back with pypdf, the way a screen reader meets it.

Independent of how the file was written: each page's content stream is walked once, noting the
text inside each marked-content sequence (by MCID) and anything painted outside every sequence
(content that is neither tagged nor an artifact); then the structure tree is walked from its
root, giving the elements in reading order, each with its role, its text (a Figure's /Alt, an
element's /ActualText when it has one) and its alternative text.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

# Operators that put marks on the page (ISO 32000-1, tables 51, 59, 77, 92 and 107)
PAINTING = frozenset({b"Tj", b"TJ", b"'", b'"', b"Do", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s",
                      b"sh", b"INLINE IMAGE"})


@dataclass
class PageReading:
    """One page: its text, the text of each marked-content id, what is painted unmarked."""

    text: str = ""
    marked: dict[int, str] = field(default_factory=dict)
    ids: set[int] = field(default_factory=set)  # every MCID in the content, with text or not
    unmarked: list[str] = field(default_factory=list)  # painting operators outside marked content


def read_page(page: PageObject) -> PageReading:
    """The page's text as pypdf extracts it, with each piece credited to its marked content."""
    reading = PageReading()
    open_: list[int | None] = []  # the MCID of each open sequence (None: an artifact or untagged span)
    pieces: dict[int, list[str]] = {}

    def operator(op: bytes, operands: list[Any], _cm: Any, _tm: Any) -> None:
        if op in (b"BDC", b"BMC"):
            properties = operands[1] if op == b"BDC" and len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
            open_.append(int(mcid) if mcid is not None else None)
            if mcid is not None:
                reading.ids.add(int(mcid))
        elif op == b"EMC":
            if open_:
                open_.pop()
            else:
                reading.unmarked.append("EMC without BDC")
        elif op in PAINTING and not open_:
            reading.unmarked.append(op.decode("latin-1"))

    def text(piece: str, *_: Any) -> None:
        mcid = next((m for m in reversed(open_) if m is not None), None)
        if mcid is not None:
            pieces.setdefault(mcid, []).append(piece)

    reading.text = page.extract_text(visitor_operand_before=operator, visitor_text=text) or ""
    # pypdf puts a newline where a line ends; the text runs on as the PDF has it (as poppler reads
    # it), so a word break at a line's end is there only if the PDF has a space
    reading.marked = {mcid: "".join(parts).replace("\n", "") for mcid, parts in pieces.items()}
    if open_:
        reading.unmarked.append(f"{len(open_)} sequence(s) not closed")
    return reading


@dataclass
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
        """What a screen reader reads: a Figure's alternative text (not the shapes and labels
        inside it), an element's /ActualText in place of its content, and no list markers (a
        reader announces list items itself)."""
        if self.role == "Figure":
            yield self.alt
        elif self.actual_text:
            yield self.actual_text
        elif self.role != "Lbl":
            for kid in self.kids:
                yield from kid.spoken() if isinstance(kid, Element) else [kid]


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
               reading: StructureReading, seen: set[int]) -> None:
    kids = kids.get_object() if kids is not None else None
    for kid in kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]:
        item = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(item, int):
            parent.kids.append(_content(page, int(item), pages, reading))
        elif isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
            parent.kids.append(_content(_page_of(item, page, index), _number(item["/MCID"]), pages, reading))
        elif isinstance(item, DictionaryObject) and "/S" in item:
            if id(item) in seen:
                reading.problems.append("the structure tree has a cycle")
                continue
            seen.add(id(item))
            element = Element(str(item["/S"])[1:], str(item.get("/Alt", "")), str(item.get("/ActualText", "")),
                              str(item.get("/T", "")))
            parent.kids.append(element)
            _read_kids(item.get("/K"), element, _page_of(item, page, index), index, pages, reading, seen)


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
