"""One build run: render what is stale, assemble meetings, publish (removing what is no longer
planned), then write the overview page and remember what was made (previews come after the report)."""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..errors import BriefkitError
from ..render.job import Job
from .cache import DocumentRecord, MeetingRecord
from .documents import Built, Status, prepare, raise_failed_checks, record
from .keys import meeting_key
from .report import BuildReport, MeetingOutcome
from .scope import Scope, Selection, meeting_files
from .session import BuildSession

if TYPE_CHECKING:
    from ..meetings.jobs import MeetingJob
    from ..meetings.pages import PacketDocument
    from ..meetings.plan import MeetingPlan
    from ..publish.atomic import Published


def run_build(session: BuildSession, jobs: list[Job], meetings: list[MeetingJob], use_cache: bool, workers: int,
              world: str | None, started: float, skipped: list[dict[str, str]] | None = None,
              selection: Selection = Selection()) -> BuildReport:
    """Make what is stale and publish it with the manifest, atomically, removing the outputs the
    build answers for (see scope.py) that it no longer plans; `world` is the fingerprint of every
    input, remembered for `selection` so that the next such build with nothing changed stops at
    once. `skipped` (what planning left out, and why) goes into the manifest beside the outputs."""
    with _sigterm_interrupts():
        return _run(session, jobs, meetings, use_cache, workers, world, started, skipped or [], selection)


def _run(session: BuildSession, jobs: list[Job], meetings: list[MeetingJob], use_cache: bool, workers: int,
         world: str | None, started: float, skipped: list[dict[str, str]], selection: Selection) -> BuildReport:
    from ..meetings.plan import plan_meeting
    from ..publish.atomic import publish
    from ..publish.manifest import ManifestUpdate, load_manifest
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
        standing = use_cache and (last := cache.meeting(meeting.slug, meeting_keys[meeting.slug])) is not None \
            and {e["path"] for e in last.entries} == set(last.outputs)  # entries to list them by
        return None if standing else plan

    rendered, assembled = run_all(session, todo, meetings, fresh, workers, plan_of)
    try:
        raise_failed_checks(rendered)
        results = {**fresh, **{b.job.path: b for b in rendered}}
        built = [results[job.path] for job in jobs]
        records: dict[str, DocumentRecord] = {item.job.path: record(session, item) for item in rendered}
        outputs = [b.output for b in rendered if b.status is Status.BUILT]  # a kept PDF is already in place
        entries = [b.output.manifest_entry for b in built]
        outcomes, meeting_records = [], {}
        for meeting, result in zip(meetings, assembled):
            if result is None:
                outcomes.append(MeetingOutcome(meeting.slug, meeting.folder, Status.UP_TO_DATE))
                entries += cache.meetings[meeting.slug].entries
                continue
            outputs += result.outputs
            outcomes.append(MeetingOutcome.built(meeting, result))
            made = [o.manifest_entry for o in result.outputs]
            entries += made
            meeting_records[meeting.slug] = MeetingRecord(meeting_keys[meeting.slug], [o.path for o in result.outputs],
                                                          made)

        scope = Scope.of(project, selection)
        old = load_manifest(project)
        dropped = _dropped(session, scope, old, {e["path"] for e in entries})
        planned_sets = {job.content.name for job in jobs} | {item["content_set"] for item in skipped}
        update = ManifestUpdate(entries, scope.covers, planned_sets, skipped, cache.entries())
        report = BuildReport(built, outcomes, 0.0, project.relative(project.manifest), manifest_rebuilt=old is None)

        def after(published: Published) -> None:
            """Still under the lock, once the outputs are in place: the overview page, then the
            cache. A failure here is reported as what it is, the outputs stand, and the build is not
            remembered as complete, so the next build meets the failure again (a broken overview
            template)."""
            report.seconds = time.perf_counter() - started
            report.removed = published.removed
            problems = []
            try:  # also when nothing changed: what failed last time is made now
                _overview(session, published.manifest)
            except OSError as exc:
                problems.append(f"the overview page could not be written ({exc.filename or project.index}: "
                                f"{exc.strerror or exc})")
            except BriefkitError as exc:
                problems.append(f"the overview page could not be made: {exc}")
            try:
                cache.record("" if problems else world or "", selection.key, records, meeting_records, dropped)
            except OSError as exc:
                problems.append(f"the build cache could not be written ({exc.filename or project.cache}: "
                                f"{exc.strerror or exc}); the next build makes everything again")
            report.problems = [f"the outputs and the manifest are published, but {p}" for p in problems]

        publish(project, outputs, update, sorted(dropped), after=after)
    finally:
        for result in assembled:  # copies staged on disk: published by now, or not to be
            if result is not None:
                result.discard()
    return report


def _dropped(session: BuildSession, scope: Scope, old: dict[str, Any] | None, planned: set[str]) -> set[str]:
    """The outputs this build answers for that it does not plan: a removed set, audience, kind,
    meeting or recipient. Found in the manifest, the cache's records and the meeting folders."""
    project, cache = session.project, session.cache
    known = [*(old["outputs"] if old is not None else []), *cache.entries()]
    slugs = {str(e["meeting"]): e.get("content_set") for e in known if e.get("meeting")}
    slugs.update({slug: slugs.get(slug) for slug in cache.meetings})
    paths = {e["path"] for e in known if scope.covers(e)}
    paths |= {path for slug, record in cache.meetings.items() if scope.covers_meeting(slug, slugs.get(slug))
              for path in record.outputs}
    paths |= set(meeting_files(project, scope, slugs))
    return {path for path in paths - planned if path.startswith(f"{project.out}/")}


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM interrupts a build as Ctrl-C does: workers stop, nothing half-published stays."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number: int, frame: Any) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _packet_document(built: Built, labels: dict[str, str]) -> PacketDocument:
    from ..meetings.pages import PacketDocument

    return PacketDocument(labels[f"document_{built.job.kind.name}"], built.title, built.output.data,
                          built.headings, built.pages)


def _overview(session: BuildSession, manifest: dict[str, Any]) -> str:
    from ..publish.site import write_index

    return session.project.relative(write_index(session.project, manifest))

