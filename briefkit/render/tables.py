"""Tables that flow through columns and pages: header rows repeat, a row that does not fit the
space left moves on whole, and a row that would not fit the next frame either is split between
lines.

ReportLab's own table splits between rows only, and fails outright on a row taller than the
frame it lands in. Here a table splits itself: between rows wherever it can. When its first row
does not fit the space left, it moves on if the next frame can hold it; otherwise (a row taller
than that frame, or than any), or when it stands at the top of an empty frame, it is cut at a
line of its cells here, and the rest continues under the repeated header in the next frame, so a
short frame (beside the chart on a timeline's first page) is filled rather than left empty; such
a row that follows rows that fit is cut right under them, so a header repeats only at a frame's
top. A
table placed right under its heading starts where the heading is, never leaving it alone. A row that cannot be cut even at the top of the tallest frame
is a located error naming the row.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, Spacer, TableStyle

from ..errors import LayoutError
from .tagging import MarkedTable

MIN_LINES = 2  # a split row keeps at least this many lines of its tallest cell on each side


@dataclass(frozen=True)
class Row:
    cells: tuple[Any, ...]  # one flowable per column
    header: bool = False
    shade: bool = False     # zebra stripe: both parts of a split row keep it


# (rows) → the style commands of a table made of these rows
Styler = Callable[[list[Row]], TableStyle]


class FlowingTable(MarkedTable):
    """A table of rows of flowables; `split` moves or splits rows as the module docstring says.
    In the parts after the first, the header rows are drawn again as artifacts: a screen reader
    meets the header once, in the first part."""

    def __init__(self, rows: list[Row], widths: list[float], styler: Styler, name: str = "table",
                 continued: bool = False):
        self.rows, self.widths, self.styler, self.name = rows, widths, styler, name
        self.header_count = sum(1 for row in rows if row.header)
        self.start_here = False  # set when its heading was placed: it must start under it
        self.continued = continued
        if continued:
            self.repeated = frozenset(id(cell) for row in rows if row.header for cell in row.cells)
        super().__init__([list(row.cells) for row in rows], colWidths=widths, repeatRows=self.header_count)
        self.setStyle(styler(rows))

    def _part(self, rows: list[Row], continued: bool) -> FlowingTable:
        part = FlowingTable(rows, self.widths, self.styler, self.name, continued)
        if hasattr(self, "briefkit_role"):
            part.briefkit_role = self.briefkit_role
        return part

    def start_height(self, width: float, next_height: float) -> float:
        """The least height this table needs to start in a frame, when the next frame is
        `next_height` tall: its header and first row, or the header and the first lines of that
        row when the row would not fit the next frame either (it is then split)."""
        self._calc(width, next_height)
        head, body = self._rowHeights[:self.header_count], self._rowHeights[self.header_count:]
        if not body:
            return sum(head)
        if sum(head) + body[0] > next_height + 1e-6:
            return sum(head) + self._row_padding(self.header_count) + MIN_LINES * self._leading(self.header_count)
        return sum(head) + body[0]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        self._calc(availWidth, availHeight)
        heights, first = self._rowHeights, self.header_count
        used, fits = sum(heights[:first]), 0
        for height in heights[first:]:
            if used + height > availHeight + 1e-6:
                break
            used, fits = used + height, fits + 1
        header, body = self.rows[:first], self.rows[first:]
        if fits == len(body):
            return [self]
        if fits:
            following = first + fits
            if sum(heights[:first]) + heights[following] > next_frame_height(self, availHeight) + 1e-6:
                # the next row will be cut anyway (no frame holds it whole): cut it here, under the rows
                # that fit, rather than start it again under a repeated header lower in this frame
                halves = self._split_row(following, availHeight - used)
                if halves is not None:
                    return [self._part(header + body[:fits] + [halves[0]], self.continued),
                            self._part(header + [halves[1], *body[fits + 1:]], True)]
            return [self._part(header + body[:fits], self.continued), self._part(header + body[fits:], True)]
        if not body:
            return []
        needed = sum(heights[:first]) + heights[first]
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        if not (self.start_here or at_top) and needed <= next_frame_height(self, availHeight) + 1e-6:
            return []  # the next frame holds it whole: it moves on (moving on from an empty frame would leave it empty)
        halves = self._split_row(first, availHeight - sum(heights[:first]))
        if halves is not None:
            return [self._part(header + [halves[0]], self.continued), self._part(header + [halves[1], *body[1:]], True)]
        tallest = self._doctemplateAttr("tallest_frame") or availHeight
        if availHeight >= tallest - 1e-6:
            raise LayoutError(f"{self.name}: {describe_row(body[0])} is taller than a whole page or column "
                              f"({heights[first]:.0f} pt, {tallest:.0f} pt available) and cannot be split "
                              "between lines: shorten it")
        return []  # too little room here: it starts at the top of a later frame

    def _cell_geometry(self, index: int, column: int) -> tuple[float, float]:
        """(content width, vertical padding) of a cell."""
        style = self._cellStyles[index][column]
        return (self.widths[column] - style.leftPadding - style.rightPadding,
                style.topPadding + style.bottomPadding)

    def _row_padding(self, index: int) -> float:
        return max(self._cell_geometry(index, column)[1] for column in range(len(self.widths)))

    def _leading(self, index: int) -> float:
        return max((getattr(getattr(cell, "style", None), "leading", 0.0) for cell in self.rows[index].cells),
                   default=0.0)

    def _split_row(self, index: int, room: float) -> tuple[Row, Row] | None:
        """The row cut at a line so its first part fits `room`; None if no useful cut exists."""
        row = self.rows[index]
        leading = self._leading(index)
        if room - self._row_padding(index) < MIN_LINES * leading:
            return None
        first: list[Any] = []
        rest: list[Any] = []
        for column, cell in enumerate(row.cells):
            inner, padding = self._cell_geometry(index, column)
            space = room - padding
            if cell.wrap(inner, space)[1] <= space + 1e-6:
                first.append(cell)
                rest.append(Spacer(0, 0))
                continue
            parts = cell.split(inner, space)
            if len(parts) != 2:
                return None
            first.append(parts[0])
            rest.append(parts[1])
        return Row(tuple(first), row.header, row.shade), Row(tuple(rest), row.header, row.shade)


def next_frame_height(flowable: Flowable, default: float) -> float:
    """The height of the frame after the current one, while a flowable is being placed."""
    peek = flowable._doctemplateAttr("_peekNextFrame")
    try:
        frame = peek() if peek is not None else None
    except (ValueError, IndexError, AttributeError):
        frame = None
    return default if frame is None else float(frame._height)


def describe_row(row: Row) -> str:
    """A row as a reader would find it: the start of its text, and its length in words."""
    texts = [" ".join(cell.getPlainText().split()) for cell in row.cells if hasattr(cell, "getPlainText")]
    text = " · ".join(t for t in texts if t)
    words = len(text.split())
    shown = text if len(text) <= 70 else text[:69].rstrip() + "\u2026"
    return f"the row \u201c{shown}\u201d ({words} words)"
