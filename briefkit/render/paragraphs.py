"""ReportLab's Paragraph, breaking its lines once per width, and drawn as tagged content.

A frame asks a paragraph for its size, then asks again when it splits it; a table asks each cell
when it measures its rows, again on every split across columns or pages, and again to draw. The
lines only depend on the width, so the answer is kept: the chronology table lays out in half the
time, and the PDF is byte for byte the same.

A paragraph split across columns or pages stays one structure element: every part draws as its
content. Only the first part has the list marker, and with it the label. Each line ends with a
space where the words there are apart: text read out of the PDF (by a screen reader, a search, a
copy) runs on "special relationship", not "specialrelationship". A space draws nothing, so the
page looks the same.
"""
from __future__ import annotations

from typing import Any

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph as _ReportLabParagraph

from .tagging import Marked, tag, tagger_of


class SpacedLines(PDFTextObject):
    """A text object that ends a line with a space where the words there are apart: `apart` says
    so of each line in turn (ReportLab ends each line with T*). A line broken inside a word (one
    too long for its line) gets none, so the word reads whole."""

    def __init__(self, canvas: Any, x: float, y: float, apart: list[bool]):
        super().__init__(canvas, x, y)
        self.apart = iter(apart)

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N803 (ReportLab's names)
        tagger = tagger_of(self._canvas)
        if tagger is not None:
            tagger.before_text(self._canvas, text, self._code.append)
        if TStar and next(self.apart, True) and not text[-1:].isspace():  # text is '' after a callback
            text += " "
        super()._textOut(text, TStar)


def words_apart(paragraph: _ReportLabParagraph) -> list[bool]:
    """For each line of a wrapped paragraph, whether a space follows it in the paragraph's text
    (False where a line ends inside a word). Found by following the lines through the text, which
    ReportLab prints with its runs of white space made one; where they cannot be followed, every
    line counts as ending between words."""
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        if all(type(words[-1]) is str for _, words in lines if words):  # ReportLab marks a cut word by its type
            return [True] * len(lines)
        texts = [" ".join(words) for _, words in lines]
    else:
        texts = ["".join(getattr(frag, "text", "") for frag in line.words) for line in lines]
    flat = " ".join(paragraph.getPlainText().split())
    apart, position = [], 0
    for text in (" ".join(text.split()) for text in texts):
        if flat.startswith(" ", position):
            position += 1
        if not flat.startswith(text, position):
            return [True] * len(texts)
        position += len(text)
        apart.append(position >= len(flat) or flat[position] == " ")
    return apart


class Paragraph(Marked, _ReportLabParagraph):
    _wrapped: tuple[float, tuple[float, float]] | None = None  # (width asked, size answered)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's names)
        # ReportLab's split drops the lines it wrapped when nothing fits: wrap again then.
        if self._wrapped is not None and self._wrapped[0] == availWidth and hasattr(self, "blPara"):
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        for part in parts:
            tag(part, self.briefkit_node, self.briefkit_label)
        return parts

    def beginText(self, x: float, y: float) -> SpacedLines:  # noqa: N802 (ReportLab's name)
        return SpacedLines(self.canv, x, y, words_apart(self))
