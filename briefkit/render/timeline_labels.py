"""Where one label of the timeline graphic may go in its lane: the candidate places, best first,
and whether a place (with its leader line) keeps clear of everything placed so far.

A label is tried beside its marker, then in the rows just above and below it (reaching back
over events already labelled first), then in rows farther away and sideways, joined to the
marker by a leader line. A place over markers still waiting for their labels is tried last: it
would stand in the way of their leader lines. What a lane holds is filed in a grid of cells, so
a candidate is tested against its neighbours only.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from .timeline_geometry import (LABEL_GAP, LEADER_CLEARANCE, MARKER_GAP, ROW_GAP, SHIFTS, Box, ChartEvent,
                                PlacedLabel, Segment2, crosses, label_size, line_box, lines_cross)

CELL_WIDTH, CELL_HEIGHT = 24.0, 8.0  # the grid obstacles are filed in
MARKER_GAP_X = 2.4         # a label keeps this far from a marker on its row (it sits 2.5 from its own)


@dataclass(frozen=True, eq=False)
class Thing:
    """Something in a lane that a label must keep clear of."""

    kind: str                      # "marker", "label" or "leader"
    box: Box
    number: int                    # the event it belongs to
    line: Segment2 | None = None   # a leader line itself (its box bounds it)

    @property
    def halo(self) -> Box:
        """The box a leader line may not enter: a little more than the thing itself."""
        return self.box.grown(0.5 if self.kind == "marker" else LEADER_CLEARANCE)


class Obstacles:
    """What a lane holds so far (markers, labels, leader lines), filed in a grid of cells so that a
    candidate is tested against its neighbours only."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[Thing, Box]]] = {}
        self.removed: set[int] = set()
        self.of: dict[int, list[Thing]] = {}

    def add(self, thing: Thing) -> None:
        self.of.setdefault(thing.number, []).append(thing)
        box, entry = thing.box, (thing, thing.halo)
        for column in range(int(box.x0 // CELL_WIDTH), int(box.x1 // CELL_WIDTH) + 1):
            for row in range(int(box.y0 // CELL_HEIGHT), int(box.y1 // CELL_HEIGHT) + 1):
                self.cells.setdefault((column, row), []).append(entry)

    def add_label(self, label: PlacedLabel) -> None:
        self.add(Thing("label", label.box, label.event.number))
        if label.leader is not None:
            self.add(Thing("leader", line_box(label.leader), label.event.number, label.leader))

    def remove_label(self, number: int) -> None:
        self.removed.update(id(thing) for thing in self.of.get(number, ()) if thing.kind != "marker")

    def near(self, box: Box, reach_x: float, reach_y: float) -> list[tuple[Thing, Box]]:
        """What lies within reach of a box, each thing with its halo."""
        found: dict[int, tuple[Thing, Box]] = {}
        cells = self.cells
        rows = range(int((box.y0 - reach_y) // CELL_HEIGHT), int((box.y1 + reach_y) // CELL_HEIGHT) + 1)
        for column in range(int((box.x0 - reach_x) // CELL_WIDTH), int((box.x1 + reach_x) // CELL_WIDTH) + 1):
            for row in rows:
                for entry in cells.get((column, row), ()):
                    found[id(entry[0])] = entry
        removed = self.removed
        return [entry for key, entry in found.items() if key not in removed] if removed else list(found.values())


def first_clear(event: ChartEvent, text: str, marker: Box, inner: Box, obstacles: Obstacles, waiting: list[float],
                 sans: str) -> PlacedLabel | None:
    """The label at its best clear place. A place over markers still waiting for their labels is
    tried last: it would stand in the way of their leader lines. Rows beyond a label that stands
    right over (or under) the marker are not tried: a leader line would have to cross it."""
    width, height = label_size(event, text, sans)
    point = event.end is None
    above, below = _reach(marker, inner, obstacles, event.number) if point else (inner.y1, inner.y0)
    pitch = height + ROW_GAP
    later: list[tuple[Box, Segment2 | None]] = []
    for x, y, row in _candidates(marker, width, height, inner, point):
        box = Box(x, y, x + width, y + height)
        if not box.inside(inner) or box.y0 > above + pitch or box.y1 < below - pitch:
            continue
        leader = _leader(marker, box, row, point)
        if row and _over_waiting(box, waiting):
            later.append((box, leader))
        elif _clear(box, leader, event.number, obstacles):
            return PlacedLabel(event, box, text, leader)
    for box, leader in later:
        if _clear(box, leader, event.number, obstacles):
            return PlacedLabel(event, box, text, leader)
    return None


def _reach(marker: Box, inner: Box, obstacles: Obstacles, own: int) -> tuple[float, float]:
    """How far up and down a leader line can run straight from a point marker: to the nearest
    other label standing over or under it."""
    centre = (marker.x0 + marker.x1) / 2
    above, below = inner.y1, inner.y0
    for thing, halo in obstacles.near(Box(centre, inner.y0, centre, inner.y1), 0, 0):
        if thing.kind == "label" and thing.number != own and halo.x0 <= centre <= halo.x1:
            if thing.box.y0 >= marker.y1:
                above = min(above, thing.box.y0)
            elif thing.box.y1 <= marker.y0:
                below = max(below, thing.box.y1)
    return above, below


def _over_waiting(box: Box, waiting: list[float]) -> bool:
    index = bisect.bisect_left(waiting, box.x0 - LEADER_CLEARANCE)
    return index < len(waiting) and waiting[index] <= box.x1 + LEADER_CLEARANCE


def _candidates(marker: Box, width: float, height: float, inner: Box, point: bool) -> Iterator[tuple[float, float, int]]:
    """(x, y, row) of the places a label may take, best first; row 0 is the marker's own line,
    rows 1, 2… above it, -1, -2… below it."""
    middle = (marker.y0 + marker.y1) / 2
    yield marker.x1 + 2.5, middle - height / 2, 0
    yield marker.x0 - 2.5 - width, middle - height / 2, 0
    centre = (marker.x0 + marker.x1) / 2
    if point:
        starts, ends = marker.x0 - 1, marker.x1 + 1
    else:
        starts, ends = marker.x0, marker.x1
    pitch = height + ROW_GAP
    rows = int((inner.y1 - inner.y0) / pitch) + 1
    for distance in range(1, rows + 1):
        for side in (1, -1):
            if side > 0:
                y = middle + height / 2 + ROW_GAP + (distance - 1) * pitch
            else:
                y = middle - height / 2 - ROW_GAP - height - (distance - 1) * pitch
            if y < inner.y0 - 1e-6 or y + height > inner.y1 + 1e-6:
                continue
            for x in (starts, ends - width, centre - width / 2):
                yield x, y, side * distance
            if distance > 1:
                for shift in SHIFTS:
                    yield centre - shift - width, y, side * distance
                    yield centre + shift, y, side * distance


def _leader(marker: Box, box: Box, row: int, point: bool) -> Segment2 | None:
    """The line from a marker to a label away from it: none beside it or in the next row over it."""
    if row == 0:
        return None
    if point:
        anchor = (marker.x0 + marker.x1) / 2
    else:
        anchor = min(max((box.x0 + box.x1) / 2, marker.x0 + 1), marker.x1 - 1)
    if abs(row) == 1 and box.x0 <= anchor <= box.x1:
        return None
    end_x = min(max(anchor, box.x0 + 1), box.x1 - 1)
    if row > 0:
        return anchor, marker.y1, end_x, box.y0 - 0.5
    return anchor, marker.y0, end_x, box.y1 + 0.5


def _clear(box: Box, leader: Segment2 | None, own: int, obstacles: Obstacles) -> bool:
    """Whether a label (and its leader line) keeps clear of everything placed so far but its own."""
    halo = box.grown(LEADER_CLEARANCE)
    for thing, _ in obstacles.near(box, max(LABEL_GAP, MARKER_GAP_X) + 1, ROW_GAP + 1):
        if thing.kind == "marker":
            if box.overlaps(thing.box, MARKER_GAP_X, MARKER_GAP):
                return False
        elif thing.number == own:
            continue
        elif thing.kind == "label":
            if box.overlaps(thing.box, LABEL_GAP, ROW_GAP - 0.05):
                return False
        elif thing.line is not None and crosses(thing.line, halo):
            return False
    if leader is None:
        return True
    for thing, around in obstacles.near(line_box(leader), 2, 2):
        if thing.number == own:
            continue
        if thing.line is not None:
            if lines_cross(leader, thing.line):
                return False
        elif crosses(leader, around):
            return False
    return True
