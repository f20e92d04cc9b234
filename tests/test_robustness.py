"""Interrupted builds, concurrent builds, generated content, reproducibility across machines' quirks."""
from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import SET, assert_consistent, copy_project, snapshot

FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _run(project: Path, *argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *argv], cwd=project, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def _retitle(project: Path, words: str) -> None:
    path = project / "content" / SET / "summary.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(f'headline: "{words}"' if line.startswith("headline:") else line
                              for line in lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("rounds, seed", [pytest.param(5, 2026, id="5-rounds"),
                                          pytest.param(40, 7, id="40-rounds", marks=pytest.mark.slow)])
def test_sigkill_at_random_moments_never_leaves_a_broken_briefings(tmp_path, rounds, seed):
    from briefkit.paths import Project
    from briefkit.publish.atomic import recover_under_lock

    project = copy_project(tmp_path / "project")
    assert _run(project, "-q").returncode == 0
    rng = random.Random(seed)
    for round_ in range(rounds):
        _retitle(project, f"Round {round_}: the tie stays special")
        process = subprocess.Popen([sys.executable, "build.py", "-q"], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for pdf in (project / "briefings").rglob("*.pdf"):
            PdfReader(str(pdf)).pages[0]  # complete, old or new, at every instant
        recover_under_lock(Project.at(project))
        assert_consistent(project)


def test_a_publish_killed_between_moves_is_rolled_forward(tmp_path, cli, monkeypatch):
    import briefkit.publish.atomic as output
    from briefkit.paths import Project
    from briefkit.publish.atomic import recover_under_lock

    project = copy_project(tmp_path / "project")
    assert cli(project, "-q").code == 0
    for moves_done in range(0, 4):
        _retitle(project, f"Killed after {moves_done} moves")
        real_replace, count = os.replace, [0]

        class Killed(BaseException):
            pass

        def dying(source, target):  # type: ignore[no-untyped-def]
            if str(source).endswith(".json") and "journal" in str(target):
                return real_replace(source, target)
            if count[0] == moves_done:
                raise Killed
            count[0] += 1
            return real_replace(source, target)
        monkeypatch.setattr(os, "replace", dying)
        monkeypatch.setattr(output.shutil, "rmtree", lambda *a, **k: None)  # a killed process cleans nothing
        with pytest.raises(Killed):
            cli(project, "-q")
        monkeypatch.undo()
        recover_under_lock(Project.at(project))
        assert_consistent(project)
        text = " ".join(PdfReader(str(project / "briefings/nk-china/analysts/nk-china-brief-analysts.pdf"))
                        .pages[0].extract_text().split())
        assert f"Killed after {moves_done} moves" in text, "rolled forward to the new build"


def test_two_builds_at_once_both_succeed_and_agree(tmp_path):
    project = copy_project(tmp_path / "project")
    first = subprocess.Popen([sys.executable, "build.py", "-q"], cwd=project, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([sys.executable, "build.py", "-q"], cwd=project, stderr=subprocess.PIPE, text=True)
    assert first.wait() == 0, first.stderr.read()
    assert second.wait() == 0, second.stderr.read()
    assert_consistent(project)


def test_builds_are_identical_across_folders_and_hash_seeds(tmp_path):
    outputs = []
    for index, seed in enumerate(("0", "12345")):
        project = copy_project(tmp_path / f"somewhere-{index}" / "else" / "project", audiences=None)
        result = _run(project, "-q", env={"SOURCE_DATE_EPOCH": "1764288000", "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append({str(p.relative_to(project)): p.read_bytes()
                        for p in sorted((project / "briefings").rglob("*")) if p.is_file() and not p.name.startswith(".")})
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) > 20
    different = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert not different


# Mostly text the fonts can print (so many examples reach layout and the checks), some of anything.
PRINTABLE = st.characters(min_codepoint=32, max_codepoint=0xFF, exclude_categories=("Cc", "Cf", "Cs"))
TEXT = st.one_of(st.text(alphabet=PRINTABLE, min_size=1, max_size=400),
                 st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200))


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory):
    from briefkit.cli import main

    project = copy_project(tmp_path_factory.mktemp("fuzz") / "project")
    assert main(["-q", "--kind", "brief"], project=project) == 0
    return project


GENERATED = dict(headline=TEXT, bottom_line=TEXT, judgment=TEXT,
                 refs=st.one_of(st.lists(st.integers(1, 42), min_size=1, max_size=4),
                                st.lists(st.integers(0, 10**6), max_size=3)),
                 issued=st.dates(), judgments=st.one_of(st.integers(3, 5), st.integers(0, 8)))


@settings(max_examples=12, **FUZZ)
@given(**GENERATED)
def test_generated_content_builds_or_fails_with_a_located_error(fuzz_base, tmp_path_factory, **case):
    _build_generated(fuzz_base, tmp_path_factory, **case)


@pytest.mark.slow
@settings(max_examples=150, **FUZZ)
@given(**GENERATED)
def test_much_generated_content_builds_or_fails_with_a_located_error(fuzz_base, tmp_path_factory, **case):
    _build_generated(fuzz_base, tmp_path_factory, **case)


def _build_generated(fuzz_base: Path, tmp_path_factory: pytest.TempPathFactory, headline: str, bottom_line: str,
                     judgment: str, refs: list[int], issued: object, judgments: int) -> None:
    from briefkit.cli import main

    project = tmp_path_factory.mktemp("case") / "project"
    shutil.copytree(fuzz_base, project)
    path = project / "content" / SET / "summary.yaml"
    summary = yaml.safe_load(path.read_text(encoding="utf-8"))
    summary.update(headline=headline, bottom_line=bottom_line, issued=issued)
    first = dict(summary["key_judgments"][0], text=judgment, refs=[f"p{n}" for n in refs])
    summary["key_judgments"] = [copy.deepcopy(first) for _ in range(judgments)]  # no YAML anchors
    path.write_text(yaml.safe_dump(summary, allow_unicode=True), encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "briefings").rglob("*.pdf")}
    stderr = io.StringIO()
    started = time.perf_counter()
    real = sys.stderr
    sys.stderr = stderr
    try:
        code = main(["-q", "--kind", "brief"], project=project)
    finally:
        sys.stderr = real
    assert time.perf_counter() - started < 30
    message = stderr.getvalue()
    if os.environ.get("FUZZ_DEBUG"):
        print("FUZZ", code, message[:150].replace("\n", " | "), file=real)
    assert code in (0, 1), message
    assert "Traceback" not in message
    if code == 0:
        manifest = json.loads((project / "briefings/manifest.json").read_text())
        assert all(check["ok"] for entry in manifest["outputs"] for check in entry["checks"])
    else:
        assert message.startswith("error: ")
        located = "summary.yaml:" in message or "does not fit" in message or "page-count" in message
        assert located, message
        assert {p: p.read_bytes() for p in (project / "briefings").rglob("*.pdf")} == before


def _fifo_outside(project: Path) -> Path:
    fifo = project.parent / "outside.fifo"
    os.mkfifo(fifo)
    return fifo


@pytest.mark.parametrize("make, message", [
    (lambda source, project: os.mkfifo(source), "is a FIFO (named pipe), not a regular file"),
    (lambda source, project: source.symlink_to(_fifo_outside(project)), "outside.fifo, outside the project"),
    (lambda source, project: source.symlink_to("/dev/zero"), "is a link to /dev/zero, outside the project"),
], ids=["fifo", "link-to-a-fifo-outside", "link-to-a-device"])
def test_a_special_file_added_after_a_build_is_reported_not_hung_on_or_passed_over(tmp_path, make, message):
    """The fingerprint that makes an unchanged project a no-op reads content/ as the build would:
    a FIFO is not opened (which would wait for a writer for ever), a link out of the project is
    not followed, and the build then reads the file, and reports it."""
    project = copy_project(tmp_path / "project")
    assert _run(project, "-q", "--no-previews").returncode == 0
    before = snapshot(project / "briefings")
    make(project / "content" / SET / "source.txt", project)
    result = subprocess.run([sys.executable, "build.py", "--no-previews"], cwd=project, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"content/{SET}/source.txt: is " in result.stderr and message in result.stderr, result.stderr
    assert "nothing to rebuild" not in result.stdout and "Traceback" not in result.stderr
    assert snapshot(project / "briefings") == before
