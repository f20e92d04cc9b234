"""Typed attributes of the page markup: each reads its text into a value or says what is wrong.

An element declares its attributes with these types; the registry checks every attribute of every
element once, after parsing, so a template that writes `<spacer height="big"/>` gets a located
error naming the element, the attribute and what it accepts, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..inputs.schema import EventDate


@dataclass(frozen=True)
class Attribute:
    """Base: plain text. `required` attributes must be given; others fall back to `default`."""

    doc: str
    default: Any = None
    required: bool = False

    kind = "text"

    def read(self, text: str) -> Any:
        return text

    def describe(self) -> str:
        return self.doc


class Text(Attribute):
    def __init__(self, doc: str, default: str = "", required: bool = False) -> None:
        super().__init__(doc, default, required)


@dataclass(frozen=True)
class Number(Attribute):
    minimum: float | None = None
    maximum: float | None = None
    kind = "number"

    def read(self, text: str) -> Any:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected a number such as 4.5, not '{text}'") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"expected a finite number, not '{text}'")
        return self._in_range(value, text)

    def _in_range(self, value: Any, text: str) -> Any:
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {self.minimum:g}, not {text}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be at most {self.maximum:g}, not {text}")
        return value


@dataclass(frozen=True)
class Length(Number):
    """A length in millimetres."""

    minimum: float | None = 0
    maximum: float | None = 500
    kind = "length in mm"

    def read(self, text: str) -> Any:
        try:
            return super().read(text)
        except ValueError as exc:
            raise ValueError(str(exc).replace("a number such as 4.5", "a length in mm such as 4.5")) from None


@dataclass(frozen=True)
class Integer(Number):
    kind = "integer"

    def read(self, text: str) -> Any:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"expected a whole number, not '{text}'") from None
        return self._in_range(value, text)


@dataclass(frozen=True)
class Choice(Attribute):
    choices: tuple[str, ...] = ()
    kind = "choice"

    def read(self, text: str) -> Any:
        if text not in self.choices:
            raise ValueError(f"must be {_either(self.choices)}, not '{text}'")
        return text


@dataclass(frozen=True)
class Flag(Attribute):
    """yes or no; absent means no."""

    default: Any = False
    kind = "flag"

    def read(self, text: str) -> Any:
        if text not in ("yes", "no"):
            raise ValueError(f"must be yes or no, not '{text}'")
        return text == "yes"


@dataclass(frozen=True)
class Widths(Attribute):
    """Relative widths separated by spaces, e.g. '63 37'."""

    kind = "widths"

    def read(self, text: str) -> Any:
        try:
            widths = [float(part) for part in text.split()]
        except ValueError:
            raise ValueError(f"expected relative widths separated by spaces such as '2 1', not '{text}'") from None
        if not widths or any(not 0 < w < float("inf") for w in widths):
            raise ValueError(f"expected positive relative widths such as '2 1', not '{text}'")
        return widths


@dataclass(frozen=True)
class Date(Attribute):
    """A date as content writes it: 1978, 1978-05, 1978-05-14, 1960s or 2010/2011."""

    kind = "date"

    def read(self, text: str) -> Any:
        return EventDate.parse(text)


def _either(choices: tuple[str, ...]) -> str:
    quoted = [f"'{choice}'" for choice in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
