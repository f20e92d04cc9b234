"""Document kinds: the template that renders each, its page range, and what its checks demand."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..locales import smart_quotes
from .model import ContentSet
from .periods import count_periods

# Localized content (file name → data) → texts that must appear in the PDF's extracted text.
RequiredTexts = Callable[[dict], list[str]]
# A content set → why this kind cannot be made of it, or None when it can.
Unmakeable = Callable[[ContentSet], "str | None"]
# A content set → what this kind makes of it that says little (made anyway; said and recorded).
Thin = Callable[[ContentSet], "list[str]"]
FEWEST_BARS = 3  # a chart of fewer bars compares next to nothing


def _nothing(_: dict) -> list[str]:
    return []


def _event_titles(content: dict) -> list[str]:
    return [smart_quotes(event["title"]) for event in content["timeline"]["events"]]


def _always(_: ContentSet) -> str | None:
    return None


def _no_events(content: ContentSet) -> str | None:
    return None if content.timeline.events else "the set has no dated events (timeline.yaml events)"


def _nothing_thin(_: ContentSet) -> list[str]:
    return []


def _few_bars(content: ContentSet) -> list[str]:
    """The fact sheet's chart, when its lane's dates make fewer than FEWEST_BARS bars."""
    plan = content.summary.factsheet
    if plan.chart_lane is None:
        return []
    periods = count_periods(((event.date.start.year, event.occurrences) for event in content.timeline.events
                             if event.lane == plan.chart_lane), plan.chart_bucket)
    if not periods or len(periods) >= FEWEST_BARS:
        return []
    size = f"{periods[0].size} years" if periods[0].size > 1 else "a year"
    return [f"factsheet.chart_lane: the {plan.chart_lane} lane's dates make {len(periods)} bar{'s' if len(periods) > 1 else ''} "
            f"of {size} ({periods[0].start}–{periods[-1].end}): a chart of fewer than {FEWEST_BARS} "
            "compares next to nothing; date more events in the lane, choose a shorter period (chart_bucket), or "
            "leave the chart out (remove chart_lane)"]


def _glossary_terms(content: dict) -> list[str]:
    return [smart_quotes(term["term"]) for term in content["glossary"]["terms"]]


@dataclass(frozen=True)
class DocumentKind:
    name: str
    template: str
    description: str
    default_pages: int        # page limit unless the audience profile sets its own
    most_pages: int           # the largest limit a profile may set
    orientation: str = "portrait"
    exact_pages: bool = False  # True: the document must fill exactly its limit (a one-page brief)
    least_filled: float = 0.0  # share of its last page's text area under which it is warned about as sparse
    required_texts: RequiredTexts = field(default=_nothing)
    required_what: str = ""   # what the required texts are, for the check's message
    unmakeable: Unmakeable = field(default=_always)  # a set this kind cannot be made of, and why
    thin: Thin = field(default=_nothing_thin)        # what it makes of a set that says little


KINDS: dict[str, DocumentKind] = {
    "brief": DocumentKind("brief", "brief.xml.j2", "one-page policy brief", 1, 1, exact_pages=True,
                           least_filled=0.75),
    "timeline": DocumentKind("timeline", "timeline.xml.j2", "timeline of dated events", 2, 3,
                             orientation="landscape", required_texts=_event_titles, required_what="event titles",
                             unmakeable=_no_events),
    "factsheet": DocumentKind("factsheet", "factsheet.xml.j2", "fact sheet", 2, 2,
                              required_texts=_glossary_terms, required_what="glossary terms", thin=_few_bars),
}

# Rendered for meetings only; not selectable as document kinds.
COVER = DocumentKind("cover", "cover.xml.j2", "meeting packet cover", 1, 1, exact_pages=True)
REGISTER = DocumentKind("register", "register.xml.j2", "distribution register", 1, 10)
