"""What the briefs print must be what the source says, and what the record says: a date stated once
(in the timeline), uncertain dates drawn and counted apart, quotation marks that mean verbatim,
implications chosen in the reader's order of tags, and a meeting cover that says who prepared it."""
from __future__ import annotations

import datetime
import re

from pypdf import PdfReader

from briefkit.render.selection import Selection
from briefkit.render.templating import per_period
from briefkit.render.timeline_chart import ChartEvent, layout_chart
from conftest import ESSAY, FACTSHEET_PDF, PDF, SET, TIMELINE_PDF, edit, line_of, pdf_text
from test_timeline_and_factsheet import dates

PEOPLE = f"content/{SET}/people.yaml"
FACTS = f"content/{SET}/facts.yaml"
TIMELINE = f"content/{SET}/timeline.yaml"
ARGUMENTS = f"content/{SET}/arguments.yaml"
GLOSSARY = f"content/{SET}/glossary.yaml"


# A fact is stated once ---------------------------------------------------------------------------

def test_a_person_who_restates_an_events_date_differently_is_a_located_error(full_project, cli):
    """The role names the event by id; writing another month for it than the timeline (essay or
    record) gives is refused, in English and in Korean alike."""
    project = full_project
    edit(project, PEOPLE, "a fourth in January 2019 (essay: May 2019)", "a fourth in March 2019 (essay: May 2019)")
    edit(project, PEOPLE, "2019년 1월 네 번째로", "2019년 2월 네 번째로")
    line = line_of(project, PEOPLE, "a fourth in March 2019")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert re.search(rf"{re.escape(PEOPLE)}:{line}:\d+: people\[\d+\]\.role\.en: writes 'March 2019', which is no "
                     r"date of the events it names \(.*kim-jong-un-visit-2019-05 2019-05, record 2019-01", result.err), \
        result.err
    assert "people[" in result.err and ".role.ko: writes '2019년 2월'" in result.err, result.err


def test_a_fact_that_gives_a_year_none_of_its_events_has_is_refused(project, cli):
    edit(project, FACTS, "Ties stalled after Seoul-Beijing normalization in 1992",
         "Ties stalled after Seoul-Beijing normalization in 1991")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert re.search(r"facts\[\d+\]\.text\.en: writes '1991'", result.err), result.err


def test_event_references_and_record_dates_are_checked(project, cli):
    edit(project, PEOPLE, "events: [perry-visit]", "events: [pery-visit]")
    edit(project, TIMELINE, '    date: "2011-05"\n    record_date: "2011-04"\n    year_inferred: false\n'
                            '    certainty: disputed', '    date: "2011-05"\n    record_date: "2011-04"\n'
                                                       '    year_inferred: false')
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert "no timeline event with id 'pery-visit' (did you mean 'perry-visit'?)" in result.err, result.err
    assert re.search(r"timeline\.yaml:\d+:\d+: events\[\d+\]\.record_date: a record date .*certainty: disputed",
                     result.err), result.err


def test_the_shipped_dates_agree_and_key_figures_carry_period_and_locator(built):
    text = pdf_text(built / PDF)
    for figure in ("years of stalled ties 1992–1999 [p28]", "years without Kim-Xi talks 2012–2018 [p29]",
                   "Kim-Xi summits 2018–2019 [p29]"):
        assert figure in text, figure


# Uncertainty is visible --------------------------------------------------------------------------

def test_uncertain_events_get_their_own_marker_and_legend_entry_only_when_present():
    legend = ["Dated event", "Year from the record", "Period", "Hedged or disputed", "Axis note"]
    firm = [ChartEvent(1, 1990.5, None, 0, "One", False), ChartEvent(2, 2000.5, None, 0, "Two", False)]
    plain = layout_chart(firm, ["Lane"], 600, legend[:3] + legend[4:])
    samples = [sample for sample, *_ in plain.legend if sample is not None]
    assert not any(sample.uncertain for sample in samples) and len(samples) == 1, "only the kinds drawn"
    every_kind = firm + [ChartEvent(3, 1995.5, None, 0, "Three", True), ChartEvent(4, 1996.0, 1998.0, 0, "Four", False)]
    assert len([s for s, *_ in layout_chart(every_kind, ["Lane"], 600, legend[:3] + legend[4:]).legend if s]) == 3
    doubtful = firm + [ChartEvent(3, 2005.5, None, 0, "Three", False, True)]
    chart = layout_chart(doubtful, ["Lane"], 600, legend)
    samples = [(sample, text) for sample, _, text, _ in chart.legend if sample is not None]
    assert [text for sample, text in samples if sample.uncertain] == ["Hedged or disputed"]
    assert [text for _, text in samples] == ["Dated event", "Hedged or disputed"]
    assert [text for sample, _, text, _ in chart.legend if sample is None] == ["Axis note"]


def test_the_chart_counts_uncertain_entries_apart():
    events = [{"date": {"start": datetime.date(year, 1, 1)}, "occurrences": n, "certainty": certainty}
              for year, n, certainty in ((1983, 1, "disputed"), (1983, 1, "firm"), (2010, 3, "disputed"),
                                         (2010, 1, "hedged"), (2018, 3, "firm"))]
    bars = per_period(events, dates("en"), "decade")
    assert [(bar["label"], bar["value"], bar["uncertain"]) for bar in bars] == [
        ("1980s", 2, 1), ("1990s", 0, 0), ("2000s", 0, 0), ("2010s", 7, 4)]


def test_the_shipped_timeline_and_fact_sheet_tell_uncertain_dates_apart(built):
    timeline = pdf_text(built / TIMELINE_PDF)
    assert "Date hedged in the essay or disputed by the record" in timeline
    factsheet = PdfReader(str(built / FACTSHEET_PDF))
    figures = [str(node.get("/Alt")) for node in _structure(factsheet) if node.get("/S") == "/Figure"]
    assert any("2000s: 2 (1 hedged or disputed)" in alt and "2010s: 9 (5 hedged or disputed)" in alt
               for alt in figures), figures
    assert "Hedged in the essay or disputed by the record" in pdf_text(built / FACTSHEET_PDF)


def _structure(reader: PdfReader) -> list:  # type: ignore[type-arg]
    """Every structure element of a tagged PDF."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


# Quotation marks mean verbatim -------------------------------------------------------------------

def test_words_in_quotation_marks_must_be_the_sources(project, cli):
    edit(project, ARGUMENTS, 'while \\"interference diplomacy\\" probes', 'while \\"meddling diplomacy\\" probes')
    line = line_of(project, ARGUMENTS, "meddling diplomacy")
    result = cli(project, "list", "--source-text", str(ESSAY))
    assert result.code == 1, result.output
    assert re.search(rf"{re.escape(ARGUMENTS)}:{line}:\d+: groups\[\d+\]\.points\[\d+\]\.text\.en: "
                     r"“meddling diplomacy” is in quotation marks but not in .*quoted_terms", result.err), result.err


def test_a_term_or_translation_in_quotation_marks_is_marked_as_such(project, cli):
    edit(project, ARGUMENTS, 'while \\"interference diplomacy\\" probes', "while 'meddling diplomacy' probes")
    assert cli(project, "list", "--source-text", str(ESSAY)).code == 1
    text = (project / GLOSSARY).read_text(encoding="utf-8")
    (project / GLOSSARY).write_text(text + 'quoted_terms: ["meddling diplomacy"]\n', encoding="utf-8")
    result = cli(project, "list", "--source-text", str(ESSAY))
    assert result.code == 0, result.output


# Implications in the reader's order of tags ------------------------------------------------------

def test_the_first_tag_a_profile_names_comes_first_under_the_cap():
    every = [{"id": "a", "tags": ["wide"]}, {"id": "b", "tags": ["wide"]}, {"id": "c", "tags": ["own", "wide"]},
             {"id": "d", "tags": ["own"]}, {"id": "e", "tags": ["other"]}]
    content = {"implications": {"implications": every}}
    chosen = Selection(content, {"emphasis": {"implications": 3, "implication_tags": ["own", "wide"]}}, {})
    assert [item["id"] for item in chosen.implications] == ["c", "d", "a"]


def test_the_korean_brief_shows_the_implications_written_for_seoul(full_project, cli):
    result = cli(full_project, "build", "--audience", "rok-officials", "--kind", "brief")
    assert result.code == 0, result.output
    text = pdf_text(full_project / f"briefings/{SET}/rok-officials/{SET}-brief-rok-officials.pdf")
    assert "한국 입장에서 북중이 구상하는 평화체제는" in text and "한국 당국자는" in text, text
    assert "실무진은 이 지렛대를" not in text


# Who prepared a meeting packet -------------------------------------------------------------------

def test_a_meeting_cover_names_its_organiser_not_the_author_as_preparer(full_project, cli):
    result = cli(full_project, "build", "--meeting", "principals-prebrief")
    assert result.code == 0, result.output
    packets = sorted((full_project / "briefings/meetings/principals-prebrief").glob("*packet*.pdf"))
    cover = PdfReader(str(packets[0])).pages[0].extract_text()
    cover = " ".join(cover.split())
    assert "Prepared by Office of the Principal for" in cover, cover
    assert "summarizes a text by Jaewoo Choo" in cover, cover


def test_a_fact_may_give_its_own_period(project, cli):
    edit(project, FACTS, '    label: "occasions when Beijing mediates"',
         '    label: "occasions when Beijing mediates"\n    period: "2003–2017"')
    result = cli(project, "--kind", "brief")
    assert result.code == 0, result.output
    assert "occasions when Beijing mediates 2003–2017 [p25]" in pdf_text(project / PDF)


def test_the_timeline_alternative_text_counts_uncertain_dates(built):
    reader = PdfReader(str(built / TIMELINE_PDF))
    alts = [str(node.get("/Alt")) for node in _structure(reader) if node.get("/S") == "/Figure"]
    assert any(re.search(r"\b8 of the dates are hedged in the essay or disputed by the record", alt) for alt in alts), alts
