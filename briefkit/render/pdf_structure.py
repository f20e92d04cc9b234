"""The structure tree written into a ReportLab document, making it a tagged PDF.

Written with ReportLab's own object model just before the file is: one structure element per
node that has content (structure.py), the parent tree that leads from each page's marked content
back to its element, `/MarkInfo`, `/StructTreeRoot`, and an XMP metadata packet naming the title,
the language and PDF/UA-1. Pages get their `/StructParents` key as they are written (the canvas
calls `page_keys`). Objects are named in reading order, so the bytes only depend on the document.
"""
from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDictionary, PDFDocument, PDFName, PDFObjectReference, PDFStream,
                                      PDFString, format as pdf_format)

from .structure import Mark, Node


def page_keys(page: Any, number: int) -> None:
    """Give a ReportLab page dictionary its key into the parent tree (the page's index)."""
    page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents"]
    page.StructParents = number - 1


def write_structure(doc: PDFDocument, root: Node, pages: int, meta: dict[str, str]) -> None:
    """Add the structure tree of `root` and the tagged-PDF catalog entries to `doc`."""
    nodes = [root, *(node for node in root.nodes() if node is not root and node.marked())]
    names = {id(node): f"BKStruct{index}" for index, node in enumerate(nodes)}
    owners: dict[int, dict[int, str]] = {page: {} for page in range(1, pages + 1)}  # page → MCID → element
    for node in nodes:
        entries = _element(node, names, owners)
        entries["P"] = PDFObjectReference(names[id(node.parent)] if node.parent is not None else "BKStructTreeRoot")
        doc.Reference(PDFDictionary(entries), names[id(node)])
    parent_tree: list[Any] = []
    for page, elements in owners.items():
        parent_tree += [page - 1, PDFArray([PDFObjectReference(elements[mcid]) for mcid in sorted(elements)])]
    tree = PDFDictionary({"Type": PDFName("StructTreeRoot"), "K": PDFArray([PDFObjectReference(names[id(root)])]),
                          "ParentTree": PDFDictionary({"Nums": PDFArray(parent_tree)}), "ParentTreeNextKey": pages})
    catalog = doc.Catalog
    catalog.StructTreeRoot = doc.Reference(tree, "BKStructTreeRoot")
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Metadata = XMPStream(xmp(meta))


def _element(node: Node, names: dict[int, str], owners: dict[int, dict[int, str]]) -> dict[str, Any]:
    marks = [kid for kid in node.kids if isinstance(kid, Mark)]
    page = marks[0].page if marks else None
    kids: list[Any] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            if kid.marked():
                kids.append(PDFObjectReference(names[id(kid)]))
            continue
        owners[kid.page][kid.mcid] = names[id(node)]
        kids.append(kid.mcid if kid.page == page else
                    PDFDictionary({"Type": PDFName("MCR"), "Pg": _page(kid.page), "MCID": kid.mcid}))
    # a single kid is written as itself, as most writers do (some checkers read no other form)
    entries: dict[str, Any] = {"Type": PDFName("StructElem"), "S": PDFName(node.role),
                               "K": kids[0] if len(kids) == 1 else PDFArray(kids)}
    if page is not None:
        entries["Pg"] = _page(page)
    for key, text in (("Alt", node.alt), ("ActualText", node.actual_text), ("Lang", node.lang), ("T", node.title)):
        if text:
            entries[key] = PDFString(text)
    if node.scope:
        entries["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(node.scope)})
    return entries


def _page(number: int) -> PDFObjectReference:
    return PDFObjectReference(f"Page{number}")  # how ReportLab names its page objects


def xmp(meta: dict[str, str]) -> str:
    """The XMP packet: title, author, subject, keywords, language, creator tool, and PDF/UA-1."""
    def text(key: str) -> str:
        return escape(meta.get(key, ""))

    language = text("lang") or "x-default"
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text("title")}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text("author")}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text("subject")}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{text("keywords")}</pdf:Keywords>
   <xmp:CreatorTool>{text("creator")}</xmp:CreatorTool>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


class XMPStream(PDFStream):
    """A metadata stream, left uncompressed as XMP readers expect."""

    def __init__(self, packet: str):
        super().__init__(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                         packet.encode("utf-8"))

    def format(self, document: PDFDocument) -> bytes:
        content = document.encrypt.encode(self.content)
        dictionary = PDFDictionary({**self.dictionary.dict, "Length": len(content)})
        return pdf_format(dictionary, document) + b"\nstream\n" + content + b"\nendstream\n"
