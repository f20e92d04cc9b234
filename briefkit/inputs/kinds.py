"""Document kinds: the template that renders each, its page range, and what its checks demand."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..locales import smart_quotes
from .model import ContentSet

# Localized content (file name → data) → texts that must appear in the PDF's extracted text.
RequiredTexts = Callable[[dict], list[str]]
# A content set → why this kind cannot be made of it, or None when it can.
Unmakeable = Callable[[ContentSet], "str | None"]


def _nothing(_: dict) -> list[str]:
    return []


def _event_titles(content: dict) -> list[str]:
    return [smart_quotes(event["title"]) for event in content["timeline"]["events"]]


def _always(_: ContentSet) -> str | None:
    return None


def _no_events(content: ContentSet) -> str | None:
    return None if content.timeline.events else "the set has no dated events (timeline.yaml events)"


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
    required_texts: RequiredTexts = field(default=_nothing)
    required_what: str = ""   # what the required texts are, for the check's message
    unmakeable: Unmakeable = field(default=_always)  # a set this kind cannot be made of, and why


KINDS: dict[str, DocumentKind] = {
    "brief": DocumentKind("brief", "brief.xml.j2", "one-page policy brief", 1, 1, exact_pages=True),
    "timeline": DocumentKind("timeline", "timeline.xml.j2", "timeline of dated events", 2, 3,
                             orientation="landscape", required_texts=_event_titles, required_what="event titles",
                             unmakeable=_no_events),
    "factsheet": DocumentKind("factsheet", "factsheet.xml.j2", "fact sheet", 2, 2,
                              required_texts=_glossary_terms, required_what="glossary terms"),
}

# Rendered for meetings only; not selectable as document kinds.
COVER = DocumentKind("cover", "cover.xml.j2", "meeting packet cover", 1, 1, exact_pages=True)
REGISTER = DocumentKind("register", "register.xml.j2", "distribution register", 1, 10)
