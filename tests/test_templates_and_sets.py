"""Templates render content literally and report their own errors; content sets need no code."""
from __future__ import annotations

import shutil

import pytest

from conftest import PDF, SET, edit, line_of, pdf_text

SUMMARY = f"content/{SET}/summary.yaml"
BRIEF = "templates/brief.xml.j2"
BASE = "templates/base.xml.j2"


def test_second_content_set_builds_without_code_change(project, cli):
    shutil.copytree(project / "content" / SET, project / "content" / "second")
    edit(project, "content/second/summary.yaml", "headline: ", 'headline: "Second set headline for the test" #', 1)
    result = cli(project)
    assert result.code == 0, result.output
    second = project / "briefings/second/analysts/second-brief-analysts.pdf"
    assert (project / PDF).is_file()
    assert second.is_file()
    assert "Second set headline for the test" in pdf_text(second)
    assert "Second set headline for the test" not in pdf_text(project / PDF)


def test_markup_like_content_is_printed_literally(project, cli):
    hostile = '<b>unclosed & <img src="/etc/passwd">'
    text = (project / SUMMARY).read_text(encoding="utf-8")
    subtitle = next(l for l in text.splitlines() if l.startswith("subtitle:"))
    edit(project, SUMMARY, subtitle, f"subtitle: '{hostile}'")
    result = cli(project)
    assert result.code == 0, result.output
    # straight quotes become typographic ones on the page; normalize() turns them back
    assert hostile in pdf_text(project / PDF)


def _insert_after(project, relative: str, anchor: str, new_line: str) -> int:
    """Insert `new_line` after the first line containing `anchor`; returns its line number."""
    path = project / relative
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if anchor in line)
    lines.insert(index + 1, new_line + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return index + 2


def test_undefined_template_variable_names_template_and_line(project, cli):
    line = _insert_after(project, BRIEF, "<subtitle>", "  <p>{{ content.summary.nonexistent }}</p>")
    assert line_of(project, BRIEF, "nonexistent") == line
    result = cli(project)
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert f"{BRIEF}:{line}" in result.err, result.err
    assert "nonexistent" in result.err
    assert not (project / "briefings").exists() or not (project / PDF).exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_template_syntax_error_names_template_and_line(project, cli, jobs):
    line = _insert_after(project, BRIEF, "<subtitle>", "  {% if %}broken{% endif %}")
    result = cli(project, "--jobs", jobs)
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert f"{BRIEF}:{line}" in result.err, result.err


def test_syntax_error_in_parent_template_names_the_parent(project, cli):
    line = _insert_after(project, BASE, "<running-header", "  {{ audience.name ) }}")
    result = cli(project)
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert f"{BASE}:{line}" in result.err, result.err
