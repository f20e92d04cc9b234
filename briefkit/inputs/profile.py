"""The audience profile: the schema of templates/audiences/<name>.yaml after inheritance.

Like the content model, the type hints are the schema and each `doc(...)` documents its key;
`python build.py --explain AUDIENCE` prints a merged profile with where each value came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..errors import Location
from .kinds import KINDS
from .model import Role
from .schema import Slug, Text, doc, where_field

Kind = Literal["brief", "timeline", "factsheet"]  # the names of KINDS (a test keeps them in step)
Orientation = Literal["portrait", "landscape"]
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass
class PageLimits:
    brief: int | None = doc("pages for the brief (it is always exactly 1)", None)
    timeline: int | None = doc("most pages for the timeline (1 to 3; the kind's default is 2)", None)
    factsheet: int | None = doc("most pages for the fact sheet (1 or 2; the kind's default is 2)", None)
    where: Location = where_field()


@dataclass
class Orientations:
    brief: Orientation | None = doc("orientation of the brief (default portrait)", None)
    timeline: Orientation | None = doc("orientation of the timeline (default landscape)", None)
    factsheet: Orientation | None = doc("orientation of the fact sheet (default portrait)", None)


@dataclass
class Emphasis:
    """Depth and emphasis: what the documents show of the content, and how much."""

    argument_roles: list[Role] | None = doc("argument groups the brief features, by the role the content gives them "
                                            "(core, context, consequences); null: the content's own choice; []: none",
                                            None)
    argument_groups: list[Slug] | None = doc("argument groups by id: set it for one content set in "
                                             "content/<set>/audiences.yaml (a profile naming ids is deprecated)", None)
    argument_detail: Literal["points", "gist"] = doc("brief argument sections as bulleted points or one-line gists",
                                                     "points")
    key_judgments: int = doc("how many key judgments the brief shows", 5)
    key_figures: bool = doc("show the key figures strip on the brief", True)
    implications: int = doc("how many implications the brief shows (0 hides the section)", 3)
    implication_tags: list[Slug] | None = doc("show only implications with one of these tags, those with an earlier tag first; "
                                             "null: all", None)
    implications_first: bool = doc("put the implications before the argument in the brief", False)
    talking_points: int = doc("how many talking points the brief shows (0 hides them)", 0)
    key_terms: bool = doc("show the content's key terms, defined, on the brief", False)
    where: Location = where_field()


@dataclass
class Presentation:
    type_scale: float = doc("body type size relative to the house size (1.0 = 9.8 pt)", 1.0)
    accent: str = doc("accent colour as #RRGGBB: rules, headings, markers; tints derive from it", "#1F4E79")
    institution: str = doc("institution named in the running header", "Briefing Desk")
    logo_text: str | None = doc("short wordmark printed at the head of every page", None)
    marking: str | None = doc("handling marking printed top and bottom of every page", None)
    watermark: str | None = doc("diagonal watermark across every page, e.g. DRAFT", None)
    where: Location = where_field()


@dataclass
class Profile:
    label: Text = doc("who the documents are for, a few words")
    description: Text = doc("one line on the readers")
    language: str = doc("language of the documents", "en")
    fallback_language: str | None = doc("print this language where a text lacks the document's language; "
                                        "null (the default) makes a missing translation an error", None)
    paper: Literal["A4", "Letter"] = doc("paper size", "A4")
    documents: list[Kind] = doc("document kinds built for this audience",
                                default_factory=lambda: list(KINDS))
    page_limits: PageLimits = doc("page limits per document kind", default_factory=PageLimits)
    orientation: Orientations = doc("orientation per document kind", default_factory=Orientations)
    show_locators: bool = doc("print source locators ([p7]) beside claims", True)
    reading_notes: Text | None = doc("notes for writers on reading level and register (not printed)", None)
    emphasis: Emphasis = doc("what the documents show, and how much", default_factory=Emphasis)
    presentation: Presentation = doc("type, colour, institution, marking, watermark", default_factory=Presentation)
    where: Location = where_field()
