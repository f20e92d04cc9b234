"""Meetings: packets, numbered copies, the distribution register and handouts, end to end."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit.meetings.pages import plan_packet
from briefkit.meetings.assemble import recipient_slug
from briefkit.progress import Progress
from conftest import REPO, copy_project, tool

MEETING = "interagency-roundtable"
FOLDER = f"briefings/meetings/{MEETING}"
MEETING_FILE = f"content/meetings/{MEETING}.yaml"


@pytest.fixture(scope="module")
def meeting_built(tmp_path_factory):
    from briefkit.cli import main

    root = copy_project(tmp_path_factory.mktemp("meetings") / "project", audiences=None)
    assert main(["-q", "--meeting", MEETING], project=root) == 0
    return root


@pytest.fixture
def meeting_project(tmp_path):
    return copy_project(tmp_path / "project", audiences=None)


def _manifest(project: Path) -> list[dict]:
    return json.loads((project / "briefings/manifest.json").read_text())["outputs"]


def _recipients(project: Path) -> list[str]:
    return re.findall(r'name: "(.*?)"', (project / MEETING_FILE).read_text())


def test_packet_is_cover_then_documents_each_on_a_right_hand_page(meeting_built):
    entries = {(e["kind"], e.get("meeting")): e for e in _manifest(meeting_built)}
    documents = [entries[(kind, None)] for kind in ("brief", "factsheet", "timeline")]
    counts = [e["pages"] for e in documents]
    plan = plan_packet(counts, right_hand_starts=True)
    reader = PdfReader(str(meeting_built / f"{FOLDER}/{MEETING}-packet.pdf"))
    assert len(reader.pages) == 1 + sum(counts) + len(plan.blanks) == entries[("packet", MEETING)]["pages"]
    assert all(start % 2 == 0 for start in plan.starts), "0-based even index = a right-hand page"
    assert all(reader.page_labels[start] in ("1", "3", "5", "7", "9") for start in plan.starts), \
        "right-hand pages carry odd numbers"
    for start, document in zip(plan.starts, documents):
        assert reader.pages[start].mediabox == PdfReader(str(meeting_built / document["path"])).pages[0].mediabox
    for blank in plan.blanks:
        assert "intentionally blank" in reader.pages[blank].extract_text()


@pytest.mark.parametrize("counts, right_hand, labels", [
    ([1, 2, 2], True, ["Cover", "Inside cover", "1", "2", "3", "4", "5", "6"]),
    ([2, 1, 3], True, ["Cover", "Inside cover", "1", "2", "3", "4", "5", "6", "7"]),
    ([1, 2, 2], False, ["Cover", "1", "2", "3", "4", "5"]),
    ([3], True, ["Cover", "Inside cover", "1", "2", "3"]),
])
def test_packet_numbering_puts_odd_numbers_on_right_hand_pages(counts, right_hand, labels):
    from briefkit.meetings.pages import PacketWords

    plan = plan_packet(counts, right_hand_starts=right_hand)
    words = PacketWords("Cover", "Inside cover", "{line} · page {page} of {pages}", "blank")
    assert [words.label(plan, index) for index in range(plan.total)] == labels
    if right_hand:
        assert plan.blanks[0] == 1, "the back of the cover is blank"
        for start in plan.starts:
            assert start % 2 == 0 and plan.number(start) % 2 == 1, (start, plan.number(start))
    assert plan.numbered == plan.total - plan.front == len(labels) - plan.front


def test_packet_has_outline_page_labels_and_running_line(meeting_built):
    reader = PdfReader(str(meeting_built / f"{FOLDER}/{MEETING}-packet.pdf"))
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["One-page policy brief", "Fact sheet", "Timeline of dated events"]
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert len(nested) == 3 and any(child.title == "Key judgments" for child in nested[0])
    assert any(child.title == "Glossary" for child in nested[1])
    labels = [reader.page_labels[i] for i in range(len(reader.pages))]
    assert labels == ["Cover", "Inside cover"] + [str(i) for i in range(1, len(reader.pages) - 1)]
    numbered = len(reader.pages) - 2
    inside = " ".join(reader.pages[1].extract_text().split())
    assert inside == "This page is intentionally blank.", "the cover's back carries no number"
    for number, page in enumerate(reader.pages[2:], start=1):
        text = " ".join(page.extract_text().split())
        assert "Interagency roundtable on North Korea-China relations · 3 December 2026" in text
        assert f"page {number} of {numbered}" in text, "the running line prints the page label"
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Contents" in cover and "Starts on page" in cover and "FOR DISCUSSION" in cover
    assert "Page 1 of 1" not in cover and not re.search(r"\bpage \d+ of \d+", cover, re.I), \
        "the cover does not claim a page number of its own"
    starts = re.findall(r"(?:policy brief|Fact sheet|Timeline of dated events) (\d) (\d)", cover)
    assert [start for _, start in starts] == ["1", "3", "5"], "the contents give the printed page numbers"


def test_every_recipient_gets_a_stamped_copy_with_a_unique_identifier(meeting_built):
    names = _recipients(meeting_built)
    copies = sorted((meeting_built / FOLDER / "copies").glob("*.pdf"))
    assert len(copies) == len(names) == 6
    identifiers = set()
    for number, (path, name) in enumerate(zip(copies, names), start=1):
        assert path.name.startswith(f"{MEETING}-copy-{number}-{recipient_slug(name)}")
        reader = PdfReader(str(path))
        stamp = f"Copy {number} of {len(names)} · {name}"
        for page in reader.pages:
            assert stamp in " ".join(page.extract_text().split()), (path.name, stamp)
        identifier = reader.metadata["/CopyIdentifier"]
        assert identifier.startswith(f"{MEETING}-{number:03d}-")
        identifiers.add(identifier)
    assert len(identifiers) == len(names)


def test_copies_are_the_packet_plus_an_incremental_update(meeting_built):
    packet = (meeting_built / f"{FOLDER}/{MEETING}-packet.pdf").read_bytes()
    copies = [p.read_bytes() for p in sorted((meeting_built / FOLDER / "copies").glob("*.pdf"))]
    for copy in copies:
        assert copy.startswith(packet.rstrip(b"\n")), "the packet's bytes are untouched"
        assert copy.count(b"%%EOF") == packet.count(b"%%EOF") + 1
    qpdf = tool("qpdf")
    for path in sorted((meeting_built / FOLDER / "copies").glob("*.pdf"))[:2]:
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and "WARNING" not in result.stdout.upper(), result.stdout


def test_register_lists_every_copy_and_its_hash_matches_the_file(meeting_built):
    rows = list(csv.DictReader(io.StringIO((meeting_built / f"{FOLDER}/{MEETING}-register.csv").read_text(encoding="utf-8-sig"))))
    assert [row["recipient"] for row in rows] == _recipients(meeting_built)
    for row in rows:
        data = (meeting_built / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert PdfReader(io.BytesIO(data)).metadata["/CopyIdentifier"] == row["copy_identifier"]
    text = " ".join(" ".join(p.extract_text().split()) for p in
                    PdfReader(str(meeting_built / f"{FOLDER}/{MEETING}-register.pdf")).pages)
    for row in rows:
        assert row["recipient"] in text and row["copy_identifier"].split("-")[-1] in text


def test_handout_puts_two_pages_on_each_landscape_sheet(meeting_built):
    packet = PdfReader(str(meeting_built / f"{FOLDER}/{MEETING}-packet.pdf"))
    handout = PdfReader(str(meeting_built / f"{FOLDER}/{MEETING}-handout.pdf"))
    assert len(handout.pages) == (len(packet.pages) + 1) // 2
    for sheet in handout.pages:
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (792, 612)  # Letter
    assert "Contents" in handout.pages[0].extract_text(), "reading order: the cover first"


def test_manifest_lists_meeting_outputs_with_kinds_and_checks(meeting_built):
    entries = [e for e in _manifest(meeting_built) if e.get("meeting") == MEETING]
    kinds = sorted(e["kind"] for e in entries)
    assert kinds == sorted(["packet", "handout", "register", "register"] + ["copy"] * 6)
    for entry in entries:
        assert entry["sha256"] == hashlib.sha256((meeting_built / entry["path"]).read_bytes()).hexdigest()
        assert all(check["ok"] for check in entry["checks"]), entry
    copy_checks = {c["name"] for e in entries if e["kind"] == "copy" for c in e["checks"]}
    assert {"stamp", "identifier", "page-count"} <= copy_checks


def test_copy_checks_fail_without_the_recipients_stamp(meeting_built):
    from briefkit.meetings.checks import check_copy
    from briefkit.meetings.copies import CopySpec

    [entry] = [e for e in _manifest(meeting_built) if e.get("meeting") == MEETING and e.get("copy") == 1]
    copy, pages = (meeting_built / entry["path"]).read_bytes(), entry["pages"]
    packet = (meeting_built / f"{FOLDER}/{MEETING}-packet.pdf").read_bytes()
    right = CopySpec(1, 6, entry["recipient"], entry["identifier"], f"Copy 1 of 6 \u00b7 {entry['recipient']}")
    wrong_name = CopySpec(1, 6, "Someone Else", entry["identifier"], "Copy 1 of 6 \u00b7 Someone Else")

    def stamp(data: bytes, spec: CopySpec) -> dict:
        [check] = [c for c in check_copy(data, spec, pages, full=True, identifiers=set(), packet=packet) if c.name == "stamp"]
        return {"ok": check.ok, "detail": check.detail}

    missing = "stamp missing, or not an artifact, on pages"
    assert stamp(copy, right)["ok"]
    assert stamp(copy, wrong_name) == {"ok": False, "detail": f"{missing} [1]"}  # read by pypdf
    assert stamp(packet, right) == {"ok": False, "detail": f"{missing} {list(range(1, pages + 1))}"}
    untagged = copy.replace(b"/Artifact <</Type /Pagination /Subtype /Header>> BDC q", b"/Artefact <</Type /Pagination /Subtype /Header>> BDC q")
    assert untagged != copy
    assert stamp(untagged, right) == {"ok": False, "detail": f"{missing} {list(range(1, pages + 1))}"}


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace('name: "Priya Raman"', 'name: "Dana Whitfield"'), r"recipients\[2\]\.name: 'Dana Whitfield' is already recipient 1"),
    (lambda t: t[:t.index("recipients:")] + "recipients: []\n", r"recipients: list at least one recipient"),
    (lambda t: t.replace("audience: us-staff", "audience: us-staf"), r"audience: no audience 'us-staf' \(did you mean 'us-staff'\?\)"),
    (lambda t: t.replace("documents: [brief, factsheet, timeline]", "documents: [brief, memo]"), r"documents\[1\]: no document kind 'memo'"),
    (lambda t: t.replace("title: ", "title: [unclosed"), r"YAML syntax"),
])
def test_bad_meeting_files_are_located_errors_and_change_nothing(meeting_project, cli, change, message):
    assert cli(meeting_project, "--meeting", MEETING, "-q").code == 0
    before = {p: p.read_bytes() for p in (meeting_project / "briefings").rglob("*") if p.is_file()}
    path = meeting_project / MEETING_FILE
    path.write_text(change(path.read_text()))
    result = cli(meeting_project, "--meeting", MEETING)
    assert result.code == 1, result.output
    assert re.search(rf"{re.escape(MEETING_FILE)}(:\d+:\d+)?: .*{message}", result.err), result.err
    assert "Traceback" not in result.err
    after = {p: p.read_bytes() for p in (meeting_project / "briefings").rglob("*") if p.is_file()}
    assert after == before


def test_fewer_recipients_replace_the_whole_set_of_copies(meeting_project, cli):
    assert cli(meeting_project, "--meeting", MEETING, "-q").code == 0
    path = meeting_project / MEETING_FILE
    lines = [line for line in path.read_text().splitlines() if "Samuel Adeyemi" not in line and "Helen" not in line]
    path.write_text("\n".join(lines) + "\n")
    assert cli(meeting_project, "--meeting", MEETING, "-q").code == 0
    copies = sorted((meeting_project / FOLDER / "copies").glob("*.pdf"))
    assert len(copies) == 4
    assert all("of 4" in PdfReader(str(p)).pages[0].extract_text() for p in copies)
    listed = [e["path"] for e in _manifest(meeting_project) if e["kind"] == "copy"]
    assert sorted(listed) == sorted(str(p.relative_to(meeting_project)) for p in copies)


def test_unknown_meeting_is_a_usage_error(meeting_project, cli):
    result = cli(meeting_project, "--meeting", "interagency")
    assert result.code == 2 and "did you mean 'interagency-roundtable'" in result.err


def test_progress_is_shown_for_many_copies(capsys):
    progress = Progress("stamping copies", 400)
    for done in range(1, 401):
        progress.update(done)
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"stamping copies: 400/400 \(\d+\.\d s\)", lines[-1]) and 5 <= len(lines) <= 12
    Progress("stamping copies", 20).update(1)
    assert capsys.readouterr().err == "", "quiet for small meetings"


def test_progress_draws_a_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    stream = Terminal()
    progress = Progress("rendering documents", 40, threshold=20, stream=stream)
    for done in (10, 40):
        progress.update(done)
    assert "\rrendering documents: [######..................] 10/40" in stream.getvalue()
    assert stream.getvalue().endswith(" s\n") and "[########################] 40/40" in stream.getvalue()


def test_shipped_meetings_use_different_audiences():
    audiences = {re.search(r"^audience: (\S+)", p.read_text(), re.M)[1] for p in (REPO / "content/meetings").glob("*.yaml")}
    assert len(audiences) >= 2


def test_meeting_outputs_are_reproducible(meeting_project, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    hashes = []
    for _ in range(2):
        assert cli(meeting_project, "--meeting", "principals-prebrief", "-q").code == 0
        folder = meeting_project / "briefings/meetings/principals-prebrief"
        hashes.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*.*")})
    assert hashes[0] == hashes[1] and len(hashes[0]) >= 7
