"""`check`: the outputs already built, checked again against what the input now expects."""
from __future__ import annotations

import hashlib

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
