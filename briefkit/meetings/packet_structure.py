"""A packet's one structure tree, made from the trees of the documents it is assembled from.

pypdf copies pages, not structure. Here each document's tree is copied into the packet under a
`Part` titled as its outline entry (cover first, then the documents in packet order), each
element's page references pointing at the packet's copy of the page. The pages' content streams
are the documents' own, so every marked-content id (MCID) stays valid; only the parent tree, which
leads from a page's MCIDs to their elements, is made anew, with each page's `/StructParents` its
index in the packet.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, BooleanObject, DecodedStreamObject, DictionaryObject, IndirectObject,
                           NameObject, NullObject, NumberObject, PdfObject, TextStringObject)

from ..render.pdf_structure import xmp

COPIED = ("/Alt", "/ActualText", "/Lang", "/T", "/E")  # what an element says besides its role and kids


@dataclass(frozen=True)
class Source:
    """One document in the packet: its PDF and the index of its first page in the packet."""

    reader: PdfReader
    first_page: int
    title: str


class _Merger:
    def __init__(self, writer: PdfWriter):
        self.writer = writer
        self.owners: dict[int, dict[int, IndirectObject]] = {}  # packet page index → MCID → element

    def merge(self, sources: list[Source], meta: dict[str, str]) -> None:
        writer = self.writer
        tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        tree_ref = writer._add_object(tree)
        document, document_ref = self._element("/Document", tree_ref)
        for source in sources:
            part, part_ref = self._element("/Part", document_ref)
            part[NameObject("/T")] = TextStringObject(source.title)
            pages = {page.indirect_reference.idnum: source.first_page + index
                     for index, page in enumerate(source.reader.pages) if page.indirect_reference is not None}
            catalog: Any = source.reader.trailer["/Root"].get_object()
            root = catalog.get("/StructTreeRoot")
            for top in _kids(root.get_object().get("/K") if root is not None else None):
                # each document's own Document element: its children go straight under the Part
                self._copy_kids(top.get_object().get("/K"), part, part_ref, None, pages)
            _append(document, part_ref)
        tree[NameObject("/K")] = document_ref
        nums = ArrayObject()
        for index, page in enumerate(writer.pages):
            page[NameObject("/StructParents")] = NumberObject(index)
            owners = self.owners.get(index, {})
            size = max(owners) + 1 if owners else 0
            nums += [NumberObject(index), ArrayObject(owners.get(mcid, NullObject()) for mcid in range(size))]
        tree[NameObject("/ParentTree")] = DictionaryObject({NameObject("/Nums"): nums})
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(len(writer.pages))
        catalog = writer._root_object
        catalog[NameObject("/StructTreeRoot")] = tree_ref
        catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        preferences = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
        catalog[NameObject("/ViewerPreferences")] = preferences
        metadata = DecodedStreamObject()
        metadata.set_data(xmp(meta).encode("utf-8"))
        metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        catalog[NameObject("/Metadata")] = writer._add_object(metadata)

    def _element(self, role: str, parent: IndirectObject) -> tuple[DictionaryObject, IndirectObject]:
        element = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject(role),
                                    NameObject("/P"): parent})
        return element, self.writer._add_object(element)

    def _copy_kids(self, kids: Any, parent: DictionaryObject, parent_ref: IndirectObject, page: int | None,
                   pages: dict[int, int]) -> None:
        for kid in _kids(kids):
            item = kid.get_object()
            if isinstance(item, int):
                self._content(parent, parent_ref, page, int(item))
            elif isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
                self._content(parent, parent_ref, _page(item, pages, page), _number(item["/MCID"]))
            elif isinstance(item, DictionaryObject) and "/S" in item:
                copy, copy_ref = self._element(str(item["/S"]), parent_ref)
                own = _page(item, pages, page)
                if own is not None:
                    copy[NameObject("/Pg")] = self.writer.pages[own].indirect_reference
                for key in COPIED:
                    if key in item:
                        copy[NameObject(key)] = TextStringObject(str(item[key]))
                if "/A" in item:
                    copy[NameObject("/A")] = _direct(item["/A"])
                self._copy_kids(item.get("/K"), copy, copy_ref, own, pages)
                _append(parent, copy_ref)

    def _content(self, parent: DictionaryObject, parent_ref: IndirectObject, page: int | None, mcid: int) -> None:
        if page is None:
            return
        self.owners.setdefault(page, {})[mcid] = parent_ref
        if parent.get("/Pg") == self.writer.pages[page].indirect_reference:
            _append(parent, NumberObject(mcid))
            return
        _append(parent, DictionaryObject({NameObject("/Type"): NameObject("/MCR"), NameObject("/MCID"): NumberObject(mcid),
                                          NameObject("/Pg"): self.writer.pages[page].indirect_reference}))


def merge_structure(writer: PdfWriter, sources: list[Source], meta: dict[str, str]) -> None:
    """Give the packet in `writer` one structure tree: a Part per source, in order."""
    _Merger(writer).merge(sources, meta)


def _number(value: Any) -> int:
    return int(value.get_object())


def _kids(kids: Any) -> list[Any]:
    kids = kids.get_object() if kids is not None else None
    if kids is None:
        return []
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def _append(element: DictionaryObject, kid: PdfObject) -> None:
    """Add a kid to an element's /K, kept as a single kid while there is one (as documents have it)."""
    existing = element.get("/K")
    if existing is None:
        element[NameObject("/K")] = kid
    elif isinstance(existing, ArrayObject):
        existing.append(kid)
    else:
        element[NameObject("/K")] = ArrayObject([existing, kid])


def _page(item: DictionaryObject, pages: dict[int, int], default: int | None) -> int | None:
    reference = item.get("/Pg")
    return pages.get(reference.idnum, default) if reference is not None and hasattr(reference, "idnum") else default


def _direct(value: Any) -> PdfObject:
    """A copy of a small direct object (an attribute dictionary of names and numbers)."""
    value = value.get_object()
    if isinstance(value, DictionaryObject):
        return DictionaryObject({NameObject(str(key)): _direct(item) for key, item in value.items()})
    if isinstance(value, ArrayObject):
        return ArrayObject(_direct(item) for item in value)
    return value
