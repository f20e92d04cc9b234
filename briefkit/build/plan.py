"""Pass 1 of a build: which documents to make, with every content set and profile loaded and
validated first, all problems reported at once."""
from __future__ import annotations

from ..errors import InputError, Location, Problem, UsageError, did_you_mean
from ..inputs.audiences import (Audience, audience_for, buildable_audiences, discover_audiences, load_audience, origin,
                               shipped_left_out)
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
         problems: list[Problem] | None = None, notes: list[str] | None = None) -> list[Job]:
    """Pass 1: load every content set and audience asked for; all input problems at once. With
    `problems`, they are added to it and the documents that could be planned are returned, so that
    later checks can report theirs in the same run. A draft set is planned only when --set names
    it; `notes` gets a line for each draft left out."""
    collect = problems is not None
    problems = problems if problems is not None else []
    found = discover_sets(project)
    set_names = _select("set", sets, found)
    drafts = [] if sets else [name for name in set_names if is_draft(project, name)]
    set_names = [name for name in set_names if name not in drafts]
    if notes is not None:
        notes += [f"skipped content/{name}/: a draft, built only when named (briefkit build --set {name})"
                  for name in drafts]
        if not audiences and (shipped := shipped_left_out(project)):
            notes.append(f"skipped the shipped audience{'s' if len(shipped) > 1 else ''} {', '.join(shipped)}: a project "
                         "with audience profiles of its own builds only those by default "
                         f"(briefkit build --audience {shipped[0]} builds one)")
    audience_names = (_select("audience", audiences, discover_audiences(project)) if audiences
                      else buildable_audiences(project))
    kind_names = _select("kind", kinds, list(KINDS))
    if not found:
        raise UsageError("no content sets under content/: start one with briefkit new SET --source ESSAY "
                         "(see docs/content-schema.md)")
    if not audience_names:
        raise UsageError("no audience profiles: add templates/audiences/<name>.yaml")
    loaded_sets: list[ContentSet] = []
    profiles: dict[str, Audience] = {}
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
            profiles[name] = load_audience(project, name)
        except InputError as exc:
            problems.extend(exc.problems)
    pairs: list[tuple[ContentSet, Audience]] = []
    for content in loaded_sets:
        for name, profile in profiles.items():
            try:
                audience = audience_for(project, content, name, profile)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            problems += _fits(content, audience)
            pairs.append((content, audience))
    if problems and not collect:
        raise InputError(problems)
    return [Job(content, audience, KINDS[kind], project.document(content.name, audience.name, kind))
            for content, audience in pairs for kind in audience.profile.documents if kind in kind_names]


def _fits(content: ContentSet, audience: Audience) -> list[Problem]:
    """A set's own audiences.yaml may name its argument groups; each must exist. (Ids named by a
    profile, a deprecated use, are checked when the brief is made, and fall back with a warning.)"""
    if audience.content_set != content.name:
        return []
    groups = {group.id for group in content.arguments.groups}
    node = origin(audience, "emphasis", "argument_groups")
    where = node.key_location or node.location if node is not None else audience.profile.emphasis.where
    return [Problem(where, f"{audience.name}.emphasis.argument_groups[{index}]",
                    f"content set '{content.name}' has no argument group '{group}'"
                    f"{did_you_mean(group, sorted(groups), 'it has')}")
            for index, group in enumerate(audience.profile.emphasis.argument_groups or []) if group not in groups]
