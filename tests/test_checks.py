"""briefkit.checks.check_pdf: each check catches its own defect and only that one."""
from __future__ import annotations

import dataclasses
import io

import pytest
from reportlab.lib.pagesizes import A4, LETTER
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.pdfgen.canvas import Canvas

from briefkit.render.checks import Expectation, check_pdf
from briefkit.render.fonts import SANS, register_fonts
from briefkit.render.paper import PageSetup
from briefkit.render.tagging import TaggingCanvas

HEADINGS = ("Key judgments", "Bottom line")
EXPECT_ONE_A4 = Expectation(1, 1, PageSetup(paper="A4"), HEADINGS)


def make_pdf(*, pages: int = 1, size=A4, font: str | None = None, title: str | None = "A test document",
             lang: str | None = "en", lines=HEADINGS + ("Some body text on the page.",),
             roles: tuple[str, ...] = ("H1", "H2", "P"), tag: bool = True, canvas_class: type = TaggingCanvas) -> bytes:
    """A small tagged PDF drawn on a ReportLab canvas, each line one element of its role (the last
    role for lines beyond); by default it passes every check. `tag=False` draws the lines
    unmarked; a plain Canvas makes an untagged PDF."""
    register_fonts()
    font = font or SANS.font()
    buffer = io.BytesIO()
    canvas = canvas_class(buffer, pagesize=size, initialFontName=font, lang=lang)
    if title is not None:
        canvas.setTitle(title)
    canvas.setAuthor("Test author")
    canvas.setSubject("Test subject")
    canvas.setKeywords("test, checks")
    canvas.setCreator("tests")
    tagger = getattr(canvas, "briefkit_tagger", None)
    for _ in range(pages):
        canvas.setFont(font, 11)
        y = size[1] - 72
        for index, line in enumerate(lines):
            if tagger is not None and tag:
                node = canvas.structure_root.add(roles[min(index, len(roles) - 1)])
                with tagger.content(canvas, node):
                    canvas.drawString(72, y, line)
            else:
                canvas.drawString(72, y, line)
            y -= 16
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def results(pdf: bytes, expected: Expectation = EXPECT_ONE_A4) -> dict[str, tuple[bool, str]]:
    return {check.name: (check.ok, check.detail) for check in check_pdf(pdf, expected)}


def failing(pdf: bytes, expected: Expectation = EXPECT_ONE_A4) -> set[str]:
    return {name for name, (ok, _) in results(pdf, expected).items() if not ok}


def test_well_formed_pdf_passes_every_check():
    checks = results(make_pdf())
    assert {"page-count", "paper", "fonts-embedded", "metadata", "headings"} <= set(checks)
    assert all(ok for ok, _ in checks.values()), checks


def test_default_canvas_helvetica_fails_fonts_embedded():
    checks = results(make_pdf(font="Helvetica"))
    assert failing(make_pdf(font="Helvetica")) == {"fonts-embedded"}
    assert "Helvetica" in checks["fonts-embedded"][1]


def test_wrong_paper_size_fails_paper():
    assert failing(make_pdf(size=LETTER)) == {"paper"}


def test_letter_expectation_accepts_letter_paper():
    expected = Expectation(1, 1, PageSetup(paper="Letter"), HEADINGS)
    assert failing(make_pdf(size=LETTER), expected) == set()
    assert failing(make_pdf(size=A4), expected) == {"paper"}


def _without_title_key(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    info = writer._info.get_object()  # the document information dictionary
    del info[NameObject("/Title")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("variant", ["empty", "absent", "placeholder"])
def test_missing_title_fails_metadata(variant):
    pdf = make_pdf(title=None if variant == "placeholder" else "")  # ReportLab's default is "untitled"
    if variant == "absent":
        pdf = _without_title_key(pdf)
        assert "/Title" not in (PdfReader(io.BytesIO(pdf)).metadata or {})
    checks = results(pdf)
    assert failing(pdf) == {"metadata"}
    assert "Title" in checks["metadata"][1]


def test_template_without_title_fails_the_build_and_writes_nothing(project, cli):
    base = project / "templates/base.xml.j2"
    text = base.read_text(encoding="utf-8")
    start = text.index('<document title="')
    end = text.index('"\n', start)
    base.write_text(text[:start] + "<document" + text[end + 1:], encoding="utf-8")
    result = cli(project)
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert "metadata" in result.err and "Title" in result.err
    assert not list(project.glob("briefings/**/*.pdf"))


def test_missing_language_fails_metadata():
    checks = results(make_pdf(lang=None))
    assert not checks["metadata"][0]
    assert "Lang" in checks["metadata"][1]


def test_two_pages_fail_page_count_for_one_page_document():
    assert failing(make_pdf(pages=2)) == {"page-count"}
    assert failing(make_pdf(pages=2), Expectation(1, 2, PageSetup(paper="A4"), HEADINGS)) == set()


def test_missing_heading_fails_headings():
    pdf = make_pdf(lines=("Key judgments", "Some body text on the page."))
    checks = results(pdf)
    assert failing(pdf) == {"headings"}
    assert "Bottom line" in checks["headings"][1]


def test_unreadable_bytes_fail_cleanly():
    checks = check_pdf(b"%PDF-1.4 this is not really a pdf", EXPECT_ONE_A4)
    assert checks and not all(check.ok for check in checks)


TAGGED = {"tagged", "marked-content", "figure-alt", "heading-levels"}


def test_a_tagged_pdf_passes_the_tagged_checks_and_reads_in_order():
    checks = results(make_pdf(), dataclasses.replace(EXPECT_ONE_A4, spoken=HEADINGS + ("Some body text on the page.",)))
    assert TAGGED | {"reading-order"} <= set(checks)
    assert all(ok for ok, _ in checks.values()), checks
    assert "10 words" in checks["reading-order"][1]


def test_an_element_that_draws_nothing_is_left_out_of_the_structure():
    lines = (*HEADINGS, "", "Some body text on the page.")  # an empty paragraph, as an empty table cell draws
    pdf = make_pdf(lines=lines, roles=("H1", "H2", "P"))
    checks = results(pdf, dataclasses.replace(EXPECT_ONE_A4, spoken=HEADINGS + ("Some body text on the page.",)))
    assert all(ok for ok, _ in checks.values()), checks
    document = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    kids = document["/K"]
    assert [str(kid.get_object()["/S"]) for kid in kids] == ["/H1", "/H2", "/P"]
    assert "MCID 3" not in pdf.decode("latin-1")  # the page's MCIDs stay numbered 0, 1, 2


def test_an_untagged_pdf_fails_tagged_and_marked_content():
    assert failing(make_pdf(canvas_class=Canvas)) == {"tagged", "marked-content"}


def test_text_drawn_outside_marked_content_fails_marked_content():
    pdf = make_pdf(tag=False)
    checks = results(pdf)
    assert failing(pdf) == {"marked-content"}
    assert "(text)" in checks["marked-content"][1]


def test_a_skipped_heading_level_fails_heading_levels():
    pdf = make_pdf(roles=("H1", "H3", "P"))
    assert failing(pdf) == {"heading-levels"}
    assert "H3 follows H1" in results(pdf)["heading-levels"][1]


def test_a_figure_without_alternative_text_fails_figure_alt():
    pdf = make_pdf(roles=("H1", "H2", "Figure"))
    assert failing(pdf) == {"figure-alt"}


def test_a_structure_read_in_another_order_fails_reading_order():
    expected = dataclasses.replace(EXPECT_ONE_A4, spoken=("Bottom line", "Key judgments", "Some body text on the page."))
    checks = results(make_pdf(), expected)
    assert {name for name, (ok, _) in checks.items() if not ok} == {"reading-order"}
    assert "letter 1:" in checks["reading-order"][1] and "keyjudgments" in checks["reading-order"][1]


def test_a_font_drawn_only_inside_a_form_is_checked_for_embedding():
    """Stamped pages draw their text in form XObjects: a font there is checked like any other."""
    def stamped(font: str) -> bytes:
        register_fonts()
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4)
        canvas.beginForm("stamp")
        canvas.setFont(font, 9)
        canvas.drawString(72, 72, "Copy 1 of 3")
        canvas.endForm()
        canvas.doForm("stamp")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def fonts(pdf: bytes) -> tuple[bool, str]:
        [check] = [c for c in check_pdf(pdf, None, tagged=False) if c.name == "fonts-embedded"]
        return check.ok, check.detail

    assert fonts(stamped(SANS.font())) == (True, "1 fonts, all embedded")
    ok, detail = fonts(stamped("Helvetica"))
    assert not ok and "Helvetica" in detail


def test_a_text_longer_than_the_reading_buffer_reads_whole():
    line = "word " * 2000  # one text object of 10,000 characters
    checks = results(make_pdf(lines=(*HEADINGS, line)), dataclasses.replace(EXPECT_ONE_A4, spoken=(*HEADINGS, line)))
    assert checks["reading-order"][0], checks["reading-order"]
