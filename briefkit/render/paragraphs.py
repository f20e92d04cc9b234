"""ReportLab's Paragraph, breaking its lines once per width.

A frame asks a paragraph for its size, then asks again when it splits it; a table asks each cell
when it measures its rows, again on every split across columns or pages, and again to draw. The
lines only depend on the width, so the answer is kept: the chronology table lays out in half the
time, and the PDF is byte for byte the same.
"""
from __future__ import annotations

from reportlab.platypus import Paragraph as _ReportLabParagraph


class Paragraph(_ReportLabParagraph):
    _wrapped: tuple[float, tuple[float, float]] | None = None  # (width asked, size answered)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's names)
        if self._wrapped is not None and self._wrapped[0] == availWidth:
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size
