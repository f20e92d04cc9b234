"""Authoring a new essay: `new` scaffolds a draft that builds at once, `locate` finds locators,
drafts stay out of the default build, and a source text kept with the set is checked every time."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from briefkit.inputs.content import load_set
from briefkit.inputs.sourcetext import SourceText
from briefkit.paths import Project
from conftest import PDF, SET, edit, line_of, normalize

NAME = "harbour-lights"
FOLDER = f"content/{NAME}"
ESSAY_TEXT = """Harbour Lights and the Keepers Who Left

By Mara Ellison

Editor’s note: this piece first appeared in a small coastal newsletter.

Every lighthouse on the coast was automated within a single decade, and the keepers who had tended them for generations were sent ashore with a pension and a medal.

The last keeper of Gull Point said that “a light without a keeper is a promise nobody is keeping,” and the village still repeats it.

What Automation Changed

Automation cut costs by two thirds, but it also ended the daily weather reports that fishermen had trusted since the harbour was built — reports no buoy ever replaced.
"""


def _pdf_pages(path: Path) -> list[str]:
    return [normalize(page.extract_text() or "") for page in PdfReader(str(path)).pages]


@pytest.fixture
def essay(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.txt"
    path.write_text(ESSAY_TEXT, encoding="utf-8")
    return path


def _new(cli: Any, project: Path, essay: Path, *more: str) -> Any:
    return cli(project, "new", NAME, "--source", str(essay), "--title", "Harbour Lights and the Keepers Who Left",
               "--author", "Mara Ellison", "--publisher", "Coastal Newsletter", "--url", "https://example.org/harbour",
               "--published", "2021", *more)


def test_new_then_locate_edit_build_as_an_analyst_would(project, cli, essay):
    created = _new(cli, project, essay)
    assert created.code == 0, created.output
    assert f"created {FOLDER}/, a draft" in created.out and f"briefkit build --set {NAME}" in created.out
    folder = project / FOLDER
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{stem}.yaml" for stem in ("source", "summary", "arguments", "timeline", "facts", "people", "glossary",
                                     "quotes", "implications")] + ["source.txt", "source-numbered.txt"])
    for path in folder.glob("*.yaml"):  # each file explains itself and shows commented examples
        assert path.read_text(encoding="utf-8").startswith("# "), path.name
    kept = SourceText.read(folder / "source.txt", "source.txt")
    assert kept.shown == SourceText.parse(ESSAY_TEXT, "essay").shown and len(kept) == 7
    assert "[p5] The last keeper of Gull Point said" in (folder / "source-numbered.txt").read_text(encoding="utf-8")
    content = load_set(Project.at(project), NAME)
    assert content.source.draft and content.source.url == "https://example.org/harbour"
    assert content.source.published == "2021" and content.source.title.values == {
        "en": "Harbour Lights and the Keepers Who Left"}

    # The default build leaves the draft out, in one line, and builds the rest.
    default = cli(project, "-q")
    assert default.code == 0, default.output
    loud = cli(project, "list")
    assert loud.code == 0 and f"skipped {FOLDER}/: a draft" in loud.out and NAME + "/" not in loud.out.split(
        "\n", 1)[1]
    assert not (project / "briefings" / NAME).exists()

    # Named, it builds at once: placeholders, DRAFT across every page.
    first = cli(project, "build", "--set", NAME)
    assert first.code == 0, first.output
    assert f"source text: {FOLDER}/: 0 quotations verbatim" in first.out
    brief = project / f"briefings/{NAME}/analysts/{NAME}-brief-analysts.pdf"
    factsheet = project / f"briefings/{NAME}/analysts/{NAME}-factsheet-analysts.pdf"
    timeline = project / f"briefings/{NAME}/analysts/{NAME}-timeline-analysts.pdf"
    for pdf in (brief, factsheet, timeline):
        pages = _pdf_pages(pdf)
        assert pages and all("DRAFT" in page for page in pages), pdf.name
        assert all("WORKING COPY" not in page for page in pages)  # the draft mark replaces the profile's
    assert len(_pdf_pages(brief)) == 1 and "[TODO: the finding, stated as a title]" in _pdf_pages(brief)[0]

    # The analyst finds the locator of a phrase typed with straight quotes and pastes it.
    located = cli(project, "locate", NAME, "a light without a keeper is a promise nobody is keeping")
    assert located.code == 0, located.output
    assert located.out.startswith("p5: The last keeper of Gull Point said"), located.out
    locator = located.out.split(":", 1)[0]
    (folder / "quotes.yaml").write_text(
        "quotes:\n"
        "  - id: promise\n"
        "    text: \"a light without a keeper is a promise nobody is keeping\"\n"
        "    speaker: \"The last keeper of Gull Point\"\n"
        "    context: \"What the village remembers of automation.\"\n"
        f"    refs: [{locator}]\n", encoding="utf-8")
    edit(project, f"{FOLDER}/summary.yaml", 'headline: "[TODO: the finding, stated as a title]"',
         'headline: "Automated lights cost coastal towns their weather watch"')
    edit(project, f"{FOLDER}/summary.yaml", "  # quotes: [first-quote]", "  quotes: [promise]")
    second = cli(project, "build", "--set", NAME)
    assert second.code == 0, second.output
    assert f"source text: {FOLDER}/: 1 quotation verbatim" in second.out
    assert "Automated lights cost coastal towns their weather watch" in _pdf_pages(brief)[0]
    assert "a light without a keeper is a promise nobody is keeping" in " ".join(_pdf_pages(factsheet))

    # A misquotation fails the build with the first difference marked, and nothing is written.
    before = brief.read_bytes()
    edit(project, f"{FOLDER}/quotes.yaml", "promise nobody is keeping", "promise nobody is kept")
    edit(project, f"{FOLDER}/summary.yaml", "Automated lights", "Automated harbour lights")
    wrong = cli(project, "build", "--set", NAME)
    assert wrong.code == 1 and "Traceback" not in wrong.err
    line = line_of(project, f"{FOLDER}/quotes.yaml", "promise nobody is kept")
    assert f"{FOLDER}/quotes.yaml:{line}:11: quotes[0] (promise): not found verbatim in p5:\n" in wrong.err, wrong.err
    quoted, under, yours, source, caret = wrong.err.split("not found verbatim in p5:\n")[1].splitlines()[:5]
    assert quoted.endswith('|     text: "a light without a keeper is a promise nobody is kept"') and under.endswith("|           ^")
    assert yours == "    yours:  a light without a keeper is a promise nobody is kept"
    assert source == "    source: a light without a keeper is a promise nobody is keeping,”"
    assert caret.index("^") == source.index("keeping") + len("ke") and caret.endswith("^ first difference")
    assert "““" not in wrong.err and "””" not in wrong.err
    assert brief.read_bytes() == before

    # Once no longer a draft, a placeholder left behind is an error, located.
    edit(project, f"{FOLDER}/quotes.yaml", "promise nobody is kept", "promise nobody is keeping")
    edit(project, f"{FOLDER}/source.yaml", "draft: true\n", "")
    ready = cli(project, "list")
    assert ready.code == 1
    assert re.search(rf"{FOLDER}/summary.yaml:\d+:\d+: subtitle: still a placeholder", ready.err), ready.err


def test_new_refuses_what_it_cannot_do_and_writes_nothing(project, cli, essay, tmp_path):
    assert _new(cli, project, essay).code == 0
    before = sorted(p.name for p in (project / "content").iterdir())
    again = _new(cli, project, essay)
    assert again.code == 2 and f"{FOLDER}/ already holds a content set" in again.err and "never overwrites" in again.err
    missing = cli(project, "new", "other", "--source", str(tmp_path / "nowhere.txt"))
    assert missing.code == 2 and "--source" in missing.err and "nowhere.txt: cannot be read" in missing.err
    binary = tmp_path / "essay.pdf"
    binary.write_bytes(b"%PDF-1.7\n\xff\xfe\x00binary")
    assert "not UTF-8 text" in cli(project, "new", "other", "--source", str(binary)).err
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    assert "holds no text" in cli(project, "new", "other", "--source", str(empty)).err
    for name, message in (("Bad Name", "names use lower-case letters"), ("meetings", "'meetings' is reserved"),
                          ("../escape", "names use lower-case letters")):
        result = cli(project, "new", name, "--source", str(essay))
        assert result.code == 2 and message in result.err, (name, result.err)
    language = cli(project, "new", "other", "--source", str(essay), "--language", "english")
    assert language.code == 2 and "--language 'english' is not a language code" in language.err
    control = cli(project, "new", "other", "--source", str(essay), "--title", "bell\x07")
    assert control.code == 2 and "--title: contains the control character U+0007" in control.err, control.err
    assert sorted(p.name for p in (project / "content").iterdir()) == before  # no half-made set, no staging left
    for result in (again, missing, language, control):
        assert "Traceback" not in result.err


def test_a_draft_never_breaks_the_default_build(full_project, cli, essay):
    assert _new(cli, full_project, essay).code == 0
    (full_project / FOLDER / "timeline.yaml").write_text("events: [unclosed\n", encoding="utf-8")
    listed = cli(full_project, "list")
    assert listed.code == 0, listed.output
    assert f"skipped {FOLDER}/: a draft" in listed.out
    named = cli(full_project, "list", "--set", NAME)
    assert named.code == 1 and f"{FOLDER}/timeline.yaml" in named.err


def test_a_named_draft_is_built_for_the_audiences_it_suits(full_project, cli, essay):
    assert _new(cli, full_project, essay).code == 0
    listed = cli(full_project, "list", "--set", NAME)
    assert listed.code == 0, listed.output
    assert f"skipped {NAME} for rok-officials (ko): the set carries en, not ko" in listed.err
    assert f"briefings/{NAME}/analysts/{NAME}-brief-analysts.pdf" in listed.out
    assert f"briefings/{NAME}/press/{NAME}-brief-press.pdf" in listed.out, "press chooses by role, with a fallback"


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


def test_locate_prints_every_paragraph_and_says_when_the_words_are_not_there(project, cli, essay):
    assert _new(cli, project, essay).code == 0
    both = cli(project, "locate", NAME, "keeper")
    # capitals do not count when finding a passage: the title's "Keepers" is found too
    assert both.code == 0 and [line.split(":")[0] for line in both.out.splitlines()] == ["p1", "p4", "p5"]
    dashes = cli(project, "locate", NAME, "was built - reports no buoy")
    assert dashes.code == 0 and dashes.out.startswith("p7: …"), dashes.out
    missing = cli(project, "locate", NAME, "the keepers who had tended them for generatoins")
    assert missing.code == 1 and "closest passage is in p4:" in missing.err, missing.err
    assert "    yours:  the keepers who had tended them for generatoins" in missing.err
    nothing = cli(project, "locate", NAME, "zebra quantum xylophone")
    assert nothing.code == 1 and "nothing comes close; the least unlike passage is in p" in nothing.err
    other = cli(project, "locate", SET, "lips and teeth")
    assert other.code == 2 and "keeps no source.txt: give --source-text PATH" in other.err
    assert cli(project, "locate", "harbour-light", "x").err.count("did you mean 'harbour-lights'") == 1
    for result in (missing, nothing, other):
        assert "Traceback" not in result.err
