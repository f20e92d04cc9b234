"""Text drawn straight on a canvas (running heads, markings, chart labels), in runs: each run in a
font that has its characters, the document's own first, its fallbacks' where it lacks them."""
from __future__ import annotations

from typing import Any

from .fonts import FontSet, font_in, runs


def _pieces(text: str, font: str, fonts: FontSet) -> list[tuple[str, str]]:
    return [(run, font_in(fonts, font, level) if level else font) for run, level in runs(text, fonts)]


def text_width(text: str, font: str, size: float, fonts: FontSet) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run, name, size) for run, name in _pieces(text, font, fonts))


def draw_text(canvas: Any, x: float, y: float, text: str, font: str, size: float, fonts: FontSet,
              anchor: str = "left") -> None:
    """Draw `text` with its left edge, centre or right edge (`anchor`) at x, in `font` at `size`."""
    pieces = _pieces(text, font, fonts)
    _use(canvas, font, size)
    if len(pieces) <= 1:  # one font: exactly what ReportLab's own calls draw
        {"left": canvas.drawString, "centre": canvas.drawCentredString, "right": canvas.drawRightString}[anchor](
            x, y, text)
        return
    width = text_width(text, font, size, fonts)
    start = {"left": x, "centre": x - 0.5 * width, "right": x - width}[anchor]
    for run, name in pieces:
        _use(canvas, name, size)
        canvas.drawString(start, y, run)
        start += text_width(run, name, size, fonts)
    _use(canvas, font, size)


def _use(canvas: Any, font: str, size: float) -> None:
    """Set the font unless it is set already (each setting is written into the page)."""
    if (canvas._fontname, canvas._fontsize) != (font, size):
        canvas.setFont(font, size)


def font_set_of(font: str) -> FontSet | None:
    """The font set one of whose faces is registered as `font`."""
    from .fonts import FONT_SETS

    for fonts in FONT_SETS.values():
        for family in fonts.families:
            if any(family.font(style) == font for style in {**family.files, **family.extra}):
                return fonts
    return None


def string_width(text: str, font: str, size: float) -> float:
    """The width of `text` as `draw_string` sets it in `font`: its fallback faces where they stand in."""
    fonts = font_set_of(font)
    if fonts is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(stringWidth(text, font, size))
    return text_width(text, font, size, fonts)


def draw_string(canvas: Any, x: float, y: float, text: str, anchor: str = "left") -> None:
    """Draw `text` in the canvas's current font and size, its fallback faces where they stand in."""
    font, size = canvas._fontname, canvas._fontsize
    fonts = font_set_of(font)
    if fonts is None:
        {"left": canvas.drawString, "centre": canvas.drawCentredString, "right": canvas.drawRightString}[anchor](
            x, y, text)
        return
    draw_text(canvas, x, y, text, font, size, fonts, anchor)
