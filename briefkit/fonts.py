"""Find and register the TrueType families the documents use.

Fonts come from PyPI packages (font-source-serif-pro, font-source-sans-pro), so no system font
is needed. Only .ttf files are used: ReportLab embeds TrueType but cannot embed CFF .otf fonts.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from .errors import BriefkitError


@dataclass(frozen=True)
class Family:
    """A family registered with ReportLab under `name`, with its four styles' font names."""

    name: str
    package: str
    files: dict[str, str]  # style → file name inside the package's files/ folder

    def font(self, style: str = "regular") -> str:
        return f"{self.name}-{style}"


SERIF = Family(
    "SourceSerif",
    "font_source_serif_pro",
    {"regular": "SourceSerifPro-Regular.ttf", "bold": "SourceSerifPro-Semibold.ttf",
     "italic": "SourceSerifPro-It.ttf", "bolditalic": "SourceSerifPro-SemiboldIt.ttf"},
)
SANS = Family(
    "SourceSans",
    "font_source_sans_pro",
    {"regular": "SourceSansPro-Regular.ttf", "bold": "SourceSansPro-Semibold.ttf",
     "italic": "SourceSansPro-It.ttf", "bolditalic": "SourceSansPro-SemiboldIt.ttf",
     "black": "SourceSansPro-Bold.ttf"},
)
FAMILIES = (SERIF, SANS)

_registered: set[str] = set()


def font_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise BriefkitError(
            f"font package {package.replace('_', '-')} is not installed: run pip install -e ."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "files"


def font_files() -> list[Path]:
    """Every font file the documents may embed (their contents are a build input)."""
    return [font_folder(f.package) / name for f in FAMILIES for name in f.files.values()]


def register_fonts() -> None:
    """Register every family once per process; a missing or broken file is a clear error."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for family in FAMILIES:
        if family.name in _registered:
            continue
        folder = font_folder(family.package)
        for style, file_name in family.files.items():
            path = folder / file_name
            try:
                pdfmetrics.registerFont(TTFont(family.font(style), str(path)))
            except (OSError, TTFError) as exc:
                raise BriefkitError(
                    f"font {path} cannot be used ({exc}): reinstall it with "
                    f"pip install --force-reinstall {family.package.replace('_', '-')}"
                ) from None
        for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bolditalic")):
            addMapping(family.name, bold, italic, family.font(style))
        _registered.add(family.name)


_covered: frozenset[int] | None = None


def first_missing_glyph(text: str) -> str | None:
    """The first character of `text` the document fonts cannot print, or None when all can."""
    global _covered
    if _covered is None:
        from reportlab.pdfbase import pdfmetrics

        register_fonts()
        faces = [pdfmetrics.getFont(family.font()).face for family in FAMILIES]
        _covered = frozenset.intersection(*(frozenset(face.charToGlyph) for face in faces))
    for character in text:
        if ord(character) not in _covered and character not in "\n\t\r":
            return character
    return None
