"""Paper sizes, margins and the text frame of a page."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm

PAPERS = {"A4": A4, "Letter": LETTER}


@dataclass(frozen=True)
class PageSetup:
    paper: str = "A4"
    orientation: str = "portrait"
    margin: float = 17 * mm
    header: float = 13 * mm  # band above the frame holding the marking, running header and rule
    footer: float = 12 * mm

    @property
    def size(self) -> tuple[float, float]:
        size = PAPERS[self.paper]
        return landscape(size) if self.orientation == "landscape" else size

    @property
    def frame(self) -> tuple[float, float, float, float]:
        """x, y, width, height of the text frame."""
        width, height = self.size
        return (self.margin, self.margin + self.footer, width - 2 * self.margin,
                height - 2 * self.margin - self.header - self.footer)
