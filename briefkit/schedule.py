"""Run the work of a build on one or more cores: documents first, each meeting as soon as its
documents are ready (ahead of the documents still waiting), then the meeting's page previews as
tasks of their own, so meetings overlap the rendering of documents they do not need."""
from __future__ import annotations

import dataclasses
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .pipeline import Built, Job
from .progress import Progress

if TYPE_CHECKING:
    from .distribution import MeetingBuild


def _meeting_in_worker(project: Path, meeting, documents: dict):  # type: ignore[no-untyped-def]
    """A meeting's outputs, without previews: those are drawn as tasks of their own."""
    from .errors import BriefkitError
    from .meeting_pipeline import build_meeting

    try:
        return build_meeting(project, meeting, documents, draw_previews=False)
    except BriefkitError as exc:
        return exc.exit_code, exc.report()


def run_all(project: Path, jobs: list[Job], meetings: list, ready: dict[str, Built], workers: int,
            last: dict[str, dict] | None = None,
            is_fresh: Callable[[Any, dict[str, Built]], bool] = lambda *_: False) -> tuple[list[Built], list]:
    """Render `jobs`, then assemble `meetings` (needing documents from `ready` or `jobs`).

    `last` holds what the cache recorded of each document (see render_job). A meeting is assembled
    unless `is_fresh(meeting, its documents)` says its outputs stand. Returns the documents
    rendered (or kept, when their template made what it made last time) and, in the order given,
    the meeting builds (None for a meeting whose outputs stand).
    """
    from .meeting_pipeline import build_meeting
    from .previews import render_pages, wanted
    from .render import pool, raise_reported, render_in_worker, render_job, warm_up

    progress = Progress("rendering documents", len(jobs), threshold=20)
    last = last or {}
    warm_up(project, jobs + [m.documents[0] for m in meetings])
    if workers <= 1 or len(jobs) + len(meetings) <= 1:
        rendered = []
        for job in jobs:
            rendered.append(render_job(project, job, last.get(job.path)))
            progress.update(len(rendered))
        available = {**ready, **{b.job.path: b for b in rendered}}
        return rendered, [None if is_fresh(meeting, available) else build_meeting(project, meeting, available)
                          for meeting in meetings]
    needed = {job.path for meeting in meetings for job in meeting.documents}
    # documents that meetings wait for first, then the longest, so no core idles at the end
    order = deque(sorted(range(len(jobs)), key=lambda i: (jobs[i].path not in needed, -jobs[i].kind.default_pages)))
    available = dict(ready)
    rendered: dict[str, Built] = {}
    assembled: dict[str, MeetingBuild | None] = {}
    waiting = list(meetings)
    with pool(workers, jobs) as executor:
        running: dict[Future, tuple[str, object]] = {}

        def submit() -> None:
            """Ready meetings go first (as do a meeting's previews, queued when it returns);
            documents are handed out one per free worker, so later work never queues behind them all."""
            nonlocal waiting
            waiting = _submit_ready(executor, project, waiting, available, running, is_fresh, assembled)
            while order and len(running) < workers:
                index = order.popleft()
                job = jobs[index]
                running[executor.submit(render_in_worker, project, index, last.get(job.path))] = ("document", job)

        submit()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind, item = running.pop(future)
                [outcome] = raise_reported([future.result()])
                if kind == "document":
                    outcome = dataclasses.replace(outcome, job=item)
                    rendered[item.path] = available[item.path] = outcome  # type: ignore[attr-defined]
                    progress.update(len(rendered))
                elif kind == "meeting":
                    assembled[item.slug] = outcome  # type: ignore[attr-defined]
                    for output in outcome.outputs:
                        if wanted({"path": output.path, **output.entry}):
                            running[executor.submit(render_pages, output.data)] = ("previews", (outcome, output.path))
                else:
                    meeting_build, path = item  # type: ignore[misc]
                    meeting_build.previews[path] = outcome
            submit()
    return [rendered[job.path] for job in jobs], [assembled[m.slug] for m in meetings]


def _submit_ready(executor, project: Path, waiting: list, available: dict, running: dict,  # type: ignore[no-untyped-def]
                  is_fresh: Callable[[Any, dict[str, Built]], bool], assembled: dict) -> list:
    """Submit each waiting meeting whose documents are all ready (or note it as standing, None);
    return those still waiting."""
    still = []
    for meeting in waiting:
        if not all(job.path in available for job in meeting.documents):
            still.append(meeting)
            continue
        documents = {job.path: available[job.path] for job in meeting.documents}
        if is_fresh(meeting, documents):
            assembled[meeting.slug] = None
        else:
            running[executor.submit(_meeting_in_worker, project, meeting, documents)] = ("meeting", meeting)
    return still
