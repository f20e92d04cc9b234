"""The build in two passes: load and validate everything, then render, check and publish."""
from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .audiences import Audience, buildable_audiences, discover_audiences, load_audience, orientation, page_limit
from .checks import Check, Expectation, check_pdf
from .content import discover_sets, load_set
from .errors import CheckFailed, InputError, Location, Problem, UsageError
from .kinds import KINDS, DocumentKind
from .localize import localize
from .model import CONTENT_FILES, ContentSet
from .output import Output
from .styles import Theme

if TYPE_CHECKING:
    from .markup import DocumentMarkup

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
        presentation = self.audience.profile.presentation
        return Theme.for_audience(presentation.accent, presentation.type_scale)


@dataclass
class Built:
    job: Job
    output: Output
    checks: list[Check]
    pages: int
    scale: float
    headings: tuple[tuple[int, str, int], ...] = ()
    title: str = ""


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


def template_context(job: Job, extra: dict | None = None) -> dict:
    profile = job.audience.profile
    language = profile.language
    from .fonts import first_missing_glyph

    content = localize({stem: getattr(job.content, stem) for stem in CONTENT_FILES}, language,
                       printable=first_missing_glyph)
    audience = localize({"audience": profile}, language, printable=first_missing_glyph)["audience"]
    return {
        "content": content,
        "audience": {**audience, "name": job.audience.name},
        "document": {"kind": job.kind.name, "language": language, "set": job.content.name,
                     "paper": profile.paper, "orientation": job.orientation, "max_pages": job.max_pages,
                     "generator": f"briefkit {__version__}"},
        **(extra or {}),
    }


def document_markup(project: Path, job: Job, environments: dict,
                    extra: dict | None = None) -> tuple[DocumentMarkup, Expectation]:
    """Template → parsed markup, and what its PDF must then satisfy."""
    from .markup import parse
    from .paper import PageSetup
    from .templating import make_environment, render_template

    key = job.audience.name
    if key not in environments:
        environments[key] = make_environment(project, job.audience.template_folders)
    context = template_context(job, extra)
    document = parse(render_template(environments[key], job.kind.template, context), job.kind.template)
    setup = PageSetup(paper=job.audience.profile.paper, orientation=job.orientation)
    required = tuple(job.kind.required_texts(context["content"]))
    min_pages = job.max_pages if job.kind.exact_pages else 1
    return document, Expectation(min_pages, job.max_pages, setup, tuple(document.headings), required,
                                 job.kind.required_what, document.decor.marking)


def build(project: Path, jobs: list[Job]) -> list[Built]:
    """Pass 2: render and check every job; raises before anything is written if one fails."""
    from .layout import fit_to_pages

    environments: dict = {}
    built, failures = [], []
    for job in jobs:
        document, expected = document_markup(project, job, environments)
        rendered = fit_to_pages(document, expected.setup, job.theme, job.max_pages, job.label)
        checks = check_pdf(rendered.pdf, expected)
        entry = {"content_set": job.content.name, "audience": job.audience.name, "kind": job.kind.name,
                 "pages": rendered.pages, "paper": job.audience.profile.paper, "orientation": job.orientation,
                 "checks": [c.as_json() for c in checks]}
        built.append(Built(job, Output(job.path, rendered.pdf, entry), checks, rendered.pages, rendered.scale,
                           rendered.headings, document.meta.get("title", "")))
        failures += [f"{job.path}: {c.name}: {c.detail}" for c in checks if not c.ok]
    if failures:
        raise CheckFailed("checks failed; nothing was written:\n" + "\n".join(f"  {f}" for f in failures))
    return built


def recheck(project: Path, jobs: list[Job], manifest: dict) -> list[tuple[str, list[Check]]]:
    """Check the PDFs already in briefings/ against what the current input expects."""
    entries = {e.get("path"): e for e in manifest["outputs"] if isinstance(e, dict)}
    environments: dict = {}
    results = []
    for job in jobs:
        path = project / job.path
        if not path.is_file():
            results.append((job.path, [Check("exists", False, "not built yet: run python build.py")]))
            continue
        data = path.read_bytes()
        _, expected = document_markup(project, job, environments)
        same = entries.get(job.path, {}).get("sha256") == hashlib.sha256(data).hexdigest()
        checks = [Check("manifest", same, "sha256 matches the manifest" if same else "file differs from the manifest")]
        results.append((job.path, checks + check_pdf(data, expected)))
    return results
