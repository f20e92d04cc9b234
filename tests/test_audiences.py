"""Audiences: shipped profiles that differ for real, inheritance, overrides and --explain."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SET, pdf_text

SIZES = {"A4": (595, 842), "Letter": (612, 792)}


def _brief(project: Path, audience: str) -> Path:
    return project / f"briefings/{SET}/{audience}/{SET}-brief-{audience}.pdf"


def _profile(project: Path, name: str, text: str) -> None:
    (project / "templates" / "audiences" / f"{name}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """Every shipped audience, built once."""
    from briefkit.cli import main
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("audiences") / "project", audiences=None)
    assert main(["-q"], project=root) == 0
    return root


def test_every_shipped_audience_builds_its_documents(shipped):
    manifest = json.loads((shipped / "briefings/manifest.json").read_text())
    built = {(e["audience"], e["kind"]) for e in manifest["outputs"] if "meeting" not in e}
    assert {a for a, _ in built} == {"analysts", "us-staff", "press", "principal", "rok-officials"}, "base is not built"
    assert ("principal", "timeline") not in built and ("principal", "brief") in built
    assert ("analysts", "timeline") in built and ("us-staff", "factsheet") in built
    for entry in manifest["outputs"]:
        assert all(check["ok"] for check in entry["checks"]), entry
        if "meeting" in entry:
            continue
        page = PdfReader(str(shipped / entry["path"])).pages[0]
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        expected = SIZES[entry["paper"]]
        assert size == (expected if entry["orientation"] == "portrait" else expected[::-1]), entry["path"]


@pytest.mark.parametrize("audience, marking", [
    ("us-staff", "FOR DISCUSSION — NOT FOR ATTRIBUTION"), ("principal", "FOR OFFICIAL USE ONLY")])
def test_marking_is_printed_on_every_page(shipped, audience, marking):
    for pdf in (shipped / "briefings" / SET / audience).glob("*.pdf"):
        for page in PdfReader(str(pdf)).pages:
            assert page.extract_text().count(marking) == 2, f"{pdf.name}: top and bottom"


def test_audiences_differ_in_content_not_only_in_labels(shipped):
    text = {a: pdf_text(_brief(shipped, a)) for a in ("analysts", "us-staff", "press", "principal")}
    assert "Implications for U.S. policy" in text["us-staff"]
    assert "Implications: our reading" in text["analysts"]
    assert "Key terms" in text["press"] and "Party-state" in text["press"]
    assert "Talking points" in text["principal"] and "MEETING BRIEF" in text["principal"]
    assert "What the essay argues" not in text["principal"]
    assert re.search(r"\[p\d+", text["analysts"]) and not re.search(r"\[p\d+", text["press"])
    assert "BACKGROUNDER" in text["press"] and "WORKING COPY" in text["analysts"]
    assert "MARKING" not in text["press"] and "FOR OFFICIAL USE ONLY" not in text["press"]
    us = PdfReader(str(_brief(shipped, "us-staff"))).pages[0].mediabox
    assert round(float(us.width)) == 612, "U.S. staff print on US Letter"


def test_a_new_audience_is_one_yaml_file(project, cli):
    _profile(project, "board", 'extends: analysts\nlabel: "Board"\ndescription: "Trustees"\n'
                               'paper: Letter\ndocuments: [brief]\nemphasis: {implications: 1}\n'
                               'presentation: {marking: "BOARD ONLY"}\n')
    result = cli(project, "--audience", "board")
    assert result.code == 0, result.output
    pdf = _brief(project, "board")
    page = PdfReader(str(pdf)).pages[0]
    assert round(float(page.mediabox.width)) == 612
    text = pdf_text(pdf)
    assert "BOARD ONLY" in text and "WORKING COPY" in text, "inherits the analysts' watermark"


def test_a_project_with_profiles_of_its_own_says_which_shipped_ones_it_leaves_out(project, cli):
    """Its own profiles replace the shipped ones in a default build: said, never silent."""
    result = cli(project, "--kind", "brief")
    assert result.code == 0, result.output
    assert ("skipped the shipped audiences press, principal, rok-officials, us-staff: a project with audience "
            "profiles of its own builds only those by default (briefkit build --audience press builds one)") in result.out
    assert not (project / "briefings" / SET / "press").exists()
    named = cli(project, "--audience", "analysts", "--kind", "brief")
    assert named.code == 0 and "shipped" not in named.output, "nothing is left out of what was asked for"


def test_mappings_merge_and_lists_replace(project, cli):
    _profile(project, "child", 'extends: analysts\nlabel: "Child"\ndescription: "x"\n'
                               'documents: [brief]\nemphasis: {implications: 1}\n')
    result = cli(project, "explain", "child")
    assert result.code == 0, result.output
    assert re.search(r"documents: \[brief\]  ← templates/audiences/child.yaml:4", result.out)
    assert re.search(r"implications: 1  ← templates/audiences/child.yaml:5", result.out)
    assert re.search(r"key_judgments: 5  ← templates/audiences/base.yaml", result.out), "sibling keys kept"
    assert re.search(r"watermark: 'WORKING COPY'  ← templates/audiences/analysts.yaml", result.out)
    assert "inherits: child → analysts → base" in result.out


def test_explain_names_the_template_files_and_what_they_extend(full_project, cli):
    result = cli(full_project, "explain", "press")
    assert result.code == 0, result.output
    assert ("template: templates/audiences/press/brief.xml.j2 → extends templates/brief.xml.j2 "
            "→ extends templates/base.xml.j2") in result.out
    assert "show_locators: False  ← templates/audiences/press.yaml" in result.out


def test_unknown_audience_is_a_usage_error_listing_the_known_ones(project, cli):
    result = cli(project, "--audience", "nobody")
    assert result.code == 2
    assert "analysts" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("files, expected", [
    ({"loop-a": "extends: loop-b\n", "loop-b": "extends: loop-a\n"}, r"in a circle: loop-a → loop-b → loop-a"),
    ({"orphan": "extends: nowhere\n"}, r"'nowhere' does not exist .*chain: orphan → nowhere"),
])
def test_broken_inheritance_is_a_clear_error_naming_the_chain(project, cli, files, expected):
    for name, text in files.items():
        _profile(project, name, text + 'label: "x"\ndescription: "y"\n')
    name = next(iter(files))
    result = cli(project, "--audience", name, "list")
    assert result.code == 1, result.output
    names = "|".join(files)
    assert re.search(rf"templates/audiences/({names}).yaml:1:1: extends: .*{expected}", result.err), result.err


def test_profile_errors_point_at_the_file_that_wrote_them(project, cli):
    _profile(project, "typo", 'extends: analysts\nlabel: "x"\ndescription: "y"\npresentation:\n  acent: "#000000"\n')
    result = cli(project, "--audience", "typo", "list")
    assert result.code == 1
    assert "templates/audiences/typo.yaml:5:3: presentation.acent: unknown key (did you mean 'accent'?)" in result.err


def test_a_profile_naming_content_ids_is_deprecated_and_falls_back_with_a_warning(project, cli):
    """A profile is about readers: ids of one essay's argument groups do not belong in it. Such a
    profile still builds, warns where it names them, and a set without them uses its own choice."""
    _profile(project, "picky", 'label: "x"\ndescription: "y"\ndocuments: [brief]\nemphasis: {argument_groups: [nope]}\n')
    result = cli(project, "--audience", "picky", "-q")
    assert result.code == 0, result.output
    assert re.search(r"warning: picky: templates/audiences/picky.yaml:4:\d+: emphasis.argument_groups: deprecated",
                     result.err), result.err
    assert "nk-china for picky (brief): emphasis.argument_groups: the set has no argument group nope" in result.err
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    [entry] = [e for e in manifest["outputs"] if e["audience"] == "picky"]
    assert entry["warnings"] == ["emphasis.argument_groups: the set has no argument group nope; showing the "
                                 "set's own choice (summary.yaml brief_sections)"]


def test_a_sets_own_audience_file_naming_a_missing_group_is_located(project, cli):
    (project / "content/nk-china/audiences.yaml").write_text(
        "analysts:\n  emphasis:\n    argument_groups: [three-fears, thre-fears]\n", encoding="utf-8")
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert re.search(r"content/nk-china/audiences.yaml:3:\d+: analysts.emphasis.argument_groups\[1\]: content set "
                     r"'nk-china' has no argument group 'thre-fears' \(did you mean 'three-fears'\?\)", result.err), \
        result.err


def test_an_override_extends_the_template_it_replaces(project, cli):
    folder = project / "templates" / "audiences" / "analysts"
    folder.mkdir()
    (folder / "brief.xml.j2").write_text('{% extends "default/brief.xml.j2" %}'
                                         '{% block series %}DESK NOTE{% endblock %}', encoding="utf-8")
    result = cli(project, "--kind", "brief")
    assert result.code == 0, result.output
    text = pdf_text(_brief(project, "analysts"))
    assert "DESK NOTE" in text and "Key judgments" in text


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/passwd"])
def test_an_override_cannot_include_files_outside_templates(project, cli, name):
    folder = project / "templates" / "audiences" / "analysts"
    folder.mkdir()
    (folder / "brief.xml.j2").write_text(f'{{% include "{name}" %}}', encoding="utf-8")
    result = cli(project, "--kind", "brief")
    assert result.code == 1
    assert "not found" in result.err and "root:" not in result.output and "Traceback" not in result.err


def test_docs_list_every_profile_key():
    from briefkit.build.reference import profile_reference
    from conftest import REPO

    assert profile_reference() in (REPO / "docs" / "audiences.md").read_text(encoding="utf-8")


def test_the_profile_schema_knows_exactly_the_document_kinds():
    """Kinds are declared once, in kinds.py; the profile's typed keys must name the same ones."""
    import dataclasses
    import typing

    from briefkit.inputs.kinds import KINDS
    from briefkit.inputs.profile import Kind, Orientations, PageLimits, Profile

    names = list(KINDS)
    assert list(typing.get_args(Kind)) == names
    assert [f.name for f in dataclasses.fields(PageLimits) if f.name != "where"] == names
    assert [f.name for f in dataclasses.fields(Orientations)] == names
    assert Profile.__dataclass_fields__["documents"].default_factory() == names  # type: ignore[misc]
