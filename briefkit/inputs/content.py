"""Load content/<set>/*.yaml into a validated ContentSet, with every problem located."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterator
from typing import Any

from ..errors import InputError, Location, Problem, did_you_mean
from ..locales import Dates
from ..paths import MEETINGS, Project
from .model import CONTENT_FILES, ContentSet, Fact, Implication, Person, Source, TalkingPoint
from .chronology import date_problems
from .periods import MOST_BARS, count_periods
from .provenance import all_values
from .schema import LANGUAGE_CODE, Text, Validator
from .vocabulary import Vocabulary, load_vocabulary
from .files import YAML_BYTES, Unreadable, read_input
from .yamlfile import read_yaml

RESERVED_FOLDERS = {MEETINGS}  # content/meetings/ holds meeting files, not a content set
OPTIONAL_FILES = ("audiences",)  # audiences.yaml: profile values for this set alone (see audiences.py)
MAX_QUOTE_WORDS = 30
PLACEHOLDER = "[TODO"  # how every placeholder `briefkit new` writes begins
_DRAFT_LINE = re.compile(r"^draft:[ \t]*true[ \t]*(#.*)?$", re.MULTILINE)


def discover_sets(project: Project) -> list[str]:
    """Names of the content sets: every folder under content/ except reserved and hidden ones."""
    root = project.content
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir()
        if p.is_dir() and p.name not in RESERVED_FOLDERS and not p.name.startswith((".", "_"))
    )


def is_draft(project: Project, name: str) -> bool:
    """Whether the set's source.yaml says `draft: true`. Only that file is read, so a draft whose
    other files are broken stays out of the default build; when source.yaml itself cannot be
    parsed, a line `draft: true` still counts."""
    path = project.set_folder(name) / "source.yaml"
    if not path.is_file():
        return False
    node, _ = read_yaml(path, project.shown(path), project.input_roots())
    if node is not None and isinstance(node.value, dict):
        flag = node.value.get("draft")
        return flag is not None and flag.value is True
    try:
        text = read_input(path, project.input_roots(), YAML_BYTES).decode("utf-8", errors="replace")
    except Unreadable:
        return False
    return bool(_DRAFT_LINE.search(text))


def load_set(project: Project, name: str) -> ContentSet:
    """Read and validate one content set; raises InputError listing every problem."""
    folder = project.set_folder(name)
    shown = project.shown(folder)
    problems: list[Problem] = []
    for extra in sorted(folder.glob("*.y*ml")):
        if (extra.stem not in CONTENT_FILES and extra.stem not in OPTIONAL_FILES) or extra.suffix != ".yaml":
            more = did_you_mean(extra.stem, CONTENT_FILES, "expected", shown="{}.yaml")
            problems.append(Problem(Location(f"{shown}/{extra.name}"), "", "unknown content file" + more))

    records: dict[str, Any] = {}
    validator = Validator(default_language="en", salvage=True)
    for stem, record_type in CONTENT_FILES.items():
        path = folder / f"{stem}.yaml"
        file_shown = f"{shown}/{stem}.yaml"
        if not path.exists():
            problems.append(Problem(Location(file_shown), "", "missing: every content set needs this file"))
            continue
        node, read_problems = read_yaml(path, file_shown, project.input_roots())
        problems.extend(read_problems)
        if node is None:
            continue
        validator.problems = []
        records[stem] = record = validator.record(record_type, node, "")
        problems.extend(validator.problems)
        if isinstance(record, Source):
            language = record.language
            if LANGUAGE_CODE.match(language):
                validator.default_language = language
            else:
                problems.append(Problem(node.location, "language", f"'{language}' is not a language code such as en"))

    if len(records) < len(CONTENT_FILES) or any(value is None for value in records.values()):
        raise InputError(problems)  # a file missing or unreadable: its ids are unknown, so no cross-check
    content = ContentSet(name=name, folder=shown, files=tuple(f"{shown}/{s}.yaml" for s in CONTENT_FILES),
                         locations=validator.locations, **records)
    vocabulary = load_vocabulary(project)
    every_value_loaded = not problems
    # Run on what loaded even when some values did not, so every problem comes out in one run.
    problems.extend(validator.place(cross_check(content, vocabulary)))
    if every_value_loaded:  # the dates texts write are read whole, so only from a set that loaded whole
        problems.extend(validator.place(date_problems(content, _dates(project, languages(content)))))
    if problems:
        raise InputError(problems)
    for quote in content.quotes.quotes:  # in the source's own language, a quotation is its own translation
        known = quote.translation.values if quote.translation else {}
        quote.translation = Text({content.source.language: quote.text, **known},
                                 quote.translation.location if quote.translation else quote.where)
    content.tags = vocabulary.known({tag.id: tag.label for tag in content.implications.tags})
    return content


def _dates(project: Project, codes: list[str]) -> dict[str, Dates]:
    """How each language writes dates, for the languages whose labels load (a language without
    them fails later, where its documents are built)."""
    from .labels import load_labels

    found = {}
    for code in codes:
        try:
            found[code] = Dates.from_labels(load_labels(project, code))
        except (InputError, KeyError):
            continue
    return found


def languages(content: ContentSet) -> list[str]:
    """The languages a set carries: those its source record declares, or else every language any
    of its texts is written in (its own language first)."""
    declared = content.source.languages
    if declared:
        return list(dict.fromkeys(declared))
    found: dict[str, None] = {content.source.language: None}
    for stem in CONTENT_FILES:
        for text in texts(getattr(content, stem)):
            found.update(dict.fromkeys(text.values))
    return list(found)


def texts(value: Any) -> Iterator[Text]:
    """Every translatable text in a record, however deep."""
    if isinstance(value, Text):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for spec in dataclasses.fields(value):
            if not spec.metadata.get("internal"):
                yield from texts(getattr(value, spec.name))
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def cross_check(content: ContentSet, vocabulary: Vocabulary | None = None) -> list[Problem]:
    """Rules that span items or files: unique ids, references between files, sizes. The set may
    be one salvaged from files with problems (see Validator.salvage): a value that did not load
    is None, and the rules that need it are left to the problem already reported for it."""
    problems: list[Problem] = []

    def unique(items: list | None, key: str) -> set[str]:
        seen: set[str] = set()
        for index, item in enumerate(items or []):
            if item.id in seen:
                problems.append(Problem(item.where, f"{key}[{index}].id", f"duplicate id '{item.id}'"))
            seen.add(item.id)
        return seen

    def known(value: str | None, ids: Collection[str], where: Location, path: str, what: str) -> None:
        if value is not None and value not in ids:
            more = did_you_mean(value, sorted(ids), otherwise=None)
            problems.append(Problem(getattr(value, "location", None) or where, path, f"no {what} with id '{value}'{more}"))

    def count(items: list | None, low: int, high: int, where: Location, path: str, what: str) -> None:
        if items is not None and not low <= len(items) <= high:
            problems.append(Problem(where, path, what.format(len(items))))

    groups = unique(content.arguments.groups, "groups")
    facts = unique(content.facts.facts, "facts")
    lanes = unique(content.timeline.lanes, "lanes")
    people = unique(content.people.people, "people")
    events = unique(content.timeline.events, "events")
    unique(content.glossary.terms, "terms")
    unique(content.quotes.quotes, "quotes")
    unique(content.implications.implications, "implications")

    summary = content.summary
    count(summary.key_judgments, 3, 5, summary.where, "key_judgments", "give 3 to 5 key judgments, not {}")
    count(summary.brief_sections, 2, 3, summary.where, "brief_sections", "name 2 or 3 argument groups, not {}")
    for index, section in enumerate(summary.brief_sections or []):
        known(section, groups, summary.where, f"brief_sections[{index}]", "argument group")
    count(summary.brief_facts, 2, 6, summary.where, "brief_facts", "name 2 to 6 facts, not {}")
    for index, fact in enumerate(summary.brief_facts or []):
        known(fact, facts, summary.where, f"brief_facts[{index}]", "fact")
    terms = {term.id for term in content.glossary.terms or []}
    for index, term in enumerate(summary.key_terms):
        known(term, terms, summary.where, f"key_terms[{index}]", "glossary term")
    plan = summary.factsheet
    if plan is not None:
        for index, section in enumerate(plan.sections or []):
            known(section, groups, plan.where, f"factsheet.sections[{index}]", "argument group")
        for index, fact in enumerate(plan.figures or []):
            known(fact, facts, plan.where, f"factsheet.figures[{index}]", "fact")
        if plan.chart_lane is not None:
            known(plan.chart_lane, lanes, plan.where, "factsheet.chart_lane", "lane")
            if plan.chart_title is None:
                problems.append(Problem(plan.where, "factsheet.chart_title", "give the chart a title, or drop chart_lane"))
            problems += _chart_problems(content, plan.chart_lane, plan.chart_bucket, plan.where)
        quotes = {quote.id for quote in content.quotes.quotes or []}
        for index, quote_id in enumerate(plan.quotes):
            known(quote_id, quotes, plan.where, f"factsheet.quotes[{index}]", "quote")
        count(plan.figures, 3, 6, plan.where, "factsheet.figures", "name 3 to 6 facts, not {}")
    for index, event in enumerate(content.timeline.events or []):
        if not 1 <= event.occurrences <= MOST_OCCURRENCES:
            problems.append(Problem(event.where, f"events[{index}].occurrences",
                                    f"must be a count from 1 to {MOST_OCCURRENCES:,}, not {event.occurrences:,}"))
        known(event.lane, lanes, event.where, f"events[{index}].lane", "lane")
        for position, actor in enumerate(event.actors):
            known(actor, people, event.where, f"events[{index}].actors[{position}]", "person")
        if event.record_date is not None and event.certainty != "disputed":
            problems.append(Problem(event.where, f"events[{index}].record_date",
                                    "a record date that differs from the source's makes the date disputed: "
                                    "add certainty: disputed"))
    dated: list[tuple[str, int, Person | Fact]] = [
        *(("people", i, p) for i, p in enumerate(content.people.people or [])),
        *(("facts", i, f) for i, f in enumerate(content.facts.facts or []))]
    for key, index, referrer in dated:
        for position, name in enumerate(referrer.events):
            known(name, events, referrer.where, f"{key}[{index}].events[{position}]", "timeline event")
    if not content.source.draft:
        problems += [Problem(value.location if isinstance(value, Text) else Location(file), path,
                             "still a placeholder: write the real text, or keep the set a draft "
                             "(draft: true in source.yaml) until it is ready")
                     for file, path, value in all_values(content, (Text, str)) if _placeholder(value)]
    for index, quote in enumerate(content.quotes.quotes or []):
        words = len((quote.text or "").split())
        if words > MAX_QUOTE_WORDS:
            problems.append(Problem(quote.where, f"quotes[{index}].text",
                                    f"{words} words: quotations are at most {MAX_QUOTE_WORDS} words, shorten it"))
    for index, code in enumerate(content.source.languages or []):
        if not LANGUAGE_CODE.match(code):
            problems.append(Problem(content.source.where, f"languages[{index}]",
                                    f"'{code}' is not a language code such as en or ko"))
    set_tags = unique(content.implications.tags, "tags")
    tags = sorted(set(vocabulary.labels if vocabulary else ()) | set_tags)
    tagged: list[tuple[str, int, Implication | TalkingPoint]] = [
        *(("implications", index, item) for index, item in enumerate(content.implications.implications or [])),
        *(("talking_points", index, item) for index, item in enumerate(content.implications.talking_points))]
    for group, index, item in tagged:
        for position, tag in enumerate(item.tags or []):
            if vocabulary is not None and tag not in tags:
                problems.append(Problem(tag.location or item.where, f"{group}[{index}].tags[{position}]",
                                        f"unknown tag '{tag}'{did_you_mean(tag, tags, otherwise=None)}: declare it "
                                        "in this file's `tags:` list, or in templates/tags.yaml"))
    return problems


MOST_OCCURRENCES = 10_000  # one entry standing for more events than this is not a count the charts can draw


def _placeholder(value: Text | str) -> bool:
    texts = value.values.values() if isinstance(value, Text) else [value]
    return any(PLACEHOLDER in text for text in texts)


def _chart_problems(content: ContentSet, lane: str, bucket: str, where: Location) -> list[Problem]:
    """A period chosen for the chart must not make more bars than a chart holds."""
    periods = count_periods(((event.date.start.year, event.occurrences) for event in content.timeline.events or []
                             if event.lane == lane and event.date is not None), bucket)
    if len(periods) <= MOST_BARS:
        return []
    return [Problem(where, "factsheet.chart_bucket",
                    f"'{bucket}' makes {len(periods)} bars for the dates of the {lane} lane "
                    f"({periods[0].start}–{periods[-1].end}); a chart holds at most {MOST_BARS}: "
                    "choose a longer period, or auto")]
