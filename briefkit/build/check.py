"""`check`: the outputs already built, checked again against what the input now expects; and
`--source-text`: every quotation and locator checked against the source."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..render.checks import Check
from ..render.job import Job
from .session import BuildSession


def recheck(session: BuildSession, jobs: list[Job]) -> list[tuple[str, list[Check]]]:
    """Each document's checks, run again on the PDF on disk; first, that it is the one the
    manifest lists."""
    from ..publish.atomic import recover_under_lock
    from ..publish.manifest import read_manifest
    from ..render.checks import check_pdf

    project = session.project
    recover_under_lock(project)
    entries = {e.get("path"): e for e in read_manifest(project)["outputs"] if isinstance(e, dict)}
    results = []
    for job in jobs:
        path = project.file(job.path)
        if not path.is_file():
            results.append((job.path, [Check("exists", False, "not built yet: build it first")]))
            continue
        data = path.read_bytes()
        _, expected = session.markup(job)
        same = entries.get(job.path, {}).get("sha256") == hashlib.sha256(data).hexdigest()
        checks = [Check("manifest", same, "sha256 matches the manifest" if same else "file differs from the manifest")]
        results.append((job.path, checks + check_pdf(data, expected)))
    return results


def verify_sources(jobs: list[Job], source: Path, coverage: bool, say: Callable[[str], None]) -> None:
    """Every quotation verbatim where it says, every locator within the source; or InputError."""
    from ..inputs.provenance import coverage_report, read_paragraphs, verify

    paragraphs = read_paragraphs(source)
    sets = list({job.content.name: job.content for job in jobs}.values())
    problems = [p for content in sets for p in verify(content, paragraphs, str(source))]
    if problems:
        raise InputError(problems)
    quotes = sum(len(c.quotes.quotes) for c in sets)
    say(f"source text: {quotes} quotations verbatim and every locator within {len(paragraphs)} paragraphs of {source}")
    if coverage:
        say(coverage_report(sets, paragraphs))
