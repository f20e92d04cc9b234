"""What a template sees: the content in one language, the labels, the audience and the document."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..inputs.model import CONTENT_FILES
from ..locales import Dates
from .fonts import fonts_for, missing_glyphs
from .job import Job
from .localize import check_labels, localize
from .selection import Selection


def _reading_all(name: str) -> Any:
    """A dict method that hands out every record, noting them all as read first."""
    def method(self: ContentReads, *args: Any) -> Any:
        self.read.update(dict.keys(self))
        return getattr(dict, name)(self, *args)
    method.__name__ = name
    return method


class ContentReads(dict[str, Any]):
    """A content set's records for a template, noting which files' records it reads: a document
    depends on those content files only, so editing people.yaml rebuilds the fact sheets and not
    the briefs. Every way in (item, get, iteration, items, values, keys, repr) is noted."""

    def __init__(self, records: dict[str, Any]) -> None:
        super().__init__(records)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    __iter__ = _reading_all("__iter__")
    keys = _reading_all("keys")
    items = _reading_all("items")
    values = _reading_all("values")
    __repr__ = _reading_all("__repr__")


@dataclass(frozen=True)
class Localized:
    content: dict[str, Any]    # file stem → its records, and "tags" → each tag's label
    audience: dict[str, Any]   # the profile
    fell_back: list[str]       # key paths printed in the profile's fallback language


def localized(job: Job, labels: dict[str, str]) -> Localized:
    """The job's content and audience profile in its language: every text resolved, every date
    written out, every character checked against the fonts (all problems reported at once)."""
    profile = job.audience.profile
    language = profile.language
    fonts = fonts_for(language)

    def printable(text: str) -> list[str]:
        return missing_glyphs(text, fonts)

    check_labels(labels, printable)
    fallback, dates = profile.fallback_language, Dates.from_labels(labels)
    roots = {stem: getattr(job.content, stem) for stem in CONTENT_FILES}
    fell_back: list[str] = []
    content = localize({**roots, "tags": job.content.tags}, language, fallback, printable, dates, fell_back)
    audience = localize({"audience": profile}, language, fallback, printable, dates)["audience"]
    return Localized(content, audience, fell_back)


def template_context(job: Job, labels: dict[str, str], extra: dict[str, Any] | None = None,
                     texts: Localized | None = None) -> dict[str, Any]:
    """`texts`: the job's content and profile already localized (see `localized`), if at hand."""
    profile = job.audience.profile
    texts = texts or localized(job, labels)
    content = ContentReads({stem: text for stem, text in texts.content.items() if stem != "tags"})
    return {
        "content": content,
        "selection": Selection(content, texts.audience, texts.content["tags"]),
        "labels": labels,
        "audience": {**texts.audience, "name": job.audience.name},
        "document": {"kind": job.kind.name, "language": profile.language, "set": job.content.name,
                     "paper": profile.paper, "orientation": job.orientation, "max_pages": job.max_pages,
                     "generator": f"briefkit {__version__}", "fell_back": bool(texts.fell_back)},
        **(extra or {}),
    }
