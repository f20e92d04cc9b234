"""Meetings: content/meetings/<slug>.yaml, the last mile from documents to a room of readers.

A meeting names an audience, a content set, the documents in order and the recipients. It is
validated like content: every problem located, all reported together.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Location, Problem, did_you_mean
from ..paths import NAME_RULE, Project, is_name
from .recipients import read_recipients
from .schema import Slug, Text, Validator, doc, values_where_field, where_field
from .yamlfile import read_yaml

# Line breaks and tabs would break the stamp's one line and the register's cells (other control
# characters are refused for every text field).
LINE_BREAKING = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")

@dataclass
class Recipient:
    name: str = doc("the recipient's name, printed on every page of their copy")
    organisation: str = doc("organisation, for the distribution register")
    role: str | None = doc("optional role or title", None)
    email: str | None = doc("optional e-mail address, for the distribution register", None)
    where: Location = where_field()
    values_where: dict[str, tuple[Location, str]] = values_where_field()

    def located(self, key: str) -> tuple[Location, str]:
        """Where one of the recipient's values was written and how to name it: its key path
        (`recipients[2].name`) in the meeting file, its row and column in a CSV file."""
        where, path = self.values_where.get(key, (self.where, key))
        return (where, f"row {self.where.line}, column {key}") if self.where.file.endswith(".csv") else (where, path)


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
    recipients: list[Recipient] = doc("who gets a numbered copy (or give recipients_file)", default_factory=list)
    recipients_file: str | None = doc("a CSV file beside the meeting file listing the recipients, one row each, "
                                      "under a header row: name, organisation, role, email", None)
    marking: str | None = doc("marking for the cover and the copies; default: the audience's marking", None)
    print: PrintOptions = doc("printing options", default_factory=PrintOptions)
    where: Location = where_field()


@dataclass
class LoadedMeeting:
    slug: str
    file: Path
    meeting: Meeting
    recipients_file: Path | None = None

    @property
    def files(self) -> list[Path]:
        """Every file the meeting was read from."""
        return [self.file, *([self.recipients_file] if self.recipients_file else [])]


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
    recipients_file = None
    if meeting is not None and meeting.recipients_file is not None:
        recipients_file, found = _recipients_from_file(project, meeting)
        problems += found
    if meeting is not None:
        problems += validator.place(_cross_check(meeting, sets, audiences, kinds))
    if problems or meeting is None:
        raise InputError(problems or [Problem(Location(shown), "", "invalid meeting file")])
    return LoadedMeeting(slug, path, meeting, recipients_file)


def _recipients_from_file(project: Project, meeting: Meeting) -> tuple[Path | None, list[Problem]]:
    """Fill `meeting.recipients` from its recipients_file, a CSV file in the meetings folder."""
    name = meeting.recipients_file or ""
    if meeting.recipients:
        return None, [Problem(meeting.where, "recipients_file", "give recipients or recipients_file, not both")]
    path = project.meetings / name
    folder = project.meetings.resolve()
    if Path(name).is_absolute() or folder not in path.resolve().parents or not name.endswith(".csv"):
        return None, [Problem(meeting.where, "recipients_file", f"'{name}' must name a .csv file in "
                              f"{project.shown(project.meetings)}/, such as roundtable-recipients.csv")]
    meeting.recipients, problems = read_recipients(path, project.shown(path), Recipient)
    return path, problems


def recipient_key(name: str) -> str:
    """What makes two names the same recipient: spacing, case and Unicode form aside."""
    folded = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    return unicodedata.normalize("NFC", folded)


def _cross_check(meeting: Meeting, sets: list[str], audiences: list[str], kinds: list[str]) -> list[Problem]:
    problems = []

    def known(value: str | None, options: list[str], path: str, what: str) -> None:
        if value is not None and value not in options:
            more = did_you_mean(value, options, "known")
            problems.append(Problem(getattr(value, "location", None) or meeting.where, path, f"no {what} '{value}'{more}"))

    known(meeting.audience, audiences, "audience", "audience")
    known(meeting.content_set, sets, "content_set", "content set")
    documents = meeting.documents  # None: did not load, reported already
    for index, kind in enumerate(documents or []):
        known(kind, kinds, f"documents[{index}]", "document kind")
    if documents is not None and len(set(documents)) != len(documents):
        problems.append(Problem(meeting.where, "documents", "a document kind is listed twice"))
    if documents == []:
        problems.append(Problem(meeting.where, "documents", "list at least one document"))
    if not meeting.recipients and meeting.recipients_file is None:
        problems.append(Problem(meeting.where, "recipients", "list at least one recipient, "
                                "or name a CSV file of them in recipients_file"))
    seen: dict[str, int] = {}
    for index, recipient in enumerate(meeting.recipients or []):  # None: did not load, reported already
        if recipient.name is None:
            continue
        for key in ("name", "organisation", "role", "email"):
            value = getattr(recipient, key)
            if value is not None and (bad := LINE_BREAKING.search(value)):
                character = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}.get(bad[0], "a line break")
                problems.append(Problem(*recipient.located(key), f"contains {character} (U+{ord(bad[0]):04X}): "
                                        "a name is printed on one line; remove it"))
            elif value is not None:
                setattr(recipient, key, unicodedata.normalize("NFC", value))  # one form for the stamp's font
        key = recipient_key(recipient.name)
        if key in seen:
            problems.append(Problem(*recipient.located("name"),
                                    f"'{recipient.name}' is already recipient {seen[key] + 1}: each copy needs a distinct name"))
        seen.setdefault(key, index)
    return problems
