"""briefings/: the manifest, atomic publishing, and a briefings/ that cannot be used."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path


from conftest import ALL_PDFS, MANIFEST, PDF, SET, edit, snapshot

SUMMARY = f"content/{SET}/summary.yaml"
SECOND_PDF = "briefings/second/analysts/second-brief-analysts.pdf"


def _manifest(project: Path) -> dict:
    return json.loads((project / MANIFEST).read_text(encoding="utf-8"))


def _add_second_set(project: Path) -> None:
    shutil.copytree(project / "content" / SET, project / "content" / "second")
    edit(project, "content/second/summary.yaml", "headline: ", 'headline: "The second set" #')


def test_manifest_describes_every_output(built):
    manifest = _manifest(built)
    assert set(manifest) == {"outputs"}
    assert {e["path"] for e in manifest["outputs"]} == ALL_PDFS
    for other in manifest["outputs"]:
        assert other["sha256"] == hashlib.sha256((built / other["path"]).read_bytes()).hexdigest()
        assert all(check["ok"] for check in other["checks"]), other
    [entry] = [e for e in manifest["outputs"] if e["kind"] == "brief"]
    assert {"path", "content_set", "audience", "kind", "pages", "paper", "sha256", "checks"} <= set(entry)
    assert entry["path"] == PDF  # relative to the project root
    assert not Path(entry["path"]).is_absolute()
    assert (entry["content_set"], entry["audience"], entry["kind"]) == (SET, "analysts", "brief")
    assert entry["pages"] == 1
    assert entry["paper"] == "A4"
    assert entry["sha256"] == hashlib.sha256((built / entry["path"]).read_bytes()).hexdigest()
    assert entry["checks"], "the checks are recorded"
    for check in entry["checks"]:
        assert set(check) == {"name", "ok", "detail"}
        assert check["ok"] is True, check
    assert {c["name"] for c in entry["checks"]} >= {"page-count", "paper", "fonts-embedded", "metadata", "headings"}


def test_building_one_set_keeps_the_other_sets_entries(built, cli):
    before = {e["path"]: e for e in _manifest(built)["outputs"]}
    _add_second_set(built)
    result = cli(built, "--set", "second")
    assert result.code == 0, result.output
    after = {e["path"]: e for e in _manifest(built)["outputs"]}
    assert set(after) == ALL_PDFS | {p.replace("nk-china", "second") for p in ALL_PDFS}
    assert SECOND_PDF in after
    assert after[PDF] == before[PDF]
    assert after[SECOND_PDF]["content_set"] == "second"
    assert after[SECOND_PDF]["sha256"] == hashlib.sha256((built / SECOND_PDF).read_bytes()).hexdigest()


def _outside_previews(folder: Path) -> set[str]:
    return {name for name in snapshot(folder) if not name.startswith(".previews/")}


def test_good_build_leaves_no_temporary_files(project, cli):
    assert cli(project).code == 0
    assert _outside_previews(project / "briefings") == {".lock", ".cache.json", "manifest.json", "index.html"} | {
        p.removeprefix("briefings/") for p in ALL_PDFS}
    assert sorted(p.name for p in (project / "briefings").iterdir() if p.is_dir()) == [".previews", SET]
    assert not [p for p in (project / "briefings").rglob("*.tmp")]


def test_failed_build_changes_nothing(built, cli):
    before = snapshot(built / "briefings")
    edit(built, SUMMARY, "headline:", "headlin:")
    result = cli(built)
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert snapshot(built / "briefings") == before
    assert {str(p.relative_to(built / "briefings")) for p in (built / "briefings").rglob("*")
            if not str(p.relative_to(built / "briefings")).startswith(".previews")} == {
        ".lock", ".cache.json", "manifest.json", "index.html", SET, f"{SET}/analysts"} | {
        p.removeprefix("briefings/") for p in ALL_PDFS}


def test_build_that_does_not_fit_changes_nothing(built, cli):
    before = snapshot(built / "briefings")
    edit(built, SUMMARY, '    text: "', '    text: "' + "far too many words here " * 60, count=4)
    result = cli(built)
    assert result.code == 1, result.output
    assert snapshot(built / "briefings") == before


def test_failure_while_publishing_changes_nothing(built, cli):
    """An output that cannot be written (its path is taken by a folder) must not leave the
    other, already written outputs replaced behind the manifest's back."""
    before = snapshot(built / "briefings")
    edit(built, SUMMARY, "headline: ", 'headline: "A changed headline" #')  # the first PDF's bytes change
    _add_second_set(built)
    (built / SECOND_PDF).mkdir(parents=True)  # the second PDF cannot be written
    result = cli(built)
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    after = snapshot(built / "briefings")
    assert after == before
    manifest = _manifest(built)
    for entry in manifest["outputs"]:
        assert entry["sha256"] == hashlib.sha256((built / entry["path"]).read_bytes()).hexdigest()


def test_briefings_as_a_file_is_a_clear_error(project, cli):
    (project / "briefings").write_text("not a folder\n", encoding="utf-8")
    result = cli(project)
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert "briefings" in result.err
    assert "folder" in result.err or "directory" in result.err
    assert (project / "briefings").read_text(encoding="utf-8") == "not a folder\n"
