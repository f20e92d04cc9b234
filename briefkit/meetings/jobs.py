"""Which meetings a build makes, and the documents each one needs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem, UsageError, did_you_mean
from ..inputs.audiences import Audience, audience_for, discover_audiences
from ..inputs.content import discover_sets, is_draft, load_set
from ..inputs.kinds import KINDS, DocumentKind
from ..inputs.meeting_file import LoadedMeeting, discover_meetings, load_meeting
from ..inputs.model import ContentSet
from ..paths import Project
from ..render.job import Job


@dataclass
class MeetingJob:
    loaded: LoadedMeeting
    content: ContentSet
    audience: Audience
    documents: list[Job]
    folder: str  # the meeting's output folder (see paths.Project.meeting)
    output: Path  # the project's output folder, where copies are staged as they are made

    @property
    def slug(self) -> str:
        return self.loaded.slug

    def page_job(self, kind: DocumentKind) -> Job:
        """The cover or the register, rendered like a document of the meeting's set and audience."""
        return Job(self.content, self.audience, kind, f"{self.folder}/{kind.name}")


def plan_meetings(project: Project, names: list[str] | None, jobs: list[Job],
                  notes: list[str] | None = None) -> tuple[list[MeetingJob], list[Job]]:
    """Load the meetings asked for; returns them and the document jobs they add to `jobs`. A
    meeting on a draft content set is made only when --meeting names it (`notes` says so)."""
    from ..publish.leftovers import sweep

    available = discover_meetings(project)
    for name in names or []:
        if name not in available:
            raise UsageError(f"--meeting '{name}' does not exist{did_you_mean(name, available)}")
    selected = list(dict.fromkeys(names)) if names else available
    sets, audiences = discover_sets(project), discover_audiences(project)
    contents = {job.content.name: job.content for job in jobs}
    loaded_audiences = {(job.content.name, job.audience.name): job.audience for job in jobs}
    known_paths = {job.path for job in jobs}
    problems: list[Problem] = []
    meetings, extra = [], []
    for slug in selected:
        try:
            loaded = load_meeting(project, slug, sets, audiences, list(KINDS))
            meeting = loaded.meeting
            if not names and is_draft(project, meeting.content_set):
                if notes is not None:
                    notes.append(f"skipped meeting {slug}: its content set {meeting.content_set} is a draft "
                                 f"(briefkit build --meeting {slug} makes it, marked DRAFT)")
                continue
            content = contents.get(meeting.content_set) or load_set(project, meeting.content_set)
            audience = (loaded_audiences.get((content.name, meeting.audience))
                        or audience_for(project, content, meeting.audience))
        except InputError as exc:
            problems += exc.problems
            continue
        contents[content.name], loaded_audiences[(content.name, audience.name)] = content, audience
        documents = [Job(content, audience, KINDS[kind], project.document(content.name, audience.name, kind))
                     for kind in meeting.documents]
        for job in documents:
            if job.path not in known_paths:
                known_paths.add(job.path)
                extra.append(job)
        meetings.append(MeetingJob(loaded, content, audience, documents, project.meeting(slug), project.output))
    if problems:
        raise InputError(problems)
    if meetings:
        sweep(project.output)  # copies left by a build that was killed or failed
    return meetings, extra
