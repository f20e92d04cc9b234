"""End to end through `python build.py` in a subprocess, checked with pypdf and poppler/qpdf."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import PDF, copy_project, pdf_text, tool

A4 = (595.0, 842.0)


def run_build(project: Path, *argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *argv], cwd=project, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    project = copy_project(tmp_path_factory.mktemp("e2e") / "project")
    return project, run_build(project)


def test_build_py_succeeds_with_a_summary(e2e):
    _, result = e2e
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"built {re.escape(PDF)}\s+1 page,", result.stdout), result.stdout
    assert "3 documents built" in result.stdout


def test_built_pdf_is_a_one_page_a4_brief(e2e):
    project, result = e2e
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(project / PDF))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) <= 1 and abs(float(box.height) - A4[1]) <= 1
    text = pdf_text(project / PDF)
    for expected in ("North Korea-China ties are a party-to-party special relationship",
                     'will not become "normal"', "Key judgments", "Bottom line", "Implications"):
        assert expected in text, expected


def test_built_pdf_embeds_every_font(e2e):
    project, _ = e2e
    page = PdfReader(str(project / PDF)).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert len(fonts) >= 2
    for ref in fonts.values():
        font = ref.get_object()
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font.get("/BaseFont")


def test_built_pdf_has_title_author_and_language(e2e):
    project, _ = e2e
    reader = PdfReader(str(project / PDF))
    info = reader.metadata
    assert str(info.get("/Title", "")).strip()
    assert str(info.get("/Author", "")).strip()
    assert "North Korea-China ties" in str(info["/Title"])
    assert str(reader.trailer["/Root"]["/Lang"]) == "en"


def test_qpdf_finds_no_structural_errors(e2e):
    qpdf = tool("qpdf")
    project, _ = e2e
    result = subprocess.run([qpdf, "--check", str(project / PDF)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pdffonts_reports_every_font_embedded(e2e):
    pdffonts = tool("pdffonts")
    project, _ = e2e
    result = subprocess.run([pdffonts, str(project / PDF)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header, dashes, rows = lines[0], lines[1], lines[2:]
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]
    columns = [header[start:end].strip() for start, end in spans]
    emb = columns.index("emb")
    assert rows, result.stdout
    for row in rows:
        start, end = spans[emb]
        assert row[start:end].strip() == "yes", row


def test_source_date_epoch_makes_builds_byte_identical(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = copy_project(tmp_path / "first")
    second = copy_project(tmp_path / "second")
    assert run_build(first, "-q", env=env).returncode == 0
    time.sleep(1.1)  # a wall-clock timestamp would now differ
    assert run_build(second, "-q", env=env).returncode == 0
    one, two = (first / PDF).read_bytes(), (second / PDF).read_bytes()
    assert one == two
