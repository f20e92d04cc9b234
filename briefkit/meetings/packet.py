"""Meeting packets, assembled with pypdf from documents already rendered.

The packet is the cover, then each document in order, with optional blank pages so every
document starts on a right-hand page. It has an outline (one entry per document, its sections
nested under it), page labels ("Cover", then 1, 2, 3...; with right-hand starts the cover's
blank back is "Inside cover" and page 1 is a right-hand page) and a running line at the foot of
every numbered page with the meeting's name and "page X of Y", all worded by the audience's
labels.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import string
from collections.abc import Iterator

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.constants import PageLabelStyle
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from ..render.fonts import FontSet, register_fonts
from ..render.text import draw_text
from .forms import page_form, place_forms
from .packet_structure import Source, merge_structure
from .pages import PacketDocument, PacketPlan, PacketWords

FOOT_SIZE = 6.6


def build_packet(cover: bytes, documents: list[PacketDocument], plan: PacketPlan, meta: dict[str, str],
                 footer: str, colour: tuple[float, float, float], fonts: FontSet, words: PacketWords) -> bytes:
    writer = PdfWriter()
    cover_reader = PdfReader(io.BytesIO(cover))
    writer.append(cover_reader)
    sources = [Source(cover_reader, 0, words.cover)]
    first_size = writer.pages[0].mediabox
    for document, start in zip(documents, plan.starts):
        while len(writer.pages) < start:
            writer.add_blank_page(float(first_size.width), float(first_size.height))
        reader = PdfReader(io.BytesIO(document.pdf))
        writer.append(reader, import_outline=False)
        sources.append(Source(reader, start, document.label))
        parent = writer.add_outline_item(title=document.label, page_number=start)
        for level, text, page in document.headings:
            if level == 2:
                writer.add_outline_item(title=text, page_number=start + page - 1, parent=parent)
    writer.set_page_label(0, 0, prefix=words.cover)
    if plan.front > 1:
        writer.set_page_label(1, plan.front - 1, prefix=words.inside_cover)
    if plan.front < len(writer.pages):
        writer.set_page_label(plan.front, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)
    overlay = PdfReader(io.BytesIO(_running_lines(writer, plan, footer, colour, fonts, words)))
    for packet_page, lines in zip(writer.pages[1:], overlay.pages):
        place_forms(writer, packet_page, [(page_form(writer, lines), Transformation())], artifact="footer")
    _distinct_font_names(writer)
    merge_structure(writer, sources, meta)
    writer.add_metadata({f"/{key.capitalize()}": value for key, value in meta.items() if key != "lang"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(meta.get("lang", "en"))
    writer.page_mode = "/UseOutlines"
    digest = hashlib.md5(cover + b"".join(d.pdf for d in documents) + footer.encode()).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])  # reproducible
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _running_lines(writer: PdfWriter, plan: PacketPlan, footer: str, colour: tuple[float, float, float],
                   fonts: FontSet, words: PacketWords) -> bytes:
    """One overlay page per packet page after the cover: on numbered pages the meeting line with
    "page X of Y", and on blank pages the 'blank' note."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts(fonts)
    sans = fonts.sans
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=sans.font(), invariant=1)
    for index, page in enumerate(writer.pages[1:], start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        canvas.setPageSize((width, height))
        canvas.setFillColorRGB(*colour)
        canvas.setFont(sans.font(), FOOT_SIZE)
        if plan.number(index) is not None:
            draw_text(canvas, width / 2, 14, words.page.format(line=footer, page=words.label(plan, index),
                                                               pages=plan.numbered), sans.font(), FOOT_SIZE, fonts,
                      "centre")
        if index in plan.blanks:
            canvas.setFont(sans.font(), 9)
            draw_text(canvas, width / 2, height / 2, words.blank, sans.font(), 9, fonts, "centre")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _distinct_font_names(writer: PdfWriter) -> None:
    """Give every embedded subset its own tag: documents rendered apart all start at AAAAAA+,
    and some viewers mix up different subsets that share a name."""
    from ..render.checks import page_fonts

    tags = ("BK" + "".join(t) for t in _letters(4))
    for font in page_fonts(list(writer.pages)):
        if "+" not in str(font.get("/BaseFont", "")):
            continue
        name = NameObject("/" + next(tags) + "+" + str(font["/BaseFont"]).split("+", 1)[1])
        font[NameObject("/BaseFont")] = name
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None:
            descriptor.get_object()[NameObject("/FontName")] = name


def _letters(count: int) -> Iterator[tuple[str, ...]]:
    return itertools.product(string.ascii_uppercase, repeat=count)
