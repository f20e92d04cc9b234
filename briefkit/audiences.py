"""Audience profiles: who a set of documents is for and how they are printed.

A profile is templates/audiences/<name>.yaml, validated like content. `default` is built when
no other audience is asked for.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import InputError, Location, Problem, UsageError
from .schema import Text, Validator, doc, where_field
from .yamlfile import read_yaml

Kind = Literal["brief", "timeline", "factsheet"]


@dataclass
class PageLimits:
    brief: int | None = doc("pages for the brief (always 1)", None)
    timeline: int | None = doc("most pages for the timeline (default 2)", None)
    factsheet: int | None = doc("most pages for the fact sheet (1 or 2; default 2)", None)


@dataclass
class Profile:
    label: Text = doc("who the documents are for, a few words")
    description: Text = doc("one line on the readers")
    language: str = doc("language of the documents", "en")
    paper: Literal["A4", "Letter"] = doc("paper size", "A4")
    documents: list[Kind] = doc("document kinds built for this audience",
                                default_factory=lambda: ["brief", "timeline", "factsheet"])
    page_limits: PageLimits = doc("page limits per document kind", default_factory=PageLimits)
    marking: str | None = doc("handling marking printed top and bottom of every page", None)
    show_locators: bool = doc("print source locators (p7) beside claims", True)
    institution: str = doc("name printed in the running header", "Briefing Desk")
    where: Location = where_field()


@dataclass
class Audience:
    name: str
    profile: Profile
    file: str
    template_folders: list[str] = field(default_factory=list)


def discover_audiences(project: Path) -> list[str]:
    folder = project / "templates" / "audiences"
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def load_audience(project: Path, name: str) -> Audience:
    known = discover_audiences(project)
    if name not in known:
        hint = difflib.get_close_matches(name, known, n=1)
        more = f" (did you mean '{hint[0]}'?)" if hint else f" (known: {', '.join(known) or 'none'})"
        raise UsageError(f"no audience '{name}' in templates/audiences/{more}")
    shown = f"templates/audiences/{name}.yaml"
    node, problems = read_yaml(project / shown, shown)
    profile = None
    if node is not None:
        validator = Validator(default_language="en")
        profile = validator.record(Profile, node, "")
        problems += validator.problems
    if profile is not None:
        problems += _check_limits(profile)
    if problems or profile is None:
        raise InputError(problems or [Problem(Location(shown), "", "invalid profile")])
    overrides = project / "templates" / "audiences" / name
    folders = [str(overrides)] if overrides.is_dir() else []
    return Audience(name, profile, shown, folders)


def _check_limits(profile: Profile) -> list[Problem]:
    from .kinds import KINDS

    problems = []
    for kind in KINDS.values():
        limit = getattr(profile.page_limits, kind.name)
        if limit is not None and not 1 <= limit <= kind.most_pages:
            problems.append(Problem(profile.where, f"page_limits.{kind.name}",
                                    f"must be between 1 and {kind.most_pages}, not {limit}"))
    return problems


def page_limit(profile: Profile, kind: str, default: int) -> int:
    limit = getattr(profile.page_limits, kind)
    return default if limit is None else limit
