"""Meetings in the build: plan the documents each meeting needs, then assemble its outputs."""
from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .audiences import Audience, discover_audiences, load_audience
from .content import discover_sets, load_set
from .errors import InputError, Problem, UsageError
from .kinds import COVER, KINDS, REGISTER
from .localize import localize
from .meetings import LoadedMeeting, Meeting, discover_meetings, load_meeting
from .model import ContentSet
from .pipeline import Built, Job

if TYPE_CHECKING:  # building a meeting needs pypdf and ReportLab; planning one (--list) does not
    from .distribution import MeetingBuild


@dataclass
class MeetingJob:
    loaded: LoadedMeeting
    content: ContentSet
    audience: Audience
    documents: list[Job]

    @property
    def slug(self) -> str:
        return self.loaded.slug


def plan_meetings(project: Path, names: list[str] | None, jobs: list[Job]) -> tuple[list[MeetingJob], list[Job]]:
    """Load the meetings asked for; returns them and the document jobs they add to `jobs`."""
    available = discover_meetings(project)
    for name in names or []:
        if name not in available:
            hint = difflib.get_close_matches(name, available, n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else f" (available: {', '.join(available) or 'none'})"
            raise UsageError(f"--meeting '{name}' does not exist{more}")
    selected = list(dict.fromkeys(names)) if names else available
    sets, audiences = discover_sets(project), discover_audiences(project)
    contents = {job.content.name: job.content for job in jobs}
    loaded_audiences = {job.audience.name: job.audience for job in jobs}
    known_paths = {job.path for job in jobs}
    problems: list[Problem] = []
    meetings, extra = [], []
    for slug in selected:
        try:
            loaded = load_meeting(project, slug, sets, audiences, list(KINDS))
            meeting = loaded.meeting
            content = contents.get(meeting.content_set) or load_set(project, meeting.content_set)
            audience = loaded_audiences.get(meeting.audience) or load_audience(project, meeting.audience)
        except InputError as exc:
            problems += exc.problems
            continue
        contents[content.name], loaded_audiences[audience.name] = content, audience
        documents = [Job(content, audience, KINDS[kind]) for kind in meeting.documents]
        for job in documents:
            if job.path not in known_paths:
                known_paths.add(job.path)
                extra.append(job)
        meetings.append(MeetingJob(loaded, content, audience, documents))
    if problems:
        raise InputError(problems)
    return meetings, extra


def build_meeting(project: Path, meeting_job: MeetingJob, built: dict[str, Built],
                  draw_previews: bool = True) -> MeetingBuild:
    """Packet, copies, register and handout for one meeting, from documents already rendered
    (with their page previews, unless the caller draws those itself)."""
    from .assemble import PacketDocument
    from .checks import check_pdf
    from .distribution import MeetingFacts, assemble_meeting, folder, raise_failures
    from .fonts import fonts_for
    from .layout import fit_to_pages
    from .render import document_markup

    meeting: Meeting = meeting_job.loaded.meeting
    audience = meeting_job.audience
    language = audience.profile.language
    fonts = fonts_for(language)
    text = _meeting_text(meeting_job)
    marking = text["marking"]
    anchor = meeting_job.documents[0]

    def render(kind, context: dict, max_pages: int):  # type: ignore[no-untyped-def]
        job = Job(meeting_job.content, audience, kind)
        document, expected = document_markup(project, job, extra={"meeting": text, **context})
        expected = dataclasses.replace(expected, max_pages=max_pages)
        rendered = fit_to_pages(document, expected.setup, job.theme, max_pages, f"{meeting_job.slug}/{kind.name}")
        return rendered.pdf, check_pdf(rendered.pdf, expected)

    def render_cover(contents: list[dict]) -> bytes:
        pdf, checks = render(COVER, {"contents": contents}, 1)
        raise_failures([f"{folder(meeting_job.slug)} cover: {c.name}: {c.detail}" for c in checks if not c.ok])
        return pdf

    def render_register(rows: list[dict]):  # type: ignore[no-untyped-def]
        copies = [{**row, "sha256": " ".join(row["sha256"][i:i + 16] for i in range(0, 64, 16))} for row in rows]
        return render(REGISTER, {"copies": copies}, max(1, -(-len(rows) // 18)))  # about 18 rows a page

    documents = [PacketDocument(_label(job), built[job.path].title, built[job.path].output.data, built[job.path].headings)
                 for job in meeting_job.documents]
    footer = " \u00b7 ".join(part for part in (text["title"], _date(meeting), marking) if part)
    facts = MeetingFacts(meeting_job.slug, footer, meeting.print.right_hand_starts, meeting.recipients, fonts)
    entry = {"title": text["title"], "content_set": meeting_job.content.name, "audience": audience.name,
             "meeting": meeting_job.slug,
             "paper": audience.profile.paper,
             "meta": {"title": f"Meeting packet: {text['title']}", "author": meeting.organiser,
                      "subject": meeting_job.content.source.title.in_language(language) or "",
                      "keywords": f"meeting, packet, {meeting_job.slug}", "creator": f"briefkit {__version__}",
                      "lang": language}}
    theme = anchor.theme
    colour = tuple(int(theme.accent[i:i + 2], 16) / 255 for i in (1, 3, 5))
    result = assemble_meeting(facts, documents, render_cover, render_register, entry, colour,  # type: ignore[arg-type]
                              anchor.audience_paper_size, draw_previews)
    raise_failures(result.failures)
    return result


def _meeting_text(meeting_job: MeetingJob) -> dict:
    """The meeting's own texts in its audience's language, with the marking it prints."""
    from .fonts import first_missing_glyph, fonts_for

    meeting, profile = meeting_job.loaded.meeting, meeting_job.audience.profile
    fonts = fonts_for(profile.language)
    text = localize({"meeting": meeting}, profile.language, profile.fallback_language,
                    lambda value: first_missing_glyph(value, fonts))["meeting"]
    text["marking"] = meeting.marking or profile.presentation.marking
    return text


def _label(job: Job) -> str:
    return job.kind.description[:1].upper() + job.kind.description[1:]


def _date(meeting: Meeting) -> str:
    day = meeting.date
    return f"{day.day} {day.strftime('%B')} {day.year}"


def meeting_key(project: Path, meeting_job: MeetingJob, built: dict[str, Built], code: str) -> str:
    """What a meeting's outputs are made from: its file, its audience's profiles, the cover and
    register templates, its documents' PDFs (by SHA-256), and what the cover and register make of
    the content: their page markup (the register's without copy rows, which come from the rest).
    So a document kept as it was, or a content edit neither page prints, leaves the meeting
    standing."""
    from .assemble import page_label, plan_packet
    from .incremental import file_key
    from .render import document_markup, environment
    from .templating import template_files

    anchor = meeting_job.documents[0]
    env = environment(project, anchor)
    templates = [Path(t) for name in (COVER.template, REGISTER.template) for t in template_files(env, name)]
    profiles = [project / f"templates/audiences/{name}.yaml" for name in meeting_job.audience.chain]
    text = _meeting_text(meeting_job)
    documents = [built[job.path] for job in meeting_job.documents]
    plan = plan_packet([d.pages for d in documents], meeting_job.loaded.meeting.print.right_hand_starts)
    contents = [{"title": d.title, "kind": _label(d.job), "page": page_label(start), "pages": d.pages}
                for d, start in zip(documents, plan.starts)]
    made = []
    for kind, extra in ((COVER, {"contents": contents}), (REGISTER, {"copies": []})):
        document, expected = document_markup(project, Job(meeting_job.content, meeting_job.audience, kind),
                                             extra={"meeting": text, **extra})
        made += [document.digest, repr(expected)]
    language = meeting_job.audience.profile.language
    subject = meeting_job.content.source.title.in_language(language) or ""  # the packet's metadata
    return file_key(project, [project / meeting_job.loaded.file, *profiles, *templates], code,
                    *(d.output.sha256 for d in documents), *made, subject, repr(anchor.theme))
