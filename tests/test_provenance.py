"""--source-text: quotations verbatim, locators within the source, --coverage."""
from __future__ import annotations

import re

import pytest

from conftest import ESSAY, PDF, SET, edit, line_of

QUOTES = f"content/{SET}/quotes.yaml"
SUMMARY = f"content/{SET}/summary.yaml"

pytestmark = pytest.mark.skipif(not ESSAY.is_file(), reason=f"source essay not found at {ESSAY}")


def test_shipped_content_matches_the_source(project, cli):
    result = cli(project, "--source-text", str(ESSAY))
    assert result.code == 0, result.output
    assert re.search(r"\b12 quotations verbatim", result.out), result.out
    assert (project / PDF).is_file()


def test_altered_quote_is_reported_with_id_file_and_line(project, cli):
    edit(project, QUOTES, 'text: "as close as lips and teeth"', 'text: "as close as lips and gums"')
    item = line_of(project, QUOTES, "- id: lips-and-teeth")
    text_line = line_of(project, QUOTES, "as close as lips and gums")
    result = cli(project, "--source-text", str(ESSAY))
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    match = re.search(rf"{re.escape(QUOTES)}:(\d+):\d+: .*lips-and-teeth", result.err)
    assert match, result.err
    assert int(match[1]) in (item, text_line)
    assert not (project / "briefings").exists()


def test_quote_cited_to_the_wrong_paragraph_is_reported(project, cli):
    text = (project / QUOTES).read_text(encoding="utf-8")
    start = text.index("- id: lips-and-teeth")
    refs = text.index("refs: [p3]", start)
    (project / QUOTES).write_text(text[:refs] + "refs: [p4]" + text[refs + len("refs: [p3]"):], encoding="utf-8")
    result = cli(project, "list", "--source-text", str(ESSAY))
    assert result.code == 1, result.output
    assert re.search(rf"{re.escape(QUOTES)}:\d+:\d+: .*lips-and-teeth.*p3", result.err), result.err


def test_locator_beyond_the_source_is_reported(project, cli):
    edit(project, SUMMARY, "refs: [p3, p33]", "refs: [p3, p999]")
    line = line_of(project, SUMMARY, "refs: [p3, p999]")
    result = cli(project, "list", "--source-text", str(ESSAY))
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert re.search(rf"{re.escape(SUMMARY)}:{line}:\d+: refs: .*p999", result.err), result.err


def test_coverage_lists_uncited_paragraphs(project, cli):
    result = cli(project, "list", "--source-text", str(ESSAY), "--coverage")
    assert result.code == 0, result.output
    assert "p2 not cited" in result.out
    assert "p3 not cited" not in result.out  # the summary cites p3


def test_coverage_drops_a_paragraph_once_it_is_cited(project, cli):
    edit(project, SUMMARY, "refs: [p3, p33]", "refs: [p2, p3, p33]")
    result = cli(project, "list", "--source-text", str(ESSAY), "--coverage")
    assert result.code == 0, result.output
    assert "p2 not cited" not in result.out
    assert re.search(r"p\d+ not cited", result.out)


def test_unreadable_source_text_is_a_usage_error(project, cli, tmp_path):
    result = cli(project, "--source-text", str(tmp_path / "missing.txt"))
    assert result.code in (1, 2)
    assert "missing.txt" in result.err
    assert "Traceback" not in result.err
