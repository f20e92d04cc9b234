"""The tags implications and talking points may carry: the shipped and project vocabulary
(templates/tags.yaml, the project's file over the shipped one, tag by tag), and each content set's
own additions. A tag neither declares is a located error with a "did you mean"."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError, Location, Problem
from ..paths import NAME_RULE, Project, is_name
from .schema import Text, Validator
from .yamlfile import read_yaml

FILE = "tags.yaml"


@dataclass(frozen=True)
class Vocabulary:
    labels: dict[str, Text]   # tag → what it names, in each language
    where: dict[str, Location]

    def known(self, extra: dict[str, Text] | None = None) -> dict[str, Text]:
        return {**self.labels, **(extra or {})}


def load_vocabulary(project: Project) -> Vocabulary:
    labels: dict[str, Text] = {}
    where: dict[str, Location] = {}
    problems: list[Problem] = []
    for root in reversed(project.template_roots()):
        path = root / FILE
        if not path.is_file():
            continue
        shown = project.shown(path)
        node, found = read_yaml(path, shown, project.input_roots())
        problems += found
        if node is None:
            continue
        if not isinstance(node.value, dict):
            problems.append(Problem(node.location, "", "expected a mapping of tags to their labels"))
            continue
        validator = Validator(default_language="en")
        for tag, value in node.value.items():
            at = value.key_location or value.location
            if not is_name(tag):
                problems.append(Problem(at, tag, f"a tag uses {NAME_RULE}"))
                continue
            text = validator.value(Text, value, tag)
            if text is not None:
                labels[tag], where[tag] = text, at
        problems += validator.problems
    if problems:
        raise InputError(problems)
    return Vocabulary(labels, where)
