"""A date is stated once, in the timeline: people and facts name the events they mention (`events`),
and every date their texts write, in any language, must be a date of one of those events, the
source's or the public record's (`record_date`). A role that says "May 2019" for an event the
timeline dates to January is a located error, not a second version of the fact.

Dates are found with the language's own date pattern (labels: `date_month`, `months`) and as
four-digit years; a language without labels is checked for years only.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import Problem
from ..locales import Dates
from .model import ContentSet, Event
from .schema import EventDate, Text

YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def month_pattern(dates: Dates) -> re.Pattern[str]:
    """A month and year as the language writes them ("May 2019", "2019년 5월")."""
    names = "|".join(sorted((re.escape(name) for name in dates.months), key=len, reverse=True))
    pattern = re.escape(dates.month)
    for placeholder, group in (("month_number", r"(?P<number>\d{1,2})"), ("month", f"(?P<name>{names})"),
                               ("year", r"(?P<year>\d{4})")):
        pattern = pattern.replace(re.escape("{" + placeholder + "}"), group)
    return re.compile(pattern)


def written_dates(text: str, dates: Dates | None) -> Iterator[tuple[str, int, int | None]]:
    """(as written, year, month or None) for every date in a text."""
    taken: list[tuple[int, int]] = []
    if dates is not None:
        for match in month_pattern(dates).finditer(text):
            month = int(match["number"]) if match.groupdict().get("number") else dates.months.index(match["name"]) + 1
            taken.append(match.span())
            yield match[0], int(match["year"]), month
    for match in YEAR.finditer(text):
        if not any(start <= match.start() < end for start, end in taken):
            yield match[0], int(match[1]), None


def _agrees(year: int, month: int | None, date: EventDate) -> bool:
    if month is None:
        return date.start.year <= year <= date.end.year
    return date.precision in ("month", "day") and (date.start.year, date.start.month) == (year, month)


def _describe(event: Event) -> str:
    record = f", record {event.record_date.raw}" if event.record_date else ""
    return f"{event.id} {event.date.raw}{record}"


def date_problems(content: ContentSet, dates: Mapping[str, Dates]) -> list[Problem]:
    """Every date a person or fact that names events writes, checked against those events."""
    events = {event.id: event for event in content.timeline.events}
    problems: list[Problem] = []
    items: list[tuple[str, int, Any]] = [*(("people", i, p) for i, p in enumerate(content.people.people)),
                                         *(("facts", i, f) for i, f in enumerate(content.facts.facts))]
    for key, index, item in items:
        named = [events[name] for name in item.events if name in events]  # unknown ids: see cross_check
        if not named:
            continue
        known = [date for event in named for date in (event.date, event.record_date) if date is not None]
        for field_name in ("value", "label", "text", "role", "note", "period"):
            text = getattr(item, field_name, None)
            if not isinstance(text, Text):
                continue
            for language, words in text.values.items():
                for written, year, month in written_dates(words, dates.get(language)):
                    if not any(_agrees(year, month, date) for date in known):
                        problems.append(Problem(
                            text.located(language, "")[0], f"{key}[{index}].{field_name}.{language}",
                            f"writes '{written}', which is no date of the events it names "
                            f"({'; '.join(_describe(event) for event in named)}): the timeline holds each date "
                            "once, so correct the date here or there, or name the event it means in `events`"))
    return problems
