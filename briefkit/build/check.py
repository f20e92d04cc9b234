"""`check`: every output the manifest lists, checked again on disk.

Each file must be there with the SHA-256 the manifest records. Then the checks the build ran on
it run again: a document's against what the input now expects; a packet's, register's and
handout's against their own pages (page count, fonts, metadata, tags); each numbered copy's
stamp, identifier and structure against the packet on disk, as the build checked them; the
register CSV's rows against the copies the manifest lists. A document the input plans that the
manifest does not list is reported as not built yet.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from collections import defaultdict
from typing import Any

from pypdf.errors import PdfReadError

from ..render.checks import Check
from ..render.job import Job
from .scope import Scope, Selection
from .session import BuildSession

# what reading a damaged PDF can raise, in pypdf and in the checks that read it
DAMAGED = (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError)


def recheck(session: BuildSession, jobs: list[Job],
            selection: Selection = Selection()) -> list[tuple[str, list[Check]]]:
    """(path, its checks) for every output the manifest lists within `selection`, and for every
    planned document it does not list."""
    from ..publish.atomic import recover_under_lock
    from ..publish.manifest import load_manifest

    project = session.project
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is reported as a failed check, once
    recover_under_lock(project)
    manifest = load_manifest(project)
    if manifest is None:
        return [(project.relative(project.manifest),
                 [Check("manifest", False, "cannot be read: a build writes it again from the outputs and the cache")])]
    scope = Scope.of(project, selection)
    listed = [e for e in manifest["outputs"] if scope.covers(e) or e["path"] in {job.path for job in jobs}]
    by_meeting: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in manifest["outputs"]:
        if entry.get("meeting"):
            by_meeting[str(entry["meeting"])].append(entry)
    planned = {job.path: job for job in jobs}
    results = []
    identifiers: dict[str, set[str]] = defaultdict(set)
    for entry in sorted(listed, key=lambda e: e["path"]):
        path = entry["path"]
        try:
            data = project.file(path).read_bytes()
        except OSError as exc:
            missing = isinstance(exc, FileNotFoundError)
            detail = "missing: the manifest lists it, the folder does not have it" if missing \
                else f"cannot be read: {exc.strerror}"
            results.append((path, [Check("exists", False, detail)]))
            continue
        same = entry.get("sha256") == hashlib.sha256(data).hexdigest()
        checks = [Check("manifest", same, "sha256 matches the manifest" if same
                        else "file differs from the manifest (changed, truncated or replaced)")]
        meeting = by_meeting.get(str(entry.get("meeting")), [])
        try:
            checks += _checks(session, entry, data, planned.get(path), meeting, identifiers[str(entry.get("meeting"))])
        except DAMAGED as exc:
            checks.append(Check("readable", False, f"cannot be read: {exc}"))
        results.append((path, checks))
    for job in jobs:
        if job.path not in {e["path"] for e in manifest["outputs"]}:
            results.append((job.path, [Check("exists", False, "not built yet: build it first")]))
    return results


def as_json(results: list[tuple[str, list[Check]]]) -> str:
    ok = all(c.ok for _, checks in results for c in checks)
    return json.dumps({"ok": ok, "outputs": [
        {"path": path, "ok": all(c.ok for c in checks), "checks": [c.as_json() for c in checks]}
        for path, checks in results]}, indent=2, ensure_ascii=False)


def lines(results: list[tuple[str, list[Check]]], verbose: bool = False) -> list[tuple[bool, str]]:
    """(a failure?, text) for each line `check` prints: one per output, then its failed checks
    (every check, with `verbose`)."""
    said = []
    for path, checks in results:
        bad = [c for c in checks if not c.ok]
        said.append((bool(bad), f"{'FAIL' if bad else 'ok  '} {path}  {len(checks) - len(bad)}/{len(checks)} "
                                 "checks passed"))
        said += [(not c.ok, f"    {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}") for c in (checks if verbose else bad)]
    return said


def _checks(session: BuildSession, entry: dict[str, Any], data: bytes, job: Job | None,
            meeting: list[dict[str, Any]], identifiers: set[str]) -> list[Check]:
    from ..meetings.checks import check_handout
    from ..render.checks import check_pdf

    kind = entry.get("kind")
    if kind == "copy":
        return _copy_checks(session, entry, data, meeting, identifiers)
    if kind == "register" and entry["path"].endswith(".csv"):
        return _register_rows(data, meeting)
    if kind == "handout":
        packet = _packet(meeting)
        return check_handout(data, int(packet.get("pages", 0)) if packet else 0)
    if job is not None:
        _, expected = session.markup(job)
        return check_pdf(data, expected)
    checks = check_pdf(data, None, tagged=bool(entry.get("tagged", True)))
    if kind == "packet":
        checks.append(_packet_parts(data))
    return [_page_count(data, entry), *checks]


def _packet_parts(packet: bytes) -> Check:
    """The packet's structure: the cover, then a Part per document, titled as its outline."""
    from pypdf import PdfReader

    from ..render.checks import part_titles

    titles = [item.title for item in PdfReader(io.BytesIO(packet)).outline if not isinstance(item, list)]
    parts = part_titles(packet)
    ok = bool(titles) and parts[1:] == titles
    return Check("structure-parts", ok, f"{len(parts)} parts, as the outline" if ok
                 else f"parts {parts}, outline {titles}")


def _page_count(data: bytes, entry: dict[str, Any]) -> Check:
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    return Check("page-count", pages == entry.get("pages"), f"{pages} pages, the manifest says {entry.get('pages')}")


def _packet(meeting: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((e for e in meeting if e.get("kind") == "packet"), None)


def _copy_checks(session: BuildSession, entry: dict[str, Any], data: bytes, meeting: list[dict[str, Any]],
                 identifiers: set[str]) -> list[Check]:
    """A copy's checks as the build ran them: against the packet on disk, with the stamp worded
    by the labels of the packet's language (the first copy's text read too)."""
    from pypdf import PdfReader

    from ..meetings.checks import check_copy
    from ..meetings.copies import CopySpec
    from ..render.checks import dictionary

    packet_entry = _packet(meeting)
    if packet_entry is None:
        return [Check("packet", False, "the manifest lists no packet for this copy's meeting")]
    try:
        packet = session.project.file(packet_entry["path"]).read_bytes()
        language = str(dictionary(PdfReader(io.BytesIO(packet)).trailer["/Root"]).get("/Lang", "en"))
    except DAMAGED as exc:
        return [Check("packet", False, f"the packet {packet_entry['path']} cannot be read: {exc}")]
    labels = session.labels(language)
    total = sum(1 for e in meeting if e.get("kind") == "copy")
    number, recipient = int(entry.get("copy", 0)), str(entry.get("recipient", ""))
    spec = CopySpec(number, total, recipient, str(entry.get("identifier", "")),
                    labels["copy_stamp"].format(number=number, total=total, recipient=recipient))
    return check_copy(data, spec, int(packet_entry.get("pages", 0)), full=number == 1, identifiers=identifiers,
                      packet=packet)


def _register_rows(data: bytes, meeting: list[dict[str, Any]]) -> list[Check]:
    """The register names every copy of the meeting, each with the SHA-256 the manifest has."""
    copies = {e["path"]: e.get("sha256") for e in meeting if e.get("kind") == "copy"}
    try:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        listed = {row["file"]: row["sha256"] for row in rows}
    except (UnicodeDecodeError, csv.Error, KeyError, TypeError) as exc:
        return [Check("register-rows", False, f"not a register: {exc}")]
    ok = listed == copies and len(rows) == len(copies)
    return [Check("register-rows", ok, f"{len(rows)} rows, one per copy, with the copies' SHA-256" if ok
                  else f"{len(rows)} rows do not match the {len(copies)} copies the manifest lists")]
