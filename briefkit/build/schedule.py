"""Run the work of a build on one or more cores: documents first, each meeting as soon as its
documents are ready (ahead of the documents still waiting), so meetings overlap the rendering of
documents they do not need.

Errors raised in a worker reach the parent as themselves (briefkit's errors pickle).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from ..progress import Progress, finished
from ..render.job import Job
from .cache import DocumentRecord
from .documents import Built, render_job, worker_result
from .session import BuildSession

if TYPE_CHECKING:
    from ..meetings.assemble import MeetingBuild
    from ..meetings.jobs import MeetingJob
    from ..meetings.plan import MeetingPlan

# A meeting whose documents are ready → its plan, or None when its outputs stand as they are.
Planner = Callable[["MeetingJob", dict[str, Built]], "MeetingPlan | None"]

_worker: tuple[BuildSession, list[Job]] | None = None  # in a worker process: its session and the build's jobs


def _start_worker(session: BuildSession, jobs: list[Job]) -> None:
    """A worker ignores Ctrl-C (sent to the whole terminal's process group) and dies on SIGTERM:
    the parent stops it either way, once it has stopped handing out work."""
    global _worker
    _worker = (session, jobs)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A build killed outright (SIGKILL, out of memory) cannot stop its workers: each stops itself
    once its parent is gone, instead of working on for nothing and staging files no one publishes."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _document_in_worker(index: int, last: DocumentRecord | None) -> dict[str, Any]:
    """The job at `index` of those the pool was started with; jobs cross to a worker once, when it
    starts, and the result comes back without its job, which the caller puts back."""
    assert _worker is not None
    session, jobs = _worker
    return worker_result(render_job(session, jobs[index], last))


def _meeting_in_worker(plan: MeetingPlan) -> MeetingBuild:
    """A meeting's outputs."""
    from ..meetings.assemble import build_meeting

    assert _worker is not None
    return build_meeting(plan, _worker[0].markup)


def run_all(session: BuildSession, jobs: list[Job], meetings: list[MeetingJob], ready: dict[str, Built],
            workers: int, plan_of: Planner) -> tuple[list[Built], list[MeetingBuild | None]]:
    """Render `jobs`, then assemble `meetings` (needing documents from `ready` or `jobs`).

    A meeting is assembled unless `plan_of(meeting, its documents)` says its outputs stand. Returns
    the documents rendered (or kept) and, in the order given, the meeting builds (None for a meeting
    whose outputs stand).
    """
    from ..meetings.assemble import build_meeting

    progress = Progress("rendering documents", len(jobs), threshold=8, lines=False)  # each is said as it is done
    last = {job.path: record for job in jobs if (record := session.cache.last(job.path))}
    session.warm_up(jobs + [m.documents[0] for m in meetings])
    if workers <= 1 or len(jobs) + len(meetings) <= 1:
        in_order = []
        for job in jobs:
            in_order.append(render_job(session, job, last.get(job.path)))
            progress.update(len(in_order))
            finished(in_order[-1])
        available = {**ready, **{b.job.path: b for b in in_order}}
        builds = []
        for meeting in meetings:
            plan = plan_of(meeting, available)
            builds.append(None if plan is None else build_meeting(plan, session.markup))
            _said(meeting, builds[-1])
        return in_order, builds
    needed = {job.path for meeting in meetings for job in meeting.documents}
    # documents that meetings wait for first, then the longest, so no core idles at the end
    order = deque(sorted(range(len(jobs)), key=lambda i: (jobs[i].path not in needed, -jobs[i].kind.default_pages)))
    available = dict(ready)
    rendered: dict[str, Built] = {}
    assembled: dict[str, MeetingBuild | None] = {}
    waiting = list(meetings)
    running: dict[Future[Any], tuple[str, Any]] = {}
    executor = _pool(session, workers, jobs)
    try:

        def submit() -> None:
            """Ready meetings go first; documents are handed out one per free worker, so later work never queues behind them all."""
            nonlocal waiting
            still = []
            for meeting in waiting:
                if not all(job.path in available for job in meeting.documents):
                    still.append(meeting)
                    continue
                plan = plan_of(meeting, available)
                if plan is None:
                    assembled[meeting.slug] = None
                else:
                    running[executor.submit(_meeting_in_worker, plan)] = ("meeting", meeting)
            waiting = still
            while order and len(running) < workers:
                index = order.popleft()
                job = jobs[index]
                running[executor.submit(_document_in_worker, index, last.get(job.path))] = ("document", job)

        submit()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind, item = running.pop(future)
                outcome = future.result()
                if kind == "document":
                    rendered[item.path] = available[item.path] = Built(job=item, **outcome)
                    progress.update(len(rendered))
                    finished(rendered[item.path])
                else:
                    assembled[item.slug] = outcome
                    _said(item, outcome)
            submit()
    except BaseException:
        _stop(executor)  # an interrupt or an error: no worker goes on working, or holding stdout
        raise
    executor.shutdown()
    return [rendered[job.path] for job in jobs], [assembled[m.slug] for m in meetings]


def _stop(executor: ProcessPoolExecutor) -> None:
    """Kill the workers now rather than letting them finish the work queued for them (SIGKILL: a
    worker forked a moment ago may not yet have its own signal handling, and has nothing to save)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # no public way to reach them
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)
    # The pool's own threads must not wait for the dead: its task feeder may be blocked writing a
    # large task no one reads, its result reader half-way through a result a worker was killed
    # writing. Closing the pipes' ends this process holds ends both waits (as the pool does
    # itself when it finds a worker dead), and shutdown returns. No public API reaches them.
    for queue, end in (("_call_queue", "_reader"), ("_result_queue", "_writer")):
        connection = getattr(getattr(executor, queue, None), end, None)
        if connection is not None:
            connection.close()
    executor.shutdown(wait=True, cancel_futures=True)


def _said(meeting: MeetingJob, build: MeetingBuild | None) -> None:
    from .report import MeetingOutcome

    if build is not None:
        finished(MeetingOutcome.built(meeting, build))


def _pool(session: BuildSession, workers: int, jobs: list[Job]) -> ProcessPoolExecutor:
    """Worker processes, forked where possible so they start with everything already imported,
    each holding the session and the build's jobs."""
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                               initargs=(session, jobs))
