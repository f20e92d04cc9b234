"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader still accepts duplicate keys (the last one silently wins) and expands
aliases (an "alias bomb" grows exponentially). We compose the node graph ourselves instead, so
every value carries its file:line:column, duplicates and aliases are errors, and only the plain
YAML scalar tags are accepted: a `!!python/...` tag is reported, never executed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import reads
from ..errors import Location, Problem
from .files import YAML_BYTES, Unreadable, read_input

@dataclass
class Node:
    """A YAML value (dict of str → Node, list of Node, or a scalar) with its location."""

    value: object
    location: Location
    key_location: Location | None = None  # for mapping values: where their key was written


_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


# libyaml's parser is about ten times faster than the pure-Python one; both compose an alias as a
# reference to the node already built (no expansion), and _convert refuses the second visit.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _anchors(text: str, file: str) -> list[Problem]:
    """Anchors (&name) are refused even when unused: content files write every value out."""
    return [Problem(_location(file, event.start_mark), "", f"anchor &{anchor} is not supported: remove it")
            for event in yaml.parse(text, Loader=_Loader)
            if not isinstance(event, yaml.AliasEvent) and (anchor := getattr(event, "anchor", None))]


def _tab_at(text: str, mark: yaml.Mark | None) -> bool:
    lines = text.splitlines()
    return mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]


class _Stop(Exception):
    """Stops the walk at the first alias (walking on could take exponential time) or once a file
    holds more values than MAX_NODES."""


MAX_NODES = 200_000  # values in one file: 5,000 meeting recipients of four fields are some 40,000


def _location(file: str, mark: Any) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


def read_yaml(path: Path, shown_as: str, roots: Sequence[Path]) -> tuple[Node | None, list[Problem]]:
    """Read one YAML file, which must lie inside `roots` (files.py); returns its root node (None
    if unusable) and the problems found."""
    try:
        raw = read_input(path, roots, YAML_BYTES, "a YAML file")
    except Unreadable as exc:
        return None, [Problem(Location(shown_as), "", str(exc))]
    reads.note(path, raw)  # keys are taken over these bytes, not over the file as it is later
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(Location(shown_as, line, column), "", "is not valid UTF-8: save the file as UTF-8")
        ]
    return parse_yaml(text, shown_as)


def parse_yaml(text: str, shown_as: str) -> tuple[Node | None, list[Problem]]:
    """Parse YAML text into located nodes."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if _tab_at(text, exc.problem_mark):
            what = "a tab character: YAML indents with spaces only, replace the tab"
            return None, [Problem(_location(shown_as, exc.problem_mark), "", f"YAML syntax: {what}")]
        return None, [_syntax_problem(text, shown_as, exc, what)]
    except yaml.YAMLError as exc:  # ReaderError: a forbidden character such as NUL
        position = getattr(exc, "position", None)
        where = Location(shown_as)
        if position is not None:
            before = text[:position]
            where = Location(shown_as, before.count("\n") + 1, position - before.rfind("\n"))
        reason = getattr(exc, "reason", "cannot be read")
        return None, [Problem(where, "", f"YAML: {reason}; remove control characters")]
    except RecursionError:
        return None, [Problem(Location(shown_as), "", "YAML is nested too deeply")]
    finally:
        loader.dispose()
    if root is None:
        return None, [Problem(Location(shown_as), "", "is empty: expected a mapping of keys")]
    problems: list[Problem] = _anchors(text, shown_as) if "&" in text else []
    try:
        node = _convert(root, loader, shown_as, problems, set())
    except RecursionError:
        return None, [Problem(Location(shown_as), "", "YAML is nested too deeply")]
    except _Stop:
        return None, problems
    return node, problems


def _syntax_problem(text: str, file: str, exc: yaml.MarkedYAMLError, what: str) -> Problem:
    """A syntax error where it was made, not where the parser noticed it: a key without its
    colon is noticed on a later line (the key ran on into the next line as text)."""
    mark = exc.problem_mark
    if exc.context == "while scanning a simple key" and exc.context_mark is not None:
        return Problem(_location(file, exc.context_mark), "", f"YAML syntax: {what} after this key")
    if mark is not None and what.startswith("mapping values are not allowed"):
        lines = text.splitlines()
        start = None
        for index in range(mark.line - 1, -1, -1):
            line = lines[index].strip() if index < len(lines) else ""
            if not line or line.startswith("#"):
                if start is None:
                    continue
                break
            item = line.startswith("- ")  # the first key of a list item
            body = line[2:] if item else line
            if ": " in body or body.endswith(":"):
                break
            start = index
            if item:
                break
        if start is not None:
            column = len(lines[start]) - len(lines[start].lstrip()) + 1
            column += 2 if lines[start].lstrip().startswith("- ") else 0
            return Problem(Location(file, start + 1, column), "",
                           f"YAML syntax: no ':' after the key on this line (the parser stopped at line "
                           f"{mark.line + 1}, column {mark.column + 1}: {what})")
    return Problem(_location(file, mark), "", f"YAML syntax: {what}")


def _convert(node: yaml.Node, loader: yaml.SafeLoader, file: str, problems: list[Problem], seen: set[int]) -> Node:
    where = _location(file, node.start_mark)
    if id(node) in seen:
        problems.append(Problem(where, "", "this value is anchored (&name) and reused by an alias (*name): "
                                           "aliases are not supported, write the value out"))
        raise _Stop
    seen.add(id(node))
    if len(seen) > MAX_NODES:
        problems.append(Problem(where, "", f"holds more than {MAX_NODES:,} values, more than a file written by hand; "
                                           "split it, or check that it is the file you meant"))
        raise _Stop
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(where, "", f"the tag {node.tag!r} is not allowed: content is data only"))
        return Node(None, where)
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key_where = _location(file, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(key_where, "", "keys must be plain names"))
                continue
            key = str(key_node.value)
            if key in mapping:
                first = mapping[key].location
                problems.append(
                    Problem(key_where, key, f"duplicate key (first given at line {first.line}): keep one")
                )
                continue
            converted = _convert(value_node, loader, file, problems, seen)
            converted.key_location = key_where
            mapping[key] = converted
        return Node(mapping, where)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, loader, file, problems, seen) for item in node.value], where)
    try:
        return Node(loader.construct_object(node, deep=True), where)
    except (yaml.YAMLError, ValueError) as exc:
        too_long = isinstance(node.value, str) and "digits" in str(exc)  # Python reads at most 4,300 digits
        problems.append(Problem(where, "", f"a number of {len(node.value):,} digits is too large: a count here "
                                           "is a small whole number" if too_long else f"invalid value: {exc}"))
        return Node(None, where)
