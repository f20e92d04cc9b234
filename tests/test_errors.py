"""Errors are data: they pickle, so an error raised in a worker process reaches the parent as itself."""
from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from briefkit.errors import (BriefkitError, CheckFailed, FontMissing, InputError, LayoutError, Location, Problem,
                             TemplateProblem, UsageError, did_you_mean)

PROBLEMS = [Problem(Location("content/x/summary.yaml", 3, 1), "headlin", "unknown key (did you mean 'headline'?)"),
            Problem(Location("content/x/timeline.yaml", 12, 5), "events[0].lane", "no lane with id 'vists'")]


@pytest.mark.parametrize("error", [InputError(PROBLEMS), UsageError("--set 'x' does not exist"),
                                   TemplateProblem("templates/brief.xml.j2:3: boom"), LayoutError("too long"),
                                   CheckFailed("checks failed"), FontMissing("no Nanum", "apt-get install -y fonts-nanum")])
def test_every_error_survives_a_pickle_round_trip(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.report() == error.report() and copy.exit_code == error.exit_code


def test_input_errors_keep_their_problems_sorted_by_place():
    error = pickle.loads(pickle.dumps(InputError(list(reversed(PROBLEMS)))))
    assert error.problems == PROBLEMS
    assert error.report().splitlines() == ["error: 2 problems in the input", *(f"  {p}" for p in PROBLEMS)]


def test_font_missing_keeps_the_install_command():
    assert pickle.loads(pickle.dumps(FontMissing("no Nanum", "apt-get install -y fonts-nanum"))).install == \
        "apt-get install -y fonts-nanum"


def _fail_in_worker() -> None:
    raise InputError(PROBLEMS)


def test_an_error_raised_in_a_worker_process_is_raised_in_the_parent_as_itself():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        with pytest.raises(InputError) as caught:
            pool.submit(_fail_in_worker).result()
    assert caught.value.problems == PROBLEMS and isinstance(caught.value, BriefkitError)


def test_did_you_mean_words_every_hint_the_same_way():
    assert did_you_mean("nk-chin", ["nk-china", "other"]) == " (did you mean 'nk-china'?)"
    assert did_you_mean("zzz", ["a", "b"]) == " (available: a, b)"
    assert did_you_mean("zzz", [], "known") == " (known: none)"
    assert did_you_mean("zzz", ["a"], otherwise=None) == ""
    assert did_you_mean("sumary", ["summary"], shown="{}.yaml") == " (did you mean summary.yaml?)"


def test_a_quoted_line_puts_its_caret_under_the_column():
    from briefkit.errors import quote

    assert quote("    lane: vists", Location("t.yaml", 76, 11)) == ["    76 |     lane: vists", "       |           ^"]
    # wide characters take two columns on a terminal; a tab is shown as one space
    assert quote("  ko: \"북중\" x", Location("t.yaml", 3, 11))[1] == "      | " + " " * 12 + "^"
    assert quote("\tx: y", Location("t.yaml", 1, 2)) == ["    1 |  x: y", "      |  ^"]


def test_a_long_line_is_quoted_around_its_column():
    from briefkit.errors import QUOTED, quote

    line = "a" * 300 + "X" + "b" * 300
    shown, caret = quote(line, Location("f.yaml", 9, 301))
    assert len(shown) <= len("    9 | ") + QUOTED + 2 and shown.startswith("    9 | …") and shown.endswith("…")
    assert shown[caret.index("^")] == "X"


def test_an_input_error_quotes_each_located_line_under_its_first_line():
    problems = [Problem(Location("a.yaml", 2, 3), "k", "bad\n    more detail"), Problem(Location("b.yaml"), "", "whole file")]
    lines = {("a.yaml", 2): "x:\n  k: v"[3:]}
    report = InputError(problems).report(lambda where: lines.get((where.file, where.line)))
    assert report.splitlines() == ["error: 2 problems in the input", "  a.yaml:2:3: k: bad", "    2 |   k: v",
                                   "      |   ^", "    more detail", "  b.yaml: whole file"]


def test_the_same_problem_found_twice_is_reported_once():
    assert len(InputError(PROBLEMS + PROBLEMS).problems) == 2
