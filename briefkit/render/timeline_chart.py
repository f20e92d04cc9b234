"""The timeline graphic: lanes of events on a time axis that stays readable when density is uneven.

The axis is piecewise linear. Each year gets width according to how many events fall in it, so
dense clusters (2010-2011, 2018-2019) open up. Runs of four or more empty years collapse into a
short broken segment, marked on the axis. Labels are placed greedily, in date order, and only
where their box is clear of every other label, every marker and the lane edges. An event whose
label cannot be placed in full shows its number instead: the chronology table below the chart
gives the details. If even the number cannot be placed, the lane grows taller and placement
starts again. The geometry (`ChartLayout`) is computed without a canvas, so tests can check that
nothing overlaps.
"""
from __future__ import annotations

import datetime
import functools
from collections import Counter
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor, linearlyInterpolatedColor, white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..errors import LayoutError

LABEL_SIZE = 6.6
DEFAULT_SANS = "SourceSans"  # registered family name: the chart uses its regular and bold
TICK_SIZE = 6.8
LANE_TITLE_SIZE = 7.2
MARKER_RADIUS = 2.6
EMPTY_YEAR = 0.3        # width of a year without events, relative to a year with one event
EXTRA_EVENT = 0.55      # width each further event adds to its year
BREAK_WIDTH = 1.1       # width of a collapsed run of empty years
BREAK_RUN = 4           # empty years in a row that collapse
LANE_HEIGHT = 23.0
LANE_GROWTH = 9.0
MAX_LANE_HEIGHT = 120.0


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box", gap: float = 0.0) -> bool:
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0 or
                    self.y1 + gap <= other.y0 or other.y1 + gap <= self.y0)

    def inside(self, other: "Box") -> bool:
        return self.x0 >= other.x0 and self.x1 <= other.x1 and self.y0 >= other.y0 and self.y1 <= other.y1


@dataclass(frozen=True)
class ChartEvent:
    number: int
    start: float              # fractional year
    end: float | None         # fractional year for periods (decades, spans), else None
    lane: int
    label: str
    inferred: bool


def fractional_year(day: datetime.date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 366


def event_position(precision: str, start: datetime.date, end: datetime.date) -> tuple[float, float | None]:
    """Where an event sits on the axis: the middle of its year or month, or a period bar."""
    if precision in ("decade", "span"):
        return float(start.year), float(end.year + 1)
    if precision == "year":
        return start.year + 0.5, None
    if precision == "month":
        return start.year + (start.month - 0.5) / 12, None
    return fractional_year(start), None


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    x0: float
    x1: float
    broken: bool


class Axis:
    """Piecewise-linear mapping from fractional years to x."""

    def __init__(self, segments: list[Segment]):
        self.segments = segments

    @classmethod
    def fit(cls, events: list[ChartEvent], x0: float, x1: float) -> "Axis":
        counts: Counter[int] = Counter()
        for event in events:
            counts[int(event.start)] += 1
            if event.end is not None:
                counts[int(event.end) - 1] += 1
        first, last = min(counts), max(counts)
        spans: list[tuple[int, int, float, bool]] = []  # (start year, end year, weight, broken)
        year = first
        while year <= last:
            if counts[year]:
                spans.append((year, year + 1, 1 + EXTRA_EVENT * (counts[year] - 1), False))
                year += 1
                continue
            run_end = year
            while run_end <= last and not counts[run_end]:
                run_end += 1
            if run_end - year >= BREAK_RUN:
                spans.append((year, run_end, BREAK_WIDTH, True))
            else:
                spans.extend((y, y + 1, EMPTY_YEAR, False) for y in range(year, run_end))
            year = run_end
        total = sum(weight for _, _, weight, _ in spans)
        segments, x = [], x0
        for start, end, weight, broken in spans:
            width = (x1 - x0) * weight / total
            segments.append(Segment(start, end, x, x + width, broken))
            x += width
        return cls(segments)

    def x(self, when: float) -> float:
        for segment in self.segments:
            if when <= segment.end or segment is self.segments[-1]:
                when = max(when, segment.start)
                share = (when - segment.start) / (segment.end - segment.start)
                return segment.x0 + min(share, 1.0) * (segment.x1 - segment.x0)
        raise ValueError("axis has no segments")

    def ticks(self, sans: str = DEFAULT_SANS) -> list[tuple[int, float, float]]:
        """(year, x of its label, label width) for the years worth labelling, none overlapping."""
        candidates = []
        for index, segment in enumerate(self.segments):
            if segment.broken:
                continue
            year = int(segment.start)
            after_break = index > 0 and self.segments[index - 1].broken
            priority = 0 if year % 10 == 0 else 1 if (after_break or index == 0) else 2
            candidates.append((priority, year, (segment.x0 + segment.x1) / 2))
        chosen: list[tuple[int, float, float]] = []
        for _, year, x in sorted(candidates):
            width = stringWidth(str(year), f"{sans}-regular", TICK_SIZE)
            box = Box(x - width / 2 - 2, 0, x + width / 2 + 2, 1)
            if all(not box.overlaps(Box(cx - cw / 2 - 2, 0, cx + cw / 2 + 2, 1)) for _, cx, cw in chosen):
                chosen.append((year, x, width))
        return sorted(chosen)


@dataclass
class PlacedLabel:
    event: ChartEvent
    box: Box
    text: str       # what is printed after the number ("" when only the number fits)


@dataclass
class ChartLayout:
    """Everything the chart draws, in points relative to its bottom-left corner."""

    width: float
    height: float
    plot: Box
    axis: Box
    lanes: list[Box]
    markers: dict[int, Box]
    labels: list[PlacedLabel]
    ticks: list[tuple[int, float, float]]
    breaks: list[Segment]
    legend: list[tuple[ChartEvent | None, Box, str, Box]] = field(default_factory=list)  # sample, its box, text, text box
    axis_map: Axis | None = None


def label_size(event: ChartEvent, full: bool, sans: str = DEFAULT_SANS) -> tuple[float, float]:
    width = stringWidth(f"{event.number}", f"{sans}-bold", LABEL_SIZE)
    if full:
        width += stringWidth(f" {event.label}", f"{sans}-regular", LABEL_SIZE)
    return width, LABEL_SIZE * 1.05


def layout_chart(events: list[ChartEvent], lane_titles: list[str], width: float, legend: list[str],
                 gutter: float = 92.0, sans: str = DEFAULT_SANS) -> ChartLayout:
    """Place lanes, markers and labels; grow crowded lanes until every label fits."""
    heights = [LANE_HEIGHT] * len(lane_titles)
    for _ in range(int((MAX_LANE_HEIGHT - LANE_HEIGHT) / LANE_GROWTH) + 1):
        result = _try_layout(events, lane_titles, width, gutter, heights, sans)
        crowded = {lane for lane, ok in result[1].items() if not ok}
        if not crowded:
            result[0].legend = _legend_layout(result[0].plot.x0, legend, sans)
            return result[0]
        heights = [h + LANE_GROWTH if i in crowded else h for i, h in enumerate(heights)]
    raise LayoutError("the timeline is too crowded: some events cannot be labelled even in the tallest lanes; "
                      "give them shorter `short` labels or move some to another lane")


def _try_layout(events: list[ChartEvent], lane_titles: list[str], width: float, gutter: float,
                heights: list[float], sans: str) -> tuple[ChartLayout, dict[int, bool]]:
    axis_height, legend_height = TICK_SIZE + 10, LABEL_SIZE + 8
    plot_x0, plot_x1 = gutter + 8, width - 4
    axis = Axis.fit(events, plot_x0 + 6, plot_x1 - 6)
    total = sum(heights)
    base = legend_height + axis_height
    lanes, top = [], base + total
    for height in heights:
        lanes.append(Box(plot_x0, top - height, plot_x1, top))
        top -= height
    markers = _markers(events, lanes, axis)
    placed: list[PlacedLabel] = []
    fits = {index: True for index in range(len(lanes))}
    for event in sorted(events, key=lambda e: (e.start, e.number)):
        label = _place(event, lanes[event.lane], markers, placed, sans)
        if label is None:
            fits[event.lane] = False
        else:
            placed.append(label)
    layout = ChartLayout(width, base + total, Box(plot_x0, base, plot_x1, base + total),
                         Box(plot_x0, legend_height, plot_x1, base), lanes, markers, placed, axis.ticks(sans),
                         [s for s in axis.segments if s.broken], axis_map=axis)
    return layout, fits


LEGEND_SAMPLES = (ChartEvent(0, 0, None, 0, "", False), ChartEvent(0, 0, None, 0, "", True),
                  ChartEvent(0, 0, 1, 0, "", False))


def _legend_layout(x: float, texts: list[str], sans: str) -> list[tuple[ChartEvent | None, Box, str, Box]]:
    """One row under the axis: a sample marker and its text for each marker kind, then plain notes."""
    items, y = [], 1.5
    for index, text in enumerate(texts):
        sample = LEGEND_SAMPLES[index] if index < len(LEGEND_SAMPLES) else None
        width = 0.0 if sample is None else 12.0 if sample.end is not None else 2 * MARKER_RADIUS
        marker = Box(x, y, x + width, y + 2 * MARKER_RADIUS)
        start = x + width + (3 if width else 0)
        text_box = Box(start, y, start + stringWidth(text, f"{sans}-regular", LABEL_SIZE), y + LABEL_SIZE)
        items.append((sample, marker, text, text_box))
        x = text_box.x1 + 14
    return items


def _markers(events: list[ChartEvent], lanes: list[Box], axis: Axis) -> dict[int, Box]:
    """Points sit on the lane's middle line; periods run as bars in tracks along the lane's foot."""
    markers: dict[int, Box] = {}
    tracks: dict[int, list[list[Box]]] = {}
    placed_points: dict[int, list[float]] = {}  # lane → right edges of its point markers so far
    for event in sorted(events, key=lambda e: (e.start, e.number)):
        lane = lanes[event.lane]
        x0 = axis.x(event.start)
        if event.end is None:
            middle = (lane.y0 + lane.y1) / 2
            points = placed_points.setdefault(event.lane, [])
            if points and x0 - MARKER_RADIUS < points[-1] + 0.6:  # same date or nearly: set side by side
                x0 = points[-1] + 0.6 + MARKER_RADIUS
            points.append(x0 + MARKER_RADIUS)
            markers[event.number] = Box(x0 - MARKER_RADIUS, middle - MARKER_RADIUS, x0 + MARKER_RADIUS, middle + MARKER_RADIUS)
            continue
        x1 = axis.x(event.end)
        lane_tracks = tracks.setdefault(event.lane, [])
        for index, track in enumerate(lane_tracks + [[]]):
            if all(x0 > other.x1 + 2 or x1 < other.x0 - 2 for other in track):
                y = lane.y0 + 2.5 + index * (2 * MARKER_RADIUS + 1.5)
                box = Box(x0, y, x1, y + 2 * MARKER_RADIUS)
                if index == len(lane_tracks):
                    lane_tracks.append([])
                lane_tracks[index].append(box)
                markers[event.number] = box
                break
    return markers


def _place(event: ChartEvent, lane: Box, markers: dict[int, Box], placed: list[PlacedLabel],
           sans: str) -> PlacedLabel | None:
    marker = markers[event.number]
    middle = (marker.y0 + marker.y1) / 2
    for full in (True, False):
        width, height = label_size(event, full, sans)
        candidates = [(marker.x1 + 2.5, middle - height / 2), (marker.x0 - width - 2.5, middle - height / 2)]
        for row in range(12):  # rows above and below the marker, nearest first
            for y in (marker.y1 + 1.5 + row * (height + 1), marker.y0 - 1.5 - height - row * (height + 1)):
                candidates += [(marker.x0 - 1, y), (marker.x1 - width + 1, y), ((marker.x0 + marker.x1 - width) / 2, y)]
        inner = Box(lane.x0 + 1, lane.y0 + 1, lane.x1 - 1, lane.y1 - 1)
        for x, y in candidates:
            box = Box(x, y, x + width, y + height)
            if not box.inside(inner):
                continue
            if any(box.overlaps(m, 0.8) for m in markers.values()):
                continue
            if any(box.overlaps(p.box, 1.2) for p in placed):
                continue
            return PlacedLabel(event, box, event.label if full else "")
    return None


@functools.lru_cache(maxsize=16)
def _cached_layout(events: tuple[ChartEvent, ...], lane_titles: tuple[str, ...], width: float,
                   legend: tuple[str, ...], sans: str) -> ChartLayout:
    """The chart does not scale with fit-to-page, so every trial layout of a document reuses it."""
    return layout_chart(list(events), list(lane_titles), width, list(legend), sans=sans)


class TimelineChart(Flowable):
    """Draws a ChartLayout; lays itself out for the width it is given."""

    def __init__(self, events: list[ChartEvent], lane_titles: list[str], accent: str, tint: str, muted: str,
                 rule: str, legend: list[str], sans: str = DEFAULT_SANS):
        super().__init__()
        self.events, self.lane_titles = events, lane_titles
        self.accent, self.tint, self.muted, self.rule = (HexColor(c) for c in (accent, tint, muted, rule))
        self.period = linearlyInterpolatedColor(self.accent, white, 0, 1, 0.6)  # a lighter accent for bars
        self.legend_texts = legend
        self.sans = sans
        self.chart: ChartLayout | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.chart is None or self.chart.width != available_width:
            self.chart = _cached_layout(tuple(self.events), tuple(self.lane_titles), available_width,
                                        tuple(self.legend_texts), self.sans)
        return available_width, self.chart.height

    def draw(self) -> None:
        chart, canvas = self.chart, self.canv
        assert chart is not None
        for index, (lane, title) in enumerate(zip(chart.lanes, self.lane_titles)):
            if index % 2 == 0:
                canvas.setFillColor(self.tint)
                canvas.rect(lane.x0, lane.y0, lane.x1 - lane.x0, lane.y1 - lane.y0, stroke=0, fill=1)
            canvas.setFillColor(self.muted)
            self._lane_title(title, lane)
        self._axis(chart)
        for event in self.events:
            self._marker(chart.markers[event.number], event)
        for label in chart.labels:
            canvas.setFillColor(self.accent)
            canvas.setFont(f"{self.sans}-bold", LABEL_SIZE)
            baseline = label.box.y0 + LABEL_SIZE * 0.22
            canvas.drawString(label.box.x0, baseline, str(label.event.number))
            if label.text:
                canvas.setFillColor(HexColor("#1A1A1A"))
                canvas.setFont(f"{self.sans}-regular", LABEL_SIZE)
                canvas.drawString(label.box.x0 + stringWidth(str(label.event.number), f"{self.sans}-bold", LABEL_SIZE),
                                  baseline, f" {label.text}")
        self._legend(chart)

    def _lane_title(self, title: str, lane: Box) -> None:
        canvas, width = self.canv, lane.x0 - 8
        words, lines, line = title.split(), [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if stringWidth(trial, f"{self.sans}-regular", LANE_TITLE_SIZE) > width and line:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
        middle = (lane.y0 + lane.y1) / 2
        top = middle + (len(lines) - 1) * LANE_TITLE_SIZE * 0.6 - LANE_TITLE_SIZE * 0.35
        canvas.setFont(f"{self.sans}-regular", LANE_TITLE_SIZE)
        for index, text in enumerate(lines):
            canvas.drawRightString(lane.x0 - 6, top - index * LANE_TITLE_SIZE * 1.2, text)

    def _axis(self, chart: ChartLayout) -> None:
        canvas, y = self.canv, chart.axis.y1
        canvas.setStrokeColor(self.muted)
        canvas.setLineWidth(0.6)
        canvas.line(chart.plot.x0, y, chart.plot.x1, y)
        axis = chart.axis_map
        assert axis is not None
        for segment in axis.segments:
            if segment.broken:
                middle = (segment.x0 + segment.x1) / 2
                canvas.setStrokeColor(white)
                canvas.setLineWidth(3)
                canvas.line(middle - 2.5, y, middle + 2.5, y)
                canvas.setStrokeColor(self.muted)
                canvas.setLineWidth(0.6)
                for dx in (-2.5, 1.0):
                    canvas.line(middle + dx - 1.2, y - 3, middle + dx + 1.2, y + 3)
        canvas.setFillColor(self.muted)
        canvas.setFont(f"{self.sans}-regular", TICK_SIZE)
        for year, x, _ in chart.ticks:
            canvas.line(x, y, x, y - 2.5)
            canvas.drawCentredString(x, y - 3.5 - TICK_SIZE, str(year))

    def _marker(self, box: Box, event: ChartEvent) -> None:
        canvas = self.canv
        middle = (box.y0 + box.y1) / 2
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(0.9)
        if event.end is not None:
            canvas.setFillColor(self.period)
            canvas.roundRect(box.x0, box.y0 + 0.6, box.x1 - box.x0, box.y1 - box.y0 - 1.2, 1.6, stroke=1, fill=1)
        elif event.inferred:
            canvas.setFillColor(white)
            canvas.circle(box.x0 + MARKER_RADIUS, middle, MARKER_RADIUS - 0.4, stroke=1, fill=1)
        else:
            canvas.setFillColor(self.accent)
            canvas.circle(box.x0 + MARKER_RADIUS, middle, MARKER_RADIUS, stroke=0, fill=1)

    def _legend(self, chart: ChartLayout) -> None:
        canvas = self.canv
        canvas.setFont(f"{self.sans}-regular", LABEL_SIZE)
        for sample, marker, text, text_box in chart.legend:
            if sample is not None:
                self._marker(marker, sample)
            canvas.setFillColor(self.muted)
            canvas.setFont(f"{self.sans}-regular", LABEL_SIZE)
            canvas.drawString(text_box.x0, text_box.y0 + 0.6, text)
