"""The document template: pages of frames that flowables fill, measured as they fill.

ReportLab's BaseDocTemplate, with three changes. It records how full each frame is (to say how
far a document overflows). A flowable that does not fit the space left moves on to the next
frame; ReportLab gives up when it does not fit that one either, but the next frame may be a short
one (beside the top block of a first page) with full-height frames to come, so here a flowable
keeps moving on until it meets a frame as tall as any (`tallest_frame`); only there can it be too
large, and then the error names the element. And a heading is kept with the start of a table
that follows it, not with the whole table.

Its frames can also place flowables without drawing them: a layout made only to count pages
(measuring how far a document runs over, or showing that the next size up does not fit) is never
written, and drawing is about a quarter of a layout's cost.
"""
from __future__ import annotations

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, FrameBreak, KeepTogether
from reportlab.platypus.doctemplate import LayoutError as ReportLabLayoutError
from reportlab.platypus.flowables import _listWrapOn

from .tables import FlowingTable, next_frame_height


class PlacingFrame(Frame):
    """A frame that, with `draws` false, places each flowable (wraps, splits, moves it down the
    frame) exactly as when drawing, but leaves the page blank."""

    draws = True

    def add(self, flowable: Flowable, canv: object, trySplit: int = 0) -> int:  # noqa: N803 (ReportLab's name)
        if self.draws:
            return super().add(flowable, canv, trySplit)
        flowable.drawOn = _placed
        try:
            return super().add(flowable, canv, trySplit)
        finally:
            del flowable.drawOn


def _placed(*_: object, **__: object) -> None:
    """What a flowable draws in a layout that only counts pages: nothing."""


class KeepWithStart(KeepTogether):
    """What `keepWithNext` bundles (a heading and what follows it). A table that follows need not
    fit whole: its header and first row are enough, or the first lines of a row it will split.
    Where that start does not fit the space left, the bundle moves on whole; at the top of a frame
    it stays, and the table starts under its heading."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        size = super().wrap(availWidth, availHeight)
        last = self._content[-1]
        if isinstance(last, FlowingTable) and len(self._content) > 1:
            _, head = _listWrapOn(self._content[:-1], availWidth, self.canv)
            start = last.start_height(availWidth, next_frame_height(self, availHeight))
            self._H = head + last.getSpaceBefore() + start
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        last, frame = self._content[-1], getattr(self, "_frame", None)
        if not isinstance(last, FlowingTable) or len(self._content) < 2:
            return super().split(availWidth, availHeight)
        if self._H <= availHeight + 1e-6 or frame is None or frame._atTop:
            last.start_here = True
            return list(self._content)
        return [FrameBreak(), self]


class MeasuringDocTemplate(BaseDocTemplate):
    """Records how much of each frame the content fills; moves flowables on as the module says."""

    stop_after: int | None = None  # a layout that may stop at the first page past this one
    tallest_frame = 0.0
    balanced_page: int | None = None  # a later page set in the "last" template, its columns balanced

    def afterInit(self) -> None:  # noqa: N802 (ReportLab's name)
        self.keepTogetherClass = KeepWithStart
        self.filled: dict[tuple[int, str], float] = {}
        self.headings: list[tuple[int, str, int]] = []

    def beforePage(self) -> None:  # noqa: N802
        if self.stop_after is not None and self.page > self.stop_after:
            raise TooLong

    def afterPage(self) -> None:  # noqa: N802
        if self.balanced_page is not None and self.page == self.balanced_page - 1:
            self.handle_nextPageTemplate("last")

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        first = flowables[0] if flowables else None
        if first is not None and getattr(first, "_postponed", None) and self.frame._height < self.tallest_frame - 1e-6:
            del first._postponed  # a taller frame is still to come: it may move on again
        try:
            super().handle_flowable(flowables)
        except ReportLabLayoutError:
            raise TooLarge(first, self.page, self.frame) from None

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        frame = getattr(self, "frame", None)
        if frame is not None:
            self.filled[(self.page, frame.id)] = frame._y2 - frame._y
        role = getattr(flowable, "briefkit_role", ("",))[0]
        if role in ("H1", "H2"):
            self.headings.append((int(role[1]), flowable.getPlainText(), self.page))

    def place_only(self) -> None:
        """Lay out without drawing: the pages count, and are left blank (see PlacingFrame)."""
        for template in self.pageTemplates:
            for frame in template.frames:
                frame.draws = False

    def used_per_page(self) -> dict[int, float]:
        used: dict[int, float] = {}
        for (page, _), height in self.filled.items():
            used[page] = used.get(page, 0.0) + height
        return used


class TooLarge(Exception):
    """ReportLab could not place a flowable even in a frame as tall as any."""

    def __init__(self, flowable: Flowable | None, page: int, frame: Frame):
        super().__init__(flowable, page, frame)
        self.flowable, self.page, self.frame = flowable, page, frame

    def message(self, name: str) -> str:
        flowable, size = self.flowable, ""
        what = "an element"
        if flowable is not None:
            kind = getattr(flowable, "briefkit_role", (type(flowable).__name__,))[0]
            what = getattr(flowable, "briefkit_source", None) or f"a {kind} element"
            height = flowable.wrap(self.frame._width, self.frame._height)[1]
            size = f" is {height:.0f} pt tall and" if 0 < height < 1e5 else ""
        return (f"{name} cannot be laid out: {what}{size} does not fit on page {self.page}, whose column is "
                f"{self.frame._width:.0f} × {self.frame._height:.0f} pt, even at the top of an empty column. "
                "Make it shorter or split it into smaller parts.")


class TooLong(Exception):
    """A layout ran past its page limit: no need to lay out the rest."""
