"""Pass 1, second half: every document's texts in its language, every character in its fonts.

Each content set carries some languages. An audience whose language a set does not carry is
skipped for that set, with one line saying how many texts lack the language and how to list them
(with `--strict` the build fails with every one located); so is an audience whose fonts are not
installed. Everything else is localized now, so translation, font and label problems across all
sets and audiences are reported together, before anything is rendered, by `list` as by `build`.
What an audience asks for that a set does not have comes back as warnings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import BriefkitError, InputError, Problem
from ..inputs.audiences import set_overrides_file
from ..inputs.content import languages, texts
from ..inputs.model import CONTENT_FILES
from ..render.job import Job
from .session import BuildSession

if TYPE_CHECKING:
    from ..meetings.jobs import MeetingJob
    from ..render.context import Localized


@dataclass(frozen=True)
class Skip:
    content_set: str
    audience: str
    language: str
    reason: str
    kind: str | None = None  # one kind of document; None: every document of the audience

    def line(self) -> str:
        what = f"{self.content_set} {self.kind}" if self.kind else self.content_set
        return f"skipped {what} for {self.audience} ({self.language}): {self.reason}"

    def record(self) -> dict[str, str]:
        """As the manifest lists it."""
        return {"content_set": self.content_set, "audience": self.audience, **({"kind": self.kind} if self.kind else {}),
                "language": self.language, "reason": self.reason}


@dataclass
class Validated:
    jobs: list[Job]
    meetings: list[MeetingJob]
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def validate(session: BuildSession, jobs: list[Job], meetings: list[MeetingJob], strict: bool,
             problems: list[Problem] | None = None) -> Validated:
    """`problems`: those found earlier in the run, reported with these."""
    from ..render.fonts import fonts_for, fonts_installed

    pairs = {(job.content.name, job.audience.name): job for job in [*jobs, *(j for m in meetings for j in m.documents)]}
    problems = list(problems or [])
    skipped: list[Skip] = []
    warnings: list[str] = []
    for (name, audience), job in pairs.items():
        language = job.language
        if not fonts_installed(fonts_for(language)):
            message = f"its fonts are not installed; install them with: {fonts_for(language).install}"
            if strict:
                raise BriefkitError(f"audience {audience} ({language}): {message}")
            skipped.append(Skip(name, audience, language, message))
            continue
        carried = languages(job.content)
        fallback = job.audience.profile.fallback_language
        if language not in carried and not (fallback and fallback in carried) and not strict:
            missing = sum(1 for stem in CONTENT_FILES for text in texts(getattr(job.content, stem))
                          if text.in_language(language) is None)
            overrides = session.project.shown(set_overrides_file(session.project, name))
            skipped.append(Skip(name, audience, language,
                                f"the set carries {', '.join(carried)}, not {language}: {missing} texts have no "
                                f"{language} translation (list them: briefkit list --set {name} --audience "
                                f"{audience} --strict; or in {overrides}, give {audience} "
                                f"`fallback_language: {carried[0]}` to print {carried[0]} with a note, "
                                "or `documents: []` to leave it out without this line)"))
            continue
        try:
            texts_of = session.texts(job)
        except InputError as exc:
            problems += exc.problems
            continue
        warnings += [f"{audience}: {problem}" for problem in job.audience.warnings]
        if "brief" in job.audience.profile.documents:
            warnings += [f"{name} for {audience} (brief): {note}" for note in _notes(texts_of)]
    if problems:
        raise InputError(problems)
    gone = {(skip.content_set, skip.audience) for skip in skipped}
    jobs, meetings = _makeable([job for job in jobs if (job.content.name, job.audience.name) not in gone],
                               [m for m in meetings if (m.content.name, m.audience.name) not in gone],
                               skipped, warnings)
    return Validated(jobs, meetings, skipped, list(dict.fromkeys(warnings)))


def _makeable(jobs: list[Job], meetings: list[MeetingJob], skipped: list[Skip],
              warnings: list[str]) -> tuple[list[Job], list[MeetingJob]]:
    """Leave out the documents a set has nothing for (a timeline without dated events), saying so;
    a meeting keeps its other documents, and is left out when none is left."""
    def why(job: Job) -> str | None:
        return job.kind.unmakeable(job.content)

    for job in jobs:
        if (reason := why(job)) is not None:
            skipped.append(Skip(job.content.name, job.audience.name, job.language, reason, job.kind.name))
        else:
            warnings += [f"{job.content.name} ({job.kind.name}): {note}" for note in job.kind.thin(job.content)]
    kept_meetings = []
    for meeting in meetings:
        documents = [job for job in meeting.documents if why(job) is None]
        if len(documents) < len(meeting.documents):
            warnings.append(f"meeting {meeting.slug}: its packet leaves out "
                            + ", ".join(job.kind.name for job in meeting.documents if why(job) is not None))
        if documents:
            meeting.documents = documents
            kept_meetings.append(meeting)
        else:
            warnings.append(f"meeting {meeting.slug}: not built: none of its documents can be made")
    return [job for job in jobs if why(job) is None], kept_meetings


def _notes(texts_of: Localized) -> list[str]:
    """What the brief's selection falls back on, asked now rather than when the brief is made."""
    from ..render.selection import Selection

    selection = Selection(texts_of.content, texts_of.audience, texts_of.content["tags"])
    for choice in ("argument_groups", "talking_points", "implications", "key_terms"):
        getattr(selection, choice)
    return selection.notes
