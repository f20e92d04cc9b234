"""Tagged PDFs, as independent readers meet them: pdfua (a PDF/UA-1 checker), poppler, pdf.js
(Firefox) and PDFium (Chrome), on every output of a build of two unlike content sets (the shipped
essay in English and Korean, and a second, unsigned one), its meeting packets and numbered copies."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from conftest import TWO_SETS, copy_project, jobs, markup, tool
from essays import water_set, write_set
from readers import (need, outline, pdfium_struct_trees, pdfjs_struct_trees, pdfjs_text, pdfua_findings,
                     poppler_struct_text, poppler_tagged)

from briefkit.render.checks import words
from briefkit.render.markup import spoken
from briefkit.render.tagged_reading import read_structure


def _outputs(project: Path) -> list[dict]:
    return json.loads((project / "briefings/manifest.json").read_text(encoding="utf-8"))["outputs"]


def _pdfs(project: Path, tagged: bool = True) -> list[Path]:
    return [project / entry["path"] for entry in _outputs(project)
            if entry["path"].endswith(".pdf") and entry.get("tagged", False) == tagged]


def _documents(project: Path) -> list[tuple[Path, object]]:
    """(PDF, job) of every document built: both sets, every audience."""
    return [(project / job.path, job) for job in jobs(project) if (project / job.path).exists()]


def test_every_output_handed_out_is_tagged_and_the_handout_says_it_is_not(two_sets):
    project = two_sets[0]
    entries = [e for e in _outputs(project) if e["path"].endswith(".pdf")]
    kinds = {e["kind"] for e in entries if e["tagged"]}
    assert {"brief", "timeline", "factsheet", "packet", "copy", "register"} <= kinds
    assert any(e["content_set"] == TWO_SETS for e in entries if e["tagged"])
    handouts = [e for e in entries if e["kind"] == "handout"]
    assert handouts and all(e["tagged"] is False and e["print_only"] is True for e in handouts)
    for entry in entries:
        if entry["tagged"]:
            checks = {c["name"]: c["ok"] for c in entry["checks"]}
            full = entry["kind"] != "copy" or entry["copy"] == 1  # later copies: the packet's tags, kept
            wanted = {"tagged", "marked-content", "figure-alt", "heading-levels"} if full else {"tagged", "stamp"}
            assert wanted <= set(checks), entry["path"]
            assert all(checks.values()), entry


def test_pdfua_finds_nothing_in_any_tagged_output(two_sets):
    need("pdfua")
    findings = {str(path.relative_to(two_sets[0])): pdfua_findings(path) for path in _pdfs(two_sets[0])}
    assert len(findings) > 30
    assert {path: found for path, found in findings.items() if found} == {}


def test_pdfua_tells_the_untagged_handout_apart(two_sets):
    need("pdfua")
    [handout, *_] = _pdfs(two_sets[0], tagged=False)
    assert {"UA-01-005", "UA-01-002"} <= {f["rule_id"] for f in pdfua_findings(handout)}


def _heard(document: ElementTree.Element, spoken: tuple[str, ...]) -> list[str]:
    """The markup's words without the charts' alternative texts, which poppler does not show."""
    alts = {element.get("alt") for element in document.iter() if element.tag in ("timeline-chart", "bar-chart")}
    return words([text for text in spoken if text not in alts])


def _poppler_words(text: str) -> list[str]:
    """The words poppler's structure dump shows, leaving out what is inside a Figure (its shapes'
    labels: a reader gets its /Alt) and list labels (markers a reader announces itself)."""
    kept, skip_deeper = [], None
    for line in text.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        if skip_deeper is not None and depth > skip_deeper:
            continue
        skip_deeper = None
        if body.startswith('"'):
            kept.append(body.strip('"'))
        elif body.split(" ")[0].rstrip(":") in ("Figure", "Lbl"):
            skip_deeper = depth
    return words(kept)


def test_poppler_reads_each_document_as_tagged_in_the_order_of_its_markup(two_sets):
    tool("pdfinfo")
    project = two_sets[0]
    documents = _documents(project)
    assert {job.content.name for _, job in documents} == {"nk-china", TWO_SETS}
    assert {job.language for _, job in documents} == {"en", "ko"}
    for path, job in documents:
        assert poppler_tagged(path), path
        document, _ = markup(project, job)
        root = ElementTree.Element("document")
        root.extend(document.body)
        wanted = _heard(root, tuple(spoken(document)))
        assert _poppler_words(poppler_struct_text(path)) == wanted, path


def _contents(nodes: list) -> list[str]:
    """The ids of the marked content under pdf.js tree nodes: each element's own, then its child
    elements' (the order PDFium's reader gives them in, which keeps kids of the two sorts apart)."""
    found: list[str] = [node["id"] for node in nodes if node.get("type") == "content"]
    for node in nodes:
        if node.get("type") != "content":
            found += _contents(node.get("children", []))
    return found


def test_pdfjs_and_pdfium_read_the_same_structure_with_text_for_every_piece(two_sets):
    need("pdfjs")
    need("pdfium")
    project = two_sets[0]
    paths = [path for path, _ in _documents(project)]
    paths += [p for p in _pdfs(project) if p.name.endswith("-packet.pdf")]
    trees = pdfjs_struct_trees(paths)
    roles_seen: set[str] = set()
    for path in paths:
        pdfium = pdfium_struct_trees(path)
        for number, (page, elements) in enumerate(zip(trees[str(path)], pdfium), start=1):
            where = f"{path.name} page {number}"
            assert page["tree"] is not None and page["unmarked"] == "", where
            text = pdfjs_text(page)
            ids = _contents(page["tree"]["children"])
            blank = not any(piece["id"] for piece in page["marked"])  # a packet's blank page: artifacts only
            assert (ids or blank) and all(text.get(content, "").strip() for content in ids), where  # text in each
            assert [int(content.rsplit("_mc", 1)[1]) for content in ids] == _pdfium_mcids(elements), where
            roles = {role for _, role in outline(elements)}
            roles_seen |= roles
            assert {role for _, role in outline(page["tree"]["children"])} <= roles | {"L", "LI", "LBody", "Table",
                                                                                         "TR", "TH", "TD", "Lbl"}
    assert {"Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Figure",
            "Sect", "BlockQuote", "Part"} <= roles_seen


def _pdfium_mcids(elements: list) -> list[int]:
    found: list[int] = []
    for element in elements:
        found += element["mcids"]
        found += _pdfium_mcids(element["children"])
    return found


def test_pdfium_sees_header_scope_figure_text_and_key_figures_read_as_value_and_label(two_sets):
    need("pdfium")
    project = two_sets[0]
    path = project / "briefings/nk-china/analysts/nk-china-timeline-analysts.pdf"
    flat = _flatten(pdfium_struct_trees(path))
    headers = [e for e in flat if e["role"] == "TH"]
    assert headers and all({"O": "Table", "Scope": "Column"} in e["attributes"] for e in headers)
    [figure] = [e for e in flat if e["role"] == "Figure"]
    assert re.search(r"1950 to 2019 \(38 in all\).*Chronology", figure["alt"] or ""), figure["alt"]
    brief = _flatten(pdfium_struct_trees(project / "briefings/nk-china/analysts/nk-china-brief-analysts.pdf"))
    figures = [e["actual_text"] for e in brief if e["role"] == "LBody" and e["actual_text"]]
    assert figures and all(re.fullmatch(r"\S+ \u2014 .+", text) for text in figures), figures


def _flatten(pages: list[list]) -> list:
    found = []
    pending = [element for page in pages for element in page]
    while pending:
        element = pending.pop(0)
        found.append(element)
        pending[:0] = element["children"]
    return found


def test_the_korean_edition_and_the_unsigned_set_declare_their_language(two_sets):
    project = two_sets[0]
    for path, job in _documents(project):
        catalog = PdfReader(path).trailer["/Root"]
        assert str(catalog["/Lang"]) == job.language, path
        metadata = catalog["/Metadata"].get_object().get_data().decode("utf-8")
        assert f"<rdf:li>{job.language}</rdf:li>" in metadata and "<pdfuaid:part>1</pdfuaid:part>" in metadata


def test_tagging_draws_nothing_a_page_shows(two_sets, tmp_path):
    """The marked-content operators removed, every page renders to the same pixels."""
    pdftoppm = tool("pdftoppm")
    from pypdf import PdfWriter
    from pypdf.generic import ContentStream

    source = two_sets[0] / "briefings/nk-china/us-staff/nk-china-factsheet-us-staff.pdf"
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        content = ContentStream(page.get_contents(), writer)
        content.operations = [(operands, op) for operands, op in content.operations
                              if op not in (b"BDC", b"BMC", b"EMC")]
        page.replace_contents(content)
    stripped = tmp_path / "stripped.pdf"
    with stripped.open("wb") as handle:
        writer.write(handle)
    for name, pdf in (("tagged", source), ("stripped", stripped)):
        subprocess.run([pdftoppm, "-r", "50", "-png", str(pdf), str(tmp_path / name)], check=True)
    tagged = sorted(tmp_path.glob("tagged-*.png"))
    assert len(tagged) == 2
    for page in tagged:
        assert page.read_bytes() == (tmp_path / page.name.replace("tagged", "stripped")).read_bytes(), page.name


def test_words_in_another_script_are_spans_in_their_language(two_sets, tmp_path, cli):
    need("pdfium")
    briefs = two_sets[0] / "briefings/nk-china"
    korean = _flatten(pdfium_struct_trees(briefs / "rok-officials/nk-china-brief-rok-officials.pdf"))
    # The Korean edition's only Latin letters are locators (p14), read well enough in Korean.
    assert not [e for e in korean if e["role"] == "Span"]
    english = _flatten(pdfium_struct_trees(briefs / "us-staff/nk-china-brief-us-staff.pdf"))
    assert not [e for e in english if e["role"] == "Span"]  # one script: nothing to mark
    project = copy_project(tmp_path / "project", audiences=("base", "analysts"))
    files = water_set()
    files["people"]["people"][1]["name"] = "Lee Jae-won (\uc774\uc7ac\uc6d0)"
    write_set(project, TWO_SETS, files)
    result = cli(project, "--set", TWO_SETS, "--kind", "factsheet", "-q")
    assert result.code == 0, result.output
    factsheet = project / f"briefings/{TWO_SETS}/analysts/{TWO_SETS}-factsheet-analysts.pdf"
    spans = [e for e in _flatten(pdfium_struct_trees(factsheet)) if e["role"] == "Span"]
    assert [e["lang"] for e in spans] == ["ko"]
    assert "\uc774\uc7ac\uc6d0" in poppler_struct_text(factsheet).split("Span (inline)")[1].splitlines()[1]
