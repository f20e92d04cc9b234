"""Loading and validating content: every problem located as file:line:col: key.path: message."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import PDF, SET, edit, line_of, pdf_text

SUMMARY = f"content/{SET}/summary.yaml"
QUOTES = f"content/{SET}/quotes.yaml"
TIMELINE = f"content/{SET}/timeline.yaml"
PEOPLE = f"content/{SET}/people.yaml"

HEADLINE_LINE = 'headline: "North Korea-China ties are a party-to-party special relationship that will not become \\"normal\\""'


def assert_reported(result, file: str, line: int, column: int | None, key_path: str, message: str) -> str:
    """The run failed with exit 1, no traceback, and stderr holds this exactly located problem."""
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    where = f"{file}:{line}:{column}" if column is not None else f"{file}:{line}:"
    prefix = re.escape(where) + (r"\d+" if column is None else "")
    path = re.escape(f"{key_path}: ") if key_path else ""
    pattern = prefix + ": " + path + re.escape(message)
    match = re.search(pattern, result.err)
    assert match, f"expected /{pattern}/ in stderr:\n{result.err}"
    return result.err[match.start():].splitlines()[0]


def test_shipped_content_validates(project, cli):
    result = cli(project, "list")
    assert result.code == 0, result.output
    assert result.err == ""


def test_duplicate_key_is_an_error_with_both_lines(project, cli):
    edit(project, SUMMARY, "subtitle:", 'headline: "A second headline"\nsubtitle:')
    second = line_of(project, SUMMARY, "A second headline")
    first = line_of(project, SUMMARY, "headline:")
    assert first < second
    line = assert_reported(cli(project, "list"), SUMMARY, second, 1, "headline", "duplicate key")
    assert f"line {first}" in line


def test_unknown_key_is_reported_with_did_you_mean(project, cli):
    edit(project, SUMMARY, "headline:", "headlin:")
    line = line_of(project, SUMMARY, "headlin:")
    assert_reported(cli(project, "list"), SUMMARY, line, 1, "headlin", "unknown key (did you mean 'headline'?)")


def test_missing_required_top_level_key_is_reported(project, cli):
    text = (project / SUMMARY).read_text(encoding="utf-8")
    subtitle = next(l for l in text.splitlines() if l.startswith("subtitle:"))
    edit(project, SUMMARY, subtitle + "\n", "")
    assert_reported(cli(project, "list"), SUMMARY, 1, 1, "", "missing required key 'subtitle': add it (one line under")


def test_missing_required_nested_key_names_the_item(project, cli):
    # the second key judgment loses its refs: the item that lacks them is named and shown
    edit(project, SUMMARY, "    refs: [p7]\n", "")
    item = line_of(project, SUMMARY, '- lead: "Common aims target the U.S. presence"')
    line = assert_reported(cli(project, "list"), SUMMARY, item, 5, "key_judgments[1]", "missing required key 'refs': add it")
    assert "key_judgments[1].refs" not in line


def test_missing_required_key_of_a_block_mapping_points_at_its_key(project, cli):
    edit(project, SUMMARY, "  sections: [", "  # sections: [")
    result = cli(project, "list")
    assert_reported(result, SUMMARY, line_of(project, SUMMARY, "factsheet:"), 1, "factsheet", "missing required key 'sections'")
    assert re.search(r"\n +\d+ \| factsheet:\n +\| \^\n", result.err), result.err


def test_list_where_text_expected_is_a_type_error(project, cli):
    edit(project, SUMMARY, HEADLINE_LINE, "headline: [one, two]")
    line = line_of(project, SUMMARY, "headline: [one, two]")
    assert_reported(cli(project, "list"), SUMMARY, line, len("headline: ") + 1, "headline", "expected text")


def test_yaml_syntax_error_has_line_and_column(project, cli):
    edit(project, SUMMARY, "subtitle: ", "subtitle: broken: ")
    line = line_of(project, SUMMARY, "subtitle: broken:")
    assert_reported(cli(project, "list"), SUMMARY, line, len("subtitle: broken") + 1, "", "YAML syntax")


def test_tab_indentation_is_reported_at_the_tab(project, cli):
    edit(project, SUMMARY, '  - lead: "Party ties outrank state ties"', '\t- lead: "Party ties outrank state ties"')
    line = line_of(project, SUMMARY, "Party ties outrank state ties")
    reported = assert_reported(cli(project, "list"), SUMMARY, line, 1, "", "YAML syntax")
    assert "tab" in reported.lower() or "\\t" in reported


def test_invalid_utf8_names_file_and_line(project, cli):
    path = project / SUMMARY
    raw = path.read_bytes()
    line = line_of(project, SUMMARY, "subtitle:")
    path.write_bytes(raw.replace(b"subtitle: \"Shared", b"subtitle: \"\xff\xfeShared", 1))
    reported = assert_reported(cli(project, "list"), SUMMARY, line, None, "", "is not valid UTF-8")
    column = len('subtitle: "') + 1
    assert reported.startswith(f"{SUMMARY}:{line}:{column}:")


def test_utf8_bom_and_crlf_line_endings_build(project, cli):
    for name in ("summary.yaml", "quotes.yaml", "source.yaml"):
        path = project / "content" / SET / name
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert (project / SUMMARY).read_bytes().startswith(b"\xef\xbb\xbfissued:")
    result = cli(project)
    assert result.code == 0, result.output
    text = pdf_text(project / PDF)
    assert 'will not become "normal"' in text
    assert "\r" not in text


@pytest.mark.parametrize("body", ["", "# only a comment\n"], ids=["empty", "comment-only"])
def test_empty_file_is_reported(project, cli, body):
    (project / PEOPLE).write_text(body, encoding="utf-8")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert re.search(rf"{re.escape(PEOPLE)}(:\d+:\d+)?: .*empty", result.err), result.err


def test_alias_is_rejected(project, cli):
    edit(project, SUMMARY, "headline: ", "headline: &head ")
    text = (project / SUMMARY).read_text(encoding="utf-8")
    subtitle = next(l for l in text.splitlines() if l.startswith("subtitle:"))
    edit(project, SUMMARY, subtitle, "subtitle: *head")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    anchor, alias = line_of(project, SUMMARY, "&head"), line_of(project, SUMMARY, "*head")
    located = re.findall(rf"{re.escape(SUMMARY)}:(\d+):\d+: (.*)", result.err)
    assert any(int(line) in (anchor, alias) and "alias" in message for line, message in located), result.err


def test_anchor_alone_is_rejected(project, cli):
    edit(project, SUMMARY, "headline: ", "headline: &head ")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert f"{SUMMARY}:{line_of(project, SUMMARY, '&head')}:" in result.err


def test_alias_bomb_fails_fast(project, cli):
    lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"lol{level}: &a{level} [{refs}]")
    (project / PEOPLE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = cli(project, "list")
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert re.search(rf"{re.escape(PEOPLE)}:[12]:\d+: .*alias", result.err), result.err


def test_python_tag_is_reported_and_never_executed(project, cli, tmp_path: Path):
    marker = tmp_path / "pwned-XYZ"
    edit(project, SUMMARY, HEADLINE_LINE, f'headline: !!python/object/apply:os.system ["touch {marker}"]')
    line = line_of(project, SUMMARY, "!!python")
    reported = assert_reported(cli(project, "list"), SUMMARY, line, len("headline: ") + 1, "", "the tag")
    assert "python/object/apply" in reported
    assert not marker.exists()


def test_unknown_lane_has_did_you_mean(project, cli):
    edit(project, TIMELINE, "    lane: doctrine", "    lane: doctrin")
    line = line_of(project, TIMELINE, "lane: doctrin")
    assert_reported(cli(project, "list"), TIMELINE, line, len("    lane: ") + 1, "events[0].lane",
                    "no lane with id 'doctrin' (did you mean 'doctrine'?)")


def test_unknown_event_date_format_is_reported(project, cli):
    edit(project, TIMELINE, 'date: "1950"', 'date: "May 1950"')
    line = line_of(project, TIMELINE, 'date: "May 1950"')
    reported = assert_reported(cli(project, "list"), TIMELINE, line, len("    date: ") + 1, "events[0].date", "")
    assert "1978-05" in reported  # the message shows the accepted forms


def test_two_key_judgments_are_too_few(project, cli):
    text = (project / SUMMARY).read_text(encoding="utf-8")
    start = text.index('  - lead: "Normal ties would need the party-state to give way"')
    end = text.index("brief_sections:")
    (project / SUMMARY).write_text(text[:start] + text[end:], encoding="utf-8")
    line = line_of(project, SUMMARY, "key_judgments:")
    assert_reported(cli(project, "list"), SUMMARY, line, 1, "key_judgments", "give 3 to 5 key judgments, not 2")


def _set_first_quote(project: Path, words: int) -> int:
    text = " ".join(["word"] * words)
    edit(project, QUOTES, 'text: "as close as lips and teeth"', f'text: "{text}"')
    return line_of(project, QUOTES, "- id: lips-and-teeth")


def test_quote_over_30_words_is_rejected(project, cli):
    _set_first_quote(project, 31)
    line = line_of(project, QUOTES, 'text: "word word')
    assert_reported(cli(project, "list"), QUOTES, line, len("    text: ") + 1, "quotes[0].text", "31 words")


def test_quote_of_exactly_30_words_is_accepted(project, cli):
    _set_first_quote(project, 30)
    result = cli(project, "list")
    assert result.code == 0, result.output


def test_stray_content_file_is_reported(project, cli):
    (project / "content" / SET / "extras.yaml").write_text("extra: true\n", encoding="utf-8")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert re.search(rf"content/{SET}/extras\.yaml(:\d+:\d+)?: unknown content file", result.err), result.err


def test_problems_in_two_files_are_reported_together(project, cli):
    edit(project, SUMMARY, "headline:", "headlin:")
    edit(project, QUOTES, "    speaker:", "    speakr:")
    result = cli(project, "list")
    assert_reported(result, SUMMARY, line_of(project, SUMMARY, "headlin:"), 1, "headlin", "unknown key")
    assert_reported(result, QUOTES, line_of(project, QUOTES, "speakr:"), 5, "quotes[0].speakr",
                    "unknown key (did you mean 'speaker'?)")
    listed = [l for l in result.err.splitlines() if l.startswith("  content/")]
    assert result.err.startswith(f"error: {len(listed)} problems in the input")


def test_translatable_text_prints_the_english(project, cli):
    edit(project, SUMMARY, HEADLINE_LINE,
         'headline: {en: "Party channels keep the tie special", ko: "당 대 당 관계가 특별한 유대를 유지한다"}')
    result = cli(project)
    assert result.code == 0, result.output
    text = pdf_text(project / PDF)
    assert "Party channels keep the tie special" in text
    assert "특별한" not in text
    assert "will not become" not in text


def test_translatable_text_without_english_is_a_located_error(project, cli):
    edit(project, SUMMARY, HEADLINE_LINE, 'headline: {ko: "당 대 당 관계가 특별한 유대를 유지한다"}')
    line = line_of(project, SUMMARY, "headline: {ko:")
    result = cli(project)
    assert_reported(result, SUMMARY, line, len("headline: ") + 1, "headline", "no 'en' text")
    assert not (project / "briefings").exists()


def test_translatable_text_with_a_bad_language_code_is_rejected(project, cli):
    edit(project, SUMMARY, HEADLINE_LINE, 'headline: {english: "Party channels keep the tie special"}')
    line = line_of(project, SUMMARY, "headline: {english:")
    reported = assert_reported(cli(project, "list"), SUMMARY, line, len("headline: ") + 1, "headline", "")
    assert "english" in reported


def test_control_character_in_text_is_located_in_the_content_file(project, cli):
    edit(project, SUMMARY, 'headline: "', 'headline: "\\x01')
    result = cli(project, "list")
    assert result.code == 1
    line = line_of(project, SUMMARY, "headline:")
    assert re.search(rf"{re.escape(SUMMARY)}:{line}:\d+: headline: contains the control character U\+0001", result.err), result.err
