"""Every folder and file briefkit reads or writes, named once, and the one rule for names.

A project folder holds `content/` (one folder per content set, and `meetings/`), optional
`templates/` (overrides of the shipped templates, profiles and labels) and the output folder,
`briefings/` unless `--output` names another. Outputs are addressed by paths relative to the
folder that holds the output folder ("briefings/<set>/<audience>/<file>.pdf"): that is how the
manifest, the cache and the build report name them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NAME_RULE = "lower-case letters, digits, - and _"
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

PACKAGE = Path(__file__).resolve().parent
OUTPUT = "briefings"
MANIFEST = "manifest.json"
CACHE = ".cache.json"
JOURNAL = ".journal.json"
LOCK = ".lock"
PREVIEWS = ".previews"
INDEX = "index.html"
MEETINGS = "meetings"  # content/meetings/ holds meeting files; briefings/meetings/ their outputs
SOURCE_TEXT = "source.txt"  # content/<set>/source.txt: the source's text, when its licence allows keeping it
NUMBERED = "source-numbered.txt"  # the same with paragraph numbers, for people (briefkit never reads it)


def builtin_templates() -> Path:
    """The shipped templates, profiles and labels: package data in an installed wheel, the
    repository's templates/ when running from a source checkout."""
    packaged = PACKAGE / "defaults"
    return packaged if packaged.is_dir() else PACKAGE.parent / "templates"


def is_name(text: str) -> bool:
    """Content sets, audiences, meetings, ids: lower-case letters, digits, - and _."""
    return bool(NAME.match(text))


@dataclass(frozen=True)
class Project:
    root: Path
    output: Path

    @classmethod
    def at(cls, root: Path, output: Path | None = None) -> Project:
        root = Path(root).absolute()
        return cls(root, Path(output).absolute() if output is not None else root / OUTPUT)

    # inputs
    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def meetings(self) -> Path:
        return self.content / MEETINGS

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def builtin(self) -> Path:
        return builtin_templates()

    def template_roots(self) -> list[Path]:
        """Where templates, profiles and labels are looked up: the project's, then the shipped."""
        roots = [self.templates] if self.templates.is_dir() else []
        if self.builtin.resolve() not in {root.resolve() for root in roots}:
            roots.append(self.builtin)
        return roots

    def input_roots(self) -> tuple[Path, ...]:
        """The folders an input file may lie in, once links are followed: the project and the
        shipped templates."""
        return (self.root, self.builtin)

    def set_folder(self, name: str) -> Path:
        return self.content / name

    def source_text(self, name: str) -> Path:
        """The source text kept with a content set (it may not exist)."""
        return self.content / name / SOURCE_TEXT

    def profile(self, name: str) -> Path:
        """An audience profile: the project's file if it has one, else the shipped one."""
        for root in self.template_roots():
            path = root / "audiences" / f"{name}.yaml"
            if path.is_file():
                return path
        return self.templates / "audiences" / f"{name}.yaml"

    def labels(self, language: str) -> list[Path]:
        """A language's label files that exist, most specific (the project's) first. A language
        is a code (profiles are checked): anything else names no file."""
        if not LANGUAGE.match(language):
            return []
        return [path for root in self.template_roots() if (path := root / "labels" / f"{language}.yaml").is_file()]

    def shown(self, path: str | Path) -> str:
        """An input file as messages name it: relative to the project, or 'briefkit:…' for a
        shipped file."""
        path = Path(path)
        for base, prefix in ((self.root, ""), (self.builtin, "briefkit:templates/")):
            try:
                return prefix + path.relative_to(base).as_posix()
            except ValueError:
                continue
        return str(path)

    # outputs
    @property
    def out(self) -> str:
        """The output folder's name: the first part of every output path."""
        return self.output.name

    def file(self, relative: str) -> Path:
        """The file an output path names."""
        return self.output.parent / relative

    def relative(self, path: Path) -> str:
        return Path(path).relative_to(self.output.parent).as_posix()

    def document(self, content_set: str, audience: str, kind: str) -> str:
        return f"{self.out}/{content_set}/{audience}/{content_set}-{kind}-{audience}.pdf"

    def meeting(self, slug: str) -> str:
        return f"{self.out}/{MEETINGS}/{slug}"

    @property
    def manifest(self) -> Path:
        return self.output / MANIFEST

    @property
    def cache(self) -> Path:
        return self.output / CACHE

    @property
    def journal(self) -> Path:
        return self.output / JOURNAL

    @property
    def lock(self) -> Path:
        return self.output / LOCK

    @property
    def previews(self) -> str:
        return f"{self.out}/{PREVIEWS}"

    @property
    def index(self) -> Path:
        return self.output / INDEX
