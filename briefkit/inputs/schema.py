"""Validate located YAML nodes into typed dataclasses, collecting every problem.

A record is a dataclass; its fields' type hints are the schema and `doc(...)` metadata is its
documentation. Supported field types: str, int, bool, date, Text (translatable), Refs (locators),
Slug, EventDate, Literal[...], list[X], X | None, and nested records. Unknown keys are errors with
a "did you mean" hint; so are missing required keys and wrong types.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import types
import unicodedata
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin, get_type_hints

from ..errors import Location, Problem, closest, did_you_mean
from ..paths import NAME, NAME_RULE
from .yamlfile import Node

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
LOCATOR = re.compile(r"^p([1-9][0-9]*)$")


def doc(text: str, default: Any = dataclasses.MISSING, **kwargs: Any) -> Any:
    """A dataclass field with documentation (and an optional default)."""
    if default is dataclasses.MISSING and "default_factory" not in kwargs:
        return field(metadata={"doc": text}, **kwargs)
    return field(default=default, metadata={"doc": text}, **kwargs)


def where_field() -> Any:
    """The record's own location; filled in by the validator, not read from YAML."""
    return field(default=Location(""), compare=False, repr=False, metadata={"internal": True})


def values_where_field() -> Any:
    """Where each of the record's keys had its value written, and its key path (key → (location,
    path)), for rules that run after validation and must point at one value; filled in by the
    validator."""
    return field(default_factory=dict, compare=False, repr=False, metadata={"internal": True})


@dataclass(frozen=True)
class Text:
    """Text in one or more languages; a plain YAML string is in the set's default language."""

    values: dict[str, str]
    location: Location
    # where each language's text was written, when the text is a mapping of languages
    locations: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def in_language(self, language: str) -> str | None:
        return self.values.get(language)

    def located(self, language: str, path: str) -> tuple[Location, str]:
        """Where one language's text was written, and its key path (`headline.ko`)."""
        where = self.locations.get(language)
        return (where, f"{path}.{language}") if where is not None else (self.location, path)


class Slug(str):
    """An identifier: lower-case letters, digits, - and _. One read from YAML knows where it was
    written, so a reference to an id that does not exist is reported at the reference."""

    location: Location | None = None


@dataclass(frozen=True)
class Refs:
    """Source locators (pN) an item rests on."""

    paragraphs: tuple[int, ...]
    location: Location

    def __str__(self) -> str:
        return ", ".join(f"p{n}" for n in self.paragraphs)


@dataclass(frozen=True)
class EventDate:
    """A date at the precision the source gives: year, month, day, decade or a span of years."""

    raw: str
    precision: Literal["day", "month", "year", "decade", "span"]
    start: datetime.date
    end: datetime.date

    @classmethod
    def parse(cls, raw: str) -> "EventDate":
        if m := re.fullmatch(r"(\d{4})s", raw):
            year = int(m[1])
            if year % 10:
                raise ValueError("a decade is written like 1960s")
            return cls(raw, "decade", datetime.date(year, 1, 1), datetime.date(year + 9, 12, 31))
        if m := re.fullmatch(r"(\d{4})/(\d{4})", raw):
            first, last = int(m[1]), int(m[2])
            if last <= first:
                raise ValueError("a span's second year must come after its first")
            return cls(raw, "span", datetime.date(first, 1, 1), datetime.date(last, 12, 31))
        if re.fullmatch(r"\d{4}", raw):
            year = int(raw)
            return cls(raw, "year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            start = datetime.date.fromisoformat(raw + "-01")
            following = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return cls(raw, "month", start, following - datetime.timedelta(days=1))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = datetime.date.fromisoformat(raw)
            return cls(raw, "day", day, day)
        raise ValueError('write a date as "1978", "1978-05", "1978-05-14", "1960s" or "2010/2011"')


class Validator:
    """Turns nodes into records; one instance per file, problems accumulate in `problems`."""

    def __init__(self, default_language: str, salvage: bool = False):
        self.default_language = default_language
        self.problems: list[Problem] = []
        # salvage: a record with problems is still made, its bad or missing values None (or their
        # defaults) and its bad list items left out, so the rules that span files can run on the
        # rest and every problem is reported in one run. The problems make the load fail anyway.
        self.salvage = salvage
        self.locations: dict[str, dict[str, Location]] = {}  # key path → file → where its value was written

    def problem(self, where: Location, path: str, message: str) -> None:
        self.problems.append(Problem(where, path, message))

    def place(self, problems: list[Problem]) -> list[Problem]:
        """Problems found after validation, by rules that span records (an unknown lane, a
        duplicate id), moved from the record to the value their key path names, when that value
        was written in the problem's file (or, for a merged profile, in one file only)."""
        placed = []
        for found in problems:
            files = self.locations.get(found.path, {})
            where = files.get(found.location.file) or (next(iter(files.values())) if len(files) == 1 else None)
            placed.append(dataclasses.replace(found, location=where) if where else found)
        return placed

    def record(self, cls: type, node: Node, path: str) -> Any:
        """Validate a mapping node into `cls`; returns None when it is unusable."""
        if not isinstance(node.value, dict):
            self.problem(node.location, path, f"expected a mapping of keys, got {_kind(node.value)}")
            return None
        hints = get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
        values: dict[str, Any] = {}
        ok = True
        misspelt: set[str] = set()  # required keys an unknown key is a near miss of: one problem, not two
        for key, child in node.value.items():
            if key not in fields:
                self.problem(child.key_location or child.location, _join(path, key),
                             "unknown key" + did_you_mean(key, fields, "allowed"))
                misspelt.add(closest(key, fields) or "")
                ok = False
                continue
            values[key] = self.value(hints[key], child, _join(path, key))
            ok = ok and (values[key] is not None or child.value is None)
        for name, spec in fields.items():
            required = spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            if name not in values and required:
                if name not in misspelt:  # the mapping lacks it: named and shown by its own path and line
                    about = f" ({spec.metadata['doc']})" if spec.metadata.get("doc") else ""
                    self.problem(_named_at(node), path, f"missing required key '{name}': add it{about}")
                ok = False
            elif name in values and values[name] is None and required:
                ok = False
        if not ok:
            if not self.salvage:
                return None
            values = {name: values[name] if values.get(name) is not None else _default(spec)
                      for name, spec in fields.items()}
        instance = cls(**values)
        internal = {f.name for f in dataclasses.fields(cls)}
        if "where" in internal:
            object.__setattr__(instance, "where", node.location)
        if "values_where" in internal:
            object.__setattr__(instance, "values_where", {key: (child.location, _join(path, key))
                                                          for key, child in node.value.items()})
        return instance

    def value(self, hint: Any, node: Node, path: str) -> Any:
        where = _named_at(node)
        self.locations.setdefault(path, {})[where.file] = where
        origin, args = get_origin(hint), get_args(hint)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if node.value is None:
                return None
            return self.value(inner[0], node, path)
        if origin is list:
            if not isinstance(node.value, list):
                self.problem(node.location, path, f"expected a list, got {_kind(node.value)}")
                return None
            items = [self.value(args[0], item, f"{path}[{i}]") for i, item in enumerate(node.value)]
            if self.salvage:
                return [item for item in items if item is not None]
            return None if any(item is None for item in items) else items
        if origin is Literal:
            if node.value not in args:
                more = did_you_mean(str(node.value), [str(a) for a in args], otherwise=None)
                self.problem(node.location, path, f"must be one of {', '.join(map(str, args))}{more}")
                return None
            return node.value
        if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint not in _SCALARS:
            return self.record(hint, node, path)
        converter = _SCALARS.get(hint)
        if converter is None:
            raise TypeError(f"schema uses an unsupported type: {hint!r}")
        try:
            return converter(self, node)
        except _Within as exc:
            self.problem(exc.location, f"{path}.{exc.key}", str(exc))
            return None
        except ValueError as exc:
            self.problem(node.location, path, str(exc))
            return None


def _named_at(node: Node) -> Location:
    """Where a value is shown: a block list or mapping, which starts on the line after its key,
    at its key; anything else where it starts."""
    if isinstance(node.value, (list, dict)) and node.key_location and node.key_location.line != node.location.line:
        return node.key_location
    return node.location


def _default(spec: dataclasses.Field) -> Any:
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return None if spec.default is dataclasses.MISSING else spec.default


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(type(value), type(value).__name__)


CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_TEXT_LENGTH = 5000  # characters in one text field: far beyond any page, short of a pasted essay


def _string(_: Validator, node: Node) -> str:
    if not isinstance(node.value, str):
        raise ValueError(f"expected text, got {_kind(node.value)} (put it in quotes)")
    if not node.value.strip():
        raise ValueError("must not be empty")
    if bad := CONTROL_CHARACTER.search(node.value):
        raise ValueError(f"contains the control character U+{ord(bad[0]):04X} at position {bad.start() + 1}: remove it")
    if len(node.value) > MAX_TEXT_LENGTH:
        raise ValueError(f"is {len(node.value):,} characters long; a text field holds at most {MAX_TEXT_LENGTH:,}")
    for position, character in enumerate(node.value, start=1):
        if unicodedata.category(character) == "Cf" and character != "\u00ad":
            name = unicodedata.name(character, "a formatting character")
            raise ValueError(f"contains the invisible character U+{ord(character):04X} ({name}) at position "
                             f"{position}: remove it (it would print as nothing, or change the text direction)")
    return node.value


class _Within(ValueError):
    """A value inside a scalar's mapping (one language of a text) is wrong: located at it."""

    def __init__(self, message: str, location: Location, key: str) -> None:
        super().__init__(message)
        self.location, self.key = location, key


# A run of characters with no place to break a line (scripts written without spaces break
# anywhere, so CJK is not counted): longer than this, it is not a word a column can hold.
LONGEST_WORD = 100
_UNBROKEN = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{%d,}" % (LONGEST_WORD + 1))


def _prose(validator: Validator, node: Node) -> str:
    """Text printed as running prose: a content text, plus no word longer than a line."""
    text = _string(validator, node)
    if word := _UNBROKEN.search(text):
        raise ValueError(f"the word '{word[0][:20]}…' at position {word.start() + 1} is {len(word[0]):,} characters "
                         f"long: no line of a page holds it; break it with spaces (at most {LONGEST_WORD} characters)")
    return text


def _text(validator: Validator, node: Node) -> Text:
    if isinstance(node.value, str):
        return Text({validator.default_language: _prose(validator, node)}, node.location)
    if isinstance(node.value, dict) and node.value:
        values, locations = {}, {}
        for language, child in node.value.items():
            if not LANGUAGE_CODE.match(language):
                raise ValueError(f"'{language}' is not a language code such as en or ko")
            try:
                values[language] = _prose(validator, child)
            except ValueError as exc:
                raise _Within(str(exc), child.location, language) from None
            locations[language] = child.location
        return Text(values, node.location, locations)
    raise ValueError(f"expected text or a mapping of language to text, got {_kind(node.value)}")


def _slug(validator: Validator, node: Node) -> Slug:
    value = _string(validator, node)
    if not NAME.match(value):
        raise ValueError(f"'{value}' is not an id: use {NAME_RULE}")
    slug = Slug(value)
    slug.location = node.location
    return slug


def _refs(_: Validator, node: Node) -> Refs:
    items = node.value if isinstance(node.value, list) else None
    if not items:
        raise ValueError("expected a list of at least one locator such as [p7]")
    paragraphs = []
    for item in items:
        match = LOCATOR.match(str(item.value)) if isinstance(item.value, str) else None
        if not match:
            raise ValueError(f"'{item.value}' is not a locator: write pN, e.g. p7")
        paragraphs.append(int(match[1]))
    return Refs(tuple(paragraphs), node.location)


LARGEST_NUMBER = 1_000_000  # every number in content and profiles is a count: far below this


def _integer(_: Validator, node: Node) -> int:
    if isinstance(node.value, bool) or not isinstance(node.value, int):
        raise ValueError(f"expected a whole number, got {_kind(node.value)}")
    if abs(node.value) > LARGEST_NUMBER:
        raise ValueError(f"{_short_number(node.value)} is too large: a count here is a small whole number "
                         f"(at most {LARGEST_NUMBER:,})")
    return node.value


def _short_number(value: float) -> str:
    """A number as a message quotes it: a 4,000-digit number is not printed whole."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 20 else f"a number of {len(text.lstrip('-')):,} digits"


def _boolean(_: Validator, node: Node) -> bool:
    if not isinstance(node.value, bool):
        raise ValueError(f"expected true or false, got {_kind(node.value)}")
    return node.value


def _date(_: Validator, node: Node) -> datetime.date:
    if not isinstance(node.value, datetime.date) or isinstance(node.value, datetime.datetime):
        raise ValueError("expected a date written as YYYY-MM-DD")
    return node.value


def _event_date(validator: Validator, node: Node) -> EventDate:
    if isinstance(node.value, int):
        raise ValueError(f'put the date in quotes: "{node.value}"')
    return EventDate.parse(_string(validator, node))


def _number(_: Validator, node: Node) -> float:
    if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
        raise ValueError(f"expected a number, got {_kind(node.value)}")
    if isinstance(node.value, int) and abs(node.value) > LARGEST_NUMBER or \
            not abs(float(node.value)) <= LARGEST_NUMBER:  # also .nan and .inf
        raise ValueError(f"{_short_number(node.value)} is out of range: expected a number such as 1.0")
    return float(node.value)


_SCALARS = {
    str: _string,
    Text: _text,
    Slug: _slug,
    Refs: _refs,
    int: _integer,
    float: _number,
    bool: _boolean,
    datetime.date: _date,
    EventDate: _event_date,
}
