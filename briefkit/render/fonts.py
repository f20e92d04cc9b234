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
    """The serif for running text and the sans for headings, labels and figures; characters they
    lack are drawn from the `fallback` set's faces (a Korean document's é, from the Latin faces;
    an English document's Korean name, from the Korean faces). An `optional` set is a fallback
    only where its fonts are installed: without them, such characters are a content error."""

    serif: Family
    sans: Family
    install: str  # the command that installs these fonts
    fallback: FontSet | None = None
    optional: bool = False

    @property
    def families(self) -> tuple[Family, Family]:
        return (self.serif, self.sans)

    @property
    def chain(self) -> list[FontSet]:
        """This set, then its fallbacks (each family once), in the order a character is looked for."""
        found = [self]
        fallback = self.fallback
        while fallback is not None:
            known = {family.name for level in found for family in level.families}
            if fallback.serif.name not in known and (not fallback.optional or _has_files(fallback)):
                found.append(fallback)
            fallback = fallback.fallback
        return found


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

HANGUL_FACES = FontSet(MYEONGJO, GOTHIC, "apt-get install -y fonts-nanum", optional=True)
LATIN = FontSet(SERIF, SANS, "pip install --force-reinstall font-source-serif-pro font-source-sans-pro",
                fallback=HANGUL_FACES)
KOREAN = FontSet(MYEONGJO, GOTHIC, "apt-get install -y fonts-nanum", fallback=LATIN)
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
    return next((path for path in _fontconfig_files().get(family.fontconfig, ()) if path.name == file_name), None)


@functools.lru_cache(maxsize=None)
def _fontconfig_files() -> dict[str, tuple[Path, ...]]:
    """The files fontconfig lists for each system family, once per process. The families are
    listed side by side, one process each started together: starting them is most of the cost,
    and even a build with nothing to do fingerprints every font."""
    if shutil.which("fc-list") is None:
        return {}
    families = sorted({family.fontconfig for fonts in FONT_SETS.values() for family in fonts.families} - {""})
    listing = {family: subprocess.Popen(["fc-list", "--format", "%{file}\n", f":family={family}"], text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for family in families}
    return {family: tuple(Path(line) for line in process.communicate()[0].split("\n") if line)
            for family, process in listing.items()}


def font_path(family: Family, file_name: str) -> Path | None:
    key = f"{family.name}/{file_name}"
    if key not in _paths:
        path = font_folder(family.package) / file_name if family.package else _system_font(family, file_name)
        if path is None:
            return None
        _paths[key] = path
    return _paths[key]


def register_fonts(fonts: FontSet = LATIN) -> None:
    """Register a font set's families, and its fallbacks', once per process; a missing or broken
    file is a clear error. An optional fallback is registered when a character first needs it."""
    for level in fonts.chain:
        if not level.optional:
            _register(level)


def _register(fonts: FontSet) -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from .font_cache import load_font

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
                pdfmetrics.registerFont(load_font(family.font(style), path))
            except (OSError, TTFError) as exc:
                raise BriefkitError(f"font {path} cannot be used ({exc}): reinstall it with {fonts.install}") from None
        for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bolditalic")):
            addMapping(family.name, bold, italic, family.font(style))
        _registered.add(family.name)


def fonts_installed(fonts: FontSet) -> bool:
    return all(_has_files(level) for level in fonts.chain)


def _has_files(fonts: FontSet) -> bool:
    return all(font_path(f, name) is not None for f in fonts.families for name in f.files.values())


_covered: dict[str, frozenset[str]] = {}


def covered(fonts: FontSet) -> frozenset[str]:
    """The characters both faces of one font set can draw (registering them on first use)."""
    key = fonts.serif.name
    if key not in _covered:
        from reportlab.pdfbase import pdfmetrics

        _register(fonts)
        faces = [pdfmetrics.getFont(family.font()).face for family in fonts.families]
        codes = frozenset.intersection(*(frozenset(face.charToGlyph) for face in faces))
        _covered[key] = frozenset(map(chr, codes)) | frozenset("\n\t\r")
    return _covered[key]


def missing_glyphs(text: str, fonts: FontSet = LATIN) -> list[str]:
    """The characters of `text` (each once, in order) that no font of the set's chain can draw."""
    if covered(fonts).issuperset(text):  # the common case, answered in C, without loading any fallback font
        return []
    levels = [covered(level) for level in fonts.chain]
    return list(dict.fromkeys(c for c in text if not any(c in level for level in levels)))


def runs(text: str, fonts: FontSet) -> list[tuple[str, int]]:
    """`text` cut where the font changes: (run, level in the chain whose faces draw it); characters
    no level draws stay with the first (they were reported when the content was read)."""
    if fonts.fallback is None or covered(fonts).issuperset(text):
        return [(text, 0)] if text else []
    levels = [covered(level) for level in fonts.chain]
    found: list[tuple[str, int]] = []
    for character in text:
        level = next((index for index, chars in enumerate(levels) if character in chars), 0)
        if found and found[-1][1] == level:
            found[-1] = (found[-1][0] + character, level)
        else:
            found.append((character, level))
    return found


def font_in(fonts: FontSet, font_name: str, level: int) -> str:
    """The font at `level` of the chain that stands in for one of the set's own (same role, same
    weight where it has it): NanumGothic-bold → SourceSans-bold."""
    target = fonts.chain[level]
    for own, other in zip(fonts.families, target.families):
        styles = {**own.files, **own.extra}
        for style in styles:
            if own.font(style) == font_name:
                _register(target)
                return other.font(style if style in {**other.files, **other.extra} else "regular")
    return font_name
