"""What each output is made from, hashed: a changed key is the only reason to make it again.

- A document's key covers the content files its template read last time (all of the set's when
  that is not known), its profile chain, the label files of its language, and the template files
  it uses (followed through extends, include and import, and resolved through its override
  folders, so a new override changes the key of exactly the documents that use that template).
- Its output key covers what its PDF is made from once the template has run: the page markup,
  what the checks expect, the look, the page limit, and the code, fonts and libraries. The same
  output key and the same PDF on disk mean the PDF is kept, not laid out again.
- A meeting's key covers its file, its audience's profiles and labels, the cover and register
  templates and what they make of the content (their page markup), and its documents' PDFs.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..inputs.kinds import COVER, REGISTER
from ..paths import Project
from .cache import file_key

if TYPE_CHECKING:
    from ..meetings.plan import MeetingPlan
    from ..render.checks import Expectation
    from ..render.job import Job
    from ..render.vocabulary import DocumentMarkup
    from .session import BuildSession


def content_inputs(folder: Path, content_read: list[str] | None) -> tuple[list[Path], list[str]]:
    """What a key covers of a content set: the files an output read (all of them when that is not
    known), and strings naming the set's files and those read. The names read come from the cache
    file: only names of files in the folder are used, so none leads elsewhere."""
    listing = sorted(path.name for path in folder.glob("*.yaml"))
    read = listing if content_read is None else [name for name in listing if name[:-5] in content_read]
    return [folder / name for name in read], [*listing, *(f"read:{name}" for name in read)]


def label_files(project: Project, language: str) -> list[Path]:
    return sorted({*project.labels("en"), *project.labels(language)})


def document_key(session: BuildSession, job: Job, content_read: list[str] | None = None) -> tuple[str, list[str]]:
    """A document's key, and the template files it uses."""
    from ..render.templating import template_files

    project = session.project
    templates = template_files(session.environment(job), job.kind.template)
    content, names = content_inputs(project.set_folder(job.content.name), content_read)
    files = [*content, *job.audience.files, *label_files(project, job.language), *(Path(t) for t in templates)]
    return file_key(project, files, session.code, job.kind.name, job.path, *names), templates


def output_key(session: BuildSession, document: DocumentMarkup, expected: Expectation, job: Job) -> str:
    import pypdf
    import reportlab

    from ..render.styles import theme_for

    parts = [document.digest, repr(expected), repr(theme_for(job)), str(job.max_pages), job.kind.name,
             session.code, reportlab.Version, pypdf.__version__]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def meeting_key(session: BuildSession, plan: MeetingPlan) -> str:
    from ..render.styles import theme_for
    from ..render.templating import template_files

    meeting, project = plan.meeting, session.project
    anchor = meeting.documents[0]
    env = session.environment(anchor)
    templates = [Path(t) for name in (COVER.template, REGISTER.template) for t in template_files(env, name)]
    cover, expected = plan.cover
    files = [*meeting.loaded.files, *meeting.audience.files, *label_files(project, anchor.language), *templates]
    documents = [hashlib.sha256(d.pdf).hexdigest() for d in plan.documents]
    return file_key(project, files, session.code, *documents, cover.digest, repr(expected), plan.register_frame,
                    plan.metadata["subject"], repr(theme_for(anchor)))
