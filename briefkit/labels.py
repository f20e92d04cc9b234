"""The words templates print around the content, per language: templates/labels/<lang>.yaml.

English is the reference: every other language must define every English key, and a missing
or unknown key is a located error, never an English word in a Korean document.
"""
from __future__ import annotations

import difflib
import functools
from pathlib import Path

from .errors import InputError, Location, Problem
from .yamlfile import read_yaml

REFERENCE = "en"


@functools.lru_cache(maxsize=16)
def _read(folder: str, language: str, stamp: float) -> tuple[dict[str, str], tuple[Problem, ...]]:
    shown = f"templates/labels/{language}.yaml"
    node, problems = read_yaml(Path(folder) / f"{language}.yaml", shown)
    labels: dict[str, str] = {}
    if node is not None and isinstance(node.value, dict):
        for key, value in node.value.items():
            if isinstance(value.value, str):
                labels[key] = value.value
            else:
                problems.append(Problem(value.location, key, "expected text"))
    elif node is not None:
        problems.append(Problem(node.location, "", "expected a mapping of label names to text"))
    return labels, tuple(problems)


def load_labels(project: Path, language: str) -> dict[str, str]:
    folder = project / "templates" / "labels"
    path = folder / f"{language}.yaml"
    if not path.is_file():
        raise InputError([Problem(Location(f"templates/labels/{language}.yaml"), "",
                                  f"missing: translate templates/labels/{REFERENCE}.yaml into {language}")])
    labels, problems = _read(str(folder), language, path.stat().st_mtime_ns)
    problems = list(problems)
    if language != REFERENCE:
        reference, _ = _read(str(folder), REFERENCE, (folder / f"{REFERENCE}.yaml").stat().st_mtime_ns)
        where = Location(f"templates/labels/{language}.yaml")
        for key in reference:
            if key not in labels:
                problems.append(Problem(where, key, f"no {language} label: translate it from {REFERENCE}.yaml"))
        for key in labels:
            if key not in reference:
                hint = difflib.get_close_matches(key, list(reference), n=1)
                problems.append(Problem(where, key, "unknown label" + (f" (did you mean '{hint[0]}'?)" if hint else "")))
    if problems:
        raise InputError(problems)
    return labels
