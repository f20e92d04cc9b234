"""The independent readers of tagged PDFs (tests/readers.py) on a small tagged PDF made here.

No briefing is tagged yet, so the sample is written by hand: ReportLab draws the page with
marked-content sequences, pypdf adds the structure tree, the parent tree and the catalog entries
PDF/UA-1 asks for. Each reader must then give back the roles, the order, the alternative text and
the text of each marked-content sequence the sample was made with; if a reader cannot, a test of
briefkit's own tagging could not tell a fault of briefkit from a fault of the reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import readers
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

# ------------------------------------------------------------------ the sample PDF


@dataclass
class Element:
    """A structure element to write: its role, its kids in reading order (an int is an MCID on
    the page, an Element a child) and extra entries such as /Alt, /ActualText or /A."""

    role: str
    kids: list[Element | int] = field(default_factory=list)
    extra: dict[str, PdfObject] = field(default_factory=dict)


Mark = tuple[str, str]  # (the operators that open the sequence(s), e.g. "/P <</MCID 1>> BDC"; text)

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Reader sample</rdf:li></rdf:Alt></dc:title>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def scope(value: str) -> dict[str, PdfObject]:
    """The table attribute dictionary a TH carries to say which cells it heads."""
    attributes = DictionaryObject({NameObject("/O"): NameObject("/Table"),
                                   NameObject("/Scope"): NameObject(f"/{value}")})
    return {"/A": attributes}


def text(value: str) -> TextStringObject:
    return TextStringObject(value)


# What the sample shows, in content-stream order: the footer (an artifact) first and the heading
# last, so that reading order can only come from the structure tree.
MARKS: list[Mark] = [
    ("/Artifact <</Type /Pagination /Subtype /Footer>> BDC", "Page 1"),
    ("/P <</MCID 1>> BDC", "A paragraph of text."),
    ("/Figure <</MCID 2>> BDC", ""),  # a grey square, no text
    ("/Lbl <</MCID 3>> BDC", "1."),
    ("/LBody <</MCID 4>> BDC", "First item"),
    ("/TH <</MCID 5>> BDC", "Year"),
    ("/TD <</MCID 6>> BDC", "2024"),
    ("/P <</MCID 7>> BDC", "H2O"),
    ("/H1 <</MCID 0>> BDC", "Readers agree"),
]

TREE = Element("/Document", [
    Element("/H1", [0]),
    Element("/P", [1]),
    Element("/Figure", [2], {"/Alt": text("A grey square")}),
    Element("/L", [Element("/LI", [Element("/Lbl", [3]), Element("/LBody", [4])])]),
    Element("/Table", [Element("/TR", [Element("/TH", [5], scope("Column"))]),
                       Element("/TR", [Element("/TD", [6])])]),
    Element("/P", [7], {"/ActualText": text("Water")}),
])


def sample_pdf(path: Path, marks: list[Mark] = MARKS, tree: Element = TREE, *, xmp: bool = True,
               tabs: bool = True, lang: str | None = "en-GB", untagged: str = "", arrays: bool = False) -> Path:
    """Write a one-page tagged PDF: `marks` drawn one per line, `tree` as its structure tree.

    `untagged` is text drawn outside any marked-content sequence (content a tagged PDF must not
    have). The catalog carries /MarkInfo, /Lang, /ViewerPreferences /DisplayDocTitle and the
    PDF/UA identification in XMP, so a checker's findings on the sample come from what a test
    changed.
    """
    drawn = path.with_suffix(".untagged.pdf")
    canvas = Canvas(str(drawn), pagesize=(300, 400), invariant=1, pageCompression=0)
    canvas.setTitle("Reader sample")
    canvas.setFont("Helvetica", 12)
    y = 370.0
    for opening, words in marks:
        canvas._code.append(opening)
        if opening.startswith("/Figure"):
            canvas.setFillGray(0.5)
            canvas.rect(20, y - 30, 30, 30, stroke=0, fill=1)
            canvas.setFillGray(0)
            y -= 30
        else:
            canvas.drawString(20, y, words)
        canvas._code.extend(["EMC"] * len(re.findall(r"\bB[DM]C\b", opening)))  # one per sequence opened
        y -= 30
    if untagged:
        canvas.drawString(20, y, untagged)
    canvas.showPage()
    canvas.save()

    writer = PdfWriter(clone_from=PdfReader(str(drawn)))
    drawn.unlink()
    page = writer.pages[0]
    page_ref = page.indirect_reference
    assert page_ref is not None
    by_mcid: dict[int, IndirectObject] = {}

    def write(element: Element, parent: IndirectObject) -> IndirectObject:
        node = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject(element.role),
                                 NameObject("/P"): parent, NameObject("/Pg"): page_ref})
        for key, value in element.extra.items():
            node[NameObject(key)] = value
        reference = writer._add_object(node)
        kids = ArrayObject()
        for kid in element.kids:
            if isinstance(kid, int):
                kids.append(NumberObject(kid))
                by_mcid[kid] = reference
            else:
                kids.append(write(kid, reference))
        # One kid is written bare, as most writers do; `arrays` writes every /K as an array.
        if kids:
            node[NameObject("/K")] = kids[0] if len(kids) == 1 and not arrays else kids
        return reference

    root = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")}))
    document = write(tree, root)
    parent_tree = writer._add_object(DictionaryObject({NameObject("/Nums"): ArrayObject([
        NumberObject(0), ArrayObject(by_mcid[mcid] for mcid in sorted(by_mcid))])}))
    root_dict = root.get_object()
    assert isinstance(root_dict, DictionaryObject)
    root_dict.update({NameObject("/K"): ArrayObject([document]), NameObject("/ParentTree"): parent_tree,
                      NameObject("/ParentTreeNextKey"): NumberObject(1)})
    page[NameObject("/StructParents")] = NumberObject(0)
    if tabs:
        page[NameObject("/Tabs")] = NameObject("/S")
    catalog = writer.root_object
    catalog[NameObject("/StructTreeRoot")] = root
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})
    if lang is not None:
        catalog[NameObject("/Lang")] = TextStringObject(lang)
    if xmp:
        metadata = DecodedStreamObject()
        metadata.set_data(XMP.encode("utf-8"))
        metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
        catalog[NameObject("/Metadata")] = writer._add_object(metadata)
    writer.add_metadata({"/Title": "Reader sample"})
    with path.open("wb") as out:
        writer.write(out)
    return path


def figure_without_alt(tree: Element) -> Element:
    return Element(tree.role, [figure_without_alt(kid) if isinstance(kid, Element) else kid for kid in tree.kids],
                   {} if tree.role == "/Figure" else dict(tree.extra))


def without_scope(tree: Element) -> Element:
    return Element(tree.role, [without_scope(kid) if isinstance(kid, Element) else kid for kid in tree.kids],
                   {key: value for key, value in tree.extra.items() if key != "/A"})


# What every reader must make of the sample: the elements depth first, in structure order (the
# heading first, although it is drawn last), and the text of each element's marked content.
OUTLINE = [(0, "Document"), (1, "H1"), (1, "P"), (1, "Figure"), (1, "L"), (2, "LI"), (3, "Lbl"), (3, "LBody"),
           (1, "Table"), (2, "TR"), (3, "TH"), (2, "TR"), (3, "TD"), (1, "P")]
TEXT_IN_ORDER = ["Readers agree", "A paragraph of text.", "", "1.", "First item", "Year", "2024", "H2O"]


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("readers")
    return {"tagged": sample_pdf(folder / "tagged.pdf"),
            "untagged text": sample_pdf(folder / "untagged-text.pdf", untagged="Stray words")}


@pytest.fixture(scope="module")
def pdfjs(samples: dict[str, Path]) -> dict[str, list[readers.PdfjsPage]]:
    """Every sample through pdf.js in one Node process, keyed by sample name."""
    readers.need("pdfjs")
    pages = readers.pdfjs_struct_trees(samples.values())
    return {name: pages[str(path)] for name, path in samples.items()}


def walk(nodes: list[Any]) -> list[Any]:
    """Every element of a pdf.js or PDFium tree, depth first (pdf.js content leaves left out)."""
    out = []
    for node in nodes:
        if "role" in node:
            out.append(node)
            out += walk(node["children"])
    return out


# ------------------------------------------------------------------ the readers


def test_every_reader_is_named_and_an_unknown_one_is_an_error():
    for reader in readers.READERS:
        assert readers.missing(reader) is None or isinstance(readers.missing(reader), str)
    with pytest.raises(ValueError, match="unknown reader"):
        readers.missing("acrobat")


def test_a_missing_reader_skips_but_fails_where_tools_are_required(monkeypatch):
    monkeypatch.setattr(readers, "missing", lambda reader: "not here")
    monkeypatch.setattr(readers, "REQUIRED", False)
    with pytest.raises(pytest.skip.Exception, match="not here"):
        readers.need("pdfjs")
    monkeypatch.setattr(readers, "REQUIRED", True)
    with pytest.raises(pytest.fail.Exception, match="BRIEFKIT_REQUIRE_TOOLS=1"):
        readers.need("pdfjs")


def test_pdfua_finds_nothing_wrong_with_the_sample(samples):
    readers.need("pdfua")
    assert readers.pdfua_findings(samples["tagged"]) == []


# Which pdfua 0.1.3 rule fires for which fault: the rules the tagged briefings are checked with.
# A change here after an upgrade of pdfua is a change in what the tagging tests check.
@pytest.mark.parametrize("fault, options, expected", [
    ("figure without /Alt", {"tree": figure_without_alt(TREE)}, [("UA-13-004", "error")]),
    ("TH without /Scope", {"tree": without_scope(TREE)}, [("UA-15-003", "warning")]),
    ("text outside marked content", {"untagged": "Stray words"}, [("UA-01-003", "error")]),
    ("no XMP metadata", {"xmp": False}, [("UA-28-004", "warning")]),
    ("no /Lang", {"lang": None}, [("UA-06-001", "error")]),
    ("no /Tabs on the page", {"tabs": False}, []),  # pdfua 0.1.3 does not check /Tabs
    # pdfua 0.1.3's empty-heading rule cannot read a heading whose /K is an array: the rule
    # is reported as not run, never as passed.
    ("every /K an array", {"arrays": True}, [("UA-14-001", "skipped")]),
])
def test_pdfua_reports_each_fault_by_its_rule(tmp_path, fault, options, expected):
    readers.need("pdfua")
    findings = readers.pdfua_findings(sample_pdf(tmp_path / "sample.pdf", **options))
    assert [(f["rule_id"], f["severity"]) for f in findings] == expected, findings
    assert all(f["message"] for f in findings)


def test_pdfua_and_pdfium_refuse_what_is_not_a_pdf(tmp_path):
    readers.need("pdfua")
    readers.need("pdfium")
    junk = tmp_path / "junk.pdf"
    junk.write_text("not a PDF")
    with pytest.raises(readers.ReaderError):
        readers.pdfua_findings(junk)
    with pytest.raises(readers.ReaderError):
        readers.pdfium_struct_trees(junk)


def test_poppler_reads_the_structure_with_the_page_text(samples, tmp_path):
    readers.need("poppler")
    assert readers.poppler_tagged(samples["tagged"])
    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain), invariant=1)
    canvas.drawString(20, 20, "Untagged")
    canvas.save()
    assert not readers.poppler_tagged(plain)
    # Neither the Figure's /Alt nor the last P's /ActualText ("Water"): poppler prints page text.
    assert readers.poppler_struct_text(samples["tagged"]) == (
        'Document\n'
        '  H1 (block)\n    "Readers agree"\n'
        '  P (block)\n    "A paragraph of text."\n'
        '  Figure\n    ""\n'
        '  L (block)\n    LI (block)\n      Lbl (block)\n        "1."\n      LBody (block)\n        "First item"\n'
        '  Table (block)\n    TR\n      TH:\n         /Scope /Column\n        "Year"\n    TR\n      TD\n        "2024"\n'
        '  P (block)\n    "H2O"\n')


def test_pdfjs_reads_roles_order_alt_and_the_text_of_each_element(pdfjs):
    [page] = pdfjs["tagged"]
    assert page["tree"] is not None
    assert readers.outline([page["tree"]]) == OUTLINE
    elements = walk([page["tree"]])
    assert [e.get("alt") for e in elements if e["role"] in ("Figure", "P")] == [None, "A grey square", "Water"]
    # The text of each element's marked content, read in structure order.
    text = readers.pdfjs_text(page)
    leaves = [kid["id"] for e in elements for kid in e["children"] if kid.get("type") == "content"]
    assert [text[leaf] for leaf in leaves] == TEXT_IN_ORDER
    # Content order is drawing order: the footer artifact first, without an id, the heading last.
    assert page["marked"][0] == {"tag": "Artifact", "id": None, "text": "Page 1"}
    assert page["marked"][-1]["text"] == "Readers agree"
    assert page["unmarked"] == ""
    assert pdfjs["untagged text"][0]["unmarked"] == "Stray words"


def test_pdfium_reads_roles_order_alt_actual_text_and_table_scope(samples):
    readers.need("pdfium")
    [tree] = readers.pdfium_struct_trees(samples["tagged"])
    assert readers.outline(tree) == OUTLINE
    elements = walk(tree)
    by_role = {e["role"]: e for e in elements}
    assert by_role["Figure"]["alt"] == "A grey square"
    assert [(e["alt"], e["actual_text"]) for e in elements if e["role"] == "P"] == [(None, None), (None, "Water")]
    assert by_role["TH"]["attributes"] == [{"O": "Table", "Scope": "Column"}]
    assert [mcid for e in elements for mcid in e["mcids"]] == [0, 1, 2, 3, 4, 5, 6, 7]


def test_pdfjs_and_pdfium_agree_on_the_tree(samples, pdfjs):
    readers.need("pdfium")
    [page] = pdfjs["tagged"]
    [tree] = readers.pdfium_struct_trees(samples["tagged"])
    assert page["tree"] is not None
    assert readers.outline([page["tree"]]) == readers.outline(tree)
    leaves = [kid["id"] for e in walk([page["tree"]]) for kid in e["children"] if kid.get("type") == "content"]
    assert [int(leaf.rsplit("_mc", 1)[1]) for leaf in leaves] == [mcid for e in walk(tree) for mcid in e["mcids"]]
