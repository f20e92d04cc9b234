"""One build run: render what is stale, assemble meetings, publish, remember, report."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from .incremental import Cache, code_and_fonts
from .pipeline import Built, Job


def run_build(project: Path, jobs: list[Job], meetings: list, cache: bool, workers: int, verbose: bool,
              say: Callable[..., None], started: float, world: str | None) -> int:
    from .meeting_pipeline import meeting_key
    from .output import publish
    from .render import forget_environments, prepare, raise_failed_checks, record
    from .schedule import run_all

    forget_environments()
    previous = Cache.load(project) if cache else Cache(project)
    code = code_and_fonts()
    fresh, todo = prepare(project, jobs, previous if cache else None, code)
    meeting_keys: dict[str, str] = {}

    def key_of(meeting, documents: dict[str, Built]) -> str:  # type: ignore[no-untyped-def]
        """A meeting's key, computed once: when its documents are ready, and reused to record it."""
        if meeting.slug not in meeting_keys:
            meeting_keys[meeting.slug] = meeting_key(project, meeting, documents, code)
        return meeting_keys[meeting.slug]

    def meeting_is_fresh(meeting, documents: dict[str, Built]) -> bool:  # type: ignore[no-untyped-def]
        """Decided once its documents are ready: their PDFs are part of its key."""
        return cache and previous.meeting(meeting.slug, key_of(meeting, documents)) is not None
    last = {job.path: entry for job in todo if (entry := previous.last(job.path))}
    rendered, assembled = run_all(project, todo, meetings, fresh, workers, last, meeting_is_fresh)
    raise_failed_checks(rendered)
    results = {**fresh, **{b.job.path: b for b in rendered}}
    built = [results[job.path] for job in jobs]
    records = {item.job.path: record(project, item, code) for item in rendered}
    outputs = [b.output for b in rendered if not b.reused]  # a kept PDF is already in place
    prune: list[str] = []
    meeting_results, meeting_records, fresh_meetings = [], {}, 0
    for meeting, result in zip(meetings, assembled):
        if result is None:
            fresh_meetings += 1
            continue
        meeting_results.append((meeting, result))
        outputs += result.outputs
        prune += result.prune
        meeting_records[meeting.slug] = {"key": key_of(meeting, results), "outputs": [o.path for o in result.outputs]}
    remember = lambda: previous.record(world or "", records, meeting_records)  # noqa: E731
    if outputs:
        publish(project, outputs, prune, after=remember)
    elif world:
        from .output import briefings_folder, build_lock
        with build_lock(briefings_folder(project)):  # nothing changed: remember that, for the fast path
            remember()
    kept = {item.job.path for item in rendered if item.reused}
    summary = _report(built, kept, meeting_results, fresh_meetings, verbose, say, started)
    if outputs:
        drawn = {b.job.path: b.previews for b in rendered}
        for _, result in meeting_results:
            drawn.update(result.previews)
        _previews(project, say, drawn)
    say(summary)
    return 0


def _previews(project: Path, say: Callable[..., None], drawn: dict) -> None:
    """Page previews and briefings/index.html, after the PDFs are in place (they never block them)."""
    from .output import read_manifest
    from .previews import update_previews
    from .site import write_index

    manifest = read_manifest(project)
    rendered = update_previews(project, manifest, drawn)
    index = write_index(project, manifest)
    say(f"previews: {rendered} PDF{'s' if rendered != 1 else ''} rendered; overview: {index.relative_to(project)}")


def _report(built: list[Built], kept: set[str], meetings: list, fresh_meetings: int, verbose: bool,
            say: Callable[..., None], started: float) -> str:
    """Print a line per output built or kept; return the closing summary line."""
    for item in built:
        if item.job.path in kept:
            say(f"kept  {item.output.path}  its inputs changed but not its page markup: the PDF stands")
        if item.reused:
            continue
        passed = sum(c.ok for c in item.checks)
        shrink = f", type at {item.scale:.0%}" if item.scale < 1 else ""
        say(f"built {item.output.path}  {item.pages} page{'s' if item.pages > 1 else ''}, "
            f"{item.job.audience.profile.paper} {item.job.orientation}, "
            f"checks {passed}/{len(item.checks)} passed{shrink}")
        if verbose:
            for check in item.checks:
                say(f"    {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    for meeting, result in meetings:
        packet = result.outputs[0]
        copies = sum(1 for o in result.outputs if o.entry["kind"] == "copy")
        checks = sum(len(o.entry["checks"]) for o in result.outputs)
        say(f"built briefings/meetings/{meeting.slug}/  packet {packet.entry['pages']} pages, {copies} numbered "
            f"copies, register, handout; {checks} checks passed")
    rebuilt = sum(not item.reused for item in built)
    fresh = len(built) - rebuilt - len(kept) + fresh_meetings
    parts = [f"{rebuilt} document{'s' if rebuilt != 1 else ''}"]
    if meetings:
        parts.append(f"{len(meetings)} meeting{'s' if len(meetings) != 1 else ''}")
    summary = " and ".join(parts) + f" built in {time.perf_counter() - started:.2f} s"
    if kept:
        summary += f", {len(kept)} kept"
    if fresh:
        summary += f", {fresh} up to date"
    return summary + "; manifest: briefings/manifest.json"
