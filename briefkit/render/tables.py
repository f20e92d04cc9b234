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
from functools import cached_property
from typing import Any

from reportlab.platypus import Flowable, Spacer, TableStyle

from ..errors import LayoutError
from .tagging import MarkedTable

MIN_LINES = 2  # a split row keeps at least this many lines of its tallest cell on each side
# Rows measured at a time. ReportLab measures every row of a table at each wrap and split, so a
# table of thousands of rows (a distribution register) would cost rows² / rows-a-page; a long
# table is measured and split a page's worth of rows at a time instead, with the same result.
CHUNK = 120


@dataclass(frozen=True, eq=False)
class Row:
    """A table row. Its flowables are made when first needed, so a table of thousands of rows (a
    distribution register) holds those of the rows being laid out, not all of them at once."""

    make: Callable[[], tuple[Any, ...]]  # one flowable per column
    header: bool = False
    shade: bool = False     # zebra stripe: both parts of a split row keep it

    @cached_property
    def cells(self) -> tuple[Any, ...]:
        return self.make()

    def look(self) -> tuple[Any, ...]:
        """Its flowables, to be measured: those made already, or new ones that are not kept, so
        measuring a register's thousands of rows does not hold all their flowables at once."""
        return self.__dict__.get("cells") or self.make()

    @staticmethod
    def of(cells: tuple[Any, ...], header: bool = False, shade: bool = False) -> Row:
        """A row of flowables already made."""
        return Row(lambda: cells, header, shade)


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
        # A long table holds all its rows but is a ReportLab table of its first CHUNK only, until
        # it must be drawn whole: each page's remainder then costs a page of rows, not all of them.
        self.complete = len(rows) - self.header_count <= CHUNK
        self._as_table(rows if self.complete else rows[:self.header_count + CHUNK])

    def _whole(self) -> None:
        """Make the ReportLab table of every row, before it is measured or drawn whole."""
        if not self.complete:
            self.complete = True
            self._as_table(self.rows)

    def _as_table(self, rows: list[Row]) -> None:
        super().__init__([list(row.cells) for row in rows], colWidths=self.widths, repeatRows=self.header_count)
        self.setStyle(self.styler(rows))

    def _part(self, rows: list[Row], continued: bool) -> FlowingTable:
        part = FlowingTable(rows, self.widths, self.styler, self.name, continued)
        if hasattr(self, "briefkit_role"):
            part.briefkit_role = self.briefkit_role
        return part

    def _head(self) -> FlowingTable | None:
        """For a long table, its header and first CHUNK rows: what one page can show of it."""
        if len(self.rows) - self.header_count <= CHUNK:
            return None
        head = self._part(self.rows[:self.header_count + CHUNK], self.continued)
        head.start_here = self.start_here
        for name in ("_frame", "canv"):  # where it is being placed: at the top of a frame? which frame next?
            if hasattr(self, name):
                setattr(head, name, getattr(self, name))
        return head

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        head = self._head()
        if head is not None:
            width, height = head.wrap(availWidth, availHeight)
            if height > availHeight:  # the frame will split it: measuring every row would change nothing
                self._width, self._height = width, height
                return width, height
        self._whole()  # it may be drawn here
        return super().wrap(availWidth, availHeight)

    def start_height(self, width: float, next_height: float) -> float:
        """The least height this table needs to start in a frame, when the next frame is
        `next_height` tall: its header and first row, or the header and the first lines of that
        row when the row would not fit the next frame either (it is then split)."""
        head = self._head()
        if head is not None:
            return head.start_height(width, next_height)
        self._calc(width, next_height)
        head, body = self._rowHeights[:self.header_count], self._rowHeights[self.header_count:]
        if not body:
            return sum(head)
        if sum(head) + body[0] > next_height + 1e-6:
            return sum(head) + self._row_padding(self.header_count) + MIN_LINES * self._leading(self.header_count)
        return sum(head) + body[0]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (ReportLab's names)
        head = self._head()
        if head is not None and head.wrap(availWidth, availHeight)[1] > availHeight:
            parts = head.split(availWidth, availHeight)
            if not parts:
                return []
            if len(parts) == 2:  # the first part stays here; the rest of the head goes on with the table
                rest = parts[1].rows[self.header_count:] + self.rows[self.header_count + CHUNK:]
                return [parts[0], self._part(self.rows[:self.header_count] + rest, True)]
        self._whole()
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
        return Row.of(tuple(first), row.header, row.shade), Row.of(tuple(rest), row.header, row.shade)


# A column whose every cell fits on one line in at most this share of the table's width (a number,
# a date, a short label) is short: it is widened so they do. A wider column is text that wraps.
SHORT_COLUMN = 0.3
LENDS_AT_MOST = 0.25  # of its width, a column of wrapping text gives to the others
SLACK = 1.0  # pt: a word measured whole is wrapped by letters in a column exactly its width, by rounding


def fit_columns(widths: list[float], rows: list[Row], padding: float) -> list[float]:
    """The columns' widths, widened where their cells need it: first so no word is cut between
    letters (a hyphenated name in a narrow column), then so a short column holds each of its cells
    on one line (a date, a number, a two-syllable Korean header). The smallest need is served
    first; one that cannot be met leaves the widths as they are. The template's widths were
    chosen for one language, essay and type size; this keeps them right for others."""
    count, most = len(widths), SHORT_COLUMN * sum(widths)
    words, lines = ([width + padding + SLACK for width in measured]
                    for measured in _measures(rows, count, most - padding))
    short = [line <= most for line in lines]
    # A word cut between letters is worst: any column gives for it, down to what keeps its own
    # cells whole. A short cell on two lines is less bad: only text columns give, and a little.
    passes = [(words, [line if fits else word for line, word, fits in zip(lines, words, short)]),
              ([line if fits else word for line, word, fits in zip(lines, words, short)],
               [float("inf") if fits else max(word, (1 - LENDS_AT_MOST) * width)
                for word, width, fits in zip(words, widths, short)])]
    for targets, floors in passes:
        for column in sorted(range(count), key=lambda c: targets[c] - widths[c]):
            widths = _lend(widths, column, targets[column], floors)
    return widths


def _lend(widths: list[float], column: int, target: float, floors: list[float]) -> list[float]:
    """`column` widened to `target`, the others above their floors giving in proportion to what
    they can spare; unchanged when they cannot spare enough."""
    need = target - widths[column]
    spare = [0.0 if c == column else max(0.0, width - floors[c]) for c, width in enumerate(widths)]
    if need <= 1e-6 or need > sum(spare):
        return widths
    return [target if c == column else width - need * spare[c] / sum(spare) for c, width in enumerate(widths)]


def _measures(rows: list[Row], count: int, enough: float) -> tuple[list[float], list[float]]:
    """Per column, its longest word and its longest cell on one line (0 when empty); a column's
    lines are measured until one is past `enough` (then it is no short column)."""
    words, lines = [0.0] * count, [0.0] * count
    for row in rows:
        for column, cell in enumerate(row.look()[:count]):
            if not hasattr(cell, "getActualLineWidths0"):  # not text: a row's missing cells
                continue
            words[column] = max(words[column], float(cell.minWidth()))
            if lines[column] <= enough:
                cell.wrap(1e6, 1e6)
                lines[column] = max([lines[column], *cell.getActualLineWidths0()])
    return words, lines


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
