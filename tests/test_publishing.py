"""Publishing you can trust once the build is over: `check` re-verifies every output, outputs no
longer planned are removed in the same atomic publish, the cache survives narrowed builds, keys
cover what was read, and a publish finishes or is undone whatever interrupts it.

Each test works on a fresh copy of a built project, hashes briefings/ before and after, and
asserts the exit code, the message and the bytes.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SET, assert_consistent, edit, pdf_text, snapshot

MEETING = "interagency-roundtable"
PREBRIEF = "principals-prebrief"
FOLDER = f"briefings/meetings/{MEETING}"
BRIEF = f"briefings/{SET}/analysts/{SET}-brief-analysts.pdf"
SUMMARY = f"content/{SET}/summary.yaml"


def _manifest(project: Path) -> dict:
    return json.loads((project / "briefings/manifest.json").read_text(encoding="utf-8"))


def _paths(project: Path) -> set[str]:
    return {entry["path"] for entry in _manifest(project)["outputs"]}


def _published(project: Path) -> dict[str, bytes]:
    """briefings/ without what is drawn after the publish (previews, overview) or kept for the
    next build (cache, lock)."""
    return {name: data for name, data in snapshot(project / "briefings").items()
            if not name.startswith(".previews/") and name not in ("index.html", ".cache.json", ".lock")}


def _hashes_hold(cli, project: Path) -> bool:  # type: ignore[no-untyped-def]
    """`check` finds every output listed with the bytes the manifest records (the input may
    have changed since, which its other checks would report)."""
    result = cli(project, "check", "--json")
    assert "Traceback" not in result.output
    outputs = json.loads(result.out)["outputs"]
    return bool(outputs) and all(c["ok"] for o in outputs for c in o["checks"] if c["name"] in ("manifest", "exists"))


def _retitle(project: Path, words: str) -> None:
    """A new English headline (the summary keeps one text per language, or only English)."""
    path = project / SUMMARY
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("headline:"))
    if lines[at].strip() == "headline:":
        lines[at + 1] = f'  en: "{words}"'
    else:
        lines[at] = f'headline: "{words}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- check re-verifies every output -------------------------------------------------------------

def test_check_names_every_kind_of_output_that_was_changed_truncated_or_removed(built_full, cli):
    copies = sorted((built_full / FOLDER / "copies").iterdir())
    damaged = {
        BRIEF: lambda p: p.write_bytes(p.read_bytes()[:1000]),                           # truncated
        f"{FOLDER}/{MEETING}-packet.pdf": lambda p: p.write_bytes(p.read_bytes()[:1000]),  # truncated
        str(copies[1].relative_to(built_full)): lambda p: p.write_bytes(p.read_bytes() + b"garbage\n"),
        f"{FOLDER}/{MEETING}-register.csv": lambda p: p.write_text(
            p.read_text(encoding="utf-8-sig").replace("Priya Raman", "Someone Else"), encoding="utf-8"),
        f"{FOLDER}/{MEETING}-register.pdf": lambda p: p.write_bytes(p.read_bytes().replace(b"%%EOF", b"%%EOX")),
        f"{FOLDER}/{MEETING}-handout.pdf": lambda p: p.unlink(),                          # missing
    }
    assert cli(built_full, "check").code == 0
    for path, damage in damaged.items():
        damage(built_full / path)
    before = snapshot(built_full / "briefings")
    result = cli(built_full, "check")
    assert result.code == 1, result.output
    failed = set(re.findall(r"^FAIL (\S+)", result.err, re.M))
    assert set(damaged) <= failed, set(damaged) - failed
    assert f"FAIL {FOLDER}/{MEETING}-handout.pdf" in result.err and "missing" in result.err
    assert "file differs from the manifest" in result.err
    assert "Traceback" not in result.output
    assert snapshot(built_full / "briefings") == before, "check changes nothing"


def test_check_lists_meeting_outputs_and_every_manifest_entry(built_full, cli):
    result = cli(built_full, "check", "--json")
    assert result.code == 0, result.output
    checked = {item["path"] for item in json.loads(result.out)["outputs"]}
    assert checked == _paths(built_full)
    kinds = {entry["kind"] for entry in _manifest(built_full)["outputs"]}
    assert {"packet", "copy", "register", "handout", "brief", "timeline", "factsheet"} <= kinds


def test_a_copy_whose_stamp_was_removed_fails_its_own_check(built_full, cli):
    """Not only the hash: the checks the build ran find the damage too."""
    copy = sorted((built_full / FOLDER / "copies").iterdir())[0]
    data = copy.read_bytes()
    copy.write_bytes(data.replace(b"/BKStamp", b"/BKStump"))
    result = cli(built_full, "check", "--json")
    assert result.code == 1
    entry = next(o for o in json.loads(result.out)["outputs"] if o["path"].endswith(copy.name))
    failed = {c["name"] for c in entry["checks"] if not c["ok"]}
    assert {"manifest", "stamp"} <= failed, failed


# ---- pruning -------------------------------------------------------------------------------------

@pytest.mark.parametrize("removal, gone", [
    ("templates/audiences/press.yaml", f"briefings/{SET}/press/"),
    (f"content/meetings/{PREBRIEF}.yaml", f"briefings/meetings/{PREBRIEF}/"),
])
def test_a_removed_audience_or_meeting_leaves_no_output_behind(built_full, cli, removal, gone):
    before = _paths(built_full)
    doomed = {path for path in before if path.startswith(gone)}
    assert doomed
    (built_full / removal).unlink()
    result = cli(built_full)
    assert result.code == 0, result.output
    assert set(re.findall(r"^removed (\S+)", result.out, re.M)) == doomed
    assert f"{len(doomed)} removed" in result.out
    assert _paths(built_full) == before - doomed
    assert not (built_full / gone).exists(), "its emptied folder goes too"
    assert_consistent(built_full)
    index = (built_full / "briefings/index.html").read_text(encoding="utf-8")
    stem = gone.removeprefix("briefings/")
    assert stem not in index and not (built_full / "briefings/.previews" / stem).exists()
    again = cli(built_full)
    assert again.code == 0 and "nothing to rebuild" in again.out


def test_a_removed_recipient_loses_their_copy_and_its_previews(built_full, cli):
    meeting = built_full / "content/meetings" / f"{MEETING}.yaml"
    text = meeting.read_text(encoding="utf-8")
    first = re.search(r'- \{name: "([^"]+)"', text)[1]
    meeting.write_text(re.sub(r"  - \{name: \"" + re.escape(first) + r"\".*\n", "", text), encoding="utf-8")
    slug = first.lower().replace(" ", "-")
    assert any(slug in p for p in _paths(built_full))
    assert list((built_full / "briefings/.previews").rglob(f"*{slug}*.png"))
    result = cli(built_full)
    assert result.code == 0, result.output
    assert not [p for p in _paths(built_full) if slug in p]
    assert not list((built_full / "briefings").rglob(f"*{slug}*")), "no file names the removed recipient"
    assert first not in (built_full / FOLDER / f"{MEETING}-register.csv").read_text(encoding="utf-8-sig")
    assert_consistent(built_full)


def test_a_narrowed_build_prunes_only_inside_its_selection(built_full, cli):
    (built_full / "templates/audiences/press.yaml").unlink()
    (built_full / f"content/meetings/{PREBRIEF}.yaml").unlink()
    press_brief = f"briefings/{SET}/press/{SET}-brief-press.pdf"
    press_sheet = f"briefings/{SET}/press/{SET}-factsheet-press.pdf"
    result = cli(built_full, "--kind", "brief")
    assert result.code == 0, result.output
    assert re.findall(r"^removed (\S+)", result.out, re.M) == [press_brief]
    assert press_sheet in _paths(built_full) and (built_full / press_sheet).is_file()
    assert any(p.startswith(f"briefings/meetings/{PREBRIEF}/") for p in _paths(built_full)), "no meeting asked for"
    result = cli(built_full, "--meeting", MEETING)
    assert result.code == 0 and "removed" not in result.out, result.output
    result = cli(built_full)
    assert result.code == 0, result.output
    removed = set(re.findall(r"^removed (\S+)", result.out, re.M))
    assert press_sheet in removed and any(p.startswith(f"briefings/meetings/{PREBRIEF}/") for p in removed)
    assert_consistent(built_full)


# ---- the cache survives narrowed and forced builds ------------------------------------------------

@pytest.mark.parametrize("narrowing", [["--kind", "brief"], ["--meeting", PREBRIEF], ["--set", SET],
                                       ["--audience", "analysts", "--kind", "timeline"]])
def test_a_narrowed_forced_build_leaves_nothing_to_rebuild(built_full, cli, narrowing):
    assert cli(built_full, *narrowing, "--force").code == 0
    result = cli(built_full)
    assert result.code == 0, result.output
    assert "nothing to rebuild" in result.out, result.out
    assert_consistent(built_full)


def test_a_narrowed_build_after_an_edit_keeps_the_other_records(built_full, cli):
    _retitle(built_full, "A narrowed edit")
    result = cli(built_full, "--kind", "brief")
    assert result.code == 0, result.output
    rest = cli(built_full)
    assert rest.code == 0, rest.output
    rebuilt = set(re.findall(r"^(?:built|kept) +(\S+)", rest.out, re.M))
    assert rebuilt and not any("-brief-" in p for p in rebuilt), "the briefs were recorded by the narrowed build"


# ---- exactly what was read is what is recorded ---------------------------------------------------

def test_a_save_during_rendering_is_rebuilt_next_time(built, cli, monkeypatch):
    """The summary is saved again while the brief is being laid out: the PDF shows the first
    text, so the next build must make it again and show the second."""
    import briefkit.render.document as document

    _retitle(built, "FIRST headline of the brief")
    real, saved = document.render_document, []

    def render_and_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not saved:
            saved.append(True)
            _retitle(built, "SECOND headline of the brief")
        return real(*args, **kwargs)

    monkeypatch.setattr(document, "render_document", render_and_save)
    assert cli(built, "--jobs", "1", "-q").code == 0
    monkeypatch.undo()
    assert "FIRST headline" in pdf_text(built / BRIEF)
    result = cli(built)
    assert result.code == 0, result.output
    assert BRIEF in re.findall(r"^built +(\S+)", result.out, re.M)
    assert "SECOND headline" in pdf_text(built / BRIEF)
    assert "nothing to rebuild" in cli(built).out


def test_a_save_during_a_watch_build_is_rebuilt_at_once(built, cli, monkeypatch):
    """In `watch`, the save made while the first build renders starts the next round, which
    shows it: the watch does not settle on the text the first build read."""
    import threading
    import time

    import briefkit.render.document as document

    _retitle(built, "FIRST watched headline")
    real, saved = document.render_document, []

    def render_and_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not saved:
            saved.append(True)
            _retitle(built, "SECOND watched headline")
        return real(*args, **kwargs)

    monkeypatch.setattr(document, "render_document", render_and_save)
    seen: list[str] = []

    def stop_when_shown() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                if "SECOND watched headline" in pdf_text(built / BRIEF):
                    seen.append("second")
                    break
            except Exception:  # noqa: BLE001 - the PDF is being replaced; look again
                continue
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=stop_when_shown, daemon=True).start()
    result = cli(built, "watch", "--kind", "brief", "--jobs", "1")
    assert result.code == 0, result.output
    assert seen == ["second"], result.output
    assert len(re.findall(r"rebuilt 1: ", result.out)) >= 2, result.out


# ---- a garbled manifest ---------------------------------------------------------------------------

@pytest.mark.parametrize("edited", [True, False])
def test_a_garbled_manifest_is_rebuilt_from_the_files_and_the_cache(built_full, cli, edited):
    before = _manifest(built_full)
    (built_full / "briefings/manifest.json").write_text("{ x\n", encoding="utf-8")
    if edited:
        _retitle(built_full, "A headline after the manifest broke")
    result = cli(built_full)
    assert result.code == 0, result.output
    assert "rebuilt briefings/manifest.json  it could not be read" in result.out
    after = _manifest(built_full)
    assert {e["path"] for e in after["outputs"]} == {e["path"] for e in before["outputs"]}
    if not edited:
        assert after == before
    assert_consistent(built_full)
    assert cli(built_full, "check").code == 0


# ---- all or nothing under interruption ------------------------------------------------------------

def _change_everything(project: Path) -> None:
    """An edit that rebuilds documents and a meeting, and drops a recipient (a removal)."""
    _retitle(project, "A headline for the interrupted publish")
    meeting = project / "content/meetings" / f"{MEETING}.yaml"
    lines = meeting.read_text(encoding="utf-8").splitlines(keepends=True)
    meeting.write_text("".join(line for line in lines if "Thomas Brennan" not in line), encoding="utf-8")


def test_a_failed_delete_changes_nothing_and_wedges_nothing(built_full, cli, monkeypatch):
    _change_everything(built_full)
    before = _published(built_full)
    real = os.replace

    def refuse(source, target):  # type: ignore[no-untyped-def]
        if "thomas-brennan" in str(source) and ".staging-" in str(target):
            raise PermissionError(1, "Operation not permitted", str(source))
        return real(source, target)

    monkeypatch.setattr(os, "replace", refuse)
    result = cli(built_full)
    monkeypatch.undo()
    assert result.code == 1, result.output
    assert "cannot remove" in result.err and "thomas-brennan" in result.err
    assert "previous outputs are unchanged" in result.err and "Traceback" not in result.output
    assert _published(built_full) == before
    assert _hashes_hold(cli, built_full)
    again = cli(built_full)
    assert again.code == 0, again.output
    assert_consistent(built_full)


def test_an_immutable_old_copy_is_reported_and_undone(built_full, cli):
    chattr = shutil.which("chattr")
    old = next((built_full / FOLDER / "copies").glob("*thomas-brennan*"))
    if chattr is None or subprocess.run([chattr, "+i", str(old)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        _change_everything(built_full)
        before = _published(built_full)
        result = cli(built_full)
        assert result.code == 1, result.output
        assert "previous outputs are unchanged" in result.err and "Traceback" not in result.output
        assert _published(built_full) == before
        assert _hashes_hold(cli, built_full)
    finally:
        subprocess.run([chattr, "-i", str(old)], check=True)
    assert cli(built_full).code == 0
    assert_consistent(built_full)


@pytest.mark.parametrize("write", ["first", "third", "manifest", "journal"])
def test_a_full_disk_while_staging_changes_nothing(built_full, cli, monkeypatch, write):
    import briefkit.publish.atomic as atomic
    from briefkit.publish.manifest import Output

    _change_everything(built_full)
    before = _published(built_full)
    real_save, real_synced, count = Output.save, atomic._write_synced, [0]

    def save(self, path):  # type: ignore[no-untyped-def]
        count[0] += 1
        if (write, count[0]) in (("first", 1), ("third", 3)):
            raise OSError(28, "No space left on device", str(path))
        return real_save(self, path)

    def synced(path, data):  # type: ignore[no-untyped-def]
        if {"manifest": "manifest.json", "journal": ".journal.json"}.get(write) == path.name:
            raise OSError(28, "No space left on device", str(path))
        return real_synced(path, data)

    monkeypatch.setattr(Output, "save", save)
    monkeypatch.setattr(atomic, "_write_synced", synced)
    result = cli(built_full)
    monkeypatch.undo()
    assert result.code == 1, result.output
    assert "No space left on device" in result.err and "previous outputs are unchanged" in result.err
    assert _published(built_full) == before
    assert_consistent(built_full)


@pytest.mark.parametrize("step", [0, 2, 9, 14])  # a removal, then moves: early, late, the manifest's
def test_a_step_of_the_publish_that_fails_is_undone(built_full, cli, monkeypatch, step):
    _change_everything(built_full)
    before = _published(built_full)
    real, count = os.replace, [0]

    def failing(source, target):  # type: ignore[no-untyped-def]
        if str(target).endswith(".journal.json") or ".staging-" not in str(source) + str(target) \
                or ".copies-" in str(source):  # staging a copy, not a step of the publish
            return real(source, target)
        count[0] += 1
        if count[0] == step + 1:  # once: undoing the steps done must work
            raise OSError(28, "No space left on device", str(source))
        return real(source, target)

    monkeypatch.setattr(os, "replace", failing)
    result = cli(built_full, "--jobs", "1")
    monkeypatch.undo()
    assert count[0] > step, "the publish has that many steps"
    assert result.code == 1 and "previous outputs are unchanged" in result.err, result.output
    assert _published(built_full) == before
    assert_consistent(built_full)


@pytest.mark.parametrize("moves_done", [0, 1, 5, 12])
def test_a_publish_killed_mid_prune_is_finished_by_the_next_build(built_full, cli, monkeypatch, moves_done):
    """Killed after some of its steps (removals and moves): recovery finishes it."""
    import briefkit.publish.atomic as atomic

    _change_everything(built_full)
    real, count = os.replace, [0]

    class Killed(BaseException):
        pass

    def dying(source, target):  # type: ignore[no-untyped-def]
        if str(target).endswith(".journal.json") or ".copies-" in str(source):  # not a step of the publish
            return real(source, target)
        if count[0] == moves_done:
            raise Killed
        count[0] += 1
        return real(source, target)

    monkeypatch.setattr(os, "replace", dying)
    monkeypatch.setattr(atomic.shutil, "rmtree", lambda *a, **k: None)  # a killed process cleans nothing
    with pytest.raises(Killed):
        cli(built_full, "-q", "--jobs", "1")
    monkeypatch.undo()
    assert (built_full / "briefings/.journal.json").is_file()
    assert _hashes_hold(cli, built_full)  # check recovers first
    assert_consistent(built_full)
    assert not [p for p in _paths(built_full) if "thomas-brennan" in p]
    assert "A headline for the interrupted publish" in pdf_text(built_full / BRIEF)


def test_a_recovery_that_cannot_finish_undoes_the_publish(built_full, cli, monkeypatch):
    import briefkit.publish.atomic as atomic

    _change_everything(built_full)
    before = _published(built_full)
    real, count = os.replace, [0]

    class Killed(BaseException):
        pass

    def dying(source, target):  # type: ignore[no-untyped-def]
        if str(target).endswith(".journal.json") or ".copies-" in str(source):  # not a step of the publish
            return real(source, target)
        if count[0] == 3:
            raise Killed
        count[0] += 1
        return real(source, target)

    monkeypatch.setattr(os, "replace", dying)
    monkeypatch.setattr(atomic.shutil, "rmtree", lambda *a, **k: None)
    with pytest.raises(Killed):
        cli(built_full, "-q", "--jobs", "1")
    monkeypatch.undo()

    def stuck(source, target):  # type: ignore[no-untyped-def]
        if ".staging-" in str(source) and "-packet.pdf" in str(target):
            raise PermissionError(13, "Permission denied", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", stuck)
    _hashes_hold(cli, built_full)
    monkeypatch.undo()
    assert _published(built_full) == before, "rolled back to the previous outputs"
    assert cli(built_full).code == 0
    assert_consistent(built_full)


def test_an_interrupt_during_the_publish_lands_after_it_and_says_so(built_full, cli, monkeypatch):
    _change_everything(built_full)
    real, sent = os.replace, []

    def interrupted(source, target):  # type: ignore[no-untyped-def]
        if not sent and ".staging-" in str(source) and not str(target).endswith(".journal.json"):
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C half-way through the moves
        return real(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    result = cli(built_full, "--jobs", "1")
    monkeypatch.undo()
    assert sent and result.code == 130, result.output
    assert "previous outputs are unchanged" not in result.err
    assert "published" in result.err
    assert_consistent(built_full)
    assert "A headline for the interrupted publish" in pdf_text(built_full / BRIEF)
    again = cli(built_full)
    assert again.code == 0 and "Traceback" not in again.output


def test_an_interrupt_before_the_publish_changes_nothing(built_full, cli, monkeypatch):
    import briefkit.render.document as document

    _change_everything(built_full)
    before = _published(built_full)

    def interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(document, "render_document", interrupt)
    result = cli(built_full, "--jobs", "1")
    monkeypatch.undo()
    assert result.code == 130 and "previous outputs are unchanged" in result.err
    assert _published(built_full) == before


@pytest.mark.parametrize("blocker", ["index.html", ".cache.json", ".previews"])
def test_a_failure_after_the_publish_is_reported_as_such(built_full, cli, blocker):
    _retitle(built_full, "Published before the failure")
    target = built_full / "briefings" / blocker
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    target.mkdir() if blocker != ".previews" else target.write_text("in the way\n")
    result = cli(built_full)
    if blocker == ".previews":  # previews come after the report: a warning, never a failed build
        assert result.code == 0, result.output
        assert "warning: the page previews could not be written" in result.err
        assert "the PDFs are published and checked" in result.err
    else:
        assert result.code == 1, result.output
        assert "the outputs and the manifest are published, but" in result.err
    assert "previous outputs are unchanged" not in result.output and "Traceback" not in result.output
    assert "Published before the failure" in pdf_text(built_full / BRIEF)
    assert_consistent(built_full)
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    again = cli(built_full)
    assert again.code == 0, again.output
    assert (built_full / "briefings/index.html").is_file() and (built_full / "briefings/.cache.json").is_file()
    assert "nothing to rebuild" in cli(built_full).out


def _workers(pid: int) -> list[int]:
    """The build's worker processes: its children running build.py (not a font lookup)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"build.py" in command:
            found.append(int(stat.parent.name))
    return found


def test_sigterm_stops_the_build_and_its_workers(built_full):
    """SIGTERM while workers render: the parent stops, its workers with it, so a pipe reading
    the output ends, and nothing was published."""
    import time

    if not Path("/proc/self/stat").is_file():
        pytest.skip("needs /proc to find the worker processes")
    _retitle(built_full, "Terminated while rendering")
    for template in ("brief", "timeline", "factsheet"):
        with open(built_full / f"templates/{template}.xml.j2", "a", encoding="utf-8") as handle:
            handle.write("\n{# touched #}\n")
    before = _published(built_full)
    process = subprocess.Popen([sys.executable, "build.py", "--jobs", "2"], cwd=built_full,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(workers := _workers(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) >= 2, "the build started its workers"
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)  # returns once every holder of the pipes is gone
    assert process.returncode == 130, err
    assert "interrupted" in err and "previous outputs are unchanged" in err and "Traceback" not in err
    for worker in workers:
        assert not Path(f"/proc/{worker}").exists() or "Z" in Path(f"/proc/{worker}/stat").read_text().split()[2]
    assert _published(built_full) == before
    assert_consistent(built_full)


def test_copies_a_killed_build_staged_are_removed_even_when_nothing_changed(built_full, cli):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs: the build that staged these copies was killed
    left = built_full / "briefings" / f".copies-{dead.pid}-{MEETING}-x1y2z3"
    left.mkdir()
    (left / "copy-01.pdf").write_bytes(b"%PDF-1.7 half a copy")
    before = _published(built_full)
    result = cli(built_full)
    assert result.code == 0, result.output
    assert not left.exists()
    assert _published(built_full) == {path: data for path, data in before.items() if ".copies-" not in path}
    assert "nothing to rebuild" in cli(built_full).output


@pytest.mark.slow
def test_sigkill_during_a_prune_twenty_times_leaves_a_consistent_state(built_full):
    """Each round drops or restores recipients (so the build removes copies) and is killed at a
    random moment; whatever was killed, the next recovery leaves outputs and manifest agreeing."""
    import random
    import time

    from briefkit.paths import Project
    from briefkit.publish.atomic import recover_under_lock

    meeting = built_full / "content/meetings" / f"{MEETING}.yaml"
    full = meeting.read_text(encoding="utf-8")
    lines = full.splitlines(keepends=True)
    fewer = "".join(line for i, line in enumerate(lines) if "{name:" not in line or i % 2)
    rng = random.Random(17)
    for round_ in range(20):
        meeting.write_text(fewer if round_ % 2 == 0 else full, encoding="utf-8")
        process = subprocess.Popen([sys.executable, "build.py", "-q"], cwd=built_full,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        recover_under_lock(Project.at(built_full))
        assert_consistent(built_full)
    assert subprocess.run([sys.executable, "build.py", "-q"], cwd=built_full).returncode == 0
    assert_consistent(built_full)
    assert not list((built_full / "briefings").glob(".copies-*")), "the next build removes what a killed one staged"


@pytest.mark.slow
def test_sigterm_at_random_moments_never_hangs_or_half_publishes(built_full):
    import random
    import time

    rng = random.Random(5)
    for round_ in range(8):
        _retitle(built_full, f"Terminated in round {round_}")
        process = subprocess.Popen([sys.executable, "build.py", "--jobs", "2"], cwd=built_full,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.5, 8))
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        assert process.returncode in (0, 130, -signal.SIGTERM), err  # -15: stopped while planning
        assert "Traceback" not in err
        assert_consistent(built_full)
