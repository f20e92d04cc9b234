"""The timeline graphic's geometry: boxes and lines, events, the time axis, lane titles, and the
`ChartLayout` that holds everything the chart draws, as plain data without a canvas.

The axis is piecewise linear. Each year gets width according to how many events fall in it, so
dense clusters open up; runs of four or more empty years collapse into a short broken segment.
Where labels go is timeline_placement.py; drawing it is timeline_chart.py.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from .text import string_width

LABEL_SIZE = 6.6
DEFAULT_SANS = "SourceSans"  # registered family name: the chart uses its regular and bold
TICK_SIZE = 6.8
LANE_TITLE_SIZE = 7.2
MIN_TITLE_SIZE = 5.6
MARKER_RADIUS = 2.6
MARKER_STEP = 2 * MARKER_RADIUS + 0.6  # centre to centre of markers set side by side
EMPTY_YEAR = 0.3        # width of a year without events, relative to a year with one event
EXTRA_EVENT = 0.55      # width each further event adds to its year
BREAK_WIDTH = 1.1       # width of a collapsed run of empty years
BREAK_RUN = 4           # empty years in a row that collapse
LANE_HEIGHT = 23.0
DEFAULT_MAX_HEIGHT = 320.0  # the whole chart, when the page does not say
LABEL_GAP = 8.0         # least space between two labels on one row: over five spaces
ROW_GAP = 1.2           # between rows of labels
MARKER_GAP = 1.0        # between a label and a marker
LEADER_CLEARANCE = 0.8  # between a leader line and a label or marker it passes
TRACK_STEP = 2 * MARKER_RADIUS + 1.5
LABEL_HEIGHT = LABEL_SIZE * 1.05
SHIFTS = (10.0, 22.0, 38.0, 60.0)  # how far a label in a far row may sit sideways from its marker
STALLED_GROWTH = 3      # growth steps without a better lane before the lane stops growing


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0, gap_y: float | None = None) -> bool:
        """True when the boxes come closer than `gap` across (and `gap_y`, default `gap`, up and down)."""
        vertical = gap if gap_y is None else gap_y
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0 or
                    self.y1 + vertical <= other.y0 or other.y1 + vertical <= self.y0)

    def inside(self, other: Box) -> bool:
        return self.x0 >= other.x0 and self.x1 <= other.x1 and self.y0 >= other.y0 and self.y1 <= other.y1

    def moved(self, dy: float) -> Box:
        return Box(self.x0, self.y0 + dy, self.x1, self.y1 + dy)

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)


Segment2 = tuple[float, float, float, float]  # a leader line: x0, y0, x1, y1


def crosses(line: Segment2, box: Box) -> bool:
    """True when the line segment passes through the box (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = line
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box.x0), (dx, box.x1 - x0), (-dy, y0 - box.y0), (dy, box.y1 - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def lines_cross(a: Segment2, b: Segment2) -> bool:
    """True when two segments intersect (touching ends included)."""
    def side(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
        return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    d1 = side(b[0], b[1], b[2], b[3], a[0], a[1])
    d2 = side(b[0], b[1], b[2], b[3], a[2], a[3])
    d3 = side(a[0], a[1], a[2], a[3], b[0], b[1])
    d4 = side(a[0], a[1], a[2], a[3], b[2], b[3])
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    return Box(min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3])).overlaps(
        Box(min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3]))) and 0 in (d1, d2, d3, d4)


def line_box(line: Segment2) -> Box:
    return Box(min(line[0], line[2]), min(line[1], line[3]), max(line[0], line[2]), max(line[1], line[3]))


@dataclass(frozen=True)
class ChartEvent:
    number: int
    start: float              # fractional year
    end: float | None         # fractional year for periods (decades, spans), else None
    lane: int
    label: str
    inferred: bool
    uncertain: bool = False   # the source hedges the date, or the public record disputes it


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
    events: int = 0  # dated events in the year (for a year's segment)


class Axis:
    """Piecewise-linear mapping from fractional years to x."""

    def __init__(self, segments: list[Segment]):
        self.segments = segments

    @classmethod
    def fit(cls, events: list[ChartEvent], x0: float, x1: float) -> Axis:
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
            segments.append(Segment(start, end, x, x + width, broken, counts[start] if end == start + 1 else 0))
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
        """(year, x of its tick and label, label width) for the years worth labelling, none
        overlapping. A tick stands at 1 January of its year, where the year's stretch of the axis
        begins, so an event dated in the year sits to the right of its tick."""
        candidates = []
        for index, segment in enumerate(self.segments):
            if segment.broken:
                continue
            year = int(segment.start)
            after_break = index > 0 and self.segments[index - 1].broken
            # the axis's anchors first (its start, each year after a break), then the years with the
            # most events, then round decades, then the rest
            priority = 0 if (after_break or index == 0) else 1 if segment.events else 2 if year % 10 == 0 else 3
            candidates.append((priority, -segment.events, year, segment.x0))
        chosen: list[tuple[int, float, float]] = []
        for _, _, year, x in sorted(candidates):
            width = string_width(str(year), f"{sans}-regular", TICK_SIZE)
            box = Box(x - width / 2 - 2, 0, x + width / 2 + 2, 1)
            if all(not box.overlaps(Box(cx - cw / 2 - 2, 0, cx + cw / 2 + 2, 1)) for _, cx, cw in chosen):
                chosen.append((year, x, width))
        return sorted(chosen)


@dataclass
class PlacedLabel:
    event: ChartEvent
    box: Box
    text: str       # what is printed after the number ("" when only the number fits)
    leader: Segment2 | None = None  # from the marker to the label, when it sits away from it


@dataclass(frozen=True)
class LaneTitle:
    lines: tuple[str, ...]
    size: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * 1.2


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
    titles: list[LaneTitle] = field(default_factory=list)
    title_right: float = 0.0  # lane titles end here (right-aligned)


def label_size(event: ChartEvent, text: str, sans: str = DEFAULT_SANS) -> tuple[float, float]:
    width = string_width(f"{event.number}", f"{sans}-bold", LABEL_SIZE)
    if text:
        width += string_width(f" {text}", f"{sans}-regular", LABEL_SIZE)
    return width, LABEL_HEIGHT


def shortened(text: str, room: float, sans: str = DEFAULT_SANS) -> str:
    """The text, or as many of its words as fit `room` followed by an ellipsis."""
    font = f"{sans}-regular"
    if string_width(text, font, LABEL_SIZE) <= room:
        return text
    words, kept = text.split(), ""
    for word in words:
        trial = f"{kept} {word}".strip()
        if string_width(trial + "\u2026", font, LABEL_SIZE) > room:
            break
        kept = trial
    if not kept:  # one long word: cut it
        kept = text
        while kept and string_width(kept + "\u2026", font, LABEL_SIZE) > room:
            kept = kept[:-1]
    return kept.rstrip(" ,;:-\u2013") + "\u2026"


def lane_title(title: str, width: float, sans: str = DEFAULT_SANS) -> LaneTitle:
    """The title broken into lines of `width`, its type made smaller (then words cut) if a word is wider."""
    font = f"{sans}-regular"
    size = LANE_TITLE_SIZE
    words = title.split()
    while size > MIN_TITLE_SIZE and any(string_width(word, font, size) > width for word in words):
        size = round(size - 0.2, 2)
    pieces: list[str] = []
    for word in words:
        while string_width(word, font, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and string_width(word[:cut] + "-", font, size) > width:
                cut -= 1
            pieces.append(word[:cut] + "-")
            word = word[cut:]
        pieces.append(word)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        trial = f"{line} {piece}".strip() if not line.endswith("-") else line + piece
        if string_width(trial, font, size) > width and line:
            lines.append(line)
            line = piece
        else:
            line = trial
    lines.append(line)
    return LaneTitle(tuple(lines), size)
