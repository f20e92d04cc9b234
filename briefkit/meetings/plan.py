"""A meeting's plan: its texts in its language, the packet's contents, and its cover and register
page markup, computed once its documents are ready.

The build keys the meeting on its plan (to decide whether its outputs stand) and, when they do
not stand, builds from the same plan.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..inputs.kinds import COVER, REGISTER
from ..locales import Dates
from ..render.fonts import fonts_for, missing_glyphs
from ..render.job import Job
from ..render.localize import localize
from .jobs import MeetingJob
from .pages import PacketDocument, PacketWords, plan_packet

if TYPE_CHECKING:
    from ..render.checks import Expectation
    from ..render.vocabulary import DocumentMarkup

# (job, extra template context) → the page markup and what its PDF must satisfy
Markup = Callable[[Job, dict[str, Any]], "tuple[DocumentMarkup, Expectation]"]


@dataclass
class MeetingPlan:
    """Everything a meeting's outputs are made from, but the bytes of its documents' PDFs."""

    meeting: MeetingJob
    labels: dict[str, str]
    text: dict[str, Any]               # the meeting's own texts in its language, and its marking
    documents: list[PacketDocument]
    contents: list[dict[str, Any]]     # the cover's table of contents
    cover: tuple[DocumentMarkup, Expectation]
    register_frame: str                # what the register prints besides its copy rows, hashed
    words: PacketWords = field(init=False)

    def __post_init__(self) -> None:
        self.words = PacketWords.from_labels(self.labels)

    @property
    def dates(self) -> Dates:
        return Dates.from_labels(self.labels)

    @property
    def footer(self) -> str:
        """The packet's running line: the meeting, its date, its marking."""
        date = self.dates.long(self.meeting.loaded.meeting.date)
        return " \u00b7 ".join(part for part in (self.text["title"], date, self.text["marking"]) if part)

    @property
    def metadata(self) -> dict[str, str]:
        meeting, language = self.meeting, self.meeting.audience.profile.language
        return {"title": self.labels["packet_title"].format(title=self.text["title"]),
                "author": meeting.loaded.meeting.organiser,
                "subject": meeting.content.source.title.in_language(language) or "",
                "keywords": f"{self.labels['packet_keywords']}, {meeting.slug}",
                "creator": f"briefkit {__version__}", "lang": language}

    def register_context(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        copies = [{**row, "sha256": " ".join(row["sha256"][i:i + 8] for i in range(0, 64, 8))} for row in rows]  # breaks anywhere
        return {"meeting": self.text, "copies": copies}


def plan_meeting(meeting: MeetingJob, documents: list[PacketDocument], labels: dict[str, str],
                 markup: Markup) -> MeetingPlan:
    """The meeting's plan, from its documents (rendered or kept) and its audience's labels."""
    text = meeting_text(meeting, Dates.from_labels(labels))
    layout = plan_packet([d.pages for d in documents], meeting.loaded.meeting.print.right_hand_starts)
    words = PacketWords.from_labels(labels)
    contents = [{"title": d.title, "kind": d.label, "page": words.label(layout, start), "pages": d.pages}
                for d, start in zip(documents, layout.starts)]
    cover = markup(meeting.page_job(COVER), {"meeting": text, "contents": contents})
    register, expected = markup(meeting.page_job(REGISTER), {"meeting": text, "copies": []})
    frame = hashlib.sha256(f"{register.digest}\0{expected!r}".encode()).hexdigest()
    return MeetingPlan(meeting, labels, text, documents, contents, cover, frame)


def meeting_text(meeting: MeetingJob, dates: Dates) -> dict[str, Any]:
    """The meeting's own texts in its audience's language, with the marking it prints."""
    record, profile = meeting.loaded.meeting, meeting.audience.profile
    fonts = fonts_for(profile.language)
    text: dict[str, Any] = localize({"meeting": record}, profile.language, profile.fallback_language,
                                    lambda value: missing_glyphs(value, fonts), dates)["meeting"]
    text["marking"] = record.marking or profile.presentation.marking
    return text
