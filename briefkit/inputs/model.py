"""The content model: one record type per kind of item in a content set.

The type hints are the schema (see schema.py) and each `doc(...)` string documents the key;
docs/content-schema.md describes the same files with examples.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

from ..errors import Location
from .periods import Bucket
from .schema import EventDate, Refs, Slug, Text, doc, where_field


@dataclass
class Author:
    name: Text = doc("the author's name as printed")
    affiliation: Text | None = doc("institution the author belongs to", None)
    description: Text | None = doc("one line on who the author is", None)


@dataclass
class Source:
    language: str = doc("language code the plain-string text fields are written in (en, ko, …)")
    title: Text = doc("title of the source")
    institution: Text = doc("the publishing institution")
    refs: Refs = doc("paragraphs the record rests on")
    author: Author | None = doc("who wrote it; omit for an unsigned source (the institution is then cited alone)",
                                None)
    title_supplied: bool = doc("true when the source carries no title and this one is ours", False)
    place: Text | None = doc("where the institution is", None)
    series: Text | None = doc("the publication series", None)
    published: str | None = doc("publication date as the source gives it; omit if not stated", None)
    url: str | None = doc("where the source can be read (printed in the citation)", None)
    languages: list[str] | None = doc("languages the set's texts are written in, e.g. [en, ko]; omitted: every "
                                      "language any of its texts uses", None)
    note: Text | None = doc("anything a reader should know about the record", None)
    text_licence: str | None = doc("the licence that lets source.txt, a copy of the source's text, be kept with "
                                   "the set (e.g. CC BY 4.0, or the publisher's permission)", None)
    draft: bool = doc("true while the set is being written: built only when named with --set, every page "
                      "marked DRAFT; never part of the default build", False)
    where: Location = where_field()


@dataclass
class KeyJudgment:
    lead: Text = doc("bold lead phrase, a few words")
    text: Text = doc("the judgment, one sentence")
    refs: Refs = doc("paragraphs it rests on")
    where: Location = where_field()


@dataclass
class FactSheetPlan:
    sections: list[Slug] = doc("ids of the argument groups the fact sheet shows as numbered blocks")
    figures: list[Slug] = doc("ids of the facts shown as key figures (three to six)")
    chart_lane: Slug | None = doc("timeline lane whose events the fact sheet charts over time; null or left out: "
                                  "no chart", None)
    chart_title: Text | None = doc("title of that chart (needed with chart_lane)", None)
    chart_bucket: Bucket = doc("what one bar counts: year, five-years, decade, quarter-century, half-century, "
                               "century, or auto (a period that suits the spread of the dates)", "auto")
    quotes: list[Slug] = doc("ids of quotations the fact sheet prints, headed by who speaks (translated, and "
                             "marked so, in other languages)", default_factory=list)
    where: Location = where_field()


@dataclass
class Summary:
    issued: datetime.date = doc("date this briefing content was issued (printed on documents)")
    headline: Text = doc("the finding, stated as a title")
    subtitle: Text = doc("one line under the headline")
    thesis: Text = doc("the essay's thesis in one or two sentences")
    bottom_line: Text = doc("bottom line up front, at most about 60 words")
    key_judgments: list[KeyJudgment] = doc("three to five key judgments")
    brief_sections: list[Slug] = doc("ids of the two or three argument groups the brief features")
    brief_facts: list[Slug] = doc("ids of the two to six facts the brief shows as key figures")
    factsheet: FactSheetPlan = doc("what the fact sheet shows")
    refs: Refs = doc("paragraphs the summary rests on")
    key_terms: list[Slug] = doc("glossary ids a general reader needs first (briefs may define them)",
                                default_factory=list)
    where: Location = where_field()


@dataclass
class Point:
    text: Text = doc("the point in our words")
    refs: Refs = doc("paragraphs it rests on")
    lead: Text | None = doc("optional bold lead phrase", None)
    where: Location = where_field()


Role = Literal["core", "context", "consequences"]
Certainty = Literal["firm", "hedged", "disputed"]


@dataclass
class ArgumentGroup:
    id: Slug = doc("identifier, unique in the set")
    title: Text = doc("heading of the group")
    gist: Text = doc("the group's point in one sentence")
    points: list[Point] = doc("the points, in the essay's order")
    refs: Refs = doc("paragraphs the group covers")
    role: Role | None = doc("what the group is to a reader: core (the central argument), context (what a reader "
                            "needs to follow it) or consequences (what follows for policy); audiences choose by role",
                            None)
    where: Location = where_field()


@dataclass
class Arguments:
    groups: list[ArgumentGroup] = doc("argument groups in the essay's order")


@dataclass
class Lane:
    id: Slug = doc("identifier used by events")
    title: Text = doc("lane name shown in legends")
    where: Location = where_field()


@dataclass
class Event:
    id: Slug = doc("identifier, unique in the set")
    date: EventDate = doc('"1978", "1978-05", "1978-05-14", "1960s" or "2010/2011"')
    title: Text = doc("short title")
    detail: Text = doc("one line of detail")
    lane: Slug = doc("a lane id from `lanes`")
    refs: Refs = doc("paragraphs that mention the event")
    actors: list[Slug] = doc("person ids from people.yaml", default_factory=list)
    short: Text | None = doc("short label for the timeline graphic (about 25 characters)", None)
    date_display: Text | None = doc("how to print the date when the default is not right", None)
    occurrences: int = doc("how many visits or meetings the entry stands for (1 to 10,000), in counts and charts", 1)
    year_inferred: bool = doc("true when the source does not state the year and the record supplies it", False)
    certainty: Certainty = doc("firm: the source states the date plainly; hedged: the source hedges it (\"it is "
                               "said\", \"may\"); disputed: the public record gives another date or doubts it. "
                               "Hedged and disputed events are drawn apart in charts and counted apart; say why "
                               "in `note`", "firm")
    record_date: EventDate | None = doc("the public record's date, when it differs from the source's (needs "
                                        "certainty: disputed); people and facts that name the event may give "
                                        "either date", None)
    note: Text | None = doc("inferred year, conflict with the public record, hedging", None)
    where: Location = where_field()

    @property
    def uncertain(self) -> bool:
        return self.certainty != "firm"


@dataclass
class Timeline:
    title: Text = doc("title of the timeline document: what the chronology shows")
    subtitle: Text = doc("one line under the title")
    lanes: list[Lane] = doc("timeline categories, in display order")
    events: list[Event] = doc("dated events")


@dataclass
class Fact:
    id: Slug = doc("identifier, unique in the set")
    value: Text = doc("the figure as printed")
    label: Text = doc("short label under the figure")
    text: Text = doc("one sentence of context")
    refs: Refs = doc("paragraphs it rests on")
    events: list[Slug] = doc("ids of the timeline events the figure counts or rests on: every date its texts "
                             "write must be one of theirs, and its period is theirs", default_factory=list)
    period: Text | None = doc("the period the figure covers, printed with it (e.g. 1992–1999); left out: the span "
                              "of its events' dates", None)
    where: Location = where_field()


@dataclass
class Facts:
    facts: list[Fact] = doc("facts and figures")


@dataclass
class Person:
    id: Slug = doc("identifier, used by timeline actors")
    name: Text = doc("name as printed")
    role: Text = doc("role as relevant to the source")
    refs: Refs = doc("paragraphs that mention the person")
    note: Text | None = doc("discrepancies with the public record and the like (dates: in the event's note)", None)
    events: list[Slug] = doc("ids of the timeline events the role and note mention: every date they write must "
                             "be one of theirs", default_factory=list)
    where: Location = where_field()


@dataclass
class People:
    people: list[Person] = doc("everyone the source names")


@dataclass
class Term:
    id: Slug = doc("identifier, unique in the set")
    term: Text = doc("the term")
    definition: Text = doc("what it means, in our words")
    refs: Refs = doc("paragraphs that use it")
    where: Location = where_field()


@dataclass
class Glossary:
    terms: list[Term] = doc("glossary entries")
    quoted_terms: list[str] = doc("words the content puts in quotation marks that are terms or our translations, "
                                  "not the source's words; anything else in quotation marks must be found in the "
                                  "source text", default_factory=list)


@dataclass
class Quote:
    id: Slug = doc("identifier, unique in the set")
    text: str = doc("verbatim, at most about 30 words, without surrounding quotation marks")
    context: Text = doc("what the quote is about")
    refs: Refs = doc("the paragraph(s) the words appear in")
    speaker: Text | None = doc("who said or wrote it; omit for the source's own words", None)
    translation: Text | None = doc("our translation into other languages, printed as ours, e.g. {ko: \"…\"}", None)
    where: Location = where_field()


@dataclass
class Quotes:
    quotes: list[Quote] = doc("short verbatim quotations")


@dataclass
class Implication:
    id: Slug = doc("identifier, unique in the set")
    text: Text = doc("our inference, one or two sentences")
    tags: list[Slug] = doc("audience-interest tags, e.g. us-policy")
    refs: Refs = doc("paragraphs the inference rests on")
    where: Location = where_field()


@dataclass
class TalkingPoint:
    text: Text = doc("something a principal could say, in our words, one sentence")
    refs: Refs = doc("paragraphs it rests on")
    tags: list[Slug] = doc("audience-interest tags", default_factory=list)
    where: Location = where_field()


@dataclass
class TagDefinition:
    id: Slug = doc("the tag, as implications and talking points write it")
    label: Text = doc("who or what it serves, as a heading names it, e.g. \"energy policy\"")
    where: Location = where_field()


@dataclass
class Implications:
    implications: list[Implication] = doc("the brief's own inferences, never the source's claims")
    talking_points: list[TalkingPoint] = doc("lines for a meeting, drawn from the essay: also our own",
                                             default_factory=list)
    tags: list[TagDefinition] = doc("tags this set uses beyond the shipped ones (templates/tags.yaml)",
                                    default_factory=list)


# File name → top-level record, in loading order (source first: it names the default language).
CONTENT_FILES: dict[str, type] = {
    "source": Source,
    "summary": Summary,
    "arguments": Arguments,
    "timeline": Timeline,
    "facts": Facts,
    "people": People,
    "glossary": Glossary,
    "quotes": Quotes,
    "implications": Implications,
}


@dataclass
class ContentSet:
    """Everything loaded from content/<name>/, validated and cross-checked."""

    name: str
    folder: str
    source: Source
    summary: Summary
    arguments: Arguments
    timeline: Timeline
    facts: Facts
    people: People
    glossary: Glossary
    quotes: Quotes
    implications: Implications
    files: tuple[str, ...] = ()
    tags: dict[str, Text] = field(default_factory=dict)  # every tag it may use: shipped, project and its own
    # where each value was written: key path → file → location (schema.Validator.locations)
    locations: dict[str, dict[str, Location]] = field(default_factory=dict, compare=False, repr=False,
                                                      metadata={"internal": True})

    def located(self, path: str, otherwise: Location) -> Location:
        """Where the value at a key path was written (in whichever file has it), else `otherwise`."""
        return next(iter(self.locations.get(path, {}).values()), otherwise)
