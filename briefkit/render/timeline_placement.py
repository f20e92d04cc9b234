"""Where the timeline graphic puts its markers and labels, and how tall each lane grows.

Markers that would overlap are set side by side, centred on their dates and kept on the axis;
periods are bars in tracks along the lane's foot. Labels are placed lane by lane (a label never
leaves its lane), greedily in date order, each at the first clear place (timeline_labels.py):
beside its marker, in the rows just above or below it, or in rows farther away joined to it by
a thin leader line. In a dense cluster this makes a staircase of labels reaching back over events
already labelled. A label keeps a clear gap from every other label on its row, so two never read
as one, and no label, marker or leader line touches another. Where an event finds no place for
its full label, its lane grows a row taller on each side, the most crowded lane first, within
the chart's height budget, before the label falls back to its number alone (the chronology gives
the details). A label wider than a third of the plot is shortened at a word, with an ellipsis.
If even a number finds no place, the chart is too crowded: a LayoutError that says what to change.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass


from ..errors import LayoutError
from .timeline_geometry import (DEFAULT_MAX_HEIGHT, DEFAULT_SANS, LABEL_HEIGHT, LABEL_SIZE, LANE_HEIGHT,
                                MARKER_RADIUS, MARKER_STEP, ROW_GAP, STALLED_GROWTH, TICK_SIZE, TRACK_STEP, Axis,
                                Box, ChartEvent, ChartLayout, LaneTitle, PlacedLabel, Segment2, label_size,
                                lane_title, shortened)
from .timeline_labels import Obstacles, Thing, first_clear
from .text import string_width

LEGEND_ROW = LABEL_SIZE + 3.4


@dataclass
class _Lane:
    """One lane's events and markers, in lane coordinates (y from the lane's foot)."""

    events: list[ChartEvent]
    xs: dict[int, float]            # point events: the x of their marker's centre
    bars: dict[int, Box]            # period events: their bar (already in lane coordinates)
    minimum: float

    def markers(self, height: float) -> dict[int, Box]:
        middle = height / 2
        found = dict(self.bars)
        for number, x in self.xs.items():
            found[number] = Box(x - MARKER_RADIUS, middle - MARKER_RADIUS, x + MARKER_RADIUS, middle + MARKER_RADIUS)
        return found


@dataclass
class _Placed:
    labels: list[PlacedLabel]
    short: int      # labels shown as their number alone
    missing: int    # events without even their number

    @property
    def score(self) -> tuple[int, int]:
        return self.missing, self.short


def layout_chart(events: list[ChartEvent], lane_titles: list[str], width: float, legend: list[str],
                 gutter: float = 92.0, sans: str = DEFAULT_SANS, max_height: float | None = None) -> ChartLayout:
    """Place lanes, markers and labels; grow crowded lanes (within `max_height` for the whole
    chart) until every label fits, or as far as the budget allows."""
    plot_x0, plot_x1 = gutter + 8, width - 4
    axis = Axis.fit(events, plot_x0 + 6, plot_x1 - 6)
    titles = [lane_title(title, gutter, sans) for title in lane_titles]
    uncertain = any(event.uncertain for event in events)  # a hedged period counts too: it is dashed
    samples = SAMPLES + ((UNCERTAIN,) if uncertain else ())
    kinds = {_kind(event) for event in events} | ({len(SAMPLES)} if uncertain else set())
    legend_items, legend_height = _legend_layout(plot_x0, width - 4, legend, sans, samples, kinds)
    base = legend_height + TICK_SIZE + 10
    texts = {event.number: shortened(event.label, (plot_x1 - plot_x0) / 3, sans) for event in events}
    lanes = [_lane([e for e in events if e.lane == index], axis, plot_x0, plot_x1, titles[index])
             for index in range(len(lane_titles))]
    inner = (plot_x0 + 1, plot_x1 - 1)
    heights = [lane.minimum for lane in lanes]
    placed = [_place_lane(lane, height, inner, texts, sans) for lane, height in zip(lanes, heights)]
    _grow(lanes, heights, placed, (max_height or DEFAULT_MAX_HEIGHT) - base, inner, texts, sans)
    stuck = [index for index, result in enumerate(placed) if result.missing]
    if stuck:
        raise LayoutError(f"the timeline is too crowded: some events in the lane “{' '.join(titles[stuck[0]].lines)}” "
                          "cannot be labelled even with their number, in the tallest lane the page allows; give them "
                          "shorter `short` labels, move some to another lane, or leave some out of the timeline")
    boxes, markers, labels, top = [], {}, [], base + sum(heights)
    for lane, height, result in zip(lanes, heights, placed):
        top -= height
        boxes.append(Box(plot_x0, top, plot_x1, top + height))
        markers.update({number: box.moved(top) for number, box in lane.markers(height).items()})
        labels += [PlacedLabel(label.event, label.box.moved(top), label.text,
                               None if label.leader is None else _moved(label.leader, top)) for label in result.labels]
    return ChartLayout(width, base + sum(heights), Box(plot_x0, base, plot_x1, base + sum(heights)),
                       Box(plot_x0, legend_height, plot_x1, base), boxes, markers, labels, axis.ticks(sans),
                       [s for s in axis.segments if s.broken], legend_items, axis, titles, plot_x0 - 6)


def _moved(line: Segment2, dy: float) -> Segment2:
    return line[0], line[1] + dy, line[2], line[3] + dy


def _grow(lanes: list[_Lane], heights: list[float], placed: list[_Placed], budget: float,
          inner: tuple[float, float], texts: dict[int, str], sans: str) -> None:
    """Grow the lanes whose events lack a label, one row at a time, the most crowded first, while
    the budget lasts; a lane that stops gaining goes back to its best height."""
    best = [(result.score, height) for result, height in zip(placed, heights)]
    stalled = [0] * len(lanes)
    done: set[int] = set()
    while True:
        wanting = sorted((index for index, result in enumerate(placed) if result.score != (0, 0) and index not in done),
                         key=lambda index: (-placed[index].missing, -placed[index].short, index))
        missing = bool(wanting) and placed[wanting[0]].missing > 0
        if missing:  # events without even their number come first, a row at a time
            wanting = [index for index in wanting if placed[index].missing]
        grew = False
        for index in wanting:
            room = budget - sum(heights) + heights[index]
            steps = [_next_height(heights[index])]
            for _ in range(0 if missing else placed[index].short // 12):  # far to go: longer strides
                steps.append(_next_height(steps[-1]))
            fitting = [height for height in steps if height <= room + 1e-6]
            if not fitting:
                continue
            heights[index] = fitting[-1]
            placed[index] = _place_lane(lanes[index], heights[index], inner, texts, sans)
            grew = True
            if placed[index].score < best[index][0]:
                best[index], stalled[index] = (placed[index].score, heights[index]), 0
                continue
            stalled[index] += 1
            if stalled[index] >= STALLED_GROWTH:
                heights[index] = best[index][1]
                placed[index] = _place_lane(lanes[index], heights[index], inner, texts, sans)
                done.add(index)
        if not grew:
            for index, (score, height) in enumerate(best):  # the budget is spent: each lane at its best
                if placed[index].score > score:
                    heights[index] = height
                    placed[index] = _place_lane(lanes[index], height, inner, texts, sans)
            return


def _next_height(height: float) -> float:
    """The least lane height with one more row of labels on each side of the markers (the
    markers stay on the lane's middle line)."""
    pitch = LABEL_HEIGHT + ROW_GAP
    first = 2 * (1 + 1.5 * LABEL_HEIGHT + ROW_GAP)  # a lane with one row above and one below
    rows = 0 if height < first - 1e-6 else int((height - first) / (2 * pitch) + 1e-6) + 1
    return math.ceil((first + rows * 2 * pitch) * 10) / 10


def _lane(events: list[ChartEvent], axis: Axis, x0: float, x1: float, title: LaneTitle) -> _Lane:
    """Markers along the lane: points side by side where they would touch, bars in tracks."""
    ordered = sorted(events, key=lambda e: (e.start, e.number))
    points = [e for e in ordered if e.end is None]
    wanted = [axis.x(e.start) for e in points]
    xs = dict(zip((e.number for e in points), _side_by_side(wanted, x0 + MARKER_RADIUS + 1, x1 - MARKER_RADIUS - 1)))
    tracks: list[list[Box]] = []
    bars: dict[int, Box] = {}
    for event in (e for e in ordered if e.end is not None):
        start, end = axis.x(event.start), axis.x(event.end or event.start)
        end = max(end, start + 2 * MARKER_RADIUS)
        for index, track in enumerate(tracks + [[]]):
            if all(start > other.x1 + 2 or end < other.x0 - 2 for other in track):
                y = 2.5 + index * TRACK_STEP
                box = Box(start, y, end, y + 2 * MARKER_RADIUS)
                if index == len(tracks):
                    tracks.append([])
                tracks[index].append(box)
                bars[event.number] = box
                break
    minimum = max(LANE_HEIGHT, title.height + 4)
    if tracks:  # bars stay inside the lane, under the line of point markers
        top = 2.5 + len(tracks) * TRACK_STEP
        minimum = max(minimum, 2 * (top + MARKER_RADIUS) if points else top + 1)
    return _Lane(ordered, xs, bars, minimum)


def _side_by_side(wanted: list[float], low: float, high: float) -> list[float]:
    """Positions at least MARKER_STEP apart, each group centred on where its markers want to be,
    all within [low, high]."""
    if len(wanted) > 1 and (len(wanted) - 1) * MARKER_STEP > high - low:
        raise LayoutError(f"the timeline is too crowded: {len(wanted)} dated events in one lane cannot stand side "
                          "by side across the page; move some to another lane or leave some out of the timeline")
    groups: list[list[float]] = []  # [sum of wanted positions, count]

    def start(group: list[float]) -> float:
        count = int(group[1])
        first = group[0] / count - (count - 1) * MARKER_STEP / 2
        return min(max(first, low), high - (count - 1) * MARKER_STEP)

    for x in wanted:
        groups.append([x, 1])
        while len(groups) > 1 and start(groups[-2]) + groups[-2][1] * MARKER_STEP > start(groups[-1]) + 1e-9:
            last = groups.pop()
            groups[-1][0] += last[0]
            groups[-1][1] += last[1]
    return [start(group) + k * MARKER_STEP for group in groups for k in range(int(group[1]))]


def _place_lane(lane: _Lane, height: float, inner_x: tuple[float, float], texts: dict[int, str],
                sans: str) -> _Placed:
    """The lane's labels, in date order, each at its best clear place (reaching back over events
    already labelled). Events too near the lane's left end to reach back may do better placed last,
    right to left, reaching forward: that is tried when some label is missing or short. If an event
    is left without even its number, every event first gets its number and then, in date order, its
    full label where one fits; events left out are then put first. The best result is kept."""
    def place(order: list[ChartEvent], numbers_first: bool = False) -> _Placed:
        return _place_in_order(lane, height, inner_x, texts, sans, order, numbers_first)

    best = place(lane.events)
    if best.score == (0, 0):
        return best
    markers = lane.markers(height)
    edge = [event for event in lane.events if markers[event.number].x0 - 2.5
            - label_size(event, texts[event.number], sans)[0] < inner_x[0]]
    order = [event for event in lane.events if event not in edge] + edge[::-1]
    if edge and not best.missing:
        best = min(best, place(order), key=lambda result: result.score)
    for _ in range(2):
        if not best.missing:
            break
        again = place(order, numbers_first=True)
        best = min(best, again, key=lambda result: result.score)
        placed = {label.event.number for label in again.labels}
        order = [e for e in order if e.number not in placed] + [e for e in order if e.number in placed]
    return best


def _place_in_order(lane: _Lane, height: float, inner_x: tuple[float, float], texts: dict[int, str], sans: str,
                    order: list[ChartEvent], numbers_first: bool = False) -> _Placed:
    markers = lane.markers(height)
    inner = Box(inner_x[0], 1, inner_x[1], height - 1)
    obstacles = Obstacles()
    for number, box in markers.items():
        obstacles.add(Thing("marker", box, number))
    waiting = sorted((box.x0 + box.x1) / 2 for box in markers.values())  # centres of markers not yet labelled
    labels: dict[int, PlacedLabel] = {}
    for event in order:
        marker = markers[event.number]
        del waiting[bisect.bisect_left(waiting, (marker.x0 + marker.x1) / 2 - 1e-9)]
        text = texts[event.number]
        for shown in ([""] if numbers_first or not text else [text, ""]):
            label = first_clear(event, shown, marker, inner, obstacles, waiting, sans)
            if label is not None:
                labels[event.number] = label
                obstacles.add_label(label)
                break
    if numbers_first:
        for event in (e for e in order if e.number in labels and texts[e.number]):
            label = first_clear(event, texts[event.number], markers[event.number], inner, obstacles, [], sans)
            if label is not None:
                obstacles.remove_label(event.number)
                obstacles.add_label(label)
                labels[event.number] = label
    short = sum(1 for label in labels.values() if texts[label.event.number] and not label.text)
    return _Placed([labels[e.number] for e in lane.events if e.number in labels], short, len(order) - len(labels))


SAMPLES = (ChartEvent(0, 0, None, 0, "", False), ChartEvent(0, 0, None, 0, "", True),
           ChartEvent(0, 0, 1, 0, "", False))
UNCERTAIN = ChartEvent(0, 0, None, 0, "", False, True)  # in the legend only when a chart has such events


def _kind(event: ChartEvent) -> int:
    """Which legend sample stands for the event's marker, as an index into SAMPLES + UNCERTAIN:
    a period, a hedged or disputed date, a year from the record, or a plain dated event."""
    return 2 if event.end is not None else len(SAMPLES) if event.uncertain else 1 if event.inferred else 0


def _legend_layout(x0: float, x1: float, texts: list[str], sans: str, samples: tuple[ChartEvent, ...] = SAMPLES,
                   kinds: set[int] | None = None) -> tuple[list[tuple[ChartEvent | None, Box, str, Box]], float]:
    """Rows under the axis: a sample marker and its text for each marker kind (`samples`, in the
    order of `texts`) that the chart draws (`kinds`; None: all), then plain notes; a row that would
    run past the chart's right edge wraps. Returns the items and their height."""
    rows: list[list[tuple[ChartEvent | None, float, str, float]]] = [[]]  # sample, marker width, text, text width
    x = x0
    for index, text in enumerate(texts):
        sample = samples[index] if index < len(samples) else None
        if sample is not None and kinds is not None and index not in kinds:
            continue
        marker = 0.0 if sample is None else 12.0 if sample.end is not None else 2 * MARKER_RADIUS
        room = x1 - x0 - marker - 3
        text = shortened(text, room, sans)
        size = marker + (3 if marker else 0) + string_width(text, f"{sans}-regular", LABEL_SIZE)
        if rows[-1] and x + size > x1:
            rows.append([])
            x = x0
        rows[-1].append((sample, marker, text, string_width(text, f"{sans}-regular", LABEL_SIZE)))
        x += size + 14
    height = LABEL_SIZE + 8 + (len(rows) - 1) * LEGEND_ROW
    items: list[tuple[ChartEvent | None, Box, str, Box]] = []
    for number, row in enumerate(rows):
        y, x = 1.5 + (len(rows) - 1 - number) * LEGEND_ROW, x0
        for sample, marker, text, width in row:
            start = x + marker + (3 if marker else 0)
            items.append((sample, Box(x, y, x + marker, y + 2 * MARKER_RADIUS), text,
                          Box(start, y, start + width, y + LABEL_SIZE)))
            x = start + width + 14
    return items, height
