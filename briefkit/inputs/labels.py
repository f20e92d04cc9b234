"""The words printed around the content, per language: templates/labels/<language>.yaml.

A project's labels file overrides the shipped one key by key. English is the reference: every
other language must define every English key, and a missing or unknown key is a located error,
never an English word in a Korean document. Labels that are patterns ("Page {page} of {pages}",
"{day} {month} {year}") may use only their own placeholders.
"""
from __future__ import annotations

import functools
from pathlib import Path

from ..errors import InputError, Location, Problem, did_you_mean
from ..locales import DATE_PATTERNS, placeholders
from ..paths import Project
from .schema import Validator
from .yamlfile import read_yaml

REFERENCE = "en"

# Label → the placeholders it may use; a label not named here is plain text.
PATTERNS: dict[str, frozenset[str]] = {
    **DATE_PATTERNS,
    "page_of": frozenset({"page", "pages"}),
    "chart_note": frozenset({"lane"}),
    "chart_alt": frozenset({"title", "values"}),
    "chart_uncertain_part": frozenset({"count"}),
    "timeline_alt_uncertain": frozenset({"count"}),
    "packet_page": frozenset({"line", "page", "pages"}),
    "copy_stamp": frozenset({"number", "total", "recipient"}),
    "packet_title": frozenset({"title"}),
    "register_title": frozenset({"title"}),
    "cover_note": frozenset({"organiser", "audience", "source"}),
    "implications_for": frozenset({"tag"}),
    "source_by": frozenset({"author", "institution"}),
    "register_subtitle": frozenset({"title", "date", "copies"}),
}


@functools.lru_cache(maxsize=32)
def _read(path: str, shown: str, stamp: int, roots: tuple[Path, ...]) -> tuple[tuple[tuple[str, str, Location], ...], tuple[Problem, ...]]:
    node, problems = read_yaml(Path(path), shown, roots)
    labels: list[tuple[str, str, Location]] = []
    validator = Validator(default_language="en")  # labels reach the page: the rules of content text
    if node is not None and isinstance(node.value, dict):
        for key, value in node.value.items():
            text = validator.value(str, value, key)
            if text is not None:
                labels.append((key, text, value.location))
        problems += validator.problems
    elif node is not None:
        problems.append(Problem(node.location, "", "expected a mapping of label names to text"))
    return tuple(labels), tuple(problems)


def _merged(project: Project, language: str) -> tuple[dict[str, tuple[str, Location]], list[Problem]]:
    """The language's labels, the project's over the shipped ones, each with where it was set."""
    labels: dict[str, tuple[str, Location]] = {}
    problems: list[Problem] = []
    for path in reversed(project.labels(language)):
        read, found = _read(str(path), project.shown(path), path.stat().st_mtime_ns, project.input_roots())
        problems += found
        labels.update({key: (text, where) for key, text, where in read})
    return labels, problems


class Labels(dict[str, str]):
    """A language's labels, and where each was set (`where`), for errors about how they print."""

    where: dict[str, Location]


def load_labels(project: Project, language: str) -> Labels:
    if not project.labels(language):
        raise InputError([Problem(Location(f"templates/labels/{language}.yaml"), "",
                                  f"missing: translate templates/labels/{REFERENCE}.yaml into {language}")])
    labels, problems = _merged(project, language)
    if language != REFERENCE:
        reference, _ = _merged(project, REFERENCE)
        where = Location(project.shown(project.labels(language)[0]))
        problems += [Problem(where, key, f"no {language} label: translate it from {REFERENCE}.yaml")
                     for key in reference if key not in labels]
        problems += [Problem(at, key, "unknown label" + did_you_mean(key, reference, otherwise=None))
                     for key, (_, at) in labels.items() if key not in reference]
    problems += [problem for key, (text, at) in labels.items() for problem in _pattern_problems(key, text, at)]
    if problems:
        raise InputError(problems)
    loaded = Labels({key: text for key, (text, _) in labels.items()})
    loaded.where = {key: at for key, (_, at) in labels.items()}
    return loaded


def _pattern_problems(key: str, text: str, where: Location) -> list[Problem]:
    if key == "months":
        count = len(text.split())
        return [] if count == 12 else [Problem(where, key, f"name the 12 months separated by spaces, not {count}")]
    allowed = PATTERNS.get(key)
    if allowed is None:
        return []
    try:
        used = placeholders(text)
    except ValueError as exc:
        return [Problem(where, key, f"{exc}: write placeholders as {{name}} and braces as {{{{ }}}}")]
    unknown = sorted(used - allowed)
    if unknown:
        return [Problem(where, key, f"unknown placeholder {{{unknown[0]}}}: this label may use "
                                    + ", ".join(f"{{{name}}}" for name in sorted(allowed)))]
    return []
