"""Recipients and the register as people use them: a CSV file from a spreadsheet, names in any
Unicode form, names that are not names (formulas, control characters, paragraphs), and a build
that says what it finished as it finishes."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit.meetings.register import register_csv
from conftest import copy_project, pdf_text, snapshot

SLUG = "csv-meeting"
MEETING_FILE = f"content/meetings/{SLUG}.yaml"
CSV_FILE = f"content/meetings/{SLUG}.csv"
FOLDER = f"briefings/meetings/{SLUG}"
MEETING = f"""title: "Review"
date: 2026-12-03
place: "Room 2"
organiser: "Research"
audience: analysts
content_set: nk-china
documents: [brief]
recipients_file: {SLUG}.csv
"""
NFD_NAME = unicodedata.normalize("NFD", "Élodie Marchand")
GOOD_CSV = ("Name,Organisation,Role,Email\r\n"
            f"{NFD_NAME},Ministry of Foreign Affairs,\"Note-taker, senior\",e.marchand@example.org\r\n"
            "=HYPERLINK(\"http://example.org\"),+44 Office,-role,@handle\r\n"
            "Dana Whitfield,Department of State,,\r\n"
            ",,,\r\n")  # a row of empty cells, as spreadsheets leave at the end


def _meeting_project(root: Path, csv_text: str | bytes, meeting: str = MEETING) -> Path:
    project = copy_project(root, audiences=None)
    (project / MEETING_FILE).write_text(meeting, encoding="utf-8")
    data = csv_text if isinstance(csv_text, bytes) else b"\xef\xbb\xbf" + csv_text.encode("utf-8")  # as Excel saves
    (project / CSV_FILE).write_bytes(data)
    return project


@pytest.fixture(scope="module")
def csv_built(tmp_path_factory):
    from briefkit.cli import main

    project = _meeting_project(tmp_path_factory.mktemp("csv") / "project", GOOD_CSV)
    assert main(["-q", "--meeting", SLUG], project=project) == 0
    return project


def test_recipients_come_from_a_csv_file_saved_with_a_byte_order_mark(csv_built):
    copies = sorted((csv_built / FOLDER / "copies").glob("*.pdf"))
    assert len(copies) == 3
    first = PdfReader(str(copies[0]))
    assert first.metadata["/CopyRecipient"] == unicodedata.normalize("NFC", NFD_NAME)  # one form, for the font
    assert "Copy 1 of 3 \u00b7 \u00c9lodie Marchand" in " ".join(first.pages[0].extract_text().split())
    rows = list(csv.DictReader(io.StringIO((csv_built / FOLDER / f"{SLUG}-register.csv").read_text(encoding="utf-8-sig"))))
    assert [row["role"] for row in rows] == ["Note-taker, senior", "'-role", ""]
    assert rows[0]["email"] == "e.marchand@example.org"


def test_register_csv_has_a_bom_and_shows_formulas_as_text(csv_built):
    data = (csv_built / FOLDER / f"{SLUG}-register.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcopy,recipient,")  # Excel then reads UTF-8, not Latin-1
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1]["recipient"] == "'=HYPERLINK(\"http://example.org\")"
    assert (rows[1]["organisation"], rows[1]["email"]) == ("'+44 Office", "'@handle")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
    # the stamp and the PDF register print the name as it was given: only the CSV needs the guard
    assert rows[1]["file"].endswith("-hyperlink-http-example-org.pdf")


def test_register_csv_neutralises_every_formula_start():
    rows = [{"number": 1, "recipient": start + "SUM(A1)", "organisation": "Org", "role": "", "email": "",
             "identifier": "x-001", "sha256": "0" * 64, "file": "f.pdf"} for start in ("=", "+", "-", "@", "\t", "\r")]
    read = list(csv.reader(io.StringIO(register_csv(rows).decode("utf-8-sig"), newline="")))
    assert [row[1] for row in read[1:]] == ["'=SUM(A1)", "'+SUM(A1)", "'-SUM(A1)", "'@SUM(A1)", "'\tSUM(A1)", "'\rSUM(A1)"]


def test_register_pdf_has_a_received_column_to_sign(csv_built):
    text = pdf_text(csv_built / FOLDER / f"{SLUG}-register.pdf")
    assert "Received" in text and text.count("Signature and date:") == 3


def test_every_language_labels_the_received_column():
    from conftest import REPO

    for path in sorted((REPO / "templates/labels").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^received_column: \S", text, re.M) and re.search(r"^received_prompt: \S", text, re.M), path.name


LONG_NAME_CSV = f"organisation,name\nState,Dana Whitfield\n\"Treasury, East\",{'Name ' * 60}\n"


@pytest.mark.parametrize("csv_text, message", [
    ("name,organisation\nDana,State\n,Treasury\n", r"csv-meeting\.csv:3:1: row 3, column name: must not be empty"),
    ("name,organisation\nDana,State\nPriya,Treasury,extra\n", r"csv-meeting\.csv:3:16: row 3: has 3 cells"),
    ("nmae,organisation\nDana,State\n", r"csv-meeting\.csv:1:1: row 1: unknown column 'nmae' \(did you mean 'name'\?\)"),
    ("organisation,role\nState,x\n", r"csv-meeting\.csv:1:1: row 1: no 'name' column"),
    ('name,organisation\n"Dana\nWhitfield",State\n', r"csv-meeting\.csv:2:1: row 2, column name: contains a line break"),
    ("name,organisation\nDana,State\nDANA,Treasury\n", r"csv-meeting\.csv:3:1: row 3, column name: 'DANA' is already recipient 1"),
    (b"name,organisation\nH\xe9l\xe8ne,State\n", r"csv-meeting\.csv:2:2: is not valid UTF-8"),
    ("name,organisation\n", r"csv-meeting\.csv:1:1: .*lists no recipients"),
    # a name in a column other than the first is located at its cell, not at the row
    (LONG_NAME_CSV, r"csv-meeting\.csv:3:18: row 3, column name: 'Name Name .*\u2026' is too long for the copy stamp"
                    r".*\n    3 \| \"Treasury, East\",Name .*\n      \| {18}\^\n"),
    ('organisation,name\nState,"Dana\tWhitfield"\n', r"csv-meeting\.csv:2:7: row 2, column name: contains a tab \(U\+0009\)"),
    ("organisation,name\nState,Dana\x07Whitfield\n", r"csv-meeting\.csv:2:7: row 2, column name: contains the control character U\+0007"),
    ("organisation,name\nState,Dana\nTreasury,DANA\n", r"csv-meeting\.csv:3:10: row 3, column name: 'DANA' is already recipient 1"),
])
def test_bad_csv_rows_are_located_errors_and_change_nothing(tmp_path, cli, csv_text, message):
    project = _meeting_project(tmp_path / "project", csv_text)
    before = snapshot(project / "briefings")
    result = cli(project, "--meeting", SLUG)
    assert result.code == 1, result.output
    assert re.search(message, result.err), result.err
    assert "Traceback" not in result.err
    assert snapshot(project / "briefings") == before


@pytest.mark.parametrize("line, message", [
    (f"recipients_file: ../{SLUG}.csv", r"recipients_file: '\.\./csv-meeting\.csv' must name a \.csv file in content/meetings/"),
    ("recipients_file: missing.csv", r"content/meetings/missing\.csv: does not exist"),
    (f"recipients_file: {SLUG}.csv\nrecipients: [{{name: A, organisation: B}}]", r"give recipients or recipients_file, not both"),
])
def test_recipients_file_must_be_a_csv_beside_the_meeting(tmp_path, cli, line, message):
    project = _meeting_project(tmp_path / "project", GOOD_CSV, MEETING.replace(f"recipients_file: {SLUG}.csv", line))
    result = cli(project, "--meeting", SLUG)
    assert result.code == 1 and re.search(message, result.err), result.err


def _yaml_meeting(names: list[str]) -> str:
    listed = "".join(f'  - {{name: "{name}", organisation: "Org"}}\n' for name in names)
    return MEETING.replace(f"recipients_file: {SLUG}.csv\n", "recipients:\n" + listed)


@pytest.mark.parametrize("names, message", [
    (["\u00c9lodie Marchand", NFD_NAME], r":10:12: recipients\[1\]\.name: '.*' is already recipient 1"),
    (["\u00c9lodie Marchand", "\u00c9LODIE  MARCHAND"], r":10:12: recipients\[1\]\.name: '.*' is already recipient 1"),
    (["Dana\\tWhitfield"], r":9:12: recipients\[0\]\.name: contains a tab \(U\+0009\)"),
    (["Dana\\nWhitfield"], r":9:12: recipients\[0\]\.name: contains a line break \(U\+000A\)"),
    (["Dana\\u0007Whitfield"], r":9:12: recipients\[0\]\.name: contains the control character U\+0007"),
])
def test_names_are_compared_in_one_unicode_form_and_control_characters_are_located(tmp_path, cli, names, message):
    project = _meeting_project(tmp_path / "project", GOOD_CSV, _yaml_meeting(names))
    result = cli(project, "--meeting", SLUG)
    assert result.code == 1, result.output
    assert re.search(re.escape(MEETING_FILE) + message, result.err), result.err


def test_a_recipient_after_one_that_is_not_a_mapping_keeps_its_key_path(tmp_path, cli):
    meeting = MEETING.replace(f"recipients_file: {SLUG}.csv\n", 'recipients:\n  - "A. Reader"\n'
                              '  - {name: "Dana\\tWhitfield", organisation: "Org"}\n')
    project = _meeting_project(tmp_path / "project", GOOD_CSV, meeting)
    result = cli(project, "--meeting", SLUG)
    assert result.code == 1, result.output
    assert f"{MEETING_FILE}:9:5: recipients[0]: expected a mapping of keys, got text" in result.err, result.err
    assert f"{MEETING_FILE}:10:12: recipients[1].name: contains a tab (U+0009)" in result.err, result.err


def test_a_name_too_long_for_the_stamp_is_a_located_error(tmp_path, cli):
    project = _meeting_project(tmp_path / "project", GOOD_CSV, _yaml_meeting(["Dana Whitfield", "Name " * 60]))
    before = snapshot(project / "briefings")
    result = cli(project, "--meeting", SLUG, "--force")  # the brief is made again, and said, before the meeting fails
    assert result.code == 1, result.output
    assert result.out.startswith("built ") and result.out.endswith(
        "stopped: what was built above is not published; the previous outputs are unchanged\n")
    assert re.search(re.escape(MEETING_FILE) + r":10:12: recipients\[1\]\.name: 'Name Name .*\u2026' is too long for the "
                     r"copy stamp \(\d+ pt wide, the page has room for \d+ pt\): shorten it to about \d+ characters\n"
                     r"    10 \|   - \{name: \"Name.*\n       \| {12}\^\n", result.err), result.err  # the caret under the value
    assert "stamp missing" not in result.err and "Traceback" not in result.err
    assert snapshot(project / "briefings") == before
    assert not list((project / "briefings").glob(".copies-*")), "the copies staged so far are removed"


def test_each_document_is_reported_as_it_finishes(tmp_path):
    """The lines of a build come while it runs, one per document, not all at once at the end."""
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen([sys.executable, "build.py", "--force", "--jobs", "1"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    arrivals = [(time.monotonic(), line) for line in iter(process.stdout.readline, "")]
    ended = time.monotonic()
    assert process.wait() == 0, process.stderr.read() if process.stderr else ""
    built = [(at, line) for at, line in arrivals if line.startswith("built ")]
    assert len(built) == 3 and len({line for _, line in built}) == 3
    assert ended - built[0][0] > 0.3, "the first document was reported only when the build ended"
    assert built[-1][0] - built[0][0] > 0.2, "the documents were reported together"
    assert arrivals[-2][1].startswith("3 documents built in") and arrivals[-1][1].startswith("previews: ")
    quiet = subprocess.run([sys.executable, "build.py", "--force", "--jobs", "1", "-q"], cwd=project,
                           capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


STREAM_PROBE = """
import json, sys, threading, time
from pathlib import Path
import briefkit.meetings.assemble as assemble
from briefkit.cli import main

def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

seen = {}
stream = assemble._stream_copies

def probed(*args, **kwargs):
    seen["before"] = peak = rss()
    done = threading.Event()
    def sample():
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, rss())
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        return stream(*args, **kwargs)
    finally:
        done.set()
        sampler.join()
        seen["during"] = max(peak, rss())

assemble._stream_copies = probed
code = main(sys.argv[1:], project=Path.cwd())
print(json.dumps({"code": code, **seen}))
"""


@pytest.mark.slow
def test_five_thousand_copies_stream_in_flat_memory(tmp_path):
    """Each copy is written as it is made: stamping, checking and writing 5,000 copies (about a
    gigabyte of PDFs) grows the process by a few megabytes (the register's rows), not by the copies.
    The build's peak is measured by the benchmark (python bench/run.py --only copies)."""
    project = _meeting_project(tmp_path / "project", "name,organisation\n" + "".join(
        f"Reader {n},Organisation {n % 9}\n" for n in range(5000)))
    probe = project / "probe.py"
    probe.write_text(STREAM_PROBE, encoding="utf-8")
    result = subprocess.run([sys.executable, str(probe), "-q", "--jobs", "1", "--meeting", SLUG], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    copies = list((project / FOLDER / "copies").glob("*.pdf"))
    assert len(copies) == 5000 and sum(p.stat().st_size for p in copies) > 500_000_000
    assert seen["during"] - seen["before"] < 60, seen  # MB: holding the copies would take a gigabyte
    assert not list((project / "briefings").glob(".copies-*"))


def test_a_finished_line_is_said_above_the_progress_bar():
    from briefkit.progress import Progress, finished, reporting

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = Progress("stamping copies", 400, stream=screen)
    bar.update(100)
    with reporting(lambda item: print(f"built {item}", file=screen)):
        finished("briefings/a.pdf")
    finished("said to no one")  # outside a build's reporting: silent
    shown = screen.getvalue()
    assert shown.count("\r\x1b[K") == 1, "the bar is erased before the line"
    erased = shown.split("\r\x1b[K")[1]
    assert erased.startswith("built briefings/a.pdf\n\rstamping copies: [######") and "100/400" in erased
    assert "said to no one" not in shown
    bar.update(400)
    assert Progress.drawn is None
