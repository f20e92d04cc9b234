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

Kind = Literal["brief"]


@dataclass
class Profile:
    label: Text = doc("who the documents are for, a few words")
    description: Text = doc("one line on the readers")
    language: str = doc("language of the documents", "en")
    paper: Literal["A4", "Letter"] = doc("paper size", "A4")
    documents: list[Kind] = doc("document kinds built for this audience", default_factory=lambda: ["brief"])
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
    if problems or profile is None:
        raise InputError(problems or [Problem(Location(shown), "", "invalid profile")])
    overrides = project / "templates" / "audiences" / name
    folders = [str(overrides)] if overrides.is_dir() else []
    return Audience(name, profile, shown, folders)
