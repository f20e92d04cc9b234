"""Dated entries counted per period, for the fact sheet's chart: by year, five years, decade,
quarter-century, half-century or century.

By default (`auto`) the period follows the spread of the dates: the chart aims at about as many
bars as Sturges' rule gives for the number of entries (1 + log2 n), and a bar that would stay
empty counts against a period, so entries clustered in a few years are counted by year, and a
lone early entry does not stretch the chart into a row of empty decades. Periods start at round
years (1975–1979, 2000–2024). Pure data: the labels come from the language's labels file.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Bucket = Literal["auto", "year", "five-years", "decade", "quarter-century", "half-century", "century"]
SIZES: dict[str, int] = {"year": 1, "five-years": 5, "decade": 10, "quarter-century": 25, "half-century": 50,
                         "century": 100}
MOST_BARS = 24      # a chosen period may make at most this many bars
AUTO_MOST_BARS = 12  # auto never makes more
EMPTY_WEIGHT = 0.5   # what an empty bar costs auto, against one bar away from its aim


@dataclass(frozen=True)
class Period:
    start: int   # first year
    size: int    # in years
    count: int   # entries (with their occurrences) dated in it

    @property
    def end(self) -> int:
        return self.start + self.size - 1


def size_for(years: list[int], bucket: str) -> int:
    """The period length in years: the one asked for, or the one that suits the dates."""
    if bucket != "auto":
        return SIZES[bucket]
    aim = 1 + math.log2(len(years))
    best: tuple[float, int] | None = None
    for size in SIZES.values():
        bars = max(years) // size - min(years) // size + 1
        if bars > AUTO_MOST_BARS and size != max(SIZES.values()):
            continue
        empty = bars - len({year // size for year in years})
        score = abs(bars - aim) + EMPTY_WEIGHT * empty
        if best is None or score < best[0] - 1e-9:
            best = (score, size)
    assert best is not None
    return best[1]


def count_periods(entries: Iterable[tuple[int, int]], bucket: str = "auto") -> list[Period]:
    """Every period from the first entry's to the last's, empty ones included; `entries` are
    (year, how many occurrences it stands for)."""
    entries = list(entries)
    if not entries:
        return []
    years = [year for year, _ in entries]
    size = size_for(years, bucket)
    counts: dict[int, int] = {}
    for year, weight in entries:
        counts[year // size * size] = counts.get(year // size * size, 0) + weight
    first, last = min(counts), max(counts)
    return [Period(start, size, counts.get(start, 0)) for start in range(first, last + 1, size)]
