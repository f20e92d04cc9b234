"""Independent readers of tagged PDFs, for tests that check what briefkit's tagging produces.

A tagged PDF is only as good as what other programs make of it, so each reader here is a
different program's view, returned as plain Python data (dicts, lists, strings) that a test can
compare across readers:

- pdfua: a PDF/UA-1 checker (PyPI `pdfua`, on pikepdf/QPDF): its findings.
- poppler: `pdfinfo`, whether the file says it is tagged, and its structure tree with text.
- pdf.js: Firefox's reader (npm `pdfjs-dist`, run by Node from tests/js/): the structure tree
  of each page and the text of each marked-content sequence.
- PDFium: Chrome's reader (PyPI `pypdfium2`): the structure tree of each page through its C API.

A reader whose program is not installed raises `ReaderMissing`; `missing(reader)` says so in
advance and `need(reader)` turns it into a skip, or a failure when BRIEFKIT_REQUIRE_TOOLS=1 (CI),
as conftest.tool() does for system tools.
"""
from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypedDict

JS = Path(__file__).resolve().parent / "js"  # the Node project that runs pdf.js
READERS = ("pdfua", "poppler", "pdfjs", "pdfium")
REQUIRED = os.environ.get("BRIEFKIT_REQUIRE_TOOLS") == "1"  # as in conftest: CI fails, never skips

# PDFium's C functions the structure-tree reader calls; an older pypdfium2 may lack some.
PDFIUM_FUNCTIONS = (
    "FPDF_StructTree_GetForPage", "FPDF_StructTree_CountChildren", "FPDF_StructTree_GetChildAtIndex",
    "FPDF_StructTree_Close", "FPDF_StructElement_GetType", "FPDF_StructElement_GetAltText",
    "FPDF_StructElement_GetActualText", "FPDF_StructElement_GetLang", "FPDF_StructElement_CountChildren",
    "FPDF_StructElement_GetChildAtIndex", "FPDF_StructElement_GetChildMarkedContentID",
    "FPDF_StructElement_GetAttributeCount", "FPDF_StructElement_GetAttributeAtIndex",
    "FPDF_StructElement_Attr_GetCount", "FPDF_StructElement_Attr_GetName", "FPDF_StructElement_Attr_GetValue",
    "FPDF_StructElement_Attr_GetType", "FPDF_StructElement_Attr_GetStringValue",
    "FPDF_StructElement_Attr_GetNumberValue", "FPDF_StructElement_Attr_GetBooleanValue",
    "FPDF_StructElement_Attr_CountChildren", "FPDF_StructElement_Attr_GetChildAtIndex",
)


class ReaderMissing(RuntimeError):
    """The program behind a reader is not installed; tests skip (or fail in CI) on it."""


class ReaderError(RuntimeError):
    """The reader ran and could not read the file: a finding about the file, never a skip."""


# ------------------------------------------------------------------ what the readers return


class Finding(TypedDict):
    """One pdfua finding. severity is "error", "warning" or "info", or "skipped" for a rule that
    could not run on the file (pdfua 0.1.3 reports such rules apart; a silent skip would read as
    a pass)."""

    rule_id: str
    severity: str
    message: str
    confidence: str  # "certain" or "heuristic"
    page: int | None
    role: str | None  # the structure role the finding is about, e.g. "/Figure"


class PdfjsContent(TypedDict):
    """A leaf of a pdf.js tree: type "content" with id "p<page ref>_mc<MCID>" (e.g. "p3R_mc0"),
    "object" with an object id, or "annotation" with an annotation id."""

    type: str
    id: str


class _PdfjsNode(TypedDict):
    role: str
    children: list[PdfjsNode | PdfjsContent]


class PdfjsNode(_PdfjsNode, total=False):
    """A structure element as pdf.js's getStructTree() gives it. The top node has role "Root".
    alt is /Alt or, where there is none, /ActualText (pdf.js does not say which); bbox comes from
    an /A dictionary's /BBox; no other attribute (/Scope, /Headers, /O) is given."""

    alt: str
    lang: str
    bbox: list[float]
    mathML: str


class PdfjsMarked(TypedDict):
    """One marked-content sequence in content-stream order: its tag ("P", "Artifact", …), its id
    (as in PdfjsContent; None without an /MCID) and its text, trimmed."""

    tag: str | None
    id: str | None
    text: str


class PdfjsPage(TypedDict):
    """One page: its structure tree (None when the page has none), its marked-content sequences,
    and the text outside any of them (untagged content: "" in a well-tagged page)."""

    tree: PdfjsNode | None
    marked: list[PdfjsMarked]
    unmarked: str


AttributeValue = str | float | bool | list[Any] | None


class PdfiumNode(TypedDict):
    """A structure element as PDFium reads it. role is the /S mapped through /RoleMap; alt,
    actual_text and lang are None when absent; attributes holds one dict per /A attribute
    dictionary, /O included (names without the slash: {"O": "Table", "Scope": "Column"});
    mcids are the element's own marked-content ids, children its child elements, each in /K
    order."""

    role: str
    alt: str | None
    actual_text: str | None
    lang: str | None
    attributes: list[dict[str, AttributeValue]]
    mcids: list[int]
    children: list[PdfiumNode]


# ------------------------------------------------------------------ is a reader there?


def _pinned_pdfjs() -> str:
    manifest = json.loads((JS / "package.json").read_text(encoding="utf-8"))
    return str(manifest["dependencies"]["pdfjs-dist"])


def missing(reader: str) -> str | None:
    """Why `reader` (one of READERS) cannot run here, or None when it can."""
    if reader == "pdfua":
        return None if importlib.util.find_spec("pdfua") else "pdfua is not installed (pip install -e '.[test]')"
    if reader == "poppler":
        return None if shutil.which("pdfinfo") else "pdfinfo (poppler-utils) is not on PATH"
    if reader == "pdfjs":
        if shutil.which("node") is None:
            return "node is not on PATH"
        installed = JS / "node_modules" / "pdfjs-dist" / "package.json"
        if not installed.is_file():
            return "pdfjs-dist is not installed (npm ci in tests/js)"
        version = json.loads(installed.read_text(encoding="utf-8")).get("version")
        if version != _pinned_pdfjs():
            return f"pdfjs-dist {version} is installed, tests/js pins {_pinned_pdfjs()} (npm ci in tests/js)"
        return None
    if reader == "pdfium":
        if importlib.util.find_spec("pypdfium2") is None:
            return "pypdfium2 is not installed"
        from pypdfium2 import raw

        absent = [name for name in PDFIUM_FUNCTIONS if not hasattr(raw, name)]
        return f"this pypdfium2 lacks {', '.join(absent)}" if absent else None
    raise ValueError(f"unknown reader {reader!r}; readers are {', '.join(READERS)}")


def _check(reader: str) -> None:
    reason = missing(reader)
    if reason is not None:
        raise ReaderMissing(reason)


def need(reader: str) -> None:
    """In a test: skip when `reader` cannot run here, fail instead under BRIEFKIT_REQUIRE_TOOLS=1."""
    import pytest

    reason = missing(reader)
    if reason is not None:
        if REQUIRED:
            pytest.fail(f"the {reader} reader is required (BRIEFKIT_REQUIRE_TOOLS=1): {reason}")
        pytest.skip(reason)


# ------------------------------------------------------------------ pdfua


def pdfua_findings(path: str | os.PathLike[str]) -> list[Finding]:
    """pdfua's findings on the PDF at `path`, rules that could not run included (see Finding).

    pdfua 0.1.3 reads each element's /S as written, not through /RoleMap: an element mapped to
    /Figure or /H1 is not checked as one.

    Through pdfua's Python API (validate() and its typed Report), not its CLI: the same data
    as `pdfua check --format json`, without a process per file.
    """
    _check("pdfua")
    import pdfua

    try:
        report = pdfua.validate(os.fspath(path))
    except pdfua.PdfuaError as error:
        raise ReaderError(str(error)) from error
    findings: list[Finding] = [
        {"rule_id": f.rule_id, "severity": f.severity.name.lower(), "message": f.message,
         "confidence": f.confidence.value, "page": f.location.page, "role": f.location.struct_role}
        for f in report.findings
    ]
    findings += [
        {"rule_id": o.rule_id, "severity": "skipped", "message": o.skipped_reason or "", "confidence": "certain",
         "page": None, "role": None}
        for o in report.skipped
    ]
    return findings


# ------------------------------------------------------------------ poppler


def _pdfinfo(path: str | os.PathLike[str], *options: str) -> str:
    _check("poppler")
    # poppler prints an element's /T title as its raw bytes (UTF-16 with a byte-order mark when it
    # is not Latin-1), so the output is not always UTF-8: such bytes are replaced, not fatal
    result = subprocess.run(["pdfinfo", "-enc", "UTF-8", *options, os.fspath(path)], check=False,
                            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60)
    if result.returncode != 0:
        raise ReaderError(f"pdfinfo {' '.join(options)} {path}: {result.stderr.strip()}")
    return result.stdout


def poppler_tagged(path: str | os.PathLike[str]) -> bool:
    """Whether pdfinfo says `Tagged: yes` (poppler's test: the catalog's /MarkInfo /Marked)."""
    for line in _pdfinfo(path).splitlines():
        if line.startswith("Tagged:"):
            return line.split(":", 1)[1].strip() == "yes"
    raise ReaderError(f"pdfinfo printed no Tagged: line for {path}")


def poppler_struct_text(path: str | os.PathLike[str]) -> str:
    """`pdfinfo -struct-text`: the structure tree, two spaces a level, each element as
    `Role (placement)` with its attributes, and its text in quotes beneath it. The text is
    the page content's, not /ActualText, and neither /Alt nor /Lang is shown. Roles are mapped
    through /RoleMap; an element of a role neither standard nor mapped is left out, its text
    with it. Elements without content are shown (an empty heading, unlike pdf.js and PDFium)."""
    return _pdfinfo(path, "-struct-text")


# ------------------------------------------------------------------ pdf.js


def pdfjs_struct_trees(paths: Iterable[str | os.PathLike[str]]) -> dict[str, list[PdfjsPage]]:
    """pdf.js's view of each PDF, one Node process for all of them: {str(path): [page, ...]}.

    Like PDFium, pdf.js builds a page's tree from the parent tree: an element with no content
    on the page (an empty heading) is not in it. Unlike PDFium, it then adds every child element
    of an L, LI, LBody, Table, THead, TBody, TFoot or TR it reached: a table or list split over
    pages is whole in the tree of each of its pages. Roles are mapped through /RoleMap.

    A file pdf.js cannot open raises ReaderError naming it.
    """
    _check("pdfjs")
    names = [os.fspath(path) for path in paths]
    if not names:
        return {}
    result = subprocess.run(["node", str(JS / "struct-tree.mjs"), *names], check=False, capture_output=True,
                            text=True, encoding="utf-8", timeout=300)
    if result.returncode != 0:
        raise ReaderError(f"pdf.js (tests/js/struct-tree.mjs) failed: {result.stderr.strip()}")
    read = json.loads(result.stdout)
    errors = [f"{name}: {read[name]['error']}" for name in names if "error" in read[name]]
    if errors:
        raise ReaderError("pdf.js could not read " + "; ".join(errors))
    return {name: read[name]["pages"] for name in names}


def pdfjs_text(page: PdfjsPage) -> dict[str, str]:
    """The text of each marked-content id on a pdf.js page ({"p3R_mc0": "Heading", …})."""
    return {mark["id"]: mark["text"] for mark in page["marked"] if mark["id"] is not None}


# ------------------------------------------------------------------ PDFium


def _utf16(function: Any, *arguments: Any) -> str | None:
    """A string from one of PDFium's (handle, buffer, length) getters; None when absent."""
    size = function(*arguments, None, 0)
    if size == 0:
        return None
    buffer = ctypes.create_string_buffer(size)
    function(*arguments, buffer, size)
    return buffer.raw[:size].decode("utf-16-le").rstrip("\x00")


def _attribute_value(raw: Any, value: Any) -> AttributeValue:
    kind = raw.FPDF_StructElement_Attr_GetType(value)
    if kind == raw.FPDF_OBJECT_BOOLEAN:
        flag = raw.FPDF_BOOL()
        raw.FPDF_StructElement_Attr_GetBooleanValue(value, ctypes.byref(flag))
        return bool(flag.value)
    if kind == raw.FPDF_OBJECT_NUMBER:
        number = ctypes.c_float()
        raw.FPDF_StructElement_Attr_GetNumberValue(value, ctypes.byref(number))
        return float(number.value)
    if kind in (raw.FPDF_OBJECT_STRING, raw.FPDF_OBJECT_NAME):
        size = ctypes.c_ulong()
        raw.FPDF_StructElement_Attr_GetStringValue(value, None, 0, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        raw.FPDF_StructElement_Attr_GetStringValue(value, buffer, size.value, ctypes.byref(size))
        return buffer.raw[:size.value].decode("utf-16-le").rstrip("\x00")
    if kind == raw.FPDF_OBJECT_ARRAY:
        return [_attribute_value(raw, raw.FPDF_StructElement_Attr_GetChildAtIndex(value, index))
                for index in range(raw.FPDF_StructElement_Attr_CountChildren(value))]
    return None


def _attributes(raw: Any, element: Any) -> list[dict[str, AttributeValue]]:
    out: list[dict[str, AttributeValue]] = []
    for index in range(max(raw.FPDF_StructElement_GetAttributeCount(element), 0)):
        attribute = raw.FPDF_StructElement_GetAttributeAtIndex(element, index)
        entries: dict[str, AttributeValue] = {}
        for key in range(max(raw.FPDF_StructElement_Attr_GetCount(attribute), 0)):
            size = ctypes.c_ulong()
            raw.FPDF_StructElement_Attr_GetName(attribute, key, None, 0, ctypes.byref(size))
            buffer = ctypes.create_string_buffer(size.value)
            raw.FPDF_StructElement_Attr_GetName(attribute, key, buffer, size.value, ctypes.byref(size))
            name = buffer.raw[:size.value].rstrip(b"\x00").decode("latin-1")
            entries[name] = _attribute_value(raw, raw.FPDF_StructElement_Attr_GetValue(attribute, name.encode()))
        out.append(entries)
    return out


def _pdfium_node(raw: Any, element: Any, depth: int = 0) -> PdfiumNode:
    if depth > 200:
        raise ReaderError("structure tree deeper than 200 levels")
    children: list[PdfiumNode] = []
    mcids: list[int] = []
    for index in range(max(raw.FPDF_StructElement_CountChildren(element), 0)):
        child = raw.FPDF_StructElement_GetChildAtIndex(element, index)
        if child:
            children.append(_pdfium_node(raw, child, depth + 1))
        else:
            mcid = raw.FPDF_StructElement_GetChildMarkedContentID(element, index)
            if mcid >= 0:
                mcids.append(mcid)
    return {
        "role": _utf16(raw.FPDF_StructElement_GetType, element) or "",
        "alt": _utf16(raw.FPDF_StructElement_GetAltText, element),
        "actual_text": _utf16(raw.FPDF_StructElement_GetActualText, element),
        "lang": _utf16(raw.FPDF_StructElement_GetLang, element),
        "attributes": _attributes(raw, element),
        "mcids": mcids,
        "children": children,
    }


def pdfium_struct_trees(path: str | os.PathLike[str]) -> list[list[PdfiumNode]]:
    """PDFium's structure tree of each page: per page, the top-level elements (normally one,
    the Document). PDFium builds a page's tree from the parent tree, so it holds only elements
    that have content on that page and their ancestors (an empty heading is not there), and
    it gives no tree at all without /MarkInfo /Marked true. Object references (/OBJR, as for a
    link annotation) are not listed."""
    _check("pdfium")
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    try:
        document = pdfium.PdfDocument(os.fspath(path))
    except pdfium.PdfiumError as error:
        raise ReaderError(f"PDFium could not open {path}: {error}") from error
    pages: list[list[PdfiumNode]] = []
    try:
        for number in range(len(document)):
            page = document[number]
            tree = raw.FPDF_StructTree_GetForPage(page.raw)
            try:
                count = raw.FPDF_StructTree_CountChildren(tree) if tree else 0
                pages.append([_pdfium_node(raw, raw.FPDF_StructTree_GetChildAtIndex(tree, index))
                              for index in range(max(count, 0))])
            finally:
                if tree:
                    raw.FPDF_StructTree_Close(tree)
                page.close()
    finally:
        document.close()
    return pages


# ------------------------------------------------------------------ comparing readers


def outline(nodes: Sequence[PdfjsNode | PdfiumNode | PdfjsContent], depth: int = 0) -> list[tuple[int, str]]:
    """(depth, role) of every element, depth first in reading order, for pdf.js and PDFium trees
    alike (pdf.js's "Root" and content leaves left out), so two readers' trees compare with ==.
    Per page they differ where a table or list goes on over a page (see pdfjs_struct_trees)."""
    out: list[tuple[int, str]] = []
    for node in nodes:
        role = node.get("role")
        if not isinstance(role, str):
            continue  # a pdf.js content leaf
        children: Any = node.get("children", [])
        if role == "Root" and depth == 0:
            out += outline(children, depth)
            continue
        out.append((depth, role))
        out += outline(children, depth + 1)
    return out
