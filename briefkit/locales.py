"""Per-language rules in one place: script metrics, dates and typographic quotes.

The words themselves (month names, date patterns, every label printed around the content) live
in templates/labels/<language>.yaml; this module holds the rules that apply them. A language
without a rule of its own here is set like Latin text.
"""
from __future__ import annotations

import datetime
import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    """How a writing system is set: its fonts, and its type metrics relative to the house style."""

    name: str                  # the font set the script is printed in (see render/fonts.py)
    size: float                # body size relative to the house size
    line_height: float         # leading as a multiple of the size
    readable_minimum: float    # pt: fit-to-page never shrinks body text below this


LATIN = Script("latin", size=1.0, line_height=1.34, readable_minimum=8.6)
# Hangul fills its em square: set a little smaller with more air, and 8 pt reads like Latin 8.6 pt.
HANGUL = Script("hangul", size=0.94, line_height=1.62, readable_minimum=8.0)
_SCRIPTS = {"ko": HANGUL}


def script_for(language: str) -> Script:
    return _SCRIPTS.get(language.split("-")[0], LATIN)


# A run of letters in another script than the document's is another language: read as the
# language its script is taken for here (Hangul in an English brief is Korean; Latin letters in
# the Korean edition, names and acronyms from the English record, are English).
_LETTERS = {"hangul": "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f",
            "latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"}  # Basic Latin to Latin Extended-B
_SCRIPT_LANGUAGE = {"hangul": "ko", "latin": "en"}
# Letters in a row that make a word worth a language of its own: a Hangul syllable is one; a lone
# Latin letter is a locator (p21) or an initial (U.S.), read well enough in the document's voice.
_WORD = {"hangul": 1, "latin": 2}


@functools.lru_cache(maxsize=None)
def _stretches(own: str) -> tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]:
    """For a document in the script `own`: a pattern per other script matching a stretch from one
    of its letters to the last before a letter of `own` (with the digits its first and last words
    are written with), one matching a word in it, and the language the stretch is taken to be in."""
    found = []
    for script, letters in _LETTERS.items():
        if script != own:
            others = "".join(chars for name, chars in _LETTERS.items() if name != script)
            pattern = rf"\d*[{letters}](?:[^{others}]*[{letters}])?\d*"
            word = re.compile(rf"[{letters}]{{{_WORD[script]}}}")
            found.append((re.compile(pattern), word, _SCRIPT_LANGUAGE[script]))
    return tuple(found)


@functools.lru_cache(maxsize=4096)  # a document's texts are set again at every scale it is tried at
def language_spans(text: str, language: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, language) of each stretch of `text` in another script than `language`'s:
    from its first letter in that script to its last, taking in the spaces, digits and
    punctuation between them ("Kim Jong-un" is one stretch), and the digits its first and last
    words are written with ("KN25"); a stretch with no word in it ("p21", "U.S.", "G7") is not one."""
    spans = [(match.start(), match.end(), other) for pattern, word, other in _stretches(script_for(language).name)
             for match in pattern.finditer(text) if word.search(match.group())]
    return tuple(sorted(spans))


# Date patterns, with the placeholders each may use. Their words come from the labels file.
DATE_PATTERNS: dict[str, frozenset[str]] = {
    "date_day": frozenset({"day", "month", "month_number", "year"}),
    "date_month": frozenset({"month", "month_number", "year"}),
    "date_year": frozenset({"year"}),
    "date_decade": frozenset({"decade"}),
    "date_span": frozenset({"start", "end"}),
    "decade": frozenset({"decade"}),
    "chart_year": frozenset({"year"}),
    "chart_span": frozenset({"start", "end", "end_short"}),
}


def placeholders(pattern: str) -> set[str]:
    """The {names} a label pattern uses (a malformed pattern raises ValueError)."""
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}


@dataclass(frozen=True)
class Dates:
    """A language's way of writing dates, from its labels: "3 December 2026", "2026년 12월 3일"."""

    months: tuple[str, ...]
    day: str
    month: str
    year: str
    decade_text: str    # a decade in running text: "the 1960s"
    decade_label: str   # a decade as a chart label: "1960s"
    span: str
    chart_year: str     # a year as a chart label: "2018"
    chart_span: str     # years as a chart label: "1975–79"

    @classmethod
    def from_labels(cls, labels: Mapping[str, str]) -> Dates:
        return cls(tuple(labels["months"].split()), labels["date_day"], labels["date_month"], labels["date_year"],
                   labels["date_decade"], labels["decade"], labels["date_span"], labels["chart_year"],
                   labels["chart_span"])

    def long(self, day: datetime.date) -> str:
        return self.day.format(day=day.day, month=self.months[day.month - 1], month_number=day.month, year=day.year)

    def event(self, precision: str, start: datetime.date, end: datetime.date) -> str:
        """A date at the precision the source gives: "May 1978", "the 1960s", "2010–2011"."""
        if precision == "decade":
            return self.decade_text.format(decade=start.year)
        if precision == "span":
            return self.span.format(start=start.year, end=end.year)
        if precision == "month":
            return self.month.format(month=self.months[start.month - 1], month_number=start.month, year=start.year)
        if precision == "day":
            return self.long(start)
        return self.year.format(year=start.year)

    def decade(self, year: int) -> str:
        return self.decade_label.format(decade=year)

    def period(self, start: int, size: int) -> str:
        """A chart's period: "2018", "1970s", "1975–79" (in the language's own words)."""
        if size == 1:
            return self.chart_year.format(year=start)
        if size == 10 and start % 10 == 0:
            return self.decade(start)
        end = start + size - 1
        return self.chart_span.format(start=start, end=end, end_short=f"{end % 100:02d}")


_DOUBLE_OPENING = re.compile(r'(^|[\s(\[{\u2014\u2013/-])"')
_SINGLE_OPENING = re.compile(r"(^|[\s(\[{\u2014\u2013/-])'")


def smart_quotes(text: str) -> str:
    """Typographic quotes and apostrophes for straight ones typed in content."""
    text = _DOUBLE_OPENING.sub("\\1\u201c", text)
    text = _SINGLE_OPENING.sub("\\1\u2018", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")
