"""Source texts, named with --source-text or kept with the set as source.txt: quotations verbatim,
locators within the source, --coverage."""
from __future__ import annotations

import re
import shutil

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


def test_coverage_counts_body_paragraphs_only(project, cli):
    """The shipped set cites every body paragraph; headings such as p2 "Editor's Note" are not
    body paragraphs, so they are never listed as uncited."""
    result = cli(project, "list", "--source-text", str(ESSAY), "--coverage")
    assert result.code == 0, result.output
    assert re.search(rf"coverage of content/{SET}/: (\d+) of \1 body paragraphs", result.out), result.out
    assert "not cited" not in result.out


def test_coverage_drops_a_paragraph_once_it_is_cited(project, cli, tmp_path):
    longer = tmp_path / "essay-and-more.txt"
    longer.write_text(ESSAY.read_text(encoding="utf-8") + "\n\nA closing paragraph added for this test, long "
                      "enough to count as a body paragraph of the essay.\n\nA heading added too\n", encoding="utf-8")
    result = cli(project, "list", "--source-text", str(longer), "--coverage")
    assert result.code == 0, result.output
    assert "p43 not cited: A closing paragraph" in result.out
    assert "p44" not in result.out  # a heading: not a body paragraph
    edit(project, SUMMARY, "refs: [p3, p33]", "refs: [p3, p33, p43]")
    result = cli(project, "list", "--source-text", str(longer), "--coverage")
    assert result.code == 0, result.output
    assert "not cited" not in result.out


def test_unreadable_source_text_is_a_usage_error(project, cli, tmp_path):
    result = cli(project, "--source-text", str(tmp_path / "missing.txt"))
    assert result.code in (1, 2)
    assert "missing.txt" in result.err
    assert "Traceback" not in result.err


def test_a_source_text_kept_with_the_set_is_checked_on_every_build_and_list(project, cli, tmp_path):
    shutil.copy(ESSAY, project / f"content/{SET}/source.txt")
    listed = cli(project, "list")
    assert listed.code == 0 and "12 quotations verbatim" in listed.out, listed.output
    assert cli(project, "list", "--coverage").code == 0
    edit(project, f"content/{SET}/quotes.yaml", "as close as lips and teeth", "as close as lips and gums")
    broken = cli(project, "build")
    assert broken.code == 1 and "lips-and-teeth" in broken.err and not (project / "briefings").exists()
    other = tmp_path / "other.txt"
    other.write_text(ESSAY.read_text(encoding="utf-8").replace("lips and teeth", "lips and gums"), encoding="utf-8")
    assert cli(project, "list", "--source-text", str(other)).code == 0  # --source-text wins
    (project / f"content/{SET}/source.txt").write_bytes(b"\xff\xfe not UTF-8")
    unreadable = cli(project, "list")
    assert unreadable.code == 1 and f"content/{SET}/source.txt: cannot be read as UTF-8 text" in unreadable.err
