"""The 2-up handout: the packet two pages to a landscape sheet, with a dashed fold line."""
from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from ..render.checks import dictionary
from ..render.fonts import LATIN, register_fonts
from .forms import page_form, place_forms


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
    guide_form = page_form(writer, PdfReader(io.BytesIO(guide.getvalue())).pages[0])
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
            placed.append((page_form(writer, page), Transformation().scale(scale).translate(x, y)))
        place_forms(writer, sheet_page, placed + [(guide_form, Transformation())])
    writer.add_metadata({k: v for k, v in (source.metadata or {}).items() if k != "/Producer"})
    writer._root_object[NameObject("/Lang")] = dictionary(source.trailer["/Root"]).get("/Lang", TextStringObject("en"))
    digest = hashlib.md5(packet).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
