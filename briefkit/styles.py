"""Type scale, colours and paragraph styles, computed for one scale factor.

Fit-to-page renders at a scale below 1.0 when a document overflows; every size and space here
is multiplied by it, so the page keeps its proportions as it shrinks.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from .fonts import SANS, SERIF

BODY_SIZE = 9.8        # pt at scale 1.0
MIN_BODY_SIZE = 8.6    # readable minimum: fit-to-page never shrinks body text below this


@dataclass(frozen=True)
class Theme:
    """What a profile can change about the look; the defaults are the house style."""

    accent: str = "#1F4E79"
    accent_tint: str = "#E9EFF5"
    ink: str = "#1A1A1A"
    muted: str = "#5A5F66"
    rule: str = "#B8C2CC"
    body_size: float = BODY_SIZE

    @classmethod
    def for_audience(cls, accent: str, type_scale: float) -> "Theme":
        """The house style with an audience's accent (tint derived from it) and type size."""
        return cls(accent=accent, accent_tint=_blend(accent, 0.9), body_size=BODY_SIZE * type_scale)

    @property
    def min_body_size(self) -> float:
        """Fit-to-page shrinks to 88% of the design size, and never below the readable minimum."""
        return max(MIN_BODY_SIZE, self.body_size * 0.88)


def _blend(colour: str, towards_white: float) -> str:
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * towards_white) for c in channels]
    return "#" + "".join(f"{c:02X}" for c in mixed)


@dataclass
class Styles:
    """All paragraph styles and colours for one rendering."""

    theme: Theme
    scale: float
    paragraph: dict[str, ParagraphStyle] = field(default_factory=dict)

    @property
    def accent(self) -> Color:
        return HexColor(self.theme.accent)

    @property
    def tint(self) -> Color:
        return HexColor(self.theme.accent_tint)

    @property
    def muted(self) -> Color:
        return HexColor(self.theme.muted)

    @property
    def rule(self) -> Color:
        return HexColor(self.theme.rule)

    def size(self, points: float) -> float:
        return points * self.scale

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.paragraph[name]


def make_styles(theme: Theme, scale: float = 1.0) -> Styles:
    s = Styles(theme, scale)
    body = theme.body_size * scale
    ink, muted, accent = HexColor(theme.ink), HexColor(theme.muted), HexColor(theme.accent)

    def style(name: str, **kw: object) -> None:
        base = dict(fontName=SERIF.font(), fontSize=body, leading=body * 1.34, textColor=ink,
                    alignment=TA_LEFT, allowWidows=0, allowOrphans=0, spaceAfter=body * 0.45,
                    bulletFontName=SERIF.font())
        base.update(kw)
        s.paragraph[name] = ParagraphStyle(name, **base)

    style("body")
    style("lede", fontSize=body * 1.06, leading=body * 1.06 * 1.36, spaceAfter=body * 0.3)
    style("title", fontName=SANS.font("black"), fontSize=body * 2.2, leading=body * 2.2 * 1.12,
          spaceAfter=body * 0.35)
    style("subtitle", fontName=SERIF.font("italic"), fontSize=body * 1.18, leading=body * 1.18 * 1.3,
          textColor=muted, spaceAfter=body * 1.0)
    label = dict(fontName=SANS.font("bold"), fontSize=body * 0.86, leading=body * 1.1, textColor=accent,
                 spaceAfter=body * 0.45, keepWithNext=1)
    style("h2", spaceBefore=body * 0.9, **label)
    style("label", spaceBefore=0, **label)
    style("h3", fontName=SANS.font("bold"), fontSize=body * 1.04, leading=body * 1.28,
          spaceBefore=body * 0.75, spaceAfter=body * 0.2, keepWithNext=1)
    style("item", leftIndent=body * 1.45, bulletIndent=0, spaceAfter=body * 0.38,
          bulletFontName=SANS.font("black"), bulletColor=accent, bulletFontSize=body)
    style("bullet", leftIndent=body * 1.0, bulletIndent=body * 0.1, spaceAfter=body * 0.3,
          bulletColor=accent, bulletFontSize=body)
    style("small", fontName=SANS.font(), fontSize=body * 0.86, leading=body * 0.86 * 1.32,
          spaceAfter=body * 0.4)
    style("small-bullet", fontName=SANS.font(), fontSize=body * 0.86, leading=body * 0.86 * 1.32,
          leftIndent=body * 0.9, bulletIndent=0, spaceAfter=body * 0.35, bulletColor=accent,
          bulletFontName=SANS.font(), bulletFontSize=body * 0.86)
    style("small-item", fontName=SANS.font(), fontSize=body * 0.9, leading=body * 0.9 * 1.3,
          leftIndent=body * 1.3, bulletIndent=0, spaceAfter=body * 0.35, bulletColor=accent,
          bulletFontName=SANS.font("black"), bulletFontSize=body * 0.9)
    style("note", fontName=SANS.font(), fontSize=body * 0.74, leading=body * 0.74 * 1.3,
          textColor=muted, spaceAfter=body * 0.25)
    style("quote", fontName=SERIF.font("italic"), leftIndent=body * 0.9, spaceAfter=body * 0.2)
    style("figure-value", fontName=SANS.font("black"), fontSize=body * 1.9, leading=body * 1.9,
          textColor=accent, spaceAfter=0)
    style("figure-label", fontName=SANS.font(), fontSize=body * 0.8, leading=body * 0.8 * 1.22,
          spaceAfter=0)
    style("running", fontName=SANS.font(), fontSize=7.6, leading=9, textColor=muted)
    return s
