"""Timeline and fact sheet: label geometry, the axis, date precision, checks and page limits."""
from __future__ import annotations

import datetime
import itertools
import json
import re

import pytest
from pypdf import PdfReader

from briefkit.errors import LayoutError
from briefkit.render.fonts import register_fonts
from briefkit.render.vocabulary import build_story
from briefkit.inputs.schema import EventDate
from briefkit.render.styles import Theme, make_styles
from briefkit.render.templating import per_decade
from briefkit.render.timeline_chart import Axis, ChartEvent, TimelineChart, event_position, layout_chart
from conftest import dates, jobs, markup
from conftest import AUDIENCE_FILE, FACTSHEET_PDF, MANIFEST, SET, TIMELINE_PDF, edit, normalize, pdf_text



def _shipped_chart(project) -> TimelineChart:
    register_fonts()
    [job] = jobs(project, None, ["timeline"])
    document, expected = markup(project, job)
    width = expected.setup.frame[2]
    charts = [f for f in build_story(document, make_styles(Theme()), width) if isinstance(f, TimelineChart)]
    assert len(charts) == 1
    charts[0].wrap(width, 10_000)
    return charts[0]


def _assert_nothing_collides(chart) -> None:
    labels = chart.labels
    for a, b in itertools.combinations(labels, 2):
        assert not a.box.overlaps(b.box), (a.event.number, b.event.number)
    for label in labels:
        lane = chart.lanes[label.event.lane]
        assert label.box.inside(lane), f"label {label.event.number} leaves its lane"
        assert label.box.y0 > chart.axis.y1, f"label {label.event.number} touches the axis"
        for number, marker in chart.markers.items():
            assert not label.box.overlaps(marker), (label.event.number, number)
    ticks = sorted(chart.ticks, key=lambda t: t[1])
    for (_, x1, w1), (_, x2, w2) in zip(ticks, ticks[1:]):
        assert x1 + w1 / 2 < x2 - w2 / 2, "tick labels overlap"
    legend_boxes = [item[3] for item in chart.legend] + [item[1] for item in chart.legend if item[0] is not None]
    for a, b in itertools.combinations(legend_boxes, 2):
        assert not a.overlaps(b) or a == b
    assert all(box.y1 < chart.axis.y1 - 7 for box in legend_boxes), "legend clear of the axis and its tick labels"


def test_shipped_timeline_labels_never_overlap(project):
    chart = _shipped_chart(project).chart
    assert len(chart.markers) >= 38
    _assert_nothing_collides(chart)
    assert sum(1 for label in chart.labels if label.text) >= 25, "most events carry a readable label"
    assert {label.event.number for label in chart.labels} == set(chart.markers), "every event is labelled"


def test_a_crowded_lane_grows_until_every_label_fits():
    register_fonts()
    events = [ChartEvent(n, 2018.25, None, 0, f"Meeting {n}", False) for n in range(1, 9)]
    events.append(ChartEvent(9, 1990.5, None, 1, "Something else", False))
    chart = layout_chart(events, ["Crowded", "Quiet"], 600, ["Event", "Inferred", "Period"])
    _assert_nothing_collides(chart)
    crowded, quiet = chart.lanes
    assert crowded.y1 - crowded.y0 > quiet.y1 - quiet.y0


def test_an_impossibly_crowded_chart_is_a_clear_error():
    register_fonts()
    events = [ChartEvent(n, 2018.25, None, 0, "x" * 40, False) for n in range(1, 400)]
    with pytest.raises(LayoutError, match="too crowded"):
        layout_chart(events, ["Only lane"], 300, [])


def test_axis_opens_busy_years_and_collapses_empty_runs():
    events = [ChartEvent(1, 1950.5, None, 0, "a", False)] + [
        ChartEvent(n, 2018 + n / 10, None, 0, "b", False) for n in range(2, 6)] + [
        ChartEvent(9, 2019.5, None, 0, "c", False)]
    axis = Axis.fit(events, 0, 600)
    xs = [axis.x(1950 + year / 4) for year in range(4 * 70)]
    assert xs == sorted(xs), "time runs left to right"
    width = {int(s.start): s.x1 - s.x0 for s in axis.segments if not s.broken}
    assert width[2018] > 2 * width[1950], "a year with four events is much wider"
    broken = [s for s in axis.segments if s.broken]
    assert broken and broken[0].start == 1951 and broken[0].end == 2018
    assert broken[0].x1 - broken[0].x0 < width[1950] * 2, "67 empty years take less room than two busy ones"


@pytest.mark.parametrize("raw, shown, precision", [
    ("1978", "1978", "year"),
    ("1978-05", "May 1978", "month"),
    ("1978-05-14", "14 May 1978", "day"),
    ("1960s", "the 1960s", "decade"),
    ("2010/2011", "2010–2011", "span"),
])
def test_dates_print_at_the_precision_the_source_gives(raw, shown, precision):
    date = EventDate.parse(raw)
    assert (dates("en").event(date.precision, date.start, date.end), date.precision) == (shown, precision)


@pytest.mark.parametrize("raw", ["1965s", "2011/2010", "May 1978", "1978-13", "78"])
def test_malformed_dates_are_refused(raw):
    with pytest.raises(ValueError):
        EventDate.parse(raw)


def test_periods_are_bars_and_points_sit_mid_period():
    decade = EventDate.parse("1960s")
    assert event_position(decade.precision, decade.start, decade.end) == (1960.0, 1970.0)
    month = EventDate.parse("2018-03")
    start, end = event_position(month.precision, month.start, month.end)
    assert end is None and 2018.16 < start < 2018.25


def test_per_decade_counts_occurrences_and_include_empty_decades():
    events = [{"date": {"start": datetime.date(year, 1, 1)}, "occurrences": n}
              for year, n in ((1978, 1), (1983, 1), (1999, 1), (2010, 3), (2018, 1), (2019, 1))]
    assert per_decade(events, dates("en")) == [{"label": "1970s", "value": 1}, {"label": "1980s", "value": 1},
                                  {"label": "1990s", "value": 1}, {"label": "2000s", "value": 0},
                                  {"label": "2010s", "value": 5}]


def test_timeline_pdf_is_landscape_with_every_event_and_source(built):
    reader = PdfReader(str(built / TIMELINE_PDF))
    assert 1 <= len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = pdf_text(built / TIMELINE_PDF)
    titles = re.findall(r'^    title: "(.*)"$', (built / f"content/{SET}/timeline.yaml").read_text(), re.M)
    assert len(titles) >= 38
    for title in titles:
        assert normalize(title.replace('\\"', '"')) in text, title
    assert "1990*" in text, "an inferred year is marked"
    assert "May 1978" in text and "the 1960s" in text and "2010–2011" in text
    assert "[p20]" in text, "source locators are printed"


def test_fact_sheet_holds_every_term_and_person(built):
    reader = PdfReader(str(built / FACTSHEET_PDF))
    assert 1 <= len(reader.pages) <= 2
    text = pdf_text(built / FACTSHEET_PDF)
    content = built / "content" / SET
    for term in re.findall(r'term: "(.*?)"', (content / "glossary.yaml").read_text()):
        assert normalize(term) in text, term
    for name in re.findall(r'name: "(.*?)"', (content / "people.yaml").read_text()):
        assert normalize(name) in text, name
    assert "Leaders' visits and summits by decade" in text


def test_manifest_lists_the_new_kinds_with_their_checks(built):
    entries = {e["kind"]: e for e in json.loads((built / MANIFEST).read_text())["outputs"]}
    assert entries["timeline"]["path"] == TIMELINE_PDF
    checks = {c["name"]: c for c in entries["timeline"]["checks"]}
    assert checks["content"]["ok"] and "event titles" in checks["content"]["detail"]
    checks = {c["name"]: c for c in entries["factsheet"]["checks"]}
    assert checks["content"]["ok"] and "glossary terms" in checks["content"]["detail"]


def test_a_timeline_that_drops_events_fails_its_check(project, cli):
    edit(project, "templates/timeline.xml.j2", "{%- for event in events %}\n      <row>",
         "{%- for event in events[:5] %}\n      <row>")
    result = cli(project, "--kind", "timeline")
    assert result.code == 1, result.output
    assert "event titles not found" in result.err
    assert not (project / TIMELINE_PDF).exists()


def test_profile_can_ask_for_a_one_page_fact_sheet(project, cli):
    (project / AUDIENCE_FILE).write_text((project / AUDIENCE_FILE).read_text() + "page_limits: {factsheet: 1}\n")
    result = cli(project, "--kind", "factsheet")
    assert result.code == 1, result.output
    assert re.search(r"factsheet does not fit on 1 page .* about \d+ lines", result.err), result.err


def test_page_limit_beyond_the_kind_is_a_located_error(project, cli):
    (project / AUDIENCE_FILE).write_text((project / AUDIENCE_FILE).read_text() + "page_limits: {timeline: 9}\n")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert re.search(rf"{re.escape(AUDIENCE_FILE)}:\d+:\d+: page_limits.timeline: must be between 1 and 3", result.err), result.err
