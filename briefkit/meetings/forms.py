"""Pages as Form XObjects, placed on other pages: how packets get their running line and
handouts their two pages to a sheet, without parsing or re-rendering any page."""
from __future__ import annotations

from pypdf import PageObject, PdfWriter, Transformation
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, IndirectObject, NameObject

from ..render.checks import dictionary
from ..render.tagging import ARTIFACTS


def page_form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """A page as a Form XObject in `writer`: placing it needs no parsing of its content."""
    form = DecodedStreamObject()
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)]),
        NameObject("/Resources"): dictionary(page.get("/Resources")).clone(writer),
    })
    return writer._add_object(form)


def place_forms(writer: PdfWriter, page: PageObject, forms: list[tuple[IndirectObject, Transformation]],
                artifact: str | None = None) -> None:
    """Draw forms on a page, after what it already shows, each under its own transformation;
    with `artifact` (a kind in tagging.ARTIFACTS), marked as that artifact."""
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
    if artifact is not None:
        operations = [ARTIFACTS[artifact], *operations, "EMC"]
    stream = DecodedStreamObject()
    stream.set_data(("\n" + "\n".join(operations) + "\n").encode("ascii"))
    existing = page.get("/Contents")
    parts = ArrayObject()
    if existing is not None:
        existing_object = existing.get_object()
        parts.extend(existing_object if isinstance(existing_object, ArrayObject) else [existing])
    parts.append(writer._add_object(stream))
    page[NameObject("/Contents")] = parts
