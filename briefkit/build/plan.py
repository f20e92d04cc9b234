"""Pass 1 of a build: which documents to make, with every content set and profile loaded and
validated first, all problems reported at once."""
from __future__ import annotations

from ..errors import InputError, Location, Problem, UsageError, did_you_mean
from ..inputs.audiences import Audience, buildable_audiences, discover_audiences, load_audience
from ..inputs.content import discover_sets, is_draft, load_set
from ..inputs.kinds import KINDS
from ..inputs.model import ContentSet
from ..paths import NAME_RULE, Project, is_name
from ..render.job import Job


def _select(kind: str, requested: list[str] | None, available: list[str]) -> list[str]:
    if not requested:
        return available
    for name in requested:
        if not is_name(name):
            raise UsageError(f"--{kind} '{name}': names use {NAME_RULE} only")
        if name not in available:
            raise UsageError(f"--{kind} '{name}' does not exist{did_you_mean(name, available)}")
    return list(dict.fromkeys(requested))


def plan(project: Project, sets: list[str] | None, audiences: list[str] | None, kinds: list[str] | None,
         notes: list[str] | None = None) -> list[Job]:
    """Pass 1: load every content set and audience asked for; all input problems at once. A draft
    set is planned only when --set names it, and then only for the audiences it can be built
    for, unless --audience names them; `notes` gets a line for each draft or audience left out."""
    found = discover_sets(project)
    set_names = _select("set", sets, found)
    drafts = [] if sets else [name for name in set_names if is_draft(project, name)]
    set_names = [name for name in set_names if name not in drafts]
    said = notes if notes is not None else []
    said += [f"skipped content/{name}/: a draft, built only when named (briefkit build --set {name})" for name in drafts]
    audience_names = (_select("audience", audiences, discover_audiences(project)) if audiences
                      else buildable_audiences(project))
    kind_names = _select("kind", kinds, list(KINDS))
    if not found:
        raise UsageError("no content sets under content/: start one with briefkit new SET --source ESSAY "
                         "(see docs/content-schema.md)")
    if not audience_names:
        raise UsageError("no audience profiles: add templates/audiences/<name>.yaml")
    problems: list[Problem] = []
    loaded_sets, loaded_audiences = [], []
    for name in set_names:
        if not is_name(name):
            problems.append(Problem(Location(f"content/{name}"), "", f"folder names use {NAME_RULE} only"))
            continue
        try:
            loaded_sets.append(load_set(project, name))
        except InputError as exc:
            problems.extend(exc.problems)
    for name in audience_names if set_names else []:
        try:
            loaded_audiences.append(load_audience(project, name))
        except InputError as exc:
            problems.extend(exc.problems)
    pairs = []
    for content in loaded_sets:
        for audience in loaded_audiences:
            unfit = _fits(content, audience)
            if content.source.draft and not audiences and (unfit or not _speaks(content, audience)):
                said.append(f"draft content/{content.name}/: skipped audience {audience.name}: "
                            f"{_why_not(content, audience, unfit)} (--audience {audience.name} builds it anyway)")
                continue
            problems += unfit
            pairs.append((content, audience))
    if problems:
        raise InputError(problems)
    return [Job(content, audience, KINDS[kind], project.document(content.name, audience.name, kind))
            for content, audience in pairs for kind in audience.profile.documents if kind in kind_names]


def _speaks(content: ContentSet, audience: Audience) -> bool:
    """The set is written in the audience's language, or one its profile may fall back to."""
    profile = audience.profile
    return content.source.language in (profile.language, profile.fallback_language)


def _why_not(content: ContentSet, audience: Audience, unfit: list[Problem]) -> str:
    if not _speaks(content, audience):
        return f"it reads {audience.profile.language}, the set is written in {content.source.language}"
    missing = ", ".join(group for _, group in _missing_groups(content, audience))
    return f"its profile names argument groups the set does not have ({missing})"


def _missing_groups(content: ContentSet, audience: Audience) -> list[tuple[int, str]]:
    groups = {group.id for group in content.arguments.groups}
    return [(index, group) for index, group in enumerate(audience.profile.emphasis.argument_groups or [])
            if group not in groups]


def _fits(content: ContentSet, audience: Audience) -> list[Problem]:
    """A profile may name argument groups; each must exist in every content set it is built with."""
    groups = ", ".join(sorted(group.id for group in content.arguments.groups))
    return [Problem(audience.profile.emphasis.where, f"emphasis.argument_groups[{index}]",
                    f"content set '{content.name}' has no argument group '{group}' "
                    f"(it has: {groups}); or set argument_groups: null")
            for index, group in _missing_groups(content, audience)]
