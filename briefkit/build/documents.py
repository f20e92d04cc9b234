"""Each document of a build: up to date, kept, or rendered again, and what the cache then records."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..errors import CheckFailed
from ..publish.manifest import Output
from ..render.checks import Check
from ..render.job import Job
from .cache import DocumentRecord
from .keys import document_key, output_key
from .session import BuildSession


class Status(Enum):
    BUILT = "built"            # rendered now
    KEPT = "kept"              # its inputs changed, but not its page markup: the PDF on disk stands
    UP_TO_DATE = "up to date"  # nothing it is made from changed


@dataclass
class Built:
    job: Job
    output: Output
    checks: list[Check]
    pages: int
    scale: float
    status: Status
    headings: tuple[tuple[int, str, int], ...] = ()
    title: str = ""
    content_read: tuple[str, ...] = ()  # the content files (stems) its template read
    output_key: str = ""
    warnings: tuple[str, ...] = ()  # what its layout showed wrong (a sparse page), said once, when it is made


def render_job(session: BuildSession, job: Job, last: DocumentRecord | None = None) -> Built:
    """One document: markup, fit to its pages, checks. `last` is what the cache recorded
    of it: its scale starts the fit, and when the template made exactly what it made then (same
    output key) and that PDF is still on disk, the PDF is kept: an edit the document does not show
    costs a template run, not a layout."""
    from ..render.document import render_document

    document, expected = session.markup(job)
    key = output_key(session, document, expected, job)
    if last and last.output == key:
        data = _read(session, job)
        if data is not None and hashlib.sha256(data).hexdigest() == last.sha256:
            kept = from_record(job, last, Status.KEPT, data)
            kept.content_read, kept.output_key = document.content_read, key
            return kept
    rendered = render_document(document, expected, job, last.scale if last else None)
    title = document.meta.get("title", "")
    warnings = _sparse(job, rendered.filled)
    notes = [*document.notes, *job.kind.thin(job.content), *warnings]
    entry = {"title": title, "content_set": job.content.name, "audience": job.audience.name, "kind": job.kind.name,
             "pages": rendered.pages, "paper": job.audience.profile.paper, "orientation": job.orientation,
             "tagged": True, "checks": [c.as_json() for c in rendered.checks],
             **({"warnings": notes} if notes else {})}
    return Built(job, Output(job.path, rendered.pdf, entry), rendered.checks, rendered.pages, rendered.scale,
                 Status.BUILT, rendered.headings, title, document.content_read, key, tuple(warnings))


def _sparse(job: Job, filled: float) -> list[str]:
    """A document meant to fill its page that leaves much of it empty (a set with little to say
    for this audience): it is made, and said to be sparse, never silently."""
    least = job.kind.least_filled
    if filled >= least:
        return []
    return [f"layout: the content fills {filled:.0%} of the page, leaving {1 - filled:.0%} of it empty (a "
            f"{job.kind.description} should fill at least {least:.0%}): add to the content, or show more of it "
            f"to this audience (emphasis in its profile)"]


def _read(session: BuildSession, job: Job) -> bytes | None:
    try:
        return session.project.file(job.path).read_bytes()
    except OSError:
        return None


def from_record(job: Job, record: DocumentRecord, status: Status, data: bytes) -> Built:
    """A document read back from disk (`data`) as the cache recorded it."""
    checks = [Check(c["name"], c["ok"], c["detail"]) for c in record.entry["checks"]]
    headings = tuple((int(h[0]), str(h[1]), int(h[2])) for h in record.headings)
    return Built(job, Output(job.path, data, record.entry), checks, record.pages, record.scale, status, headings,
                 record.title, content_read=tuple(record.content_read), output_key=record.output)


def prepare(session: BuildSession, jobs: list[Job], use_cache: bool) -> tuple[dict[str, Built], list[Job]]:
    """Split the jobs into those up to date (read back from disk) and those to render. A job's key
    covers the content files it read last time, so a change elsewhere in its set leaves it fresh."""
    cache = session.cache
    fresh: dict[str, Built] = {}
    todo: list[Job] = []
    for job in jobs:
        last = cache.last(job.path) if use_cache else None
        key = document_key(session, job, last.content_read if last else None)[0]
        record = cache.document(job.path, key) if use_cache else None
        data = _read(session, job) if record is not None else None
        if record is not None and data is not None:
            fresh[job.path] = from_record(job, record, Status.UP_TO_DATE, data)
        else:
            todo.append(job)
    return fresh, todo


def record(session: BuildSession, built: Built) -> DocumentRecord:
    """What the cache remembers of a document made now, keyed over the content it read this time
    (as the next build will compute its key)."""
    key, templates = document_key(session, built.job, list(built.content_read))
    return DocumentRecord(key, templates, list(built.content_read), built.output_key, built.output.sha256,
                          [list(h) for h in built.headings], built.title, built.pages, built.scale, built.output.entry)


def raise_failed_checks(built: list[Built]) -> None:
    CheckFailed.raise_if_any([f"{b.job.path}: {c.name}: {c.detail}"
                              for b in built if b.status is Status.BUILT for c in b.checks if not c.ok])


def worker_result(built: Built) -> dict[str, Any]:
    """A rendered document for the trip back from a worker: everything but its job, which the
    parent has (a job carries its whole content set, about 130 kB pickled)."""
    return {name: getattr(built, name) for name in Built.__dataclass_fields__ if name != "job"}
