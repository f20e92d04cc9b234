"""Drawing as tagged content or as artifacts: every mark on a page is one or the other.

A canvas that makes tagged PDF carries a `Tagger`. A flowable with a structure node draws inside
a marked-content sequence naming the node's role and a fresh MCID (`/P <</MCID 3>> BDC … EMC`),
and the node records the mark; one without a node (a rule, a spacer) draws as an artifact.
Tables are containers: their backgrounds and lines are artifacts, their cells' flowables mark
themselves, and header rows repeated on a later page or column are artifacts, since the header
is in the structure once. The operators change nothing that is drawn: pages look the same
tagged or not.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

from .pdf_structure import page_keys, write_structure
from .structure import Mark, Node, document_root

# What an artifact is (ISO 32000-1, 14.8.2.2): pagination (running heads, page numbers,
# watermarks) or layout (rules, backgrounds, a repeated table header).
ARTIFACTS = {
    "layout": "/Artifact <</Type /Layout>> BDC",
    "header": "/Artifact <</Type /Pagination /Subtype /Header>> BDC",
    "footer": "/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
    "watermark": "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC",
}


class Tagger:
    """The marked-content state of one canvas: the next MCID of each page, what is open, a
    pending switch from a list item's label to its body, and a span in another language."""

    def __init__(self) -> None:
        self.next_ids: dict[int, int] = {}
        self.depth = 0  # marked-content sequences open
        self._after_text: Callable[[], None] | None = None
        self._current: Node | None = None  # the node whose content is open (at depth 1)
        self._span: Node | None = None     # a span in another language, open inside it
        self._span_ends = False            # the span ends before the next text that is not blank
        self._written = False              # text drawn in the sequence open now
        self._opened: tuple[int, Node, Mark] | None = None  # where in the page's code the open sequence began

    def open_content(self, canvas: Any, node: Node | None,
                     label: Node | None = None) -> Callable[[Any], None] | None:
        """What is drawn next is `node`'s content (an artifact when there is no node). With
        `label`, the first text drawn is the label's content and the rest the node's (a list
        item's marker, then its text). Inside an open sequence it is part of that one. Returns
        what closes it, if anything was opened. (Flowables draw through this thousands of times
        a document: a plain call, not a context manager.)"""
        if self.depth:
            return None
        if node is None:
            return self.open_artifact(canvas)
        self._begin(canvas, label or node)
        self._current = label or node
        if label is not None:
            def switch() -> None:
                canvas.addLiteral("EMC")
                self._begin(canvas, node)
                self._current = node
            self._after_text = switch
        self.depth += 1
        return self._close_content

    def _close_content(self, canvas: Any) -> None:
        self.depth -= 1
        self._after_text = self._current = self._span = None
        self._span_ends = False
        if self._opened is not None and not _paints(canvas._code[self._opened[0] + 1:]):
            self._take_back(canvas)  # nothing shown: no element may point at it
            return
        canvas.addLiteral("EMC")

    def _take_back(self, canvas: Any) -> None:
        """Undo the opening of a sequence that drew nothing (an empty cell or paragraph): its
        MCID is the page's last, so the page's MCIDs stay numbered without a gap."""
        assert self._opened is not None
        at, node, mark = self._opened
        self._opened = None
        del canvas._code[at]
        node.kids.remove(mark)
        self.next_ids[mark.page] = mark.mcid

    def open_artifact(self, canvas: Any, kind: str = "layout") -> Callable[[Any], None]:
        """What is drawn next is an artifact of this kind (see ARTIFACTS); returns what closes it."""
        canvas.addLiteral(ARTIFACTS[kind])
        self.depth += 1
        return self._close_artifact

    def _close_artifact(self, canvas: Any) -> None:
        self.depth -= 1
        canvas.addLiteral("EMC")

    @contextmanager
    def content(self, canvas: Any, node: Node | None, label: Node | None = None) -> Iterator[None]:
        """open_content as a `with` block."""
        close = self.open_content(canvas, node, label)
        try:
            yield
        finally:
            if close is not None:
                close(canvas)

    @contextmanager
    def artifact(self, canvas: Any, kind: str = "layout") -> Iterator[None]:
        """open_artifact as a `with` block."""
        close = self.open_artifact(canvas, kind)
        try:
            yield
        finally:
            close(canvas)

    def language(self, canvas: Any, language: str) -> None:
        """A paragraph's language mark, met as its line is drawn (markup.LANGUAGE_MARK): with a
        language, what follows is a Span of that language inside the open content; without, the
        span ends, before the next text that is not blank. Written into the text object being
        drawn, where the words are."""
        if self.depth != 1 or self._current is None:
            return  # inside an artifact, or text that is not a node's own
        write = canvas._curr_tx_info["tx"]._code.append
        if not language:
            self._span_ends = self._span is not None
            return
        if self._span is not None:
            return
        self._span = self._current.add("Span", lang=language)
        if not self._written and self._retarget(canvas, self._span, write):
            return
        write("EMC")
        self._begin(canvas, self._span, write)

    def _retarget(self, canvas: Any, span: Node, write: Callable[[str], None]) -> bool:
        """The sequence open now, with nothing drawn in it yet (its text starts with the span),
        becomes the span's: its opening is taken back from the page rather than left empty."""
        assert self._current is not None
        mark = self._current.kids[-2] if len(self._current.kids) > 1 else None  # the span is the last kid
        if not isinstance(mark, Mark):
            return False
        opening = f"/{self._current.role} <</MCID {mark.mcid}>> BDC"
        code: list[str] = canvas._code
        if opening not in code:
            return False
        del code[len(code) - 1 - code[::-1].index(opening)]
        self._current.kids.remove(mark)
        span.kids.append(mark)
        self._opened = None  # the opening taken back was the one open
        write(f"/Span <</MCID {mark.mcid}>> BDC")
        return True

    def before_text(self, canvas: Any, text: str, write: Callable[[str], None]) -> None:
        """Called as a line's text is written into its text object: ends a span that was to end."""
        if self._span_ends and text.strip() and self._current is not None:
            write("EMC")
            self._span, self._span_ends = None, False
            self._begin(canvas, self._current, write)
        self._written = self._written or bool(text.strip())

    def text_drawn(self) -> None:
        """Called by the canvas after each text object: makes a pending label switch."""
        switch, self._after_text = self._after_text, None
        if switch is not None:
            switch()

    def _begin(self, canvas: Any, node: Node, write: Callable[[str], None] | None = None) -> None:
        page = canvas.getPageNumber()
        mcid = self.next_ids.get(page, 0)
        self.next_ids[page] = mcid + 1
        mark = Mark(page, mcid)
        node.kids.append(mark)
        (write or canvas.addLiteral)(f"/{node.role} <</MCID {mcid}>> BDC")
        self._opened = (len(canvas._code) - 1, node, mark) if write is None else None
        self._written = False


_PAINTING = frozenset({"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh", "BI"})
_SHOWING = frozenset({"Tj", "TJ", "'", '"'})


def _paints(code: list[str]) -> bool:
    """Whether page code paints anything: a fill, stroke, image or shading, or text shown that
    is not empty. Long code is taken to paint without reading it: only a flowable with nothing
    in it (an empty paragraph or cell) writes a few state operators and no more."""
    if sum(map(len, code)) > 400:
        return True
    tokens = " ".join(code).split()
    return any(token in _PAINTING or (token in _SHOWING and index and tokens[index - 1] not in ("()", "[]"))
               for index, token in enumerate(tokens))


class TaggingCanvas(Canvas):
    """A canvas that makes a tagged PDF: what is drawn through its tagger is marked content, each
    page is keyed into the parent tree as it is written, and saving writes the structure tree of
    `structure_root` with the metadata `structure_meta` (title, author, subject, keywords,
    creator, lang) into the XMP packet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.briefkit_tagger = Tagger()
        self.setNamedCB("briefkit-language", lambda canvas, _kind, label: self.briefkit_tagger.language(canvas, label))
        self.structure_root = document_root()
        self.structure_meta: dict[str, str] = {}

    def drawText(self, aTextObject: Any) -> None:  # noqa: N802, N803 (ReportLab's names)
        super().drawText(aTextObject)
        self.briefkit_tagger.text_drawn()

    def _setAnnotations(self, page: Any) -> None:  # noqa: N802 (called as ReportLab writes a page)
        super()._setAnnotations(page)
        page_keys(page, self._pageNumber)

    def save(self) -> None:
        if len(self._code):
            self.showPage()  # as Canvas.save would: the structure covers every page
        write_structure(self._doc, self.structure_root, len(self._doc.Pages.pages), self.structure_meta)
        super().save()


def tagger_of(canvas: Any) -> Tagger | None:
    return getattr(canvas, "briefkit_tagger", None)


@contextmanager
def as_artifact(canvas: Any, kind: str = "layout") -> Iterator[None]:
    """Draw as an artifact on a tagging canvas; on any other canvas, just draw."""
    tagger = tagger_of(canvas)
    if tagger is None:
        yield
        return
    with tagger.artifact(canvas, kind):
        yield


def draw_as_artifact(canvas: Any, draw: Callable[[], None], kind: str = "layout") -> None:
    """as_artifact for what tables draw cell by cell: a plain call."""
    tagger = tagger_of(canvas)
    if tagger is None:
        draw()
        return
    close = tagger.open_artifact(canvas, kind)
    try:
        draw()
    finally:
        close(canvas)


class Marked(Flowable):
    """A flowable whose drawing is the content of its structure node, `briefkit_node` (an
    artifact without one). `briefkit_label`: the node its first text belongs to (a list marker)."""

    briefkit_node: Node | None = None
    briefkit_label: Node | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 (ReportLab's name)
        tagger = tagger_of(canvas)
        if tagger is None:
            super().drawOn(canvas, x, y, _sW)
            return
        label = self.briefkit_label if getattr(self, "bulletText", None) else None
        close = tagger.open_content(canvas, self.briefkit_node, label)
        try:
            super().drawOn(canvas, x, y, _sW)
        finally:
            if close is not None:
                close(canvas)


def tag(flowable: Any, node: Node | None, label: Node | None = None) -> Any:
    """The flowable, drawn as `node`'s content."""
    flowable.briefkit_node = node
    if label is not None:
        flowable.briefkit_label = label
    return flowable


class MarkedTable(Table):
    """A table whose lines and backgrounds are artifacts; its cells' flowables tag themselves.
    Cells listed in `repeated` (a header drawn again on a later page) are artifacts too."""

    repeated: frozenset[int] = frozenset()  # id() of the cell values drawn as artifacts

    def _drawBkgrnd(self) -> None:  # noqa: N802 (ReportLab's name)
        draw_as_artifact(self.canv, super()._drawBkgrnd)

    def _drawLines(self) -> None:  # noqa: N802
        draw_as_artifact(self.canv, super()._drawLines)

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802
        flowables = cellval if isinstance(cellval, (list, tuple)) else [cellval]  # ReportLab may hold a list
        if any(id(flowable) in self.repeated for flowable in flowables):
            draw_as_artifact(self.canv, lambda: super(MarkedTable, self)._drawCell(cellval, cellstyle, pos, size))
            return
        super()._drawCell(cellval, cellstyle, pos, size)
