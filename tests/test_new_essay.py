"""A new essay met as its analyst meets it: every problem in one run at the line that holds it,
suggestions only for near misses, and documents that say only what applies to this essay (an
unsigned source, its own dates, its own argument roles)."""
from __future__ import annotations

import contextlib
import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefkit.cli import main
from briefkit.errors import did_you_mean
from briefkit.inputs.content import discover_sets, load_set
from briefkit.paths import Project
from briefkit.render.timeline_geometry import Axis, ChartEvent
from conftest import REPO, copy_project, line_of, pdf_text
from essays import REFS, water_set, write_set

NAME = "basin"


def _basin() -> dict[str, Any]:
    """The water essay with what this file checks: a day-precise publication date, leads that end
    with their own stop, one event with a note, and more core groups than a brief holds."""
    files = copy.deepcopy(water_set())
    files["source"]["published"] = "2024-03-05"
    for judgment in files["summary"]["key_judgments"]:
        judgment["lead"] += "."
    files["timeline"]["events"][3]["note"] = "Records before 1950 are patchy, so the ranking is hedged."
    groups = files["arguments"]["groups"]
    groups.append({"id": "gauge-politics", "title": "Who reads the gauges", "gist": "Trust follows the data.",
                   "points": [{"text": "Each state wants its own engineers at the gauges.", "refs": REFS}],
                   "refs": REFS})
    for group in groups:
        group["role"] = "core"
    return files


def _run(project: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv), project=project)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def basin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The set built for analysts and U.S. staff: (project, what the build printed as errors and warnings)."""
    project = copy_project(tmp_path_factory.mktemp("basin"), audiences=("base", "analysts", "us-staff"))
    write_set(project, NAME, _basin())
    code, _, err = _run(project, "build", "--set", NAME)
    assert code == 0, err
    return project, err


def _pdf(project: Path, audience: str, kind: str) -> str:
    return pdf_text(project / f"briefings/{NAME}/{audience}/{NAME}-{kind}-{audience}.pdf")


def test_groups_chosen_by_role_beyond_what_a_brief_holds_are_named_and_recorded(basin):
    project, err = basin
    left_out = "4 argument groups have the role core or consequences, more than the brief holds: it shows the " \
               "first 3 and leaves out gauge-politics"
    assert f"{NAME} for us-staff (brief): emphasis.argument_roles: {left_out}" in err
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    warned = {entry["path"]: entry.get("warnings", []) for entry in manifest["outputs"]}
    assert any(left_out in warning for warning in warned[f"briefings/{NAME}/us-staff/{NAME}-brief-us-staff.pdf"])
    brief = _pdf(project, "us-staff", "brief")
    assert "What a deal needs" in brief and "A century of treaties" in brief and "Who reads the gauges" not in brief


def test_an_unsigned_source_with_a_full_date_reads_right(basin):
    project, _ = basin
    brief = _pdf(project, "analysts", "brief")
    assert "Source: The Harbour Review, Lisbon. Dividing a shrinking river, Briefing, 5 March 2024." in brief
    assert "2024-03-05" not in brief
    assert "author" not in brief.lower(), "no source author to speak of"
    assert "not claims the essay makes" in brief


def test_a_lead_that_ends_with_its_own_stop_gets_no_second_one(basin):
    project, _ = basin
    brief = _pdf(project, "analysts", "brief")
    assert "Judgment 1. The piece argues" in brief and ".." not in brief


def test_the_timeline_explains_only_what_its_chronology_has(basin):
    project, _ = basin
    timeline = _pdf(project, "analysts", "timeline")
    assert "Notes mark where the essay is hedged" in timeline, "one event has a note"
    assert "does not state the year" not in timeline, "no year is inferred"
    assert "Year not in the essay" not in timeline and "Dated event" in timeline, "the legend shows what is drawn"


def test_year_ticks_stand_at_1_january_and_busy_years_keep_their_labels():
    dates = [1911.5, *(2021 + month / 12 for month in (2.5, 6.5, 8.5)), *(2022 + month / 12 for month in (1.5, 10.5)),
             2023.5, 2023 + 4.4 / 12]
    events = [ChartEvent(number, when, None, 0, f"event {number}", False) for number, when in enumerate(dates, 1)]
    axis = Axis.fit(events, 100.0, 700.0)
    ticks = axis.ticks()
    assert ticks, "the axis is labelled"
    for year, x, _ in ticks:
        assert x == pytest.approx(axis.x(float(year))), f"the tick of {year} is not at 1 January"
    assert {1911, 2021, 2022, 2023} <= {year for year, _, _ in ticks}


def test_every_problem_comes_out_in_one_run_at_the_line_that_holds_it(project, cli):
    files = water_set()
    files["summary"]["headlin"] = files["summary"].pop("headline")      # a misspelt required key
    files["summary"]["brief_facts"][1] = "xylophone"                     # nothing like any fact
    files["people"]["people"][0]["colour"] = "red"                       # an unknown key
    files["timeline"]["events"][2]["lane"] = "sciense"                   # a near miss of a lane
    write_set(project, NAME, files)
    result = cli(project, "list", "--set", NAME)
    assert result.code == 1 and "Traceback" not in result.err
    folder = f"content/{NAME}"

    def at(file: str, needle: str, column: int) -> str:
        return f"{folder}/{file}:{line_of(project, f'{folder}/{file}', needle)}:{column}: "

    expected = [
        at("summary.yaml", "headlin:", 1) + "headlin: unknown key (did you mean 'headline'?)",
        at("summary.yaml", "- xylophone", 3) + "brief_facts[1]: no fact with id 'xylophone'\n",
        at("people.yaml", "colour:", 3) + "people[0].colour: unknown key",
        at("timeline.yaml", "lane: sciense", 9) + "events[2].lane: no lane with id 'sciense' (did you mean 'science'?)",
    ]
    for line in expected:
        assert line in result.err + "\n", f"expected {line!r} in:\n{result.err}"
    assert "error: 4 problems in the input" in result.err
    assert "missing required key" not in result.err, "the misspelt key is one problem, not two"


def test_a_meeting_files_wrong_names_are_located_at_their_values(project, cli):
    (project / "content/meetings").mkdir()
    (project / "content/meetings/talks.yaml").write_text(
        'title: "Talks"\ndate: 2026-12-10\nplace: "Room 2"\norganiser: "Desk"\naudience: analyst\n'
        'content_set: nk-chin\ndocuments: [brief, timelines]\nrecipients:\n  - {name: "A. Reader"}\n',
        encoding="utf-8")
    result = cli(project, "list")
    assert result.code == 1, result.output
    for where, message in (("5:11", "audience: no audience 'analyst' (did you mean 'analysts'?)"),
                           ("6:14", "content_set: no content set 'nk-chin' (did you mean 'nk-china'?)"),
                           ("7:20", "documents[1]: no document kind 'timelines' (did you mean 'timeline'?)")):
        assert f"content/meetings/talks.yaml:{where}: {message}" in result.err, result.err
    assert "talks.yaml:9:5: recipients[0]: missing required key 'organisation'" in result.err, "reported in the same run"


@pytest.mark.parametrize(("typed", "options", "hint"), [
    ("headlin", ["headline", "subtitle"], "headline"),
    ("lsit", ["list", "locate"], "list"),                    # two letters swapped
    ("interagency", ["interagency-roundtable"], "interagency-roundtable"),  # the start of a name
    ("Analysts", ["analysts"], "analysts"),
    ("cost", ["context", "refs"], None),                     # far off: no suggestion
    ("role", ["note", "lead"], None),
    ("zebra", ["law", "science", "politics"], None),
])
def test_did_you_mean_is_offered_for_near_misses_only(typed, options, hint):
    assert did_you_mean(typed, options, otherwise=None) == (f" (did you mean '{hint}'?)" if hint else "")


def test_new_without_an_author_writes_none_and_joins_wrapped_lines(project, cli, tmp_path):
    essay = tmp_path / "wrapped.txt"
    essay.write_text("A wrapped title\n\nThe first paragraph runs over\ntwo lines of the file.\n\n"
                     "The second one\nruns over\nthree.\n", encoding="utf-8")
    result = cli(project, "new", NAME, "--source", str(essay), "--publisher", "The Harbour Review")
    assert result.code == 0, result.output
    assert "are joined into one" in result.out and "(no --author)        cited by its publisher alone" in result.out
    folder = project / "content" / NAME
    assert (folder / "source.txt").read_text(encoding="utf-8").split("\n\n") == [
        "A wrapped title", "The first paragraph runs over two lines of the file.", "The second one runs over three.\n"]
    source = (folder / "source.yaml").read_text(encoding="utf-8")
    assert "\nauthor:" not in source and "# author:" in source
    content = load_set(Project.at(project), NAME)
    assert content.source.author is None
    built = cli(project, "build", "--set", NAME, "--kind", "brief")
    assert built.code == 0, built.output
    brief = pdf_text(project / f"briefings/{NAME}/analysts/{NAME}-brief-analysts.pdf")
    assert "Source: The Harbour Review." in brief


def test_help_names_no_content_set(project, cli):
    shipped = discover_sets(Project.at(REPO))
    assert shipped
    for argv in (["--help"], ["build", "--help"], ["new", "--help"], ["locate", "--help"]):
        result = cli(project, *argv)
        assert result.code == 0, (argv, result.output)
        assert not any(re.search(rf"\b{re.escape(name)}\b", result.out) for name in shipped), (argv, result.out)


def test_explain_shows_a_profile_as_one_set_sees_it(project, cli):
    write_set(project, NAME, water_set())
    (project / "content" / NAME / "audiences.yaml").write_text(
        "analysts:\n  emphasis:\n    argument_groups: [history, what-a-deal-needs]\n", encoding="utf-8")
    plain = cli(project, "explain", "analysts")
    seen = cli(project, "explain", "analysts", "--set", NAME)
    assert plain.code == 0 and seen.code == 0, seen.output
    assert f"for content set {NAME}: content/{NAME}/audiences.yaml merged last" in seen.out
    assert f"argument_groups: [history, what-a-deal-needs]  ← content/{NAME}/audiences.yaml:3:22" in seen.out
    assert "argument_groups: none" in plain.out
    wrong = cli(project, "explain", "analysts", "--set", "basn")
    assert wrong.code == 2 and f"no content set 'basn' (did you mean '{NAME}'?)" in wrong.err


def test_a_source_signed_by_its_publisher_is_cited_once(project, cli):
    files = water_set()
    files["source"]["author"] = {"name": "The Harbour Review"}
    write_set(project, NAME, files)
    result = cli(project, "build", "--set", NAME, "--kind", "brief")
    assert result.code == 0, result.output
    brief = _pdf(project, "analysts", "brief")
    assert "Source: The Harbour Review, Lisbon. Dividing a shrinking river" in brief
    assert brief.count("The Harbour Review") == 1


def test_a_problem_in_a_set_that_meetings_use_is_reported_once(full_project, cli):
    timeline = full_project / "content/nk-china/timeline.yaml"
    timeline.write_text(timeline.read_text(encoding="utf-8").replace("    lane: doctrine\n", "    lane: doctrin\n", 1),
                        encoding="utf-8")
    result = cli(full_project, "list")
    assert result.code == 1, result.output
    problems = [line for line in result.err.splitlines() if line.startswith("  content/")]  # not the quoted lines
    assert len(problems) == 1 and "no lane with id 'doctrin'" in problems[0], result.err
    assert "error: 1 problem in the input" in result.err
