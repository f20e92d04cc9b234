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

    def line(self) -> str:
        return f"skipped {self.content_set} for {self.audience} ({self.language}): {self.reason}"


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
            skipped.append(Skip(name, audience, language,
                                f"the set carries {', '.join(carried)}, not {language} ({missing} texts have no "
                                f"{language} translation; list them: briefkit list --set {name} --audience "
                                f"{audience} --strict)"))
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
    return Validated([job for job in jobs if (job.content.name, job.audience.name) not in gone],
                     [m for m in meetings if (m.content.name, m.audience.name) not in gone],
                     skipped, list(dict.fromkeys(warnings)))


def _notes(texts_of: Localized) -> list[str]:
    """What the brief's selection falls back on, asked now rather than when the brief is made."""
    from ..render.selection import Selection

    selection = Selection(texts_of.content, texts_of.audience, texts_of.content["tags"])
    for choice in ("argument_groups", "talking_points", "implications", "key_terms"):
        getattr(selection, choice)
    return selection.notes
