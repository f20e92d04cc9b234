"""Incremental and parallel builds: exactly what changed is rebuilt, and parallel output is identical."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import SET, copy_project, pdf_text

BRIEF = f"briefings/{SET}/analysts/{SET}-brief-analysts.pdf"


def _rebuilt(result) -> set[str]:  # type: ignore[no-untyped-def]
    """The outputs a build looked at again: laid out anew ("built"), or found to have the same page
    markup as before ("kept")."""
    return set(re.findall(r"^(?:built|kept) +(\S+)", result.out, re.M))


def _touch(project: Path, relative: str) -> None:
    with open(project / relative, "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n" if relative.endswith(".yaml") else "\n{# edited #}\n")


def test_nothing_changed_is_a_no_op(built_full, cli):
    result = cli(built_full)
    assert result.code == 0 and "nothing to rebuild" in result.out and not _rebuilt(result)


@pytest.mark.parametrize("edited, expected", [
    ("templates/audiences/press.yaml", {f"briefings/{SET}/press/{SET}-brief-press.pdf",
                                        f"briefings/{SET}/press/{SET}-factsheet-press.pdf"}),
    ("templates/timeline.xml.j2", {f"briefings/{SET}/analysts/{SET}-timeline-analysts.pdf",
                                   f"briefings/{SET}/us-staff/{SET}-timeline-us-staff.pdf",
                                   f"briefings/{SET}/rok-officials/{SET}-timeline-rok-officials.pdf"}),
    ("content/meetings/principals-prebrief.yaml", {"briefings/meetings/principals-prebrief/"}),
    ("templates/cover.xml.j2", {"briefings/meetings/interagency-roundtable/",
                                "briefings/meetings/principals-prebrief/"}),
])
def test_an_edit_rebuilds_exactly_what_depends_on_it(built_full, cli, edited, expected):
    _touch(built_full, edited)
    result = cli(built_full)
    assert result.code == 0, result.output
    assert _rebuilt(result) == expected


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_meetings_alone_are_rebuilt_in_one_process_or_several(built_full, cli, jobs):
    """With no document to render, the meetings still run (in parallel, nothing else starts them)."""
    _touch(built_full, "templates/cover.xml.j2")
    result = cli(built_full, "--jobs", jobs)
    assert result.code == 0, result.output
    assert _rebuilt(result) == {"briefings/meetings/interagency-roundtable/", "briefings/meetings/principals-prebrief/"}


@pytest.mark.parametrize("edited, meetings", [
    (f"content/{SET}/summary.yaml", 0),  # a comment: no page prints it, so meetings stand
    ("templates/base.xml.j2", 2),        # the cover and register extend it
    ("templates/audiences/base.yaml", 2),
])
def test_shared_inputs_rebuild_everything_built_from_them(built_full, cli, edited, meetings):
    _touch(built_full, edited)
    result = cli(built_full)
    assert len([p for p in _rebuilt(result) if p.endswith(".pdf")]) == 12
    assert len([p for p in _rebuilt(result) if p.endswith("/")]) == meetings


def _kinds(paths: set[str]) -> list[str]:
    return sorted(Path(p).name.removeprefix(f"{SET}-").split("-")[0] for p in paths if p.endswith(".pdf"))


@pytest.mark.parametrize("edited, kinds", [
    ("people.yaml", ["factsheet"] * 4),
    ("implications.yaml", ["brief"] * 5),
    ("timeline.yaml", ["brief"] * 5 + ["factsheet"] * 4 + ["timeline"] * 3),  # key figures' periods: timeline
])
def test_a_content_file_rebuilds_the_documents_that_read_it(built_full, cli, edited, kinds):
    """A document depends on the content files its template read, not on its whole content set.
    A meeting depends on the files its cover and register read (source and summary) and on its
    documents' PDFs, which this edit (a comment) leaves as they were."""
    _touch(built_full, f"content/{SET}/{edited}")
    result = cli(built_full)
    assert result.code == 0, result.output
    assert _kinds(_rebuilt(result)) == kinds
    assert {p for p in _rebuilt(result) if p.endswith("/")} == set()


def test_a_meeting_is_rebuilt_when_its_cover_prints_something_new(built_full, cli):
    """The cover's page markup is part of a meeting's key: a source institution it prints, renamed,
    rebuilds both meetings (and every document, whose colophon prints it too)."""
    source = built_full / f"content/{SET}/source.yaml"
    text = source.read_text(encoding="utf-8")
    assert "East Asia Institute" in text
    source.write_text(text.replace("East Asia Institute", "East Asia Institute (EAI)", 1), encoding="utf-8")
    result = cli(built_full)
    assert result.code == 0, result.output
    assert {p for p in _lines(result, "built") if p.endswith("/")} == {
        "briefings/meetings/interagency-roundtable/", "briefings/meetings/principals-prebrief/"}


def test_a_meeting_whose_cover_alone_prints_a_change_is_rebuilt(built_full, cli):
    """The principals' pre-brief holds only a brief, which prints nobody from people.yaml. With a
    cover that names the first person, renaming that person keeps the brief but rebuilds the
    meeting: what the cover makes of the content is part of the meeting's key."""
    cover = (built_full / "templates/cover.xml.j2").read_text(encoding="utf-8")
    assert "<p style=\"small\">{{ meeting.organiser }}</p>" in cover
    override = built_full / "templates/audiences/principal/cover.xml.j2"
    override.write_text(cover.replace("<p style=\"small\">{{ meeting.organiser }}</p>",
                                      "<p style=\"small\">{{ meeting.organiser }} ({{ content.people.people[0].name }})</p>"),
                        encoding="utf-8")
    assert "principals-prebrief" in " ".join(_lines(cli(built_full), "built"))
    people = built_full / f"content/{SET}/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace('en: "Zhou Enlai"', 'en: "Zhou En-lai"', 1),
                      encoding="utf-8")
    result = cli(built_full)
    assert result.code == 0, result.output
    assert f"briefings/{SET}/principal/{SET}-brief-principal.pdf" not in _lines(result, "built")
    assert "briefings/meetings/principals-prebrief/" in _lines(result, "built")


def test_a_meeting_is_rebuilt_when_one_of_its_documents_changes(built_full, cli):
    """A new English role for a person changes the English fact sheets; the us-staff one is in the
    interagency roundtable's packet, so that meeting is rebuilt; the principals' pre-brief (a brief
    only) stands."""
    people = built_full / f"content/{SET}/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace('en: "Premier of', 'en: "First Premier of', 1),
                      encoding="utf-8")
    result = cli(built_full)
    assert result.code == 0, result.output
    assert _lines(result, "built") == {f"briefings/{SET}/{a}/{SET}-factsheet-{a}.pdf" for a in ("analysts", "press", "us-staff")} | {
        "briefings/meetings/interagency-roundtable/"}
    assert _lines(result, "kept") == {f"briefings/{SET}/rok-officials/{SET}-factsheet-rok-officials.pdf"}
    assert re.search(r"3 documents and 1 meeting built in [\d.]+ s, 1 kept, 9 up to date", result.out), result.out


def test_a_template_that_starts_reading_a_file_then_depends_on_it(built_full, cli):
    """What a document read is recorded at each render, so a template edited to read people.yaml
    makes the timelines depend on it from then on: the tracking never skips a needed rebuild."""
    _touch(built_full, f"content/{SET}/people.yaml")
    assert "timeline" not in _kinds(_rebuilt(cli(built_full)))
    timeline = built_full / "templates/timeline.xml.j2"
    source = timeline.read_text(encoding="utf-8")
    timeline.write_text(source.replace("{%- block body %}", "{%- block body %}{%- set people = content.people %}", 1),
                        encoding="utf-8")
    assert _kinds(_rebuilt(cli(built_full))) == ["timeline"] * 3
    _touch(built_full, f"content/{SET}/people.yaml")
    assert _kinds(_rebuilt(cli(built_full))) == ["factsheet"] * 4 + ["timeline"] * 3


def test_content_reads_notes_every_way_a_template_can_read():
    from jinja2.sandbox import SandboxedEnvironment

    from briefkit.render.context import ContentReads

    env = SandboxedEnvironment()
    for source, read in [("{{ content.people }}", {"people"}), ("{{ content['quotes'] }}", {"quotes"}),
                         ("{{ content.get('facts') }}", {"facts"}), ("{{ content | length }}", set()),
                         ("{% for k in content %}{% endfor %}", {"people", "quotes", "facts"}),
                         ("{{ content.items() | list }}", {"people", "quotes", "facts"}),
                         ("{{ content | tojson }}", {"people", "quotes", "facts"}),
                         ("{{ content }}", {"people", "quotes", "facts"})]:
        content = ContentReads({"people": [1], "quotes": [2], "facts": [3]})
        env.from_string(source).render(content=content)
        assert content.read == read, source


def _lines(result, verb: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(re.findall(rf"^{verb} +(\S+)", result.out, re.M))


def test_an_edit_a_document_does_not_print_keeps_its_pdf(built_full, cli):
    """Every document reads summary.yaml, but only the English briefs print its English bottom
    line: those are laid out again; the others run their template, find the same page markup, and
    keep their PDF untouched."""
    summary = built_full / f"content/{SET}/summary.yaml"
    pdfs = sorted((built_full / "briefings" / SET).rglob("*.pdf"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pdfs}
    text = summary.read_text(encoding="utf-8")
    start = text.index('en: "', text.index("bottom_line:")) + len('en: "')
    summary.write_text(text[:start] + "In short: " + text[start:], encoding="utf-8")
    result = cli(built_full)
    assert result.code == 0, result.output
    built, kept = _lines(result, "built"), _lines(result, "kept")
    assert {p for p in built if p.endswith(".pdf")} == {
        f"briefings/{SET}/{a}/{SET}-brief-{a}.pdf" for a in ("analysts", "press", "principal", "us-staff")}
    assert len(kept) == 8 and all("brief-rok" in p or "-brief-" not in p for p in kept)
    for path in pdfs:
        changed = str(path.relative_to(built_full)) in built
        assert (before[path] != (path.read_bytes(), path.stat().st_mtime_ns)) == changed, path
    assert "4 documents and 2 meetings built" in result.out and "8 kept" in result.out


def test_a_new_look_with_the_same_markup_is_laid_out_again(built_full, cli):
    """The page markup is not all a PDF is made from: a new accent colour changes no markup, and the
    press documents are still laid out again, not kept."""
    profile = built_full / "templates/audiences/press.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("#0E6B5C", "#6B0E2A"), encoding="utf-8")
    result = cli(built_full)
    assert _lines(result, "kept") == set()
    assert _lines(result, "built") == {f"briefings/{SET}/press/{SET}-brief-press.pdf",
                                       f"briefings/{SET}/press/{SET}-factsheet-press.pdf"}


def test_a_new_override_template_rebuilds_its_audience(built_full, cli):
    folder = built_full / "templates/audiences/analysts"
    folder.mkdir()
    (folder / "factsheet.xml.j2").write_text('{% extends "default/factsheet.xml.j2" %}'
                                             '{% block series %}Analysts\' fact sheet{% endblock %}', encoding="utf-8")
    result = cli(built_full)
    factsheet = f"briefings/{SET}/analysts/{SET}-factsheet-analysts.pdf"
    assert _rebuilt(result) == {factsheet}
    # built in the same process as the first build (as --watch does): the new override is used
    assert "Analysts' fact sheet" in pdf_text(built_full / factsheet)


def test_source_date_epoch_and_force_rebuild_everything(built_full, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert len(_rebuilt(cli(built_full))) == 14
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert cli(built_full, "-q").code == 0
    assert len(_rebuilt(cli(built_full, "--force"))) == 14


def test_an_output_changed_on_disk_is_rebuilt(built_full, cli):
    (built_full / BRIEF).write_bytes(b"%PDF-1.4 damaged")
    result = cli(built_full)
    assert _rebuilt(result) == {BRIEF}


def test_parallel_build_writes_the_same_bytes(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    digests = []
    for jobs in ("1", "2"):
        project = copy_project(tmp_path / f"jobs-{jobs}" / "project", audiences=None)
        assert cli(project, "-q", "--jobs", jobs).code == 0
        digests.append({str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in (project / "briefings").rglob("*") if p.is_file() and p.name not in (".cache.json", ".lock")})
    assert digests[0] == digests[1] and len(digests[0]) > 20
    # previews too, meetings' included: in parallel they are drawn as separate tasks
    assert "briefings/.previews/meetings/interagency-roundtable/interagency-roundtable-packet-p1.png" in digests[0]


def test_a_failing_document_in_a_worker_is_reported_cleanly(tmp_path, cli):
    project = copy_project(tmp_path / "project")
    (project / "templates/timeline.xml.j2").write_text("{{ content.nope }}", encoding="utf-8")
    result = cli(project, "--jobs", "2")
    assert result.code == 1 and "templates/timeline.xml.j2:1" in result.err and "Traceback" not in result.err


def test_a_rebuild_after_edits_matches_a_clean_build(tmp_path, cli, monkeypatch):
    """The last build's scale only speeds the search: the result depends on the content alone."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    project = copy_project(tmp_path / "project")
    assert cli(project, "-q", "--kind", "brief").code == 0
    clean = (project / BRIEF).read_bytes()
    summary = project / f"content/{SET}/summary.yaml"
    original = summary.read_text()
    summary.write_text(original.replace('bottom_line: "', 'bottom_line: "' + "Longer by a few words here. " * 6, 1))
    longer = cli(project, "--kind", "brief")
    assert longer.code == 0 and BRIEF in longer.out
    assert (project / BRIEF).read_bytes() != clean
    summary.write_text(original)
    assert cli(project, "-q", "--kind", "brief").code == 0
    assert (project / BRIEF).read_bytes() == clean
