"""briefkit as a tool people install: the wheel carries the shipped templates, profiles and labels,
and builds a project folder that holds nothing but content/ exactly as this repository builds."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO, copy_project, snapshot

EPOCH = {"SOURCE_DATE_EPOCH": "1764633600"}


def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(folder).items()
            if not name.startswith(".previews/") and name not in (".cache.json", ".lock")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the repository with briefkit's wheel installed."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(REPO), "-w", str(wheels)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("briefkit-*.whl")
    environment = root / "venv"
    venv.create(environment, with_pip=True)
    subprocess.run([str(environment / "bin" / "pip"), "install", "-q", str(wheel)], check=True,
                   capture_output=True, timeout=600)
    return environment


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **EPOCH, "PYTHONPATH": ""})


def test_the_installed_command_builds_a_content_only_project_as_the_repository_does(installed, tmp_path):
    project = tmp_path / "essay-project"
    project.mkdir()
    shutil.copytree(REPO / "content", project / "content")
    result = _run([str(installed / "bin" / "briefkit"), "-q"], cwd=project)
    assert result.returncode == 0, result.stderr
    reference = copy_project(tmp_path / "reference", audiences=None)
    built = _run([sys.executable, "build.py", "-q"], cwd=reference)
    assert built.returncode == 0, built.stderr
    ours, theirs = _outputs(project / "briefings"), _outputs(reference / "briefings")
    assert sorted(ours) == sorted(theirs)
    assert len(ours) > 20, sorted(ours)
    differing = sorted(name for name in ours if ours[name] != theirs[name])
    assert not differing, differing


def test_python_dash_m_briefkit_and_version(installed, tmp_path):
    result = _run([str(installed / "bin" / "python"), "-m", "briefkit", "version"], cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("briefkit "), result.stderr
    listed = _run([str(installed / "bin" / "briefkit"), "--version"], cwd=tmp_path)
    assert listed.stdout == result.stdout


def test_an_installed_briefkit_names_shipped_files_as_such(installed, tmp_path):
    """Errors in a project point at the project's files; the shipped templates are not in it."""
    project = tmp_path / "broken"
    shutil.copytree(REPO / "content", project / "content")
    (project / "templates").mkdir()
    (project / "templates" / "brief.xml.j2").write_text('{% extends "briefkit/brief.xml.j2" %}{% block series %}'
                                                        '{{ nothing_here }}{% endblock %}', encoding="utf-8")
    result = _run([str(installed / "bin" / "briefkit"), "build", "--kind", "brief", "--audience", "analysts"],
                  cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "templates/brief.xml.j2:1" in result.stderr and "nothing_here" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_installed_briefkit_starts_a_new_essay_that_builds(installed, tmp_path):
    """The files `new` starts a set from are shipped in the wheel; a project needs nothing else."""
    project = tmp_path / "fresh"
    project.mkdir()
    essay = tmp_path / "essay.txt"
    essay.write_text("A Title\n\nA first paragraph of the essay, long enough to be a body paragraph of it.\n",
                     encoding="utf-8")
    briefkit = str(installed / "bin" / "briefkit")
    created = _run([briefkit, "new", "fresh-essay", "--source", str(essay), "--title", "A Title"], cwd=project)
    assert created.returncode == 0, created.stderr
    skipped = _run([briefkit, "build"], cwd=project)
    assert skipped.returncode == 0 and "skipped content/fresh-essay/: a draft" in skipped.stdout, skipped.stderr
    built = _run([briefkit, "build", "--set", "fresh-essay", "--audience", "analysts", "-q"], cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / "briefings/fresh-essay/analysts/fresh-essay-brief-analysts.pdf").is_file()
