"""Reference tables generated from the schemas: every key of a profile and of each content file.

docs/audiences.md and docs/content-schema.md embed them. Each key comes with its type, whether it
is required or its default, and its meaning from the `doc(...)` metadata."""
from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, get_args, get_origin, get_type_hints

from ..inputs.model import CONTENT_FILES
from ..inputs.profile import Profile
from ..inputs.schema import EventDate, Refs, Slug, Text

_TYPES: dict[Any, str] = {Text: "text", str: "string", Slug: "id", Refs: "refs", int: "whole number",
                          float: "number", bool: "true/false", datetime.date: "date (YYYY-MM-DD)",
                          EventDate: "event date"}


def show(value: Any) -> str:
    """A value as `explain` prints it."""
    if value is None:
        return "none"
    if type(value).__name__ == "Text":
        return " | ".join(f"{lang}: {text!r}" for lang, text in value.values.items())
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def profile_reference() -> str:
    """Every profile key with its type, default and meaning, as Markdown (docs/audiences.md embeds it)."""
    lines = ["| key | default | meaning |", "|---|---|---|"]

    def walk(record: type, prefix: str) -> None:
        for spec in _fields(record):
            key = f"{prefix}{spec.name}"
            if spec.default_factory is not dataclasses.MISSING and dataclasses.is_dataclass(spec.default_factory):
                lines.append(f"| `{key}` | (mapping) | {spec.metadata.get('doc', '')} |")
                walk(spec.default_factory, key + ".")
                continue
            lines.append(f"| `{key}` | {_default(spec, show) or '(required)'} | {spec.metadata.get('doc', '')} |")

    walk(Profile, "")
    return "\n".join(lines)


def content_table(stem: str) -> str:
    """The keys of one content file (`summary` for summary.yaml), as a Markdown table: nested
    mappings as `key.child`, the items of a list of mappings as `key[].child`."""
    lines = ["| key | type | required | meaning |", "|---|---|---|---|"]

    def walk(record: type, prefix: str) -> None:
        hints = get_type_hints(record)
        for spec in _fields(record):
            hint, optional = _unwrap(hints[spec.name])
            default = _default(spec, _yaml) or ("none" if optional else "")
            required = f"optional (default: {default})" if default else "required"
            meaning = spec.metadata.get("doc", "").replace("|", "\\|")
            lines.append(f"| `{prefix}{spec.name}` | {_type_name(hint)} | {required} | {meaning} |")
            if _is_record(hint):
                walk(hint, f"{prefix}{spec.name}.")
            elif get_origin(hint) is list and _is_record(get_args(hint)[0]):
                walk(get_args(hint)[0], f"{prefix}{spec.name}[].")

    walk(CONTENT_FILES[stem], "")
    return "\n".join(lines)


def content_reference() -> str:
    """Every content file's table (`briefkit explain --content-keys`)."""
    return "\n\n".join(f"## {stem}.yaml\n\n{content_table(stem)}" for stem in CONTENT_FILES)


def _fields(record: type) -> list[dataclasses.Field]:
    return [spec for spec in dataclasses.fields(record) if not spec.metadata.get("internal")]


def _default(spec: dataclasses.Field, shown: Callable[[Any], str]) -> str:
    """The default, shown, or "" for a required key."""
    if spec.default is not dataclasses.MISSING:
        return shown(spec.default)
    if spec.default_factory is not dataclasses.MISSING:
        return shown(spec.default_factory())
    return ""


def _yaml(value: Any) -> str:
    """A default as it would be written in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "[]" if value == [] else show(value)


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """(the type, whether null is allowed) of X | None."""
    if get_origin(hint) in (typing.Union, types.UnionType):
        return next(arg for arg in get_args(hint) if arg is not type(None)), True
    return hint, False


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint not in _TYPES


def _type_name(hint: Any) -> str:
    if get_origin(hint) is list:
        item = get_args(hint)[0]
        return "list of mappings" if _is_record(item) else f"list of {_type_name(item)}s"
    if get_origin(hint) is Literal:
        return "one of " + ", ".join(str(arg) for arg in get_args(hint))
    if _is_record(hint):
        return "mapping"
    return _TYPES[hint]
