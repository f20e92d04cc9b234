"""Find and register the TrueType families each language's documents use.

Latin documents use Source Serif Pro and Source Sans Pro from PyPI packages, so no system font
is needed. Korean documents use Debian's NanumMyeongjo and NanumGothic, found by family name
through fontconfig (`fc-list`), never by a hard-coded path; BRIEFKIT_FONT_PATH may name extra
folders to search. Only TrueType files are used: ReportLab embeds TrueType but cannot embed CFF
.otf fonts, and its built-in CID fonts are never embedded.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefkitError, FontMissing
from ..locales import script_for


@dataclass(frozen=True)
class Family:
    """A family registered with ReportLab under `name`; `files` maps style to a file name.

    Fonts from a Python package live in its files/ folder; system fonts are looked up by their
    fontconfig family name. A family without italics maps them to upright styles (Korean sets
    no italics: emphasis is by weight).
    """

    name: str
    files: dict[str, str]
    package: str = ""                 # PyPI package holding the files, or "" for a system font
    fontconfig: str = ""              # family name for fontconfig
    extra: dict[str, str] = field(default_factory=dict)  # more styles, e.g. "black"

    def font(self, style: str = "regular") -> str:
        """The registered name of a style; styles sharing a file share one name (and one parse)."""
        styles = {**self.files, **self.extra}
        name = f"{self.name}-{next(s for s, f in styles.items() if f == styles[style])}"
        return _stand_ins.get(name, name)


@dataclass(frozen=True)
class FontSet:
    """The serif for running text and the sans for headings, labels and figures."""

    serif: Family
    sans: Family
    install: str  # the command that installs these fonts

    @property
    def families(self) -> tuple[Family, Family]:
        return (self.serif, self.sans)


SERIF = Family("SourceSerif", {"regular": "SourceSerifPro-Regular.ttf", "bold": "SourceSerifPro-Semibold.ttf",
                               "italic": "SourceSerifPro-It.ttf", "bolditalic": "SourceSerifPro-SemiboldIt.ttf"},
               package="font_source_serif_pro")
SANS = Family("SourceSans", {"regular": "SourceSansPro-Regular.ttf", "bold": "SourceSansPro-Semibold.ttf",
                             "italic": "SourceSansPro-It.ttf", "bolditalic": "SourceSansPro-SemiboldIt.ttf"},
              package="font_source_sans_pro", extra={"black": "SourceSansPro-Bold.ttf"})
MYEONGJO = Family("NanumMyeongjo", {"regular": "NanumMyeongjo.ttf", "bold": "NanumMyeongjoBold.ttf",
                                    "italic": "NanumMyeongjo.ttf", "bolditalic": "NanumMyeongjoBold.ttf"},
                  fontconfig="NanumMyeongjo")
GOTHIC = Family("NanumGothic", {"regular": "NanumGothic.ttf", "bold": "NanumGothicBold.ttf",
                                "italic": "NanumGothic.ttf", "bolditalic": "NanumGothicBold.ttf"},
                fontconfig="NanumGothic", extra={"black": "NanumGothicExtraBold.ttf"})

LATIN = FontSet(SERIF, SANS, "pip install --force-reinstall font-source-serif-pro font-source-sans-pro")
KOREAN = FontSet(MYEONGJO, GOTHIC, "apt-get install -y fonts-nanum")
FONT_SETS = {"latin": LATIN, "hangul": KOREAN}  # by script (see locales.py)


def fonts_for(language: str) -> FontSet:
    return FONT_SETS[script_for(language).name]


_registered: set[str] = set()
_stand_ins: dict[str, str] = {}  # an optional style whose file is missing → the style printed instead
_paths: dict[str, Path] = {}


def font_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise BriefkitError(f"font package {package.replace('_', '-')} is not installed: run pip install -e .")
    return Path(next(iter(spec.submodule_search_locations))) / "files"


def _system_font(family: Family, file_name: str) -> Path | None:
    """A system font file by name, among the files fontconfig lists for the family."""
    for folder in filter(None, os.environ.get("BRIEFKIT_FONT_PATH", "").split(os.pathsep)):
        if (Path(folder) / file_name).is_file():
            return Path(folder) / file_name
    return next((path for path in _fontconfig_files(family.fontconfig) if path.name == file_name), None)


@functools.lru_cache(maxsize=None)
def _fontconfig_files(family: str) -> tuple[Path, ...]:
    """The files fontconfig lists for a family (one call per family and process)."""
    if shutil.which("fc-list") is None:
        return ()
    listed = subprocess.run(["fc-list", "--format", "%{file}\n", f":family={family}"],
                            capture_output=True, text=True, check=False).stdout.split("\n")
    return tuple(Path(line) for line in listed if line)


def font_path(family: Family, file_name: str) -> Path | None:
    key = f"{family.name}/{file_name}"
    if key not in _paths:
        path = font_folder(family.package) / file_name if family.package else _system_font(family, file_name)
        if path is None:
            return None
        _paths[key] = path
    return _paths[key]


def register_fonts(fonts: FontSet = LATIN) -> None:
    """Register a font set's families once per process; a missing or broken file is a clear error."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for family in fonts.families:
        if family.name in _registered:
            continue
        for style, file_name in {**family.files, **family.extra}.items():
            if family.font(style) != f"{family.name}-{style}":
                continue  # the same file as an earlier style
            path = font_path(family, file_name)
            if path is None and style in family.extra:  # a heavier weight is optional: bold stands in
                _stand_ins[family.font(style)] = family.font("bold")
                continue
            if path is None:
                raise FontMissing(f"font {family.fontconfig or family.name} ({file_name}) is not installed: "
                                  f"run {fonts.install}", fonts.install)
            try:
                pdfmetrics.registerFont(TTFont(family.font(style), str(path)))
            except (OSError, TTFError) as exc:
                raise BriefkitError(f"font {path} cannot be used ({exc}): reinstall it with {fonts.install}") from None
        for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bolditalic")):
            addMapping(family.name, bold, italic, family.font(style))
        _registered.add(family.name)


def fonts_installed(fonts: FontSet) -> bool:
    return all(font_path(f, name) is not None for f in fonts.families for name in f.files.values())


_covered: dict[str, frozenset[str]] = {}


def first_missing_glyph(text: str, fonts: FontSet = LATIN) -> str | None:
    """The first character of `text` the font set cannot print, or None when all can."""
    key = fonts.serif.name
    if key not in _covered:
        from reportlab.pdfbase import pdfmetrics

        register_fonts(fonts)
        faces = [pdfmetrics.getFont(family.font()).face for family in fonts.families]
        codes = frozenset.intersection(*(frozenset(face.charToGlyph) for face in faces))
        _covered[key] = frozenset(map(chr, codes)) | frozenset("\n\t\r")
    covered = _covered[key]
    if covered.issuperset(text):  # the common case, answered in C
        return None
    return next(character for character in text if character not in covered)
