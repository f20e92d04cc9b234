"""Type scale, colours and paragraph styles, computed for one scale factor.

Fit-to-page renders at a scale below 1.0 when a document overflows; every size and space here
is multiplied by it, so the page keeps its proportions as it shrinks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from ..locales import LATIN as LATIN_SCRIPT
from ..locales import script_for
from .fonts import LATIN, FontSet, fonts_for

if TYPE_CHECKING:
    from .job import Job

BODY_SIZE = 9.8        # pt at scale 1.0


@dataclass(frozen=True)
class Theme:
    """What a profile can change about the look; the defaults are the house style."""

    accent: str = "#1F4E79"
    accent_tint: str = "#E9EFF5"
    ink: str = "#1A1A1A"
    muted: str = "#5A5F66"
    rule: str = "#B8C2CC"
    body_size: float = BODY_SIZE
    fonts: FontSet = LATIN
    line_height: float = LATIN_SCRIPT.line_height
    readable_minimum: float = LATIN_SCRIPT.readable_minimum  # pt: fit-to-page never shrinks body text below
    language: str = "en"  # of the document: words in another script are marked as another language

    @classmethod
    def for_audience(cls, accent: str, type_scale: float, language: str = "en") -> Theme:
        """The house style with an audience's accent (tint derived from it), type size and script."""
        script = script_for(language)
        return cls(accent=accent, accent_tint=_blend(accent, 0.9), fonts=fonts_for(language),
                   body_size=BODY_SIZE * type_scale * script.size,
                   line_height=script.line_height, readable_minimum=script.readable_minimum, language=language)

    @property
    def min_body_size(self) -> float:
        """Fit-to-page shrinks to 88% of the design size, and never below the readable minimum."""
        return max(self.readable_minimum, self.body_size * 0.88)


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
    def fonts(self) -> FontSet:
        return self.theme.fonts

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
    serif, sans, lead = theme.fonts.serif, theme.fonts.sans, theme.line_height
    ink, muted, accent = HexColor(theme.ink), HexColor(theme.muted), HexColor(theme.accent)

    def style(name: str, **kw: object) -> None:
        base = dict(fontName=serif.font(), fontSize=body, leading=body * lead, textColor=ink,
                    alignment=TA_LEFT, allowWidows=0, allowOrphans=0, spaceAfter=body * 0.45,
                    bulletFontName=serif.font())
        base.update(kw)
        s.paragraph[name] = ParagraphStyle(name, **base)

    style("body")
    style("lede", fontSize=body * 1.06, leading=body * 1.06 * (lead + 0.02), spaceAfter=body * 0.3)
    style("title", fontName=sans.font("black"), fontSize=body * 2.2, leading=body * 2.2 * (lead - 0.22),
          spaceAfter=body * 0.35)
    style("subtitle", fontName=serif.font("italic"), fontSize=body * 1.18, leading=body * 1.18 * (lead - 0.04),
          textColor=muted, spaceAfter=body * 1.0)
    label = dict(fontName=sans.font("bold"), fontSize=body * 0.86, leading=body * 1.1, textColor=accent,
                 spaceAfter=body * 0.45, keepWithNext=1)
    style("h2", spaceBefore=body * 0.9, **label)
    style("label", spaceBefore=0, **label)
    style("h3", fontName=sans.font("bold"), fontSize=body * 1.04, leading=body * 1.28,
          spaceBefore=body * 0.75, spaceAfter=body * 0.2, keepWithNext=1)
    style("item", leftIndent=body * 1.45, bulletIndent=0, spaceAfter=body * 0.38,
          bulletFontName=sans.font("black"), bulletColor=accent, bulletFontSize=body)
    style("bullet", leftIndent=body * 1.0, bulletIndent=body * 0.1, spaceAfter=body * 0.3,
          bulletColor=accent, bulletFontSize=body)
    style("small", fontName=sans.font(), fontSize=body * 0.86, leading=body * 0.86 * (lead - 0.02),
          spaceAfter=body * 0.4)
    style("small-bullet", fontName=sans.font(), fontSize=body * 0.86, leading=body * 0.86 * (lead - 0.02),
          leftIndent=body * 0.9, bulletIndent=0, spaceAfter=body * 0.35, bulletColor=accent,
          bulletFontName=sans.font(), bulletFontSize=body * 0.86)
    style("small-item", fontName=sans.font(), fontSize=body * 0.9, leading=body * 0.9 * (lead - 0.04),
          leftIndent=body * 1.3, bulletIndent=0, spaceAfter=body * 0.35, bulletColor=accent,
          bulletFontName=sans.font("black"), bulletFontSize=body * 0.9)
    style("note", fontName=sans.font(), fontSize=body * 0.74, leading=body * 0.74 * (lead - 0.04),
          textColor=muted, spaceAfter=body * 0.25)
    style("quote", fontName=serif.font("italic"), leftIndent=body * 0.9, spaceAfter=body * 0.2)
    style("figure-value", fontName=sans.font("black"), fontSize=body * 1.9, leading=body * 1.9,
          textColor=accent, spaceAfter=0)
    style("figure-label", fontName=sans.font(), fontSize=body * 0.8, leading=body * 0.8 * (lead - 0.12),
          spaceAfter=0)
    style("running", fontName=sans.font(), fontSize=7.6, leading=9, textColor=muted)
    return s


def theme_for(job: Job) -> Theme:
    """The look of a job's document: its audience's accent and type size, in its language's script."""
    presentation = job.audience.profile.presentation
    return Theme.for_audience(presentation.accent, presentation.type_scale, job.language)
