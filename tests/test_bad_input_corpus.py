"""The bad-input corpus: every kind of wrong input ends in a clear, located error and loses nothing.

Each case starts from a project that has been built once, breaks one thing, runs the build, and
asserts the exit code (1, or 2 for the command line), a message naming the file, line, column and
key path where they exist, no traceback, and a briefings/ folder byte-for-byte as it was.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import SET, TIMELINE_PDF, pdf_text, snapshot

S = f"content/{SET}/summary.yaml"
T = f"content/{SET}/timeline.yaml"
Q = f"content/{SET}/quotes.yaml"
P = f"content/{SET}/people.yaml"
F = f"content/{SET}/facts.yaml"
BRIEF = "templates/brief.xml.j2"
PROFILE = "templates/audiences/analysts.yaml"
PWNED = Path("/tmp/briefkit-corpus-pwned")


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(project: Path, relative: str, text: str) -> None:
    with open(project / relative, "a", encoding="utf-8") as handle:
        handle.write(text)


def put(project: Path, relative: str, text: str | bytes) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def line_of(project: Path, relative: str, needle: str) -> int:
    lines = (project / relative).read_bytes().decode("utf-8", "replace").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


@dataclass
class Case:
    id: str
    mutate: Callable[[Path], None]
    expect: str | Callable[[Path], str]   # regex the error output must match (may use the mutated project)
    argv: tuple[str, ...] = ("--kind", "brief")
    code: int = 1


def at(relative: str, needle: str, rest: str, column: bool = True) -> Callable[[Path], str]:
    """Expect `relative:LINE:COL: rest` (templates: `relative:LINE: rest`), LINE where `needle` now is."""
    col = r":\d+" if column else ""
    return lambda project: rf"{re.escape(relative)}:{line_of(project, relative, needle)}{col}: {rest}"


def _bomb(project: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdefghi", "abcdefgh"):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    append(project, S, "\n".join(levels) + "\n")


def _deep(project: Path) -> None:
    append(project, S, "deep: " + "[" * 3000 + "]" * 3000 + "\n")


def _directory(project: Path) -> None:
    (project / P).unlink()
    (project / P).mkdir()


def _two_sets_named_badly(project: Path) -> None:
    shutil.copytree(project / "content" / SET, project / "content" / "Bad Set")


def _include_itself(project: Path) -> None:
    put(project, "templates/loop.xml.j2", '{% include "loop.xml.j2" %}')
    edit(project, BRIEF, "{%- block body %}", '{%- block body %}{% include "loop.xml.j2" %}')


def _override(text: str | bytes) -> Callable[[Path], None]:
    return lambda project: put(project, "templates/audiences/analysts/brief.xml.j2", text)


LABELS = "templates/labels/en.yaml"
HEADLINE = "<title>{{ summary.headline }}"


def _in_title(expression: str) -> Callable[[Path], None]:
    """The brief's title made by a template expression that fails as it runs."""
    return lambda project: edit(project, BRIEF, HEADLINE, f"<title>{expression}")


def _replace_with(relative: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        (project / relative).unlink()
        make(project / relative)
    return mutate


def _before_flow(markup: str) -> Callable[[Path], None]:
    return lambda project: edit(project, BRIEF, '<flow columns="2"', f'{markup}<flow columns="2"')


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


FIFO_ESSAY = Path(f"/tmp/briefkit-corpus-{os.getpid()}.fifo")


def _make_fifo_essay(project: Path) -> None:
    FIFO_ESSAY.unlink(missing_ok=True)
    os.mkfifo(FIFO_ESSAY)


def _flow_list(project: Path) -> None:
    append(project, S, "many: [" + "1," * 250_000 + "1]\n")


def _long_word(relative: str, old: str) -> Callable[[Path], None]:
    return lambda project: edit(project, relative, old, "W" * 500)


CASES = [
    # YAML itself
    Case("yaml-syntax", lambda p: edit(p, S, 'headline: "', 'headline: ["'), rf"{re.escape(S)}:\d+:\d+: YAML syntax"),
    Case("yaml-tab", lambda p: edit(p, S, "  - lead:", "\t- lead:"), at(S, "\t- lead:", "YAML syntax: a tab character")),
    Case("wrong-type", lambda p: edit(p, S, 'headline: "', 'headline: [a, b]\nx_headline: "'),
         at(S, "headline: [a, b]", "headline: expected text")),
    Case("missing-key", lambda p: edit(p, S, "headline:", "# headline:"), rf"{re.escape(S)}:1:1: missing required key 'headline': add it"),
    Case("missing-key-in-a-list-item", lambda p: edit(p, T, '    date: "1950"\n', ""),
         at(T, "- id: zhou-enlai-asians", r"events\[0\]: missing required key 'date': add it")),
    Case("unknown-key", lambda p: edit(p, S, "headline:", "headlin:"), at(S, "headlin:", r"headlin: unknown key \(did you mean 'headline'\?\)")),
    Case("duplicate-key", lambda p: append(p, S, 'thesis: "again"\n'), at(S, 'thesis: "again"', r"thesis: duplicate key")),
    Case("empty-file", lambda p: put(p, P, ""), rf"{re.escape(P)}: is empty"),
    Case("directory-for-file", _directory, rf"{re.escape(P)}: is a folder"),
    Case("invalid-utf8", lambda p: put(p, S, (p / S).read_bytes().replace(b"headline: \"", b"headline: \"\xff\xfe", 1)),
         at(S, "headline:", "is not valid UTF-8")),
    Case("nul-byte", lambda p: edit(p, S, 'headline: "', 'headline: "\x00'), rf"{re.escape(S)}:\d+:\d+: YAML: .*control characters"),
    Case("huge-string", lambda p: edit(p, S, 'headline: "', 'headline: "' + "x" * 20000), at(S, "headline:", "headline: is 20,.* at most 5,000")),
    Case("deep-nesting", _deep, rf"{re.escape(S)}:\d+:\d+: YAML syntax: .*nesting depth"),
    Case("alias-bomb", _bomb, rf"{re.escape(S)}:\d+:\d+: .*alias"),
    Case("python-tag", lambda p: append(p, S, f'evil: !!python/object/apply:os.system ["touch {PWNED}"]\n'),
         at(S, "evil:", r"the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")),
    Case("bare-anchor", lambda p: edit(p, S, 'headline: "', 'headline: &h "'), at(S, "headline:", "anchor &h is not supported")),
    Case("merge-key", lambda p: append(p, S, "base_x: {a: 1}\nmerged:\n  <<: {a: 2}\n"), at(S, "<<:", "keys must be plain names")),
    Case("bad-date", lambda p: edit(p, S, "issued: 2026-11-28", 'issued: "yesterday"'), at(S, "issued:", "issued: expected a date")),
    Case("bad-locator", lambda p: edit(p, S, "refs: [p", "refs: [7, p"), at(S, "refs: [7, p", r"key_judgments\[0\]\.refs: '7' is not a locator")),
    Case("empty-refs", lambda p: edit(p, S, "refs: [p3, p33]", "refs: []"), at(S, "refs: []", "refs: expected a list of at least one locator")),
    Case("refs-not-a-list", lambda p: edit(p, S, "refs: [p3, p33]", "refs: p3"), at(S, "refs: p3", "refs: expected a list")),
    Case("bad-language-code", lambda p: edit(p, S, 'headline: "', 'headline: {english: "x"}\nx_headline: "'),
         at(S, "headline: {english", "headline: 'english' is not a language code")),
    Case("bad-event-date", lambda p: edit(p, T, 'date: "1950"', 'date: "1950-13"'), at(T, '"1950-13"', r"events\[0\]\.date: ")),
    Case("unknown-lane", lambda p: edit(p, T, "lane: doctrine", "lane: doctrin"), rf"{re.escape(T)}:\d+:\d+: events\[\d+\]\.lane: no lane with id 'doctrin' \(did you mean 'doctrine'\?\)"),
    Case("unknown-actor", lambda p: edit(p, T, "actors: [zhou-enlai]", "actors: [zhou]"), rf"{re.escape(T)}:\d+:\d+: events\[0\]\.actors\[0\]: no person with id 'zhou'"),
    Case("duplicate-id", lambda p: edit(p, F, "id: zhou-enlai-1950", "id: shared-objectives"), rf"{re.escape(F)}:\d+:\d+: facts\[1\]\.id: duplicate id 'shared-objectives'"),
    Case("control-character", lambda p: edit(p, S, 'headline: "', 'headline: "\\u0007'), at(S, "headline:", "headline: contains the control character U\\+0007")),
    Case("quote-too-long", lambda p: edit(p, Q, "  - id:", "  - id: long\n    text: \"" + "word " * 40 + "\"\n    speaker: \"x\"\n    context: \"x\"\n    refs: [p7]\n  - id:"),
         rf"{re.escape(Q)}:\d+:\d+: quotes\[0\]\.text: 40 words"),
    Case("one-brief-section", lambda p: edit(p, S, "brief_sections: [shared-objectives, cannot-be-normal, three-fears]", "brief_sections: [three-fears]"),
         at(S, "brief_sections: [three-fears]", "brief_sections: name 2 or 3 argument groups, not 1")),
    Case("unknown-brief-section", lambda p: edit(p, S, "cannot-be-normal, three-fears]", "cannot-be-normal, three-fear]"),
         r"brief_sections\[2\]: no argument group with id 'three-fear' \(did you mean 'three-fears'\?\)"),
    Case("stray-content-file", lambda p: put(p, f"content/{SET}/extras.yaml", "a: 1\n"), rf"content/{SET}/extras\.yaml: unknown content file"),
    # text the fonts cannot print, or that would print as nothing
    Case("emoji", lambda p: edit(p, S, 'headline: "', 'headline: "\U0001F680 '), rf"{re.escape(S)}:\d+:\d+: headline: the character .* \(U\+1F680 ROCKET\) is in none of the document's fonts"),
    Case("right-to-left-script", lambda p: edit(p, S, 'headline: "', 'headline: "שלום '), r"U\+05E9 HEBREW LETTER SHIN\).* are in none of the document's fonts"),
    Case("right-to-left-mark", lambda p: edit(p, S, 'headline: "', 'headline: "\u200f'), at(S, "headline:", r"headline: contains the invisible character U\+200F \(RIGHT-TO-LEFT MARK\)")),
    Case("zero-width-space", lambda p: edit(p, S, 'headline: "North', 'headline: "No\u200brth'), r"invisible character U\+200B \(ZERO WIDTH SPACE\) at position 3"),
    # templates
    Case("template-syntax", lambda p: edit(p, BRIEF, "{%- block body %}", "{%- block body %}{% if %}"), at(BRIEF, "{% if %}", "template syntax", column=False)),
    Case("template-undefined", lambda p: edit(p, BRIEF, "<title>{{ summary.headline }}", "<title>{{ summary.nope }}"), at(BRIEF, "summary.nope", ".*'nope'", column=False)),
    Case("include-outside-templates", _override('{% include "../../../../etc/passwd" %}'), r"template \.\./\.\./\.\./\.\./etc/passwd not found"),
    Case("include-absolute-path", _override('{% include "/etc/passwd" %}'), r"template /etc/passwd not found"),
    Case("template-recursion", _include_itself, r"include or extend each other without end"),
    Case("sandbox-escape", _override("{{ ''.__class__.__mro__ }}"), r"templates/audiences/analysts/brief\.xml\.j2:1: .*unsafe"),
    Case("markup-unknown-element", lambda p: edit(p, BRIEF, "<title>", "<blink/><title>"), r"unknown element <blink>"),
    # templates that fail as they run, or ask for too much
    Case("template-zero-division", _in_title("{{ 1 / 0 }}"), at(BRIEF, "1 / 0", r"division by zero \(ZeroDivisionError\)", column=False)),
    Case("template-unknown-encoding", _in_title("{{ 'a'.encode('nope') }}"), at(BRIEF, "encode('nope')", "unknown encoding: nope", column=False)),
    Case("template-divisibleby-zero", _in_title("{{ 3 is divisibleby 0 }}"), at(BRIEF, "divisibleby 0", "integer modulo by zero", column=False)),
    Case("template-huge-string", _in_title("{{ 'x' * 300000000 }}"), at(BRIEF, "300000000", r"'\*' would make a value of 300,000,000 items", column=False)),
    Case("template-huge-power", _in_title("{{ 7 ** 100000000 }}"), at(BRIEF, "100000000", r"'\*\*' would make a number of more than", column=False)),
    Case("template-huge-padding", _in_title("{{ 'x'.ljust(1000000000) }}"), at(BRIEF, "ljust", r"a call with the number 1,000,000,000", column=False)),
    Case("template-huge-filter", _in_title("{{ 'x' | center(300000000) }}"), at(BRIEF, "center", r"a call with the number 300,000,000", column=False)),
    Case("template-latin-1", _override(b'{% extends "default/brief.xml.j2" %}\n{# caf\xe9 #}\n'),
         r"templates/audiences/analysts/brief\.xml\.j2:2:7: is not valid UTF-8 \(byte 0xe9\): save the template as UTF-8"),
    Case("template-link-outside", _replace_with("templates/macros.xml.j2", _link_to("/etc/passwd")),
         r"templates/macros\.xml\.j2: is a link to /etc/passwd, outside the project"),
    Case("template-fifo", _replace_with("templates/macros.xml.j2", _fifo), r"templates/macros\.xml\.j2: is a FIFO \(named pipe\), not a regular file"),
    Case("markup-figures-no-columns", lambda p: edit(p, BRIEF, '<figures cols="{{ summary.brief_facts | length }}"', '<figures cols="0"'),
         r"templates/brief\.xml\.j2 \(rendered line \d+\): <figures>: cols must be at least 1"),
    Case("markup-flow-no-columns", lambda p: edit(p, BRIEF, '<flow columns="2"', '<flow columns="0"'),
         r'<flow columns="0">: must be at least 1, not 0'),
    Case("markup-widths-not-numbers", lambda p: edit(p, BRIEF, '<flow columns="2"', '<columns widths="a b"><column/><column/></columns><flow columns="2"'),
         r"<columns widths=\"a b\">: expected relative widths"),
    Case("markup-row-without-cells", _before_flow("<table><row></row></table>"), r"<table>: every <row> needs at least one <cell>"),
    Case("markup-empty-bar-chart", _before_flow('<bar-chart alt="x"></bar-chart>'), r"<bar-chart>: needs at least one <bar>"),
    Case("markup-empty-timeline-chart", _before_flow('<timeline-chart alt="x"></timeline-chart>'), r"<timeline-chart>: needs at least one <event>"),
    Case("markup-huge-bar", _before_flow('<bar-chart alt="x"><bar label="a" value="1e300"/></bar-chart>'), r'<bar value="1e300">: must be at most 1e\+09'),
    # files that are not plain files of the project, or too large to be written by hand
    Case("content-fifo", _replace_with(P, _fifo), rf"{re.escape(P)}: is a FIFO \(named pipe\), not a regular file"),
    Case("content-link-outside", _replace_with(P, _link_to("/etc/passwd")), rf"{re.escape(P)}: is a link to /etc/passwd, outside the project"),
    Case("content-link-to-device", _replace_with(P, _link_to("/dev/zero")), rf"{re.escape(P)}: is a link to /dev/zero, outside the project"),
    Case("source-text-link-outside", lambda p: (p / f"content/{SET}/source.txt").symlink_to("/etc/passwd"),
         rf"content/{SET}/source\.txt: is a link to /etc/passwd, outside the project"),
    Case("source-text-too-large", lambda p: put(p, f"content/{SET}/source.txt", ("word " * 2_020_000).encode()),
         rf"content/{SET}/source\.txt: is 10\.1 MB, more than the 10\.0 MB a source text may have"),
    Case("yaml-too-large", lambda p: append(p, S, "# " + "x" * 2_100_000 + "\n"), rf"{re.escape(S)}: is 2\.1 MB, more than the 2\.0 MB a YAML file may have"),
    Case("yaml-too-many-values", _flow_list, rf"{re.escape(S)}:\d+:\d+: holds more than 200,000 values"),
    Case("file-name-not-utf8", lambda p: (p / os.fsdecode(f"content/{SET}/x\xff.yaml".encode("latin-1"))).touch(),
         rf"content/{SET}/x\\xff\.yaml: the name is not valid UTF-8 \(byte 0xff\): rename it"),
    # values out of range, words too long for a line, text the labels cannot print
    Case("long-word-headline", _long_word(S, "North Korea-China ties"), at(S, "WWWW", r"headline: the word 'W+…' at position 1 is 500 characters long")),
    Case("long-word-event-title", _long_word(T, "problems for Asians"), at(T, "WWWW", r"events\[\d+\]\.title: the word 'W+…' .* is 500 characters long")),
    Case("occurrences-of-4000-digits", lambda p: edit(p, T, "occurrences: 3", "occurrences: " + "9" * 4000),
         at(T, "occurrences: 999", r"events\[\d+\]\.occurrences: a number of 4,000 digits is too large")),
    Case("occurrences-too-many", lambda p: edit(p, T, "occurrences: 3", "occurrences: 20000"),
         at(T, "occurrences: 20000", r"events\[\d+\]\.occurrences: must be a count from 1 to 10,000, not 20,000")),
    Case("label-emoji", lambda p: edit(p, LABELS, 'key_figures_alt: "', 'key_figures_alt: "\U0001F680 '),
         at(LABELS, "key_figures_alt:", r"key_figures_alt: the character .* \(U\+1F680 ROCKET\) is in none of the document's fonts")),
    Case("label-zero-width-space", lambda p: edit(p, LABELS, 'key_figures_alt: "Key', 'key_figures_alt: "Ke\u200by'),
         at(LABELS, "key_figures_alt:", r"key_figures_alt: contains the invisible character U\+200B")),
    Case("template-emoji", lambda p: edit(p, BRIEF, HEADLINE, "<title>\U0001F680 {{ summary.headline }}"),
         r"templates/brief\.xml\.j2 \(rendered line \d+\): <title>: .* \(U\+1F680 ROCKET\) is in none of the document's fonts"),
    Case("missing-colon", lambda p: edit(p, S, "issued: ", "issued "), rf"{re.escape(S)}:1:1: YAML syntax: no ':' after the key on this line"),
    Case("missing-colon-in-a-list", lambda p: edit(p, T, "    lane: doctrine", "    lane doctrine"),
         at(T, "lane doctrine", "YAML syntax: could not find expected ':' after this key")),
    Case("profile-language-path", lambda p: append(p, PROFILE, "language: ../../etc\n"),
         at(PROFILE, "language:", r"language: '\.\./\.\./etc' is not a language code")),
    # names and paths
    Case("set-with-dots", lambda p: None, r"--set '\.\./x': names use lower-case", argv=("--set", "../x"), code=2),
    Case("audience-absolute", lambda p: None, r"--audience '/etc'", argv=("--audience", "/etc"), code=2),
    Case("meeting-traversal", lambda p: None, r"--meeting '\.\./\.\./x' does not exist", argv=("--meeting", "../../x"), code=2),
    Case("set-folder-name", _two_sets_named_badly, r"content/Bad Set: folder names use lower-case", argv=()),
    Case("profile-file-name", lambda p: put(p, "templates/audiences/Bad Name.yaml", 'label: "x"\ndescription: "y"\n'),
         r"templates/audiences/Bad Name\.yaml: profile file names use lower-case", argv=()),
    Case("profile-missing-parent", lambda p: append(p, PROFILE, "extends: nowhere\n"), at(PROFILE, "extends:", r"extends: 'nowhere' does not exist")),
    Case("profile-bad-colour", lambda p: edit(p, PROFILE, "presentation:\n", 'presentation:\n  accent: "blue"\n'), r"presentation\.accent: 'blue' is not a colour"),
    Case("profile-page-limit", lambda p: append(p, PROFILE, "page_limits: {timeline: 9}\n"), r"page_limits\.timeline: must be between 1 and 3, not 9"),
    # command line
    Case("unknown-option", lambda p: None, r"unknown option --bogus", argv=("--bogus",), code=2),
    Case("missing-source-text", lambda p: None, r"--source-text /nonexistent/essay\.txt: cannot be read", argv=("--source-text", "/nonexistent/essay.txt"), code=2),
    Case("coverage-alone", lambda p: None, r"--coverage needs a source text", argv=("--coverage",), code=2),
    Case("source-text-fifo", _make_fifo_essay, rf"--source-text {FIFO_ESSAY}: is a FIFO", argv=("--source-text", str(FIFO_ESSAY)), code=2),
    Case("source-text-device", lambda p: None, r"--source-text /dev/zero: is a device, not a regular file",
         argv=("--source-text", "/dev/zero"), code=2),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    from briefkit.cli import main
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("corpus") / "project")
    assert main(["-q", "--kind", "brief"], project=root) == 0
    return root


def _outputs(project: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(project / "briefings").items() if name != ".lock"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_and_loses_nothing(case: Case, pristine: Path, tmp_path: Path, cli):
    assert len({c.id for c in CASES}) == len(CASES) >= 40
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    before = _outputs(project)
    case.mutate(project)
    started = time.perf_counter()
    result = cli(project, *case.argv)
    assert time.perf_counter() - started < 20, "bounded time"
    assert result.code == case.code, result.output
    assert "Traceback" not in result.output and "this is a bug" not in result.output
    expect = case.expect(project) if callable(case.expect) else case.expect
    assert re.search(expect, result.err), f"{expect!r} not in:\n{result.err}"
    assert _outputs(project) == before, "previous outputs are byte-for-byte unchanged"
    assert not list((project / "briefings").glob(".staging-*")) and not (project / "briefings/.journal.json").exists()


def test_alias_bomb_fails_fast(pristine, tmp_path, cli):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    _bomb(project)
    started = time.perf_counter()
    assert cli(project, "list").code == 1
    assert time.perf_counter() - started < 2


def test_python_tag_is_never_executed(pristine, tmp_path, cli):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    PWNED.unlink(missing_ok=True)
    append(project, S, f'evil: !!python/object/apply:os.system ["touch {PWNED}"]\n')
    assert cli(project, "list").code == 1
    assert not PWNED.exists()


def test_byte_order_mark_and_crlf_simply_work(pristine, tmp_path, cli):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    text = (project / S).read_text(encoding="utf-8")
    (project / S).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert cli(project, "--kind", "brief", "-q").code == 0


MARKUP_LIKE = '<b>unclosed & <img src="/etc/passwd"> <a href="javascript:alert(1)">x</a> <font color=red> &amp; ]]> file:///etc/passwd'


def test_markup_like_content_prints_literally_and_makes_no_links(pristine, tmp_path, cli):
    from pypdf import PdfReader

    from conftest import PDF, pdf_text

    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    subtitle = next(line for line in (project / S).read_text().splitlines() if line.startswith("subtitle:"))
    edit(project, S, subtitle, "subtitle: '" + MARKUP_LIKE + "'")
    result = cli(project, "--kind", "brief", "-q")
    assert result.code == 0, result.output
    text = pdf_text(project / PDF)
    for fragment in ("<b>unclosed &", '<img src="/etc/passwd">', "javascript:alert(1)", "&amp;", "]]>"):
        assert fragment in text, fragment
    for page in PdfReader(str(project / PDF)).pages:
        assert "/Annots" not in page, "no link annotations at all"


def _break_writes(monkeypatch, error: OSError) -> None:
    import briefkit.publish.atomic as output

    def failing(path, data):  # type: ignore[no-untyped-def]
        raise error
    monkeypatch.setattr(output, "_write_synced", failing)


@pytest.mark.parametrize("error, message", [
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    (PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
])
def test_write_failures_leave_outputs_unchanged(pristine, tmp_path, cli, monkeypatch, error, message):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    before = _outputs(project)
    edit(project, S, 'headline: "', 'headline: "Changed: ')
    _break_writes(monkeypatch, error)
    result = cli(project, "--kind", "brief")
    assert result.code == 1 and message in result.err and "previous outputs are unchanged" in result.err
    assert _outputs(project) == before
    assert not list((project / "briefings").glob(".staging-*"))


def test_a_failing_move_rolls_back_every_earlier_one(pristine, tmp_path, cli, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    before = _outputs(project)
    edit(project, S, 'headline: "', 'headline: "Changed: ')
    real_replace, calls = os.replace, []

    def flaky(source, target):  # type: ignore[no-untyped-def]
        calls.append(target)
        if str(target).endswith("manifest.json"):
            raise OSError(errno.EIO, "Input/output error", str(target))
        return real_replace(source, target)
    monkeypatch.setattr(os, "replace", flaky)
    result = cli(project, "--kind", "brief")
    assert result.code == 1 and "Input/output error" in result.err
    assert len(calls) >= 2
    monkeypatch.setattr(os, "replace", real_replace)
    assert _outputs(project) == before


def test_briefings_that_is_a_file_is_a_clear_error(pristine, tmp_path, cli):
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    shutil.rmtree(project / "briefings")
    (project / "briefings").write_text("not a folder")
    result = cli(project, "--kind", "brief")
    assert result.code == 1 and "briefings" in result.err and "is a file" in result.err
    assert (project / "briefings").read_text() == "not a folder"


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_corrupt_font_is_a_clear_error(pristine, tmp_path, cli, monkeypatch, damage):
    import briefkit.render.fonts as fonts

    fake = tmp_path / "fonts"
    fake.mkdir()
    if damage == "corrupt":
        for family in fonts.LATIN.families:
            for name in family.files.values():
                (fake / name).write_bytes(b"this is not a font" * 10)
    monkeypatch.setattr(fonts, "_registered", set())
    monkeypatch.setattr(fonts, "_paths", {})
    monkeypatch.setattr(fonts, "_covered", {})
    monkeypatch.setattr(fonts, "font_folder", lambda package: fake)
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    before = _outputs(project)
    result = cli(project, "--kind", "brief")
    assert result.code == 1, result.output
    assert "cannot be used" in result.err and "pip install --force-reinstall font-source" in result.err
    assert "Traceback" not in result.err
    assert _outputs(project) == before


def _fresh(pristine: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    return project, _outputs(project)


@pytest.mark.parametrize("value", ["garbage", "1.5", "1e20", "-1", "99999999999999999999"])
def test_a_source_date_epoch_that_is_not_a_time_is_a_clear_error(pristine, tmp_path, cli, monkeypatch, value):
    project, before = _fresh(pristine, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = cli(project, "--kind", "brief", "--force")
    assert result.code == 2, result.output
    assert result.err == (f"error: SOURCE_DATE_EPOCH={value!r}: expected a whole number of seconds since 1970-01-01 "
                          "UTC, from 0 to 253402300799 (such as 1764288000), or unset it\n")
    assert _outputs(project) == before


def test_a_bug_is_one_line_naming_the_saved_trace_and_exit_70(pristine, tmp_path, cli, monkeypatch):
    import briefkit.build.validate as validate

    project, before = _fresh(pristine, tmp_path)
    edit(project, S, 'headline: "', 'headline: "Changed: ')

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("an internal mistake")
    monkeypatch.setattr(validate, "validate", broken)
    result = cli(project, "--kind", "brief")
    assert result.code == 70, result.output
    match = re.fullmatch(r"error: briefkit failed unexpectedly: this is a bug, not a problem with your input "
                         r"\(RuntimeError: an internal mistake\); the full trace is in (\.briefkit/crash-[\d-]+\.log); "
                         r"please report it with that file\n", result.err)
    assert match, result.err
    saved = (project / match[1]).read_text()
    assert "Traceback (most recent call last)" in saved and "an internal mistake" in saved and "command: briefkit --kind brief" in saved
    assert _outputs(project) == before


def test_a_bug_in_an_unwritable_project_saves_its_trace_in_the_temporary_folder(pristine, tmp_path, cli, monkeypatch):
    from briefkit import crash

    project, _ = _fresh(pristine, tmp_path)
    (project / crash.FOLDER).write_text("a file where the folder would go")
    monkeypatch.setattr(crash.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    monkeypatch.setattr("briefkit.cli.COMMAND_RUNNERS", {"build": lambda *a: 1 // 0})
    result = cli(project)
    assert result.code == 70 and "ZeroDivisionError" in result.err
    assert f"the full trace is in {tmp_path / 'tmp' / 'briefkit'}/crash-" in result.err
    assert len(list((tmp_path / "tmp" / "briefkit").glob("crash-*.log"))) == 1


@pytest.mark.parametrize("limit, loop, message", [
    ("RENDER_SECONDS", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     r"templates/brief\.xml\.j2:\d+: the template ran for more than 1 s and was stopped"),
    ("OUTPUT_CHARACTERS", "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
     r"templates/brief\.xml\.j2: the template made more than 100,000 characters of markup"),
])
def test_a_template_that_runs_too_long_or_makes_too_much_is_stopped(pristine, tmp_path, cli, monkeypatch, limit, loop,
                                                                    message):
    import briefkit.render.templating as templating

    project, before = _fresh(pristine, tmp_path)
    monkeypatch.setattr(templating, limit, 1 if limit == "RENDER_SECONDS" else 100_000)
    edit(project, BRIEF, HEADLINE, f"<title>{loop}")
    started = time.perf_counter()
    result = cli(project, "--kind", "brief", "--jobs", "1")
    assert time.perf_counter() - started < 15
    assert result.code == 1 and re.search(message, result.err), result.err
    assert _outputs(project) == before


def test_a_located_error_quotes_its_line_with_a_caret_under_the_value(pristine, tmp_path, cli):
    project, before = _fresh(pristine, tmp_path)
    edit(project, T, "    lane: doctrine", "    lane: doctrin")
    line = line_of(project, T, "lane: doctrin")
    result = cli(project, "--kind", "brief")
    assert result.code == 1
    assert result.err.splitlines()[1:] == [
        f"  {T}:{line}:11: events[0].lane: no lane with id 'doctrin' (did you mean 'doctrine'?)",
        f"    {line} |     lane: doctrin",
        f"    {' ' * len(str(line))} |           ^"]
    assert _outputs(project) == before


def test_a_meeting_names_its_wrong_audience_at_the_value(full_project, cli):
    meeting = "content/meetings/principals-prebrief.yaml"
    edit(full_project, meeting, "audience: principal", "audience: principle")
    line = line_of(full_project, meeting, "audience: principle")
    result = cli(full_project, "list")
    assert result.code == 1
    assert f"{meeting}:{line}:11: audience: no audience 'principle' (did you mean 'principal'?)\n" \
           f"    {line} | audience: principle\n" in result.err


def test_the_longest_word_allowed_is_split_over_lines_and_still_checked(pristine, tmp_path, cli):
    from briefkit.inputs.schema import LONGEST_WORD

    project, _ = _fresh(pristine, tmp_path)
    word = ("supercalifragilistic" * 10)[:LONGEST_WORD]
    edit(project, T, "problems for Asians", word)
    result = cli(project, "--kind", "timeline")
    assert result.code == 0, result.output
    assert word in "".join(pdf_text(project / TIMELINE_PDF).split())


def test_the_readme_shows_a_real_error(full_project, cli):
    """The README's example is what the build prints for the shipped content with those two typos."""
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("with\nits source line and a caret under it:\n\n```\n")[1].split("```")[0]
    edit(full_project, T, "    actors: [hua-guofeng]\n    lane: visits", "    actors: [hua-guofen]\n    lane: vists")
    result = cli(full_project, "list")
    assert result.code == 1 and result.err == shown


def test_a_bug_in_a_worker_process_is_reported_the_same_way(pristine, tmp_path, cli, monkeypatch):
    import briefkit.render.document as document

    project, before = _fresh(pristine, tmp_path)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyError("a mistake in a worker")
    monkeypatch.setattr(document, "render_document", broken)
    result = cli(project, "--kind", "brief,timeline", "--force", "--jobs", "2")
    assert result.code == 70 and len(result.err.splitlines()) == 1, result.err
    assert "(KeyError: 'a mistake in a worker')" in result.err and "Traceback" not in result.err
    saved = next((project / ".briefkit").glob("crash-*.log")).read_text()
    assert "a mistake in a worker" in saved and "in broken" in saved, "the worker's own trace is kept"
    assert _outputs(project) == before


def test_an_empty_keep_together_draws_nothing(pristine, tmp_path, cli):
    project, _ = _fresh(pristine, tmp_path)
    edit(project, BRIEF, '<flow columns="2"', '<keep-together></keep-together><flow columns="2"')
    result = cli(project, "--kind", "brief")
    assert result.code == 0, result.output
