"""The build in two passes: load and validate everything, then render, check and publish."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .audiences import Audience, buildable_audiences, discover_audiences, load_audience, orientation, page_limit
from .content import discover_sets, load_set
from .errors import InputError, Location, Problem, UsageError
from .kinds import KINDS, DocumentKind
from .localize import localize
from .model import CONTENT_FILES, ContentSet
from .output import Output

if TYPE_CHECKING:  # the checks need pypdf and the styles ReportLab: planning (--list) needs neither
    from .checks import Check
    from .styles import Theme


SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Job:
    """One document to build: a content set, for an audience, of a kind."""

    content: ContentSet
    audience: Audience
    kind: DocumentKind

    @property
    def path(self) -> str:
        name = f"{self.content.name}-{self.kind.name}-{self.audience.name}.pdf"
        return f"briefings/{self.content.name}/{self.audience.name}/{name}"

    @property
    def label(self) -> str:
        return f"{self.content.name}/{self.audience.name}/{self.kind.name}"

    @property
    def max_pages(self) -> int:
        return page_limit(self.audience.profile, self.kind.name, self.kind.default_pages)

    @property
    def orientation(self) -> str:
        return orientation(self.audience.profile, self.kind.name, self.kind.orientation)

    @property
    def audience_paper_size(self) -> tuple[float, float]:
        from .paper import PAPERS
        return PAPERS[self.audience.profile.paper]

    @property
    def theme(self) -> Theme:
        from .styles import Theme

        presentation = self.audience.profile.presentation
        return Theme.for_audience(presentation.accent, presentation.type_scale, self.audience.profile.language)


@dataclass
class Built:
    job: Job
    output: Output
    checks: list[Check]
    pages: int
    scale: float
    headings: tuple[tuple[int, str, int], ...] = ()
    title: str = ""
    reused: bool = False  # fresh from an earlier build: read back, not rendered
    previews: list = field(default_factory=list)  # PNGs of its pages, drawn where it was rendered
    content_read: tuple[str, ...] = ()  # the content files (stems) its template read
    output_key: str = ""  # what its PDF is made from once the template has run (see render.output_key)


def _reading_all(name: str):  # type: ignore[no-untyped-def]
    """A dict method that hands out every record, noting them all as read first."""
    def method(self, *args):  # type: ignore[no-untyped-def]
        self.read.update(dict.keys(self))
        return getattr(dict, name)(self, *args)
    method.__name__ = name
    return method


class ContentReads(dict):
    """A content set's records for a template, noting which files' records it reads: a document
    depends on those content files only, so editing people.yaml rebuilds the fact sheets and not
    the briefs. Every way in (item, get, iteration, items, values, keys, repr) is noted."""

    def __init__(self, records: dict) -> None:
        super().__init__(records)
        self.read: set[str] = set()

    def __getitem__(self, key: str):  # type: ignore[no-untyped-def]
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default=None):  # type: ignore[no-untyped-def]
        self.read.add(key)
        return super().get(key, default)

    __iter__ = _reading_all("__iter__")
    keys = _reading_all("keys")
    items = _reading_all("items")
    values = _reading_all("values")
    __repr__ = _reading_all("__repr__")


def _select(kind: str, requested: list[str] | None, available: list[str]) -> list[str]:
    if not requested:
        return available
    for name in requested:
        if not SAFE_NAME.match(name):
            raise UsageError(f"--{kind} '{name}': names use lower-case letters, digits, - and _ only")
        if name not in available:
            hint = difflib.get_close_matches(name, available, n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else f" (available: {', '.join(available) or 'none'})"
            raise UsageError(f"--{kind} '{name}' does not exist{more}")
    return list(dict.fromkeys(requested))


def plan(project: Path, sets: list[str] | None, audiences: list[str] | None, kinds: list[str] | None) -> list[Job]:
    """Pass 1: load every content set and audience asked for; all input problems at once."""
    set_names = _select("set", sets, discover_sets(project))
    audience_names = (_select("audience", audiences, discover_audiences(project)) if audiences
                      else buildable_audiences(project))
    kind_names = _select("kind", kinds, list(KINDS))
    if not set_names:
        raise UsageError("no content sets under content/: add content/<set>/ (see docs/content-schema.md)")
    if not audience_names:
        raise UsageError("no audience profiles: add templates/audiences/<name>.yaml")
    problems: list[Problem] = []
    loaded_sets, loaded_audiences = [], []
    for name in set_names:
        if not SAFE_NAME.match(name):
            problems.append(Problem(Location(f"content/{name}"), "", "folder names use lower-case letters, digits, - and _ only"))
            continue
        try:
            loaded_sets.append(load_set(project, name))
        except InputError as exc:
            problems.extend(exc.problems)
    for name in audience_names:
        try:
            loaded_audiences.append(load_audience(project, name))
        except InputError as exc:
            problems.extend(exc.problems)
    problems += [p for content in loaded_sets for audience in loaded_audiences for p in _fits(content, audience)]
    if problems:
        raise InputError(problems)
    return [Job(content, audience, KINDS[kind])
            for content in loaded_sets for audience in loaded_audiences
            for kind in audience.profile.documents if kind in kind_names]


def _fits(content: ContentSet, audience: Audience) -> list[Problem]:
    """A profile may name argument groups; each must exist in every content set it is built with."""
    groups = {group.id for group in content.arguments.groups}
    emphasis = audience.profile.emphasis
    return [Problem(emphasis.where, f"emphasis.argument_groups[{index}]",
                    f"content set '{content.name}' has no argument group '{group}' "
                    f"(it has: {', '.join(sorted(groups))}); or set argument_groups: null")
            for index, group in enumerate(emphasis.argument_groups or []) if group not in groups]


def template_context(project: Path, job: Job, extra: dict | None = None) -> dict:
    profile = job.audience.profile
    language = profile.language
    from .fonts import first_missing_glyph, fonts_for

    fonts = fonts_for(language)

    def printable(text: str) -> str | None:
        return first_missing_glyph(text, fonts)

    fallback = profile.fallback_language
    content = localize({stem: getattr(job.content, stem) for stem in CONTENT_FILES}, language, fallback, printable)
    audience = localize({"audience": profile}, language, fallback, printable)["audience"]
    from .labels import load_labels

    return {
        "content": ContentReads(content),
        "labels": load_labels(project, language),
        "audience": {**audience, "name": job.audience.name},
        "document": {"kind": job.kind.name, "language": language, "set": job.content.name,
                     "paper": profile.paper, "orientation": job.orientation, "max_pages": job.max_pages,
                     "generator": f"briefkit {__version__}"},
        **(extra or {}),
    }
