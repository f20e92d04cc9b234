"""Timeline and fact sheet: label geometry, the axis, date precision, checks and page limits."""
from __future__ import annotations

import datetime
import itertools
import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefkit.errors import LayoutError
from briefkit.render.fonts import register_fonts
from briefkit.render.vocabulary import build_story
from briefkit.inputs.schema import EventDate
from briefkit.render.styles import Theme, make_styles
from briefkit.inputs.periods import count_periods
from briefkit.render.bar_chart import plan_labels
from briefkit.render.templating import per_decade, per_period
from briefkit.render.timeline_chart import Axis, ChartEvent, TimelineChart, event_position, layout_chart
from briefkit.render.timeline_geometry import LABEL_GAP, crosses, lines_cross
from reportlab.pdfbase.pdfmetrics import stringWidth
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
    """Labels, markers, leader lines, ticks and the legend: none touches another, every event is
    labelled (in full or by its number), and all of it lies within the chart's width."""
    labels = chart.labels
    for a, b in itertools.combinations(labels, 2):
        assert not a.box.overlaps(b.box), (a.event.number, b.event.number)
        if min(a.box.y1, b.box.y1) > max(a.box.y0, b.box.y0):  # on one row: a clear gap between them
            gap = max(b.box.x0 - a.box.x1, a.box.x0 - b.box.x1)
            assert gap >= LABEL_GAP - 1e-6, f"labels {a.event.number} and {b.event.number} read as one ({gap:.1f} pt apart)"
    for label in labels:
        lane = chart.lanes[label.event.lane]
        assert label.box.inside(lane), f"label {label.event.number} leaves its lane"
        assert label.box.y0 > chart.axis.y1, f"label {label.event.number} touches the axis"
        for number, marker in chart.markers.items():
            assert not label.box.overlaps(marker), (label.event.number, number)
    leaders = [label for label in labels if label.leader is not None]
    for label in leaders:
        for other in labels:
            if other is not label:
                assert not crosses(label.leader, other.box), f"leader of {label.event.number} crosses label {other.event.number}"
        for number, marker in chart.markers.items():
            if number != label.event.number:
                assert not crosses(label.leader, marker), f"leader of {label.event.number} crosses marker {number}"
    for a, b in itertools.combinations(leaders, 2):
        assert not lines_cross(a.leader, b.leader), (a.event.number, b.event.number)
    assert {label.event.number for label in labels} == set(chart.markers), "every event keeps a label or a number"
    ticks = sorted(chart.ticks, key=lambda t: t[1])
    for (_, x1, w1), (_, x2, w2) in zip(ticks, ticks[1:]):
        assert x1 + w1 / 2 < x2 - w2 / 2, "tick labels overlap"
    legend_boxes = [item[3] for item in chart.legend] + [item[1] for item in chart.legend if item[0] is not None]
    for a, b in itertools.combinations(legend_boxes, 2):
        assert not a.overlaps(b) or a == b
    assert all(box.y1 < chart.axis.y1 - 7 for box in legend_boxes), "legend clear of the axis and its tick labels"
    boxes = [*chart.lanes, *chart.markers.values(), *(label.box for label in labels), *legend_boxes]
    assert all(0 <= box.x0 and box.x1 <= chart.width + 1e-6 for box in boxes), "the chart fits its width"
    assert all(0 <= x - w / 2 and x + w / 2 <= chart.width for _, x, w in chart.ticks)
    for title, lane in zip(chart.titles, chart.lanes):
        assert all(0 <= chart.title_right - stringWidth(line, "SourceSans-regular", title.size) for line in title.lines)
        assert title.height <= lane.y1 - lane.y0, "a lane is as tall as its title"


def test_shipped_timeline_labels_never_overlap(project):
    chart = _shipped_chart(project).chart
    assert len(chart.markers) >= 38
    _assert_nothing_collides(chart)
    assert all(label.text for label in chart.labels), "lanes grew until every event carries its label"


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


# Charts from data unlike the first essay: a 746 pt wide chart (A4 landscape) with the budget a
# page gives it (70% of the text frame's height).
WIDTH, BUDGET = 746.0, 300.0
LABELS = ["Vajiralongkorn succeeds", "Cabinet reshuffle", "Border clash at Preah Vihear", "Flood relief bill",
          "Baht devalued", "Protest camp cleared", "Court dissolves party", "Election called", "Coup",
          "New constitution", "Rice subsidy scheme", "Curfew lifted", "Trade pact signed", "Rates cut"]


def _chart(events, lanes):  # type: ignore[no-untyped-def]
    register_fonts()
    chart = layout_chart(events, lanes, WIDTH, ["Dated event", "Year from the public record", "Period"],
                         max_height=BUDGET)
    _assert_nothing_collides(chart)
    assert chart.height <= BUDGET
    return chart


def _events(dates, lanes):  # type: ignore[no-untyped-def]
    return [ChartEvent(n, when, None, lane, LABELS[n % len(LABELS)], False)
            for n, (when, lane) in enumerate(sorted(zip(dates, lanes)), 1)]


def test_two_dense_years_with_over_twenty_events_each():
    rng = random.Random(1)
    dates = [2014 + rng.random() for _ in range(22)] + [2020 + rng.random() for _ in range(21)] + [2006.5, 2010.4, 2023.5]
    chart = _chart(_events(dates, [n % 3 for n in range(len(dates))]), ["Palace", "Courts and parties", "Street"])
    widths = {int(s.start): s.x1 - s.x0 for s in chart.axis_map.segments if not s.broken}
    assert widths[2014] > 8 * widths[2006] and widths[2020] > 8 * widths[2006], "the dense years open up"
    assert sum(1 for label in chart.labels if label.text) >= 0.9 * len(chart.labels)
    assert any(label.leader for label in chart.labels), "dense clusters use leader lines"


def test_one_event_a_century_before_the_rest():
    events = _events([1911.5] + [2000.5 + n for n in range(12)], [0] + [n % 2 for n in range(12)])
    chart = _chart(events, ["Politics", "Economy"])
    [gap] = [s for s in chart.axis_map.segments if s.broken]
    assert gap.start == 1912 and gap.end == 2000
    assert gap.x1 - gap.x0 < 0.1 * (chart.plot.x1 - chart.plot.x0), "the empty century takes little room"
    assert all(label.text for label in chart.labels)


def test_eighty_events():
    rng = random.Random(2)
    events = _events([1950 + rng.random() * 70 for _ in range(80)], [rng.randrange(5) for _ in range(80)])
    chart = _chart(events, ["Leaders", "Economy", "Security", "Diplomacy", "Society"])
    assert sum(1 for label in chart.labels if label.text) >= 70


def test_very_long_labels_are_shortened_at_a_word():
    long = "The new government announces a sweeping programme of constitutional, economic and military reform"
    events = [ChartEvent(n, 1990.5 + 2 * n, None, n % 2, long[: 40 + 7 * n], False) for n in range(1, 14)]
    chart = _chart(events, ["A lane whose title runs over several lines", "Supercalifragilisticexpialidocious"])
    third = (chart.plot.x1 - chart.plot.x0) / 3
    for label in chart.labels:
        if label.text != label.event.label:
            assert label.text.endswith("\u2026") and label.event.label.startswith(label.text[:-1].rstrip(" ,"))
        assert stringWidth(label.text, "SourceSans-regular", 6.6) <= third + 1e-6
    assert sum(1 for label in chart.labels if label.text) >= 11


def test_one_lane_only():
    rng = random.Random(3)
    chart = _chart(_events([2000 + rng.random() * 20 for _ in range(30)], [0] * 30), ["Everything"])
    assert len(chart.lanes) == 1 and all(label.text for label in chart.labels)


def test_eight_lanes():
    rng = random.Random(4)
    chart = _chart(_events([1980 + rng.random() * 40 for _ in range(40)], [n % 8 for n in range(40)]),
                   [f"Lane number {n}, with a title" for n in range(8)])
    assert len(chart.lanes) == 8 and all(label.text for label in chart.labels)


def test_lanes_grow_before_a_label_shows_only_its_number():
    """32 events, a cluster of six in each of three thin lanes: those lanes grow, and every label
    is printed in full (the chart used to print only the number of six of them)."""
    clusters = [ChartEvent(n, 1995 + 9 * (n // 6) + (n % 6) * 0.01, None, n // 6, f"Meeting number {n}", False)
                for n in range(18)]
    sparse = [ChartEvent(n, 1990.5 + 2 * (n - 18), None, 3 + n % 3, LABELS[n % len(LABELS)], False) for n in range(18, 32)]
    chart = _chart(clusters + sparse, [f"Lane {n}" for n in range(6)])
    assert all(label.text for label in chart.labels)
    assert all(lane.y1 - lane.y0 > 23 for lane in chart.lanes[:3])


CHART_EVENT = st.tuples(st.floats(1800, 2030), st.sampled_from(["point", "point", "point", "bar"]),
                        st.integers(0, 7), st.integers(0, 120))


def _fuzz_chart(items, lanes: int, width: float) -> None:
    events = []
    for n, (when, kind, lane, length) in enumerate(sorted(items), 1):
        end = (int(when) + 1 + length % 11) if kind == "bar" else None
        text = (" ".join(LABELS) * 3)[:length]
        events.append(ChartEvent(n, int(when) if end else when, end, lane % lanes, text, n % 5 == 0))
    register_fonts()
    try:
        chart = layout_chart(events, [f"Lane {i} " * (i % 3 + 1) for i in range(lanes)], width,
                             ["Dated event", "Year from the public record", "Period", "Axis: // marks empty years"],
                             max_height=BUDGET)
    except LayoutError as error:
        assert "too crowded" in str(error)
        return
    _assert_nothing_collides(chart)


def _some(most: int):  # type: ignore[no-untyped-def]
    """Lists of chart events whose length is spread evenly up to `most` (not mostly short)."""
    return st.integers(1, most).flatmap(lambda count: st.lists(CHART_EVENT, min_size=count, max_size=count))


@settings(max_examples=25, deadline=None)
@given(items=_some(60), lanes=st.integers(1, 8), width=st.sampled_from([696.0, 746.0]))
def test_generated_charts_never_overlap(items, lanes, width):
    _fuzz_chart(items, lanes, width)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(items=_some(90), lanes=st.integers(1, 8), width=st.floats(360.0, 1100.0))
def test_many_generated_charts_never_overlap(items, lanes, width):
    _fuzz_chart(items, lanes, width)


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


SHIPPED_VISITS = [1978, 1983, 1983, 1990, 1993, 2003, 2008, 2010, 2010, 2018, 2018, 2018, 2019, 2019]


@pytest.mark.parametrize("years, size, counts", [
    (SHIPPED_VISITS, 10, [1, 2, 2, 2, 7]),                       # spread over forty years: by decade
    ([2018] * 3 + [2019] * 4, 1, [3, 4]),                         # two years: by year, not one decade
    ([1965] + [2018] * 3 + [2019] * 3, 25, [1, 0, 6]),            # not 1, 0, 0, 0, 0, 6 per decade
    ([2014] * 22 + [2020] * 21, 1, [22, 0, 0, 0, 0, 0, 21]),      # two dense years
    ([1950 + n for n in range(80)], 10, [10] * 8),                # eighty years, one a year
])
def test_the_chart_period_follows_the_spread_of_the_dates(years, size, counts):
    periods = count_periods((year, 1) for year in years)
    assert {p.size for p in periods} == {size}
    assert [p.count for p in periods] == counts


def test_a_chosen_chart_period_and_its_labels_in_each_language():
    periods = count_periods([(year, 1) for year in SHIPPED_VISITS], "five-years")
    assert [(p.start, p.count) for p in periods][:3] == [(1975, 1), (1980, 2), (1985, 0)]
    assert [dates("en").period(p.start, p.size) for p in periods][:2] == ["1975–79", "1980–84"]
    assert [dates("ko").period(p.start, p.size) for p in periods][:2] == ["1975~79년", "1980~84년"]
    assert (dates("en").period(2018, 1), dates("ko").period(2018, 1)) == ("2018", "2018년")
    assert (dates("en").period(1970, 10), dates("ko").period(1970, 10)) == ("1970s", "1970년대")
    assert dates("en").period(2000, 25) == "2000–24"
    texts = [bar["text"] for bar in per_period([{"date": {"start": datetime.date(y, 6, 1)}} for y in (2018, 2019, 2019)],
                                               dates("en"))]
    assert texts == ["2018: 1", "2019: 2"]


@pytest.mark.parametrize("widths, width", [
    ([20.0] * 5, 250.0), ([24.0] * 9, 250.0), ([40.0] * 9, 250.0), ([15.0] * 24, 240.0), ([28.0] * 24, 240.0),
    ([60.0, 10.0, 90.0, 10.0], 200.0), ([500.0], 240.0), ([5.0] * 100, 240.0),
])
def test_bar_labels_are_never_cut_and_never_touch(widths, width):
    plan = plan_labels(widths, width)
    assert plan.spans[0][0] == 0, "the first bar is always labelled"
    scale = plan.size / 7.0
    for index, x0, x1 in plan.spans:
        assert x1 - x0 == pytest.approx(widths[index] * scale), "a label is drawn whole"
        assert -1e-6 <= x0 and x1 <= width + 1e-6, "inside the chart"
    for (_, _, end), (_, start, _) in zip(plan.spans, plan.spans[1:]):
        assert start - end >= 3 - 1e-6


def test_a_fact_sheet_chart_by_five_years_prints_whole_labels(project, cli):
    edit(project, f"content/{SET}/summary.yaml", "  chart_lane: visits\n", "  chart_lane: visits\n  chart_bucket: five-years\n")
    result = cli(project, "--kind", "factsheet")
    assert result.code == 0, result.output
    text = pdf_text(project / FACTSHEET_PDF)
    assert "1975–79" in text and "2015–19" in text


def test_a_fact_sheet_may_have_no_chart(project, cli):
    edit(project, f"content/{SET}/summary.yaml", "  chart_lane: visits\n", "  chart_lane: null\n")
    result = cli(project, "--kind", "factsheet")
    assert result.code == 0, result.output
    text = pdf_text(project / FACTSHEET_PDF)
    assert "Leaders' visits and summits the essay dates" not in text and "Counted from the timeline" not in text


def test_a_chart_of_two_bars_is_drawn_with_a_warning_recorded_in_the_manifest(project, cli):
    """Two bars compare next to nothing: the chart is drawn (the fact sheet keeps its shape) and
    the build says so, as it says whatever else a set makes thin."""
    edit(project, f"content/{SET}/summary.yaml", "  chart_lane: visits\n", "  chart_lane: visits\n  chart_bucket: half-century\n")
    result = cli(project, "--kind", "factsheet")
    assert result.code == 0, result.output
    note = ("factsheet.chart_lane: the visits lane's dates make 2 bars of 50 years (1950–2049): a chart of fewer "
            "than 3 compares next to nothing")
    assert f"warning: {SET} (factsheet): {note}" in result.err, result.err
    assert "1 warning (above)" in result.out
    [entry] = [e for e in json.loads((project / MANIFEST).read_text())["outputs"] if e["kind"] == "factsheet"]
    assert any(warning.startswith(note) for warning in entry["warnings"]), entry
    assert "Leaders' visits and summits the essay dates" in pdf_text(project / FACTSHEET_PDF)
    edit(project, f"content/{SET}/summary.yaml", "chart_bucket: half-century", "chart_bucket: decade")
    result = cli(project, "--kind", "factsheet")
    assert result.code == 0 and "chart_lane" not in result.err, "three bars or more: nothing to say"


def test_a_chart_period_too_fine_for_the_dates_is_a_located_error(project, cli):
    edit(project, f"content/{SET}/summary.yaml", "  chart_lane: visits\n", "  chart_lane: visits\n  chart_bucket: year\n")
    result = cli(project, "--kind", "factsheet")
    assert result.code == 1, result.output
    assert re.search(r"summary\.yaml:\d+:\d+: factsheet\.chart_bucket: 'year' makes 42 bars .* at most 24", result.err)
    edit(project, f"content/{SET}/summary.yaml", "chart_bucket: year", "chart_bucket: fortnight")
    result = cli(project, "list")
    assert result.code == 1 and "factsheet.chart_bucket: must be one of auto, year, five-years" in result.err


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
    assert "Leaders' visits and summits the essay dates" in text


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
