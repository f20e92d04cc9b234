"""One build run: render what is stale, assemble meetings, publish, remember, draw previews."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..render.job import Job
from .cache import DocumentRecord, MeetingRecord
from .documents import Built, Status, prepare, raise_failed_checks, record
from .keys import meeting_key
from .report import BuildReport, MeetingOutcome
from .session import BuildSession

if TYPE_CHECKING:
    from ..meetings.pages import PacketDocument
    from ..meetings.jobs import MeetingJob
    from ..meetings.plan import MeetingPlan


def run_build(session: BuildSession, jobs: list[Job], meetings: list[MeetingJob], use_cache: bool, workers: int,
              world: str | None, started: float, skipped: list[dict[str, str]] | None = None) -> BuildReport:
    """Make what is stale and publish it with the manifest, atomically; `world` is the fingerprint
    of every input, remembered so that the next build with nothing changed stops at once.
    `skipped` (what planning left out, and why) goes into the manifest beside the outputs."""
    from ..meetings.plan import plan_meeting
    from ..publish.atomic import build_lock, publish
    from .schedule import run_all

    project = session.project
    cache = session.cache
    fresh, todo = prepare(session, jobs, use_cache)
    meeting_keys: dict[str, str] = {}

    def plan_of(meeting: MeetingJob, documents: dict[str, Built]) -> MeetingPlan | None:
        """The meeting's plan once its documents are ready, or None when its outputs stand."""
        labels = session.labels(meeting.audience.profile.language)
        plan = plan_meeting(meeting, [_packet_document(documents[job.path], labels) for job in meeting.documents],
                            labels, session.markup)
        meeting_keys[meeting.slug] = meeting_key(session, plan)
        standing = use_cache and cache.meeting(meeting.slug, meeting_keys[meeting.slug]) is not None
        return None if standing else plan

    rendered, assembled = run_all(session, todo, meetings, fresh, workers, plan_of)
    try:
        raise_failed_checks(rendered)
        results = {**fresh, **{b.job.path: b for b in rendered}}
        built = [results[job.path] for job in jobs]
        records: dict[str, DocumentRecord] = {item.job.path: record(session, item) for item in rendered}
        outputs = [b.output for b in rendered if b.status is Status.BUILT]  # a kept PDF is already in place
        prune: list[str] = []
        outcomes, meeting_records = [], {}
        for meeting, result in zip(meetings, assembled):
            if result is None:
                outcomes.append(MeetingOutcome(meeting.slug, meeting.folder, Status.UP_TO_DATE))
                continue
            outputs += result.outputs
            prune += result.prune
            outcomes.append(MeetingOutcome.built(meeting, result))
            meeting_records[meeting.slug] = MeetingRecord(meeting_keys[meeting.slug], [o.path for o in result.outputs])

        def remember() -> None:
            # The overview page first (its own template may be what changed): a broken one fails this
            # build before it is remembered, so the next build meets the error again.
            _overview(session)
            cache.record(world or "", records, meeting_records)

        if outputs:
            planned = {job.content.name for job in jobs} | {item["content_set"] for item in skipped or []}
            publish(project, outputs, prune, after=remember, skipped=(planned, skipped or []))
        elif world:
            from ..publish.atomic import output_folder

            output_folder(project)
            with build_lock(project):  # nothing changed: remember that, for the fast path
                remember()
    finally:
        for result in assembled:  # copies staged on disk: published by now, or not to be
            if result is not None:
                result.discard()
    report = BuildReport(built, outcomes, time.perf_counter() - started, project.relative(project.manifest))
    if outputs:
        drawn = {b.job.path: b.previews for b in rendered}
        for result in assembled:
            if result is not None:
                drawn.update(result.previews)
        report.previews, report.index = _previews(session, drawn)
    return report


def _packet_document(built: Built, labels: dict[str, str]) -> PacketDocument:
    from ..meetings.pages import PacketDocument

    return PacketDocument(labels[f"document_{built.job.kind.name}"], built.title, built.output.data,
                          built.headings, built.pages)


def _overview(session: BuildSession) -> None:
    from ..publish.manifest import read_manifest
    from ..publish.site import write_index

    write_index(session.project, read_manifest(session.project))


def _previews(session: BuildSession, drawn: dict[str, list[dict[str, bytes]]]) -> tuple[int, str]:
    """Page previews, after the PDFs and the overview page are in place (they never block them)."""
    from ..publish.manifest import read_manifest
    from ..publish.previews import update_previews

    project = session.project
    count = update_previews(project, read_manifest(project), drawn)
    return count, project.relative(project.index)
