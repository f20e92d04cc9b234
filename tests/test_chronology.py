"""The chronology and any table that flows: rows move on or split, never a traceback.

Tables here come from content unlike the shipped essay: notes of any length, rows taller than the
space under the chart or than a whole page, and elements too large for any page. The fuzz test
lays out whole generated timelines, and checks their graphic for overlaps too.
"""
from __future__ import annotations

import io
import json
import re
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefkit.errors import BriefkitError, LayoutError
from briefkit.render.layout import fit_to_pages
from briefkit.render.paper import PageSetup
from briefkit.render.styles import Theme, make_styles
from briefkit.render.timeline_chart import TimelineChart
from briefkit.render.vocabulary import build_story, parse
from conftest import SET, TIMELINE_PDF, copy_project, edit, normalize, pdf_text
from test_timeline_and_factsheet import _assert_nothing_collides

LANDSCAPE = PageSetup("A4", "landscape")
WORDS = "the record is unclear here and accounts differ on the date and on who was present".split()


def words(count: int, seed: int = 0) -> str:
    return " ".join(WORDS[(seed + i) % len(WORDS)] for i in range(count))


def timeline_markup(events: list[tuple[str, str, str, str]], lanes: list[str], chart: bool = True) -> str:
    """A timeline document as the shipped template writes it: (date, lane, label, note) per event."""
    lane_tags = "".join(f'<lane id="l{i}" title={quoteattr(title)}/>' for i, title in enumerate(lanes))
    event_tags = "".join(f'<event n="{n}" date="{date}" lane="{lane}" label={quoteattr(label)}/>'
                         for n, (date, lane, label, _) in enumerate(events, 1))
    rows = "".join(f"<row><cell>{n}</cell><cell>{date}</cell><cell><b>{label}.</b> <i>first{n} {note} last{n}</i> "
                   f"<ref>[p{n}]</ref></cell></row>" for n, (date, _, label, note) in enumerate(events, 1))
    graphic = f"<timeline-chart alt=\"A timeline\">{lane_tags}{event_tags}</timeline-chart>" if chart else ""
    return (f'<document title="t" lang="en"><running-footer left="Timeline" right="Page {{page}} of {{pages}}"/>'
            f"<title>A timeline of anything</title><subtitle>Events from content unlike the first essay</subtitle>"
            f'{graphic}<spacer height="3"/><flow columns="2" gap="7"><h2>Chronology</h2>'
            f'<table widths="5 15 80" size="small"><row header="yes"><cell>#</cell><cell>Date</cell>'
            f"<cell>Event and source</cell></row>{rows}</table></flow></document>")


def lay_out_timeline(markup: str, pages: int = 30):  # type: ignore[no-untyped-def]
    return fit_to_pages(parse(markup, "timeline.xml.j2"), LANDSCAPE, Theme(), pages, "test/timeline")


def text_of(pdf: bytes) -> str:
    return normalize(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def test_a_long_note_under_the_chart_no_longer_crashes_the_build(project, cli):
    """The reported case: one event with a note of about 120 words, taller than the space under
    the chart, used to end in ReportLab's LayoutError traceback."""
    note = words(120)
    edit(project, f"content/{SET}/timeline.yaml", "    lane: doctrine\n    refs: [p7]",
         f'    lane: doctrine\n    note: "{note}"\n    refs: [p7]')
    profile = project / "templates/audiences/analysts.yaml"
    profile.write_text(profile.read_text() + "page_limits: {timeline: 3}\n")
    result = cli(project, "--kind", "timeline")
    assert result.code == 0, result.output
    assert "Traceback" not in result.err
    assert normalize(note[-60:]) in pdf_text(project / TIMELINE_PDF)


def test_a_row_that_fits_a_column_moves_on_whole_with_the_heading_kept_above_the_table():
    events = [("1990", "l0", f"Event {n}", words(12 if n != 4 else 70, n)) for n in range(1, 13)]
    rendered = lay_out_timeline(timeline_markup(events, ["Only lane"]))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    first = normalize(reader.pages[0].extract_text())
    assert "Chronology" in first and "first1" in first, "the heading stays with the first row"
    for n in range(1, 13):  # no row is cut: each row's first and last word are on one page
        assert any(f"first{n}" in page and f"last{n}" in page
                   for page in (normalize(p.extract_text()) for p in reader.pages)), n


def test_a_row_taller_than_a_whole_page_is_split_across_columns_and_pages():
    events = [("1950", "l0", "A short one", "brief"), ("1951", "l0", "A very long one", words(900)),
              ("1952", "l1", "After it", "brief")]
    rendered = lay_out_timeline(timeline_markup(events, ["One", "Two"]))
    assert rendered.pages >= 2
    text = text_of(rendered.pdf)
    for n in (1, 2, 3):
        assert f"first{n}" in text and f"last{n}" in text
    assert text.index("first2") < text.index("last2") < text.index("first3")
    assert text.count("Event and source") >= 3, "the header repeats over every part of the split row"


def test_a_row_too_tall_for_any_frame_is_cut_right_under_the_rows_before_it():
    """After rows that fit, a row no frame holds whole continues in the same column at once: the
    header is repeated only at the top of the next column, never halfway down this one."""
    events = [("1950", "l0", "Short", "brief"), ("1951", "l0", "Long", words(700))]
    rendered = lay_out_timeline(timeline_markup(events, ["One", "Two"]))
    first = normalize(PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text())
    header = first.index("Event and source")
    again = first.index("Event and source", header + 1)  # over the second column
    assert first.index("last1") < first.index("first2") < again, "row 2 starts under row 1, in the first column"
    assert first.count("Event and source") == 2


def test_a_row_split_under_a_short_first_page_fills_it():
    """A row taller than the short columns under the chart starts there rather than leaving the
    first page empty under the chart."""
    events = [("1950", "l0", "Long", words(300))] + [(str(1950 + n), f"l{n % 6}", f"E{n}", "short")
                                                     for n in range(2, 12)]
    rendered = lay_out_timeline(timeline_markup(events, [f"Lane {n}" for n in range(6)]))
    first = normalize(PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text())
    header = first.index("Event and source")
    again = first.index("Event and source", header + 1)  # repeated over the second column
    assert "Chronology" in first and first.index("first1") < again < first.index("last1")


def test_a_row_that_cannot_be_split_is_a_located_error_naming_the_row():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Spacer

    from briefkit.render.paragraphs import Paragraph
    from briefkit.render.tables import FlowingTable, Row

    title = Paragraph("Event 7: the unsplittable one", ParagraphStyle("cell"))
    rows = [Row.of((title, Spacer(10, 900))), Row.of((Paragraph("next", ParagraphStyle("cell")), Spacer(10, 10)))]
    table = FlowingTable(rows, [100.0, 100.0], lambda rows: _plain(), "<table> (rendered line 12)")
    with pytest.raises(LayoutError, match=r"^<table> \(rendered line 12\): the row “Event 7: the unsplittable one” "
                                          r"\(5 words\) is taller than a whole page or column \(906 pt"):
        table.split(200, 500)


def _plain():  # type: ignore[no-untyped-def]
    from reportlab.platypus import TableStyle
    return TableStyle([])


def test_an_element_larger_than_any_page_is_a_located_error_naming_the_document():
    cells = "".join(f"<p>{words(60, n)}</p>" for n in range(60))
    markup = (f'<document title="t"><title>Too large</title><columns widths="1 1">'
              f"<column>{cells}</column><column><p>short</p></column></columns></document>")
    with pytest.raises(LayoutError) as error:
        fit_to_pages(parse(markup, "brief.xml.j2"), PageSetup(), Theme(), 5, "test/brief")
    message = str(error.value)
    assert message.startswith("test/brief cannot be laid out: <columns> (rendered line 1)"), message
    assert re.search(r"is \d+ pt tall and does not fit on page \d", message), message


def test_the_korean_timeline_with_longer_notes_builds_or_fails_with_a_located_error(full_project, cli):
    path = full_project / f"content/{SET}/timeline.yaml"
    text = path.read_text(encoding="utf-8")
    longer, count = re.subn(r'(    note:\n      en: .*\n      ko: )"(.*)"(?=\n)',
                            lambda m: m[1] + '"' + " ".join([m[2]] * 5) + '"', text)
    assert count >= 10
    path.write_text(longer, encoding="utf-8")
    edit(full_project, "templates/audiences/rok-officials.yaml", "language: ko",
         "language: ko\npage_limits: {timeline: 3}")
    result = cli(full_project, "--kind", "timeline", "--audience", "rok-officials")
    assert result.code == 0, result.output
    assert (full_project / "briefings/nk-china/rok-officials/nk-china-timeline-rok-officials.pdf").exists()


YEARS = st.integers(1800, 2030)
EVENT = st.tuples(YEARS, st.integers(0, 5), st.integers(0, 60), st.integers(0, 400))


def _fuzz_chronology(events: list[tuple[int, int, int, int]], lanes: int) -> None:
    chosen = [(str(year), f"l{lane % lanes}", ("Label " + words(label, year))[:label + 6], words(note, year))
              for year, lane, label, note in sorted(events)]
    markup = timeline_markup(chosen, [f"Lane {i}" for i in range(lanes)])
    try:
        rendered = lay_out_timeline(markup, pages=12)
    except BriefkitError as error:
        assert "Traceback" not in str(error)
        return
    text = text_of(rendered.pdf)
    for n in range(1, len(chosen) + 1):
        assert f"first{n}" in text and f"last{n}" in text, n
    _, _, width, height = LANDSCAPE.frame
    story = build_story(parse(markup, "timeline.xml.j2"), make_styles(Theme()), width, height)
    [chart] = [flowable for flowable in story if isinstance(flowable, TimelineChart)]
    chart.wrap(width, height)
    _assert_nothing_collides(chart.chart)


FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=20, **FUZZ)
@given(events=st.integers(1, 40).flatmap(lambda n: st.lists(EVENT, min_size=n, max_size=n)), lanes=st.integers(1, 8))
@example(events=[(1800, 0, 14, 362), (1800, 1, 0, 0)], lanes=8)  # a row split where nothing fitted, wrapped again
def test_generated_chronologies_lay_out_or_fail_with_a_briefkit_error(events, lanes):
    _fuzz_chronology(events, lanes)


@pytest.mark.slow
@settings(max_examples=120, **FUZZ)
@given(events=st.integers(1, 90).flatmap(lambda n: st.lists(EVENT, min_size=n, max_size=n)), lanes=st.integers(1, 8))
def test_many_generated_chronologies_lay_out_or_fail_with_a_briefkit_error(events, lanes):
    _fuzz_chronology(events, lanes)


def test_a_long_table_makes_the_flowables_of_the_rows_it_lays_out_not_all_at_once():
    """A register of thousands of rows holds the cells of about a page of rows at a time."""
    from reportlab.lib.styles import ParagraphStyle

    from briefkit.render.paragraphs import Paragraph
    from briefkit.render.tables import CHUNK, FlowingTable, Row

    made: list[int] = []

    def cells(number: int):  # type: ignore[no-untyped-def]
        made.append(number)
        return (Paragraph(f"Recipient {number}", ParagraphStyle("cell")),)

    rows = [Row(lambda number=number: cells(number)) for number in range(5 * CHUNK)]
    table = FlowingTable(rows, [200.0], lambda rows: _plain(), "<table>")
    assert len(made) <= CHUNK + 1
    parts = table.split(200, 300)
    assert len(parts) == 2 and len(made) <= 2 * CHUNK + 1 and made == sorted(made)  # the part laid out, the next page's
    assert [cell.getPlainText() for cell in parts[0].rows[0].cells] == ["Recipient 0"]


def test_a_column_widened_for_its_longest_word_holds_that_word_on_one_line(tmp_path, cli, monkeypatch):
    """A register's identifiers have no spaces: their column is widened to the widest, and each
    one, the widest too, stays whole on its line instead of losing its last letters to the next
    (a column exactly a word's width would wrap it, by rounding, in most builds)."""
    from briefkit.render.tagged_reading import page_text

    project = copy_project(tmp_path / "project", audiences=None)
    for epoch in ("1700000000", "1700000100", "1700000200"):  # other packets, other identifiers
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert cli(project, "-q", "--no-previews", "--jobs", "1", "--meeting", "principals-prebrief").code == 0
        folder = project / "briefings/meetings/principals-prebrief"
        identifiers = [entry["identifier"] for entry in json.loads((project / "briefings/manifest.json").read_text())
                       ["outputs"] if entry.get("kind") == "copy"]
        text = page_text((folder / "principals-prebrief-register.pdf").read_bytes(), 0)
        assert len(identifiers) == 3 and all(identifier in text for identifier in identifiers), text
