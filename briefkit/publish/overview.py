"""What the overview page shows, as plain data for its template (templates/overview.html.j2).

Everything comes from the manifest (what is built, with its checks) and, for what a person
handing out briefs needs besides, from the inputs: an audience's label and language, a meeting's
date, place and recipients' organisations. An input that cannot be read now (a meeting file being
edited) leaves those details out; the page is still made from the manifest.
"""
from __future__ import annotations

import datetime
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..errors import BriefkitError
from ..paths import Project
from .previews import drawn_previews, preview_paths, wanted

PAGE_LANGUAGE = "en"  # the page's own words; texts in another language get their lang attribute
KIND_ORDER = {"packet": 0, "handout": 1, "register": 2}
MEETING_KINDS = {"packet": "Meeting packet", "handout": "Handout, two pages a sheet", "register": "Distribution register",
                 "copy": "Numbered copy"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # written out here: the process's locale must not change the page
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def overview(project: Project, manifest: dict[str, Any]) -> dict[str, Any]:
    """The template's context: `totals`, `sets` and `meetings` (see templates/overview.html.j2)."""
    outputs = [e for e in manifest.get("outputs", []) if isinstance(e, dict) and "path" in e]
    audiences = _Audiences(project)
    by_set: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    by_meeting: dict[str, list[dict]] = defaultdict(list)
    for entry in outputs:
        if entry.get("meeting"):
            by_meeting[entry["meeting"]].append(entry)
        else:
            by_set[entry.get("content_set", "")][entry.get("audience", "")].append(entry)
    skipped = [s for s in manifest.get("skipped", []) if isinstance(s, dict)]
    drawn = drawn_previews(project)
    sets = [_content_set(project, name, by_set[name], skipped, audiences, drawn)
            for name in sorted(set(by_set) | {str(s.get("content_set")) for s in skipped})]
    meetings = [_meeting(project, slug, by_meeting[slug], audiences, drawn) for slug in sorted(by_meeting)]
    failed = sum(len(_failed(e)) for e in outputs)
    return {"language": PAGE_LANGUAGE, "sets": sets, "meetings": meetings,
            "totals": {"outputs": len(outputs), "failed": failed, "sets": len(sets), "meetings": len(meetings),
                       "checks": sum(len(e.get("checks") or []) for e in outputs),
                       "warnings": sum(len(s["warnings"]) for s in sets)}}


class _Audiences:
    """Audience labels and languages, each profile read once; an unreadable one gives its name."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.known: dict[str, dict[str, str | None]] = {}

    def __call__(self, name: str) -> dict[str, str | None]:
        if name not in self.known:
            from ..inputs.audiences import load_audience

            try:
                profile = load_audience(self.project, name).profile
                label = profile.label.in_language(PAGE_LANGUAGE) or next(iter(profile.label.values.values()), name)
                self.known[name] = {"name": name, "label": label, "language": profile.language,
                                    "lang": _lang(profile.language)}
            except BriefkitError:
                self.known[name] = {"name": name, "label": name, "language": None, "lang": None}
        return self.known[name]


def _lang(language: str | None) -> str | None:
    """The lang attribute a text needs on this page: None when it is in the page's language."""
    return language if language and language != PAGE_LANGUAGE else None


def _content_set(project: Project, name: str, by_audience: dict[str, list[dict]], skipped: list[dict],
                 audiences: _Audiences, drawn: dict[str, str]) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    for audience in sorted(by_audience):
        documents = [_document(project, e, drawn) for e in sorted(by_audience[audience], key=lambda e: e.get("kind", ""))]
        groups.append({**audiences(audience), "documents": documents})
    warnings = [f"{s.get('kind') or 'every document'} for {s.get('audience')} ({s.get('language')}) not built: "
                f"{s.get('reason')}" for s in skipped if s.get("content_set") == name]
    every: list[dict[str, Any]] = [d for group in groups for d in group["documents"]]
    return {"name": name, "audiences": groups, "warnings": warnings,
            "kinds": sorted({d["kind"] for d in every}),
            "documents": len(every), "pages": sum(d["pages"] for d in every),
            "checks": sum(d["checks"] for d in every), "failed": sum(len(d["failed"]) for d in every)}


def _document(project: Project, entry: dict[str, Any], drawn: dict[str, str]) -> dict[str, Any]:
    """One output: its link, facts, checks and page previews (once drawn from this very PDF)."""
    path = str(entry["path"])
    file = project.file(path)
    pages = int(entry.get("pages") or 0)
    name = Path(path).name
    version = str(entry.get("sha256", ""))[:12]  # in preview links, so a browser never shows a stale picture
    previews = []
    if wanted(entry) and pages and drawn.get(path) == entry.get("sha256"):
        for number, preview in enumerate(preview_paths(project, path, pages), start=1):
            previews.append({"number": number, "thumb": _href(project, preview["thumb"], version),
                             "page": _href(project, preview["page"], version)})
    kind = str(entry.get("kind", ""))
    return {"kind": kind, "kind_name": _kind_name(kind), "title": entry.get("title") or name, "file": name,
            "href": _href(project, path), "format": Path(path).suffix.removeprefix(".").upper(),
            "pages": pages, "paper": entry.get("paper"), "orientation": entry.get("orientation"),
            "size": _human(file.stat().st_size) if file.is_file() else None,
            "tagged": entry.get("tagged"), "print_only": bool(entry.get("print_only")),
            "checks": len(entry.get("checks") or []), "failed": _failed(entry), "previews": previews,
            "number": entry.get("copy"), "recipient": entry.get("recipient"), "identifier": entry.get("identifier"),
            "organisation": entry.get("organisation")}


def _meeting(project: Project, slug: str, entries: list[dict], audiences: _Audiences,
             drawn: dict[str, str]) -> dict[str, Any]:
    """A meeting: its packet, handout and register, then every numbered copy as a table row."""
    first = entries[0]
    details = _meeting_file(project, slug, audiences)
    audience = audiences(str(details.get("audience") or first.get("audience", "")))
    shared = sorted((e for e in entries if e.get("kind") != "copy"),
                    key=lambda e: (KIND_ORDER.get(e.get("kind", ""), 9), not str(e["path"]).endswith(".pdf"), str(e["path"])))
    copies = sorted((e for e in entries if e.get("kind") == "copy"), key=lambda e: int(e.get("copy") or 0))
    documents = [_document(project, e, drawn) for e in shared]
    rows = [_document(project, e, drawn) for e in copies]
    organisations = details.get("organisations", {})
    for row in rows:
        row["organisation"] = row["organisation"] or organisations.get((row["number"], row["recipient"]))
    every = documents + rows
    return {"slug": slug, "title": first.get("title") or slug, "date": details.get("date"),
            "place": details.get("place"), "audience": audience, "lang": audience["lang"],
            "content_set": first.get("content_set"), "documents": documents, "copies": rows,
            "checks": sum(d["checks"] for d in every), "failed": sum(len(d["failed"]) for d in every)}


def _meeting_file(project: Project, slug: str, audiences: _Audiences) -> dict[str, Any]:
    """Date, place, audience and recipients' organisations from content/meetings/<slug>.yaml, as
    far as it can be read now."""
    from ..inputs.meeting_file import Meeting
    from ..inputs.schema import Validator
    from ..inputs.yamlfile import read_yaml

    path = project.meetings / f"{slug}.yaml"
    try:
        node, problems = read_yaml(path, project.shown(path), project.input_roots())
    except (BriefkitError, OSError):
        return {}
    if node is None or problems:
        return {}
    validator = Validator(default_language=PAGE_LANGUAGE)
    meeting = validator.record(Meeting, node, "")
    if meeting is None or validator.problems:
        return {}
    audience = str(meeting.audience)
    language = audiences(audience)["language"] or PAGE_LANGUAGE
    place = meeting.place.in_language(language) or next(iter(meeting.place.values.values()), None)
    return {"date": _date(meeting.date), "place": place, "audience": audience,
            "organisations": {(number, r.name): r.organisation
                              for number, r in enumerate(meeting.recipients, start=1)}}


def _date(day: datetime.date) -> dict[str, str]:
    """A date as the page writes it, and as <time datetime> reads it."""
    return {"iso": day.isoformat(), "text": f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"}


def _kind_name(kind: str) -> str:
    """A document kind as the page names it."""
    from ..inputs.kinds import KINDS

    if kind in MEETING_KINDS:
        return MEETING_KINDS[kind]
    found = KINDS.get(kind)
    text = found.description if found is not None else kind
    return text[:1].upper() + text[1:]


def _failed(entry: dict[str, Any]) -> list[dict[str, str]]:
    return [{"name": str(c.get("name")), "detail": str(c.get("detail"))}
            for c in entry.get("checks") or [] if isinstance(c, dict) and not c.get("ok")]


def _href(project: Project, path: str, version: str = "") -> str:
    relative = Path(os.path.relpath(project.file(path), project.output)).as_posix()
    return f"{relative}?v={version}" if version else relative


def _human(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
