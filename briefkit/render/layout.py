"""Pages: paper, margins, running header/footer/marking, and fit-to-page.

A document is laid out at scale 1.0; if it needs more pages than its kind allows, it is laid out
again at smaller scales, on a fixed grid, down to the readable minimum. If it still overflows, the
error says by roughly how many lines and words, so the analyst knows how much to cut.
"""
from __future__ import annotations

import dataclasses
import io
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, FrameBreak, NextPageTemplate, PageTemplate
from reportlab.platypus.doctemplate import LayoutError as ReportLabLayoutError

from ..errors import LayoutError
from .fonts import register_fonts
from .frames import MeasuringDocTemplate, PlacingFrame, TooLarge, TooLong
from .vocabulary import ColumnFlow, DocumentMarkup, PageDecor, build_story, inline
from .paper import PageSetup
from .paragraphs import Paragraph
from .structure import Node, document_root
from .styles import Theme, make_styles
from .tagging import TaggingCanvas, as_artifact
from .text import draw_text

rl_config.useA85 = 0  # binary Flate streams: smaller files, and no ASCII85 pass to write or read
COLOPHON_GAP = 4 * mm  # space between the text frame and the colophon above the footer
STEP = 0.015  # fit-to-page precision: type scale changes in steps of 1.5%


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    scale: float
    used: dict[int, float]  # page number → column height filled on it (all frames added up)
    headings: tuple[tuple[int, str, int], ...] = ()  # (level, text, page) of H1/H2, for outlines
    filled: float = 1.0     # share of the last page's text area its content fills, before balancing


@dataclass(frozen=True)
class Structure:
    """A layout's structure tree: the document's root, and the nodes of what the canvas draws
    itself: the marking, read first, and the colophon, read last (each tagged on page 1 only)."""

    root: Node
    marking: Node | None
    colophon: Node | None


def _decorated_canvas(decor: PageDecor, setup: PageSetup, theme: Theme, colophon: Paragraph | None,
                      structure: Structure, meta: dict[str, str]) -> type:
    """A tagging canvas that draws the page artifacts once the page count is known ("page X of
    Y"), then writes the structure tree."""

    class DecoratedCanvas(TaggingCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []
            self.structure_root, self.structure_meta = structure.root, meta

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            # the page's operators kept as one string: ReportLab joins them with newlines anyway,
            # and a register of hundreds of pages would hold a small string per operator until saved
            self._code[:] = ["\n".join(self._code)]
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_artifacts(self._pageNumber, total)
                super().showPage()
            super().save()

        def _draw_artifacts(self, page: int, total: int) -> None:
            width, height = setup.size
            left, right = setup.margin, width - setup.margin
            top = height - setup.margin
            fonts = theme.fonts
            sans = fonts.sans
            tagger = self.briefkit_tagger
            self.saveState()
            self.setFillColor(HexColor(theme.muted))
            if decor.marking:
                self.setFont(sans.font("bold"), 7.8)
                self.setFillColor(HexColor(theme.ink))
                first = structure.marking if page == 1 else None  # announced once, at the start
                with tagger.content(self, first) if first else tagger.artifact(self, "header"):
                    draw_text(self, width / 2, top + 4 * mm, decor.marking, sans.font("bold"), 7.8, fonts, "centre")
                with tagger.artifact(self, "footer"):
                    draw_text(self, width / 2, setup.margin - 7 * mm, decor.marking, sans.font("bold"), 7.8, fonts,
                              "centre")
            with tagger.artifact(self, "header"):
                self.setFont(sans.font("bold"), 8)
                self.setFillColor(HexColor(theme.accent))
                draw_text(self, left, top - 5 * mm, decor.header_left, sans.font("bold"), 8, fonts)
                self.setFont(sans.font(), 8)
                self.setFillColor(HexColor(theme.muted))
                draw_text(self, right, top - 5 * mm, decor.header_right, sans.font(), 8, fonts, "right")
                self.setStrokeColor(HexColor(theme.accent))
                self.setLineWidth(1.4)
                self.line(left, top - 7.5 * mm, right, top - 7.5 * mm)
            self.setStrokeColor(HexColor(theme.rule))
            self.setLineWidth(0.5)
            base = setup.margin + setup.footer - 5 * mm
            if colophon is not None:
                first = structure.colophon if page == 1 else None  # the citation, read once, last
                with tagger.content(self, first) if first else tagger.artifact(self, "footer"):
                    colophon.drawOn(self, left, setup.margin + setup.footer + COLOPHON_GAP / 2)
            with tagger.artifact(self, "footer"):
                self.line(left, base + 3.2 * mm, right, base + 3.2 * mm)
                self.setFont(sans.font(), 7.2)
                draw_text(self, left, base, decor.footer_left.format(page=page, pages=total), sans.font(), 7.2, fonts)
                draw_text(self, right, base, decor.footer_right.format(page=page, pages=total), sans.font(), 7.2,
                          fonts, "right")
            self.restoreState()

    return DecoratedCanvas


def _height(flowables: list[Flowable], width: float) -> float:
    """Height the flowables take stacked in a frame of this width (no canvas needed)."""
    total = 0.0
    for index, flowable in enumerate(flowables):
        _, height = flowable.wrap(width, 1e6)
        total += height + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if index else 0)
    return total


def _column_frames(x: float, y: float, width: float, height: float, flow: ColumnFlow, tag: str) -> list[Frame]:
    column = (width - flow.gap * (flow.count - 1)) / flow.count
    return [PlacingFrame(x + i * (column + flow.gap), y, column, height, 0, 0, 0, 0, id=f"{tag}{i}")
            for i in range(flow.count)]


def _underlay(decor: PageDecor, setup: PageSetup, frames: list[Frame], flow: ColumnFlow | None,
              theme: Theme) -> Callable[[Canvas, BaseDocTemplate], None]:
    """onPage callback: what lies under the text: the watermark, then rules between columns."""
    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        if decor.watermark:
            width, height = setup.size
            with as_artifact(canvas, "watermark"):
                canvas.setFillColor(HexColor(theme.rule), alpha=0.35)
                black, size = theme.fonts.sans.font("black"), min(96, 1.35 * width / max(len(decor.watermark), 1))
                canvas.setFont(black, size)
                canvas.translate(width / 2, height / 2)
                canvas.rotate(math.degrees(math.atan2(height, width)))
                draw_text(canvas, 0, -30, decor.watermark, black, size, theme.fonts, "centre")
                canvas.setFillAlpha(1)
        canvas.restoreState()
        if flow is None or not flow.rule:
            return
        canvas.saveState()
        with as_artifact(canvas):
            canvas.setStrokeColor(HexColor(theme.rule))
            canvas.setLineWidth(0.4)
            for frame in frames[:-1]:
                x = frame._x1 + frame._width + flow.gap / 2
                canvas.line(x, frame._y1, x, frame._y1 + frame._height)
        canvas.restoreState()
    return draw


class Layout:
    """The document laid out at one type scale, its pages drawn but not yet written as a PDF:
    fit to page tries several scales and pays for writing (font subsets, compression) once."""

    def __init__(self, doc: MeasuringDocTemplate, buffer: io.BytesIO, scale: float, complete: bool, drawn: bool):
        self.doc, self.buffer, self.scale, self.complete, self.drawn = doc, buffer, scale, complete, drawn

    @property
    def pages(self) -> int:
        """Its page count; after a stop at the page limit, only that it ran past the limit."""
        return self.doc.page

    @property
    def used(self) -> dict[int, float]:
        return self.doc.used_per_page()

    @property
    def filled(self) -> float:
        """The share of the last page's text area (its frames' heights added up) the content fills."""
        templates = self.doc.pageTemplates
        frames = templates[0 if self.pages == 1 else min(1, len(templates) - 1)].frames
        capacity = sum(frame._height for frame in frames)
        return min(1.0, self.used.get(self.pages, 0.0) / capacity) if capacity else 1.0

    def rendered(self) -> Rendered:
        if not self.complete or not self.drawn:
            raise ValueError("a layout stopped at its page limit, or only placed, cannot be written")
        self.doc.canv.save()
        return Rendered(self.buffer.getvalue(), self.doc.page, self.scale, self.used, tuple(self.doc.headings))


def lay_out(document: DocumentMarkup, setup: PageSetup, theme: Theme, scale: float,
            stop_after: int | None = None, name: str = "the document",
            balance: tuple[int, float] | None = None, draw: bool = True) -> Layout:
    """The document at one type scale; with `stop_after`, stopped at the first page past that one.
    `name` names the document in errors: whatever cannot be laid out ends as a LayoutError. With
    `balance` (page, height), that page's columns are that tall, so the text ends level in them.
    Without `draw`, it is only placed: its pages count the same, but it cannot be written."""
    buffer = io.BytesIO()
    try:
        doc, story, canvas = _prepare(document, setup, theme, scale, buffer, balance)
        doc.stop_after = stop_after
        if not draw:
            doc.place_only()
        doc.build(story, canvasmaker=canvas)
    except TooLong:
        return Layout(doc, buffer, scale, complete=False, drawn=draw)
    except TooLarge as exc:
        raise LayoutError(exc.message(name)) from None
    except ReportLabLayoutError as exc:  # raised outside a flowable's placing: say what ReportLab says
        raise LayoutError(f"{name} cannot be laid out: {' '.join(str(exc).split())[:300]}") from None
    except LayoutError as exc:
        raise LayoutError(f"{name}: {exc}") from None
    return Layout(doc, buffer, scale, complete=True, drawn=draw)


def _prepare(document: DocumentMarkup, setup: PageSetup, theme: Theme, scale: float, buffer: io.BytesIO,
             balance: tuple[int, float] | None = None) -> tuple[MeasuringDocTemplate, list[Flowable], type]:
    """The document template with its pages and frames, the story, and the canvas class."""
    styles = make_styles(theme, scale)
    x, y, width, height = setup.frame
    root = document_root()
    marking = root.add("P") if document.decor.marking else None
    colophon = None
    if document.decor.colophon is not None:
        colophon = Paragraph(inline(document.decor.colophon, styles, styles["note"].fontName), styles["note"])
        reserved = colophon.wrap(width, height)[1] + COLOPHON_GAP
        y, height = y + reserved, height - reserved
    meta = document.meta
    doc = MeasuringDocTemplate(
        buffer, pagesize=setup.size, leftMargin=x, bottomMargin=y, rightMargin=setup.size[0] - x - width,
        topMargin=setup.size[1] - y - height, title=meta.get("title", ""), author=meta.get("author", ""),
        subject=meta.get("subject", ""), keywords=meta.get("keywords", ""), creator=meta.get("creator", "briefkit"),
        lang=meta.get("lang") or None, initialFontName=theme.fonts.sans.font(), displayDocTitle=1,
        invariant=1 if os.environ.get("SOURCE_DATE_EPOCH") else None,
    )
    story = build_story(document, styles, width, height, root)
    structure = Structure(root, marking, root.add("P") if colophon is not None else None)
    flows = [i for i, item in enumerate(story) if isinstance(item, ColumnFlow)]
    if not flows:
        body: list[Frame] = [PlacingFrame(x, y, width, height, 0, 0, 0, 0, id="body")]
        doc.addPageTemplates([PageTemplate("page", body, onPage=_underlay(document.decor, setup, body, None, theme))])
    else:
        top, flow = story[:flows[0]], story[flows[0]]
        story = [NextPageTemplate("columns"), *top, FrameBreak(), *flow.flowables, *story[flows[0] + 1:]]
        top_height = min(_height(top, width) + 2, height) if top else 0.0
        first_height = height - top_height
        if balance is not None and balance[0] == 1:  # the first page is the last: its columns end level
            first_height = min(balance[1], first_height)
        first = _column_frames(x, y + height - top_height - first_height, width, first_height, flow, "first")
        later = _column_frames(x, y, width, height, flow, "col")
        if top:
            first.insert(0, PlacingFrame(x, y + height - top_height, width, top_height, 0, 0, 0, 0, id="top"))
        templates = [
            PageTemplate("first", first, onPage=_underlay(document.decor, setup, first[1:] if top else first, flow, theme)),
            PageTemplate("columns", later, onPage=_underlay(document.decor, setup, later, flow, theme)),
        ]
        if balance is not None and balance[0] > 1:
            last = _column_frames(x, y + height - min(balance[1], height), width, min(balance[1], height), flow, "col")
            templates.append(PageTemplate("last", last, onPage=_underlay(document.decor, setup, last, flow, theme)))
            doc.balanced_page = balance[0]
        doc.addPageTemplates(templates)
    doc.tallest_frame = max(frame._height for template in doc.pageTemplates for frame in template.frames)
    doc._doSave = 0  # written by Layout.rendered(), if this is the layout kept (as in multiBuild)
    return doc, story, _decorated_canvas(document.decor, setup, theme, colophon, structure, meta)


def _scale(step: int) -> float:
    """Scales lie on one fixed grid, 1.5% apart, so a build's result never depends on where its
    search started (a hint from the last build, or a prediction): only on the content."""
    return round(1.0 - step * STEP, 6)


def fit_to_pages(document: DocumentMarkup, setup: PageSetup, theme: Theme, max_pages: int, name: str,
                 hint: float | None = None) -> Rendered:
    """Lay out at the largest grid scale (≤ 1, steps of 1.5%) that keeps the document within `max_pages`.

    A first layout at full size measures how far the text runs over; since text height grows with
    the square of the type scale, that predicts the scale that fits, usually within a step. From
    there single steps find the largest that fits, each layout stopping at the first page too many.
    With `hint` (the scale of the last build) the walk starts there instead: an edit that changes
    the length a little costs two layouts. Only the layout kept is written as a PDF, and layouts
    expected not to be kept (the measuring one, and the next size up, which must not fit) are only
    placed, not drawn: should one be kept after all, it is drawn then, with the same pages.
    """
    register_fonts(theme.fonts)
    low = theme.min_body_size / theme.body_size
    deepest = math.floor((1.0 - low) / STEP + 1e-9)  # the smallest grid scale still readable

    def at(step: int, draw: bool = True) -> Layout:
        return lay_out(document, setup, theme, _scale(step), stop_after=max_pages, name=name, draw=draw)

    def kept(layout: Layout) -> Rendered:
        if not layout.drawn:
            layout = lay_out(document, setup, theme, layout.scale, stop_after=max_pages, name=name)
        return dataclasses.replace(_balanced(layout, document, setup, theme, name).rendered(), filled=layout.filled)

    def walk(step: int, layout: Layout, reach: int) -> Layout | None:
        """From a layout at `step`, the largest grid scale that fits, if it is within `reach` steps."""
        if layout.pages <= max_pages:
            for larger in range(step - 1, max(step - reach, 0) - 1, -1):
                attempt = at(larger, draw=False)  # expected to run over: the proof `layout` is the largest
                if attempt.pages > max_pages:
                    return layout
                layout = attempt
            return layout if step - reach <= 0 else None
        for smaller in range(step + 1, min(step + reach, deepest) + 1):
            attempt = at(smaller)
            if attempt.pages <= max_pages:
                return attempt
        return None

    if hint is not None and 0 <= (step := round((1.0 - hint) / STEP)) <= deepest:
        found = walk(step, at(step), reach=2)
        if found is not None:
            return kept(found)
        # the length moved by more than two steps: predict from the full size instead
    full = lay_out(document, setup, theme, 1.0, name=name, draw=False)  # the whole length, to measure the overflow
    if full.pages <= max_pages:
        return kept(full)
    capacity = sum(height for page, height in full.used.items() if page <= max_pages) or 1.0
    needed = sum(full.used.values())
    # rounded towards the larger scale: a guess a step too large costs nothing (it is the proof that
    # the next one fits), one a step too small costs a layout (the next size up must still be tried)
    guess = min(max(1, math.floor((1.0 - math.sqrt(capacity / needed)) / STEP + 1e-9)), max(deepest, 1))
    found = walk(guess, at(guess), reach=deepest)
    if found is not None:
        return kept(found)
    smallest = lay_out(document, setup, theme, low, name=name)
    if smallest.pages > max_pages:
        raise LayoutError(_overflow_message(smallest.used, theme, low, max_pages, name))
    return kept(smallest)


def _balanced(layout: Layout, document: DocumentMarkup, setup: PageSetup, theme: Theme, name: str) -> Layout:
    """The layout with the columns of its last page ending level, when the text there fills one
    column and leaves the next nearly empty: a short document then reads as two columns of text,
    not one column and a gap. Costs a layout or two, only for such pages."""
    doc, page = layout.doc, layout.pages
    template = doc.pageTemplates[0 if page == 1 else min(1, len(doc.pageTemplates) - 1)]  # one template: every page
    ids = [frame.id for frame in template.frames if frame.id != "top"]
    used = [doc.filled.get((page, frame_id), 0.0) for frame_id in ids]
    if len(ids) < 2 or used[-1] >= 0.6 * used[0]:
        return layout  # one column, or already about level
    leading = make_styles(theme, layout.scale)["body"].leading
    height = sum(used) / len(used) + leading
    for _ in range(4):
        trial = lay_out(document, setup, theme, layout.scale, stop_after=page, name=name, balance=(page, height))
        if trial.complete and trial.pages == page:
            return trial
        height += 2 * leading
    return layout


def _overflow_message(used: dict[int, float], theme: Theme, scale: float, max_pages: int, name: str) -> str:
    """How much text ran past the page limit, in lines of body text and roughly in words."""
    excess = sum(height for page, height in used.items() if page > max_pages)
    leading = make_styles(theme, scale)["body"].leading
    lines = max(1, round(excess / leading))
    words = lines * 9  # a line of a half-page column holds about nine words
    limit = f"{max_pages} page{'s' if max_pages > 1 else ''}"
    return (f"{name} does not fit on {limit} even with body text at {theme.min_body_size:.1f} pt: about {lines} lines "
            f"(roughly {words} words in a column) run past page {max_pages}. Shorten the content it shows.")
