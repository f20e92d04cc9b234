"""Drafts: a content set marked draft stays out of the default build, is marked DRAFT on every
page when it is named, and may hold placeholders."""
from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from conftest import PDF, SET, edit, line_of, normalize


def _pdf_pages(path: Path) -> list[str]:
    return [normalize(page.extract_text() or "") for page in PdfReader(str(path)).pages]


def test_a_draft_set_is_built_only_when_named_and_marked_draft_on_every_page(project, cli):
    edit(project, f"content/{SET}/source.yaml", "language: en\n", "language: en\ndraft: true\n")
    skipped = cli(project)
    assert skipped.code == 0, skipped.output
    assert f"skipped content/{SET}/: a draft" in skipped.out and "nothing to build" in skipped.out
    assert not (project / "briefings").exists()
    built = cli(project, "--set", SET, "--kind", "brief")
    assert built.code == 0, built.output
    pages = _pdf_pages(project / PDF)
    assert pages and all("DRAFT" in page and "WORKING COPY" not in page for page in pages)


def test_placeholders_are_allowed_in_drafts_only(project, cli):
    summary = project / f"content/{SET}/summary.yaml"
    summary.write_text(re.sub(r"(?m)^subtitle: .*$", 'subtitle: "[TODO: a subtitle]"', summary.read_text(encoding="utf-8"),
                              count=1), encoding="utf-8")
    line = line_of(project, f"content/{SET}/summary.yaml", "[TODO: a subtitle]")
    ready = cli(project, "list")
    assert ready.code == 1 and f"content/{SET}/summary.yaml:{line}:11: subtitle: still a placeholder" in ready.err, \
        ready.err
    edit(project, f"content/{SET}/source.yaml", "language: en\n", "language: en\ndraft: true\n")
    assert cli(project, "list", "--set", SET).code == 0


def test_a_meeting_on_a_draft_is_left_out_unless_named(full_project, cli):
    edit(full_project, f"content/{SET}/source.yaml", "language: en\n", "language: en\ndraft: true\n")
    listed = cli(full_project, "list")
    assert listed.code == 0, listed.output
    assert f"skipped content/{SET}/: a draft" in listed.out
    assert "skipped meeting principals-prebrief: its content set nk-china is a draft" in listed.out
    assert "briefings/" not in listed.out
    named = cli(full_project, "list", "--meeting", "principals-prebrief")
    assert named.code == 0 and "briefings/meetings/principals-prebrief/" in named.out
