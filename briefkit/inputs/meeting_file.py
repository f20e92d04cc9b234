"""Meetings: content/meetings/<slug>.yaml, the last mile from documents to a room of readers.

A meeting names an audience, a content set, the documents in order and the recipients. It is
validated like content: every problem located, all reported together.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location, Problem, did_you_mean
from ..paths import NAME_RULE, Project, is_name
from .schema import Slug, Text, Validator, doc, where_field
from .yamlfile import read_yaml



@dataclass
class Recipient:
    name: str = doc("the recipient's name, printed on every page of their copy")
    organisation: str = doc("organisation, for the distribution register")
    role: str | None = doc("optional role or title", None)
    where: Location = where_field()


@dataclass
class PrintOptions:
    right_hand_starts: bool = doc("insert blank pages so each document starts on a right-hand page", False)
    where: Location = where_field()


@dataclass
class Meeting:
    title: Text = doc("name of the meeting, printed on the cover and every page of the packet")
    date: datetime.date = doc("date of the meeting, YYYY-MM-DD")
    place: Text = doc("where it is held")
    organiser: str = doc("who convenes it")
    audience: Slug = doc("audience profile the documents are built for")
    content_set: Slug = doc("content set the documents come from")
    documents: list[Slug] = doc("document kinds in packet order, e.g. [brief, factsheet, timeline]")
    recipients: list[Recipient] = doc("who gets a numbered copy")
    marking: str | None = doc("marking for the cover and the copies; default: the audience's marking", None)
    print: PrintOptions = doc("printing options", default_factory=PrintOptions)
    where: Location = where_field()


@dataclass
class LoadedMeeting:
    slug: str
    file: Path
    meeting: Meeting


def discover_meetings(project: Project) -> list[str]:
    folder = project.meetings
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def load_meeting(project: Project, slug: str, sets: list[str], audiences: list[str], kinds: list[str]) -> LoadedMeeting:
    """Read and validate one meeting file against the sets, audiences and kinds that exist."""
    path = project.meetings / f"{slug}.yaml"
    shown = project.shown(path)
    if not is_name(slug):
        raise InputError([Problem(Location(shown), "", f"meeting file names use {NAME_RULE}")])
    node, problems = read_yaml(path, shown, project.input_roots())
    meeting = None
    validator = Validator(default_language="en", salvage=True)  # names checked even when other keys fail
    if node is not None:
        meeting = validator.record(Meeting, node, "")
        problems += validator.problems
    if meeting is not None:
        problems += validator.place(_cross_check(meeting, sets, audiences, kinds))
    if problems or meeting is None:
        raise InputError(problems or [Problem(Location(shown), "", "invalid meeting file")])
    return LoadedMeeting(slug, path, meeting)


def _cross_check(meeting: Meeting, sets: list[str], audiences: list[str], kinds: list[str]) -> list[Problem]:
    problems = []

    def known(value: str | None, options: list[str], path: str, what: str) -> None:
        if value is not None and value not in options:
            more = did_you_mean(value, options, "known")
            problems.append(Problem(getattr(value, "location", None) or meeting.where, path, f"no {what} '{value}'{more}"))

    known(meeting.audience, audiences, "audience", "audience")
    known(meeting.content_set, sets, "content_set", "content set")
    documents, recipients = meeting.documents, meeting.recipients  # None: did not load, reported already
    for index, kind in enumerate(documents or []):
        known(kind, kinds, f"documents[{index}]", "document kind")
    if documents is not None and len(set(documents)) != len(documents):
        problems.append(Problem(meeting.where, "documents", "a document kind is listed twice"))
    if documents == []:
        problems.append(Problem(meeting.where, "documents", "list at least one document"))
    if recipients == []:
        problems.append(Problem(meeting.where, "recipients", "list at least one recipient"))
    seen: dict[str, int] = {}
    for index, recipient in enumerate(recipients or []):
        if recipient.name is None:
            continue
        key = " ".join(recipient.name.split()).casefold()
        if key in seen:
            problems.append(Problem(recipient.where, f"recipients[{index}].name",
                                    f"'{recipient.name}' is already recipient {seen[key] + 1}: each copy needs a distinct name"))
        seen.setdefault(key, index)
    return problems
