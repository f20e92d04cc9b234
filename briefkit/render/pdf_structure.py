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

from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDictionary, PDFDocument, PDFName, PDFObject, PDFObjectReference,
                                      PDFStream, PDFString, format as pdf_format)

from .structure import Mark, Node


def page_keys(page: Any, number: int) -> None:
    """Give a ReportLab page dictionary its key into the parent tree (the page's index)."""
    page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents"]
    page.StructParents = number - 1


def write_structure(doc: PDFDocument, root: Node, pages: int, meta: dict[str, str]) -> None:
    """Add the structure tree of `root` and the tagged-PDF catalog entries to `doc`."""
    nodes = root.marked_nodes() or [root]
    names = {id(node): f"BKStruct{index}" for index, node in enumerate(nodes)}
    owners: dict[int, dict[int, str]] = {page: {} for page in range(1, pages + 1)}  # page → MCID → element
    for node in nodes:
        parent = names[id(node.parent)] if node.parent is not None else "BKStructTreeRoot"
        doc.Reference(StructElement(node, parent, names, owners), names[id(node)])
    tree = PDFDictionary({"Type": PDFName("StructTreeRoot"), "K": PDFArray([PDFObjectReference(names[id(root)])]),
                          "ParentTree": ParentTree(owners), "ParentTreeNextKey": pages})
    catalog = doc.Catalog
    catalog.StructTreeRoot = doc.Reference(tree, "BKStructTreeRoot")
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Metadata = XMPStream(xmp(meta))


def _reference(document: PDFDocument, name: str) -> str:
    return "%d 0 R" % document.idToObjectNumberAndVersion[name][0]


class StructElement(PDFObject):
    """One structure element, formatted directly: a document has thousands, and ReportLab's
    general dictionaries and arrays would cost more than all the rest of tagging."""

    def __init__(self, node: Node, parent: str, names: dict[int, str], owners: dict[int, dict[int, str]]):
        marks = [kid for kid in node.kids if isinstance(kid, Mark)]
        self.page = marks[0].page if marks else None
        self.kids: list[int | str | Mark] = []  # an MCID on the element's page, an element, or a mark elsewhere
        for kid in node.kids:
            if isinstance(kid, Node):
                if id(kid) in names:  # only what was drawn is named
                    self.kids.append(names[id(kid)])
                continue
            owners[kid.page][kid.mcid] = names[id(node)]
            self.kids.append(kid.mcid if kid.page == self.page else kid)
        self.role, self.parent, self.scope = node.role, parent, node.scope
        self.texts = [(key, text) for key, text in (("Alt", node.alt), ("ActualText", node.actual_text),
                                                    ("Lang", node.lang), ("T", node.title)) if text]

    def format(self, document: PDFDocument) -> bytes:
        def kid(value: int | str | Mark) -> str:
            if isinstance(value, int):
                return str(value)
            if isinstance(value, str):
                return _reference(document, value)
            return f"<< /MCID {value.mcid} /Pg {_reference(document, _page(value.page))} /Type /MCR >>"

        kids = [kid(value) for value in self.kids]
        # a single kid is written as itself, as most writers do (some checkers read no other form)
        entries = [f"/K {kids[0]}" if len(kids) == 1 else f"/K [ {' '.join(kids)} ]",
                   f"/P {_reference(document, self.parent)}"]
        if self.page is not None:
            entries.append(f"/Pg {_reference(document, _page(self.page))}")
        entries += [f"/S {PDFName(self.role)}", "/Type /StructElem"]
        if self.scope:
            entries.append(f"/A << /O /Table /Scope {PDFName(self.scope)} >>")
        written = ("<<\n" + " ".join(entries)).encode("latin-1")
        for key, text in self.texts:
            written += f" /{key} ".encode("latin-1") + pdf_format(PDFString(text), document)
        return written + b"\n>>"


class ParentTree(PDFObject):
    """The number tree from each page (its /StructParents) to the elements of its MCIDs, in order."""

    def __init__(self, owners: dict[int, dict[int, str]]):
        self.owners = owners

    def format(self, document: PDFDocument) -> bytes:
        pages = [f"{page - 1} [ {' '.join(_reference(document, elements[mcid]) for mcid in sorted(elements))} ]"
                 for page, elements in self.owners.items()]
        return ("<<\n/Nums [ " + "\n".join(pages) + " ]\n>>").encode("latin-1")


def _page(number: int) -> str:
    return f"Page{number}"  # how ReportLab names its page objects


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
