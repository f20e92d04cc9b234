"""Meeting packets and 2-up handouts, assembled with pypdf from documents already rendered.

The packet is the cover, then each document in order, with optional blank pages so every
document starts on a right-hand page. It has an outline (one entry per document, its sections
nested under it), page labels ("Cover", then 1, 2, 3...) and a running line at the foot of every
page with the meeting's name and "page X of Y".
"""
from __future__ import annotations

import hashlib
import io
import string
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, FloatObject,
                           IndirectObject, NameObject, TextStringObject)

from .fonts import LATIN, FontSet, register_fonts

FOOT_SIZE = 6.6


@dataclass(frozen=True)
class PacketDocument:
    label: str  # what kind of document, e.g. "Fact sheet": the outline entry
    title: str
    pdf: bytes
    headings: tuple[tuple[int, str, int], ...]  # (level, text, page within the document)

    @property
    def pages(self) -> int:
        return len(PdfReader(io.BytesIO(self.pdf)).pages)


@dataclass(frozen=True)
class PacketPlan:
    """Where each document starts (0-based packet page index), and which pages are blank."""

    starts: tuple[int, ...]
    blanks: tuple[int, ...]
    total: int


def plan_packet(page_counts: list[int], right_hand_starts: bool) -> PacketPlan:
    """The cover is page index 0 (a right-hand page); documents follow, padded when asked."""
    starts, blanks, index = [], [], 1
    for count in page_counts:
        if right_hand_starts and index % 2 == 1:  # index 1 is page 2, a left-hand page
            blanks.append(index)
            index += 1
        starts.append(index)
        index += count
    return PacketPlan(tuple(starts), tuple(blanks), index)


def page_label(index: int) -> str:
    return "Cover" if index == 0 else str(index)


def build_packet(cover: bytes, documents: list[PacketDocument], plan: PacketPlan, meta: dict[str, str],
                 footer: str, colour: tuple[float, float, float], fonts: FontSet = LATIN) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    first_size = writer.pages[0].mediabox
    for document, start in zip(documents, plan.starts):
        while len(writer.pages) < start:
            writer.add_blank_page(float(first_size.width), float(first_size.height))
        writer.append(PdfReader(io.BytesIO(document.pdf)), import_outline=False)
        parent = writer.add_outline_item(title=document.label, page_number=start)
        for level, text, page in document.headings:
            if level == 2:
                writer.add_outline_item(title=text, page_number=start + page - 1, parent=parent)
    writer.set_page_label(0, 0, prefix="Cover")
    writer.set_page_label(1, len(writer.pages) - 1, style="/D", start=1)
    overlay = PdfReader(io.BytesIO(_running_lines(writer, plan, footer, colour, fonts)))
    for page, lines in zip(writer.pages[1:], overlay.pages):
        _place(writer, page, [(_form(writer, lines), Transformation())])
    _distinct_font_names(writer)
    writer.add_metadata({f"/{key.capitalize()}": value for key, value in meta.items() if key != "lang"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(meta.get("lang", "en"))
    writer.page_mode = "/UseOutlines"
    digest = hashlib.md5(cover + b"".join(d.pdf for d in documents) + footer.encode()).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # reproducible
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _running_lines(writer: PdfWriter, plan: PacketPlan, footer: str, colour: tuple[float, float, float],
                   fonts: FontSet) -> bytes:
    """One overlay page per packet page after the cover: the meeting line, and 'blank' notes."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts(fonts)
    sans = fonts.sans
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=sans.font(), invariant=1)
    last = len(writer.pages) - 1
    for index, page in enumerate(writer.pages[1:], start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        canvas.setPageSize((width, height))
        canvas.setFillColorRGB(*colour)
        canvas.setFont(sans.font(), FOOT_SIZE)
        canvas.drawCentredString(width / 2, 14, f"{footer} \u00b7 page {page_label(index)} of {last}")
        if index in plan.blanks:
            canvas.setFont(sans.font(), 9)
            canvas.drawCentredString(width / 2, height / 2, "This page is intentionally blank.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _distinct_font_names(writer: PdfWriter) -> None:
    """Give every embedded subset its own tag: documents rendered apart all start at AAAAAA+,
    and some viewers mix up different subsets that share a name."""
    from .checks import page_fonts

    tags = ("BK" + "".join(t) for t in _letters(4))
    for font in page_fonts(list(writer.pages)):
        if "+" not in str(font.get("/BaseFont", "")):
            continue
        name = NameObject("/" + next(tags) + "+" + str(font["/BaseFont"]).split("+", 1)[1])
        font[NameObject("/BaseFont")] = name
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None:
            descriptor.get_object()[NameObject("/FontName")] = name


def _letters(count: int):  # type: ignore[no-untyped-def]
    import itertools
    return itertools.product(string.ascii_uppercase, repeat=count)


def _form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """A page as a Form XObject in `writer`: placing it needs no parsing of its content."""
    form = DecodedStreamObject()
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)]),
        NameObject("/Resources"): page["/Resources"].get_object().clone(writer) if "/Resources" in page
        else DictionaryObject(),
    })
    return writer._add_object(form)


def _place(writer: PdfWriter, page: PageObject, forms: list[tuple[IndirectObject, Transformation]]) -> None:
    """Draw forms on a page, after what it already shows, each under its own transformation."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    page[NameObject("/Resources")] = resources
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
    resources[NameObject("/XObject")] = xobjects
    operations = []
    for index, (form, transform) in enumerate(forms):
        name = f"/BKForm{len(xobjects)}x{index}"
        xobjects[NameObject(name)] = form
        matrix = " ".join(f"{value:.4f}" for value in transform.ctm)
        operations.append(f"q {matrix} cm {name} Do Q")
    stream = DecodedStreamObject()
    stream.set_data(("\n" + "\n".join(operations) + "\n").encode("ascii"))
    existing = page.get("/Contents")
    parts = ArrayObject()
    if existing is not None:
        existing_object = existing.get_object()
        parts.extend(existing_object if isinstance(existing_object, ArrayObject) else [existing])
    parts.append(writer._add_object(stream))
    page[NameObject("/Contents")] = parts


def build_handout(packet: bytes, sheet: tuple[float, float], colour: tuple[float, float, float]) -> bytes:
    """The packet two pages to a landscape sheet, in reading order, with a dashed fold line."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    source = PdfReader(io.BytesIO(packet))
    width, height = max(sheet), min(sheet)
    guide = io.BytesIO()
    canvas = Canvas(guide, pagesize=(width, height), invariant=1, initialFontName=LATIN.sans.font())
    canvas.setStrokeColorRGB(*colour)
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    canvas.line(width / 2, 12, width / 2, height - 12)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter()
    guide_form = _form(writer, PdfReader(io.BytesIO(guide.getvalue())).pages[0])
    margin, slot = 10.0, width / 2
    pages = list(source.pages)
    for first in range(0, len(pages), 2):
        sheet_page = writer.add_blank_page(width, height)
        placed = []
        for position, page in enumerate(pages[first:first + 2]):
            page_width, page_height = float(page.mediabox.width), float(page.mediabox.height)
            scale = min((slot - 2 * margin) / page_width, (height - 2 * margin) / page_height)
            x = position * slot + (slot - page_width * scale) / 2
            y = (height - page_height * scale) / 2
            placed.append((_form(writer, page), Transformation().scale(scale).translate(x, y)))
        _place(writer, sheet_page, placed + [(guide_form, Transformation())])
    writer.add_metadata({k: v for k, v in (source.metadata or {}).items() if k != "/Producer"})
    writer._root_object[NameObject("/Lang")] = source.trailer["/Root"].get("/Lang", TextStringObject("en"))
    digest = hashlib.md5(packet).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
