"""Any essay, tomorrow: a second content set, unlike the first, dropped into content/ builds for
every audience that applies, says what it skipped and what fell back, and changes no byte of the
first set's documents."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import TWO_SETS as SET, copy_project, pdf_text, set_documents as _documents
from essays import dump, water_set, write_set


def test_the_first_sets_documents_are_byte_for_byte_unchanged(two_sets):
    project, first, _, _ = two_sets
    assert _documents(project, "nk-china") == first


def test_the_second_set_is_built_for_every_audience_whose_language_it_carries(two_sets):
    project, _, out, err = two_sets
    built = sorted(p.relative_to(project / "briefings" / SET).as_posix()
                   for p in (project / "briefings" / SET).rglob("*.pdf"))
    assert built == ["analysts/river-brief-analysts.pdf", "analysts/river-factsheet-analysts.pdf",
                     "analysts/river-timeline-analysts.pdf", "press/river-brief-press.pdf",
                     "press/river-factsheet-press.pdf", "principal/river-brief-principal.pdf",
                     "us-staff/river-brief-us-staff.pdf", "us-staff/river-factsheet-us-staff.pdf",
                     "us-staff/river-timeline-us-staff.pdf"]
    assert re.search(r"skipped river for rok-officials \(ko\): the set carries en, not ko: \d+ texts have no ko "
                     r"translation \(list them: briefkit list --set river --audience rok-officials --strict; or in "
                     r"content/river/audiences.yaml, give rok-officials `fallback_language: en` to print en with a "
                     r"note, or `documents: \[\]` to leave it out without this line\)", err), err
    assert "1 skipped" in next(line for line in out.splitlines() if "; manifest: " in line)


def test_what_an_audience_asks_for_and_the_set_lacks_is_a_warning_recorded_in_the_manifest(two_sets):
    project, _, out, err = two_sets
    assert "river for us-staff (brief): emphasis.implication_tags: no implication is tagged us-policy" in err
    assert "river for principal (brief): talking_points: the set has none" in err
    assert "river for press (brief): summary.key_terms: the set names no key terms" in err
    assert "river for press (brief): emphasis.argument_roles: no argument group has the role core or context" in err
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    warned = {e["path"]: e["warnings"] for e in manifest["outputs"] if e.get("warnings")}
    fell_back = {path for path, warnings in warned.items() if any(not w.startswith("layout:") for w in warnings)}
    assert fell_back == {f"briefings/river/{a}/river-brief-{a}.pdf" for a in ("press", "principal", "us-staff")}
    assert not any("nk-china" in path for path in warned)


def test_a_brief_that_leaves_much_of_its_page_empty_is_a_warning_recorded_in_the_manifest(two_sets):
    """The second set says little: its briefs are made, and said to be sparse, never silently."""
    project, _, out, err = two_sets
    sparse = re.findall(r"warning: briefings/river/([\w-]+)/river-brief-[\w-]+\.pdf: layout: the content fills (\d+)% "
                        r"of the page, leaving \d+% of it empty \(a one-page policy brief should fill at least 75%\)", err)
    assert {audience for audience, _ in sparse} == {"analysts", "press", "principal", "us-staff"}, err
    assert all(int(filled) < 75 for _, filled in sparse)
    assert "nk-china-brief" not in err, "the shipped essay's briefs fill their pages"
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    recorded = {e["path"] for e in manifest["outputs"] if any(w.startswith("layout: ") for w in e.get("warnings", []))}
    assert recorded == {f"briefings/river/{a}/river-brief-{a}.pdf" for a, _ in sparse}
    summary = next(line for line in out.splitlines() if "; manifest: " in line)
    assert re.search(r"; \d+ warnings \(above\)", summary), summary


def test_pages_stay_complete_when_the_set_lacks_what_an_audience_asks_for(two_sets):
    project, _, _, _ = two_sets
    principal = pdf_text(project / f"briefings/{SET}/principal/{SET}-brief-principal.pdf")
    assert "Why fixed quotas failed" in principal, "the argument stands in for the missing talking points"
    staff = pdf_text(project / f"briefings/{SET}/us-staff/{SET}-brief-us-staff.pdf")
    assert "Relief for downstream farmers" in staff and "Implications for U.S. policy" not in staff
    press = pdf_text(project / f"briefings/{SET}/press/{SET}-brief-press.pdf")
    assert "flow-linked share" in press, "the glossary stands in for the missing key terms"


def test_an_unsigned_source_is_cited_by_its_institution_with_series_date_and_address(two_sets):
    project, _, _, _ = two_sets
    text = pdf_text(project / f"briefings/{SET}/analysts/{SET}-brief-analysts.pdf")
    assert ("Source: The Harbour Review, Lisbon. Dividing a shrinking river, Briefing, March 2024. "
            "https://example.org/review/river") in text
    assert "None" not in text


def test_quotations_are_headed_by_who_speaks(two_sets):
    project, _, _, _ = two_sets
    text = pdf_text(project / f"briefings/{SET}/analysts/{SET}-factsheet-analysts.pdf")
    own, quoted = text.index("In the source's own words"), text.index("Quoted in the source")
    assert own < quoted
    assert "a treaty written for a wetter century" in text[own:quoted]
    assert "— Mara Okafor" in text[quoted:] and "— Tomás Lindqvist" in text[quoted:]


def test_strict_fails_with_every_missing_translation_located(tmp_path, cli):
    project = copy_project(tmp_path / "project", audiences=("base", "rok-officials"))
    write_set(project, SET, water_set())
    result = cli(project, "list", "--set", SET, "--strict")
    assert result.code == 1, result.output
    located = re.findall(rf"content/{SET}/(\w+)\.yaml:\d+:\d+: [\w.\[\]]+: no 'ko' text", result.err)
    assert len(located) > 50 and {"summary", "timeline", "people"} <= set(located)


def test_a_fallback_language_prints_the_source_language_with_a_visible_note(tmp_path, cli):
    project = copy_project(tmp_path / "project", audiences=("base", "rok-officials"))
    write_set(project, SET, water_set())
    with open(project / "templates/audiences/rok-officials.yaml", "a", encoding="utf-8") as handle:
        handle.write("fallback_language: en\ndocuments: [brief]\n")
    result = cli(project, "--set", SET, "-q")
    assert result.code == 0, result.output
    text = pdf_text(project / f"briefings/{SET}/rok-officials/{SET}-brief-rok-officials.pdf")
    assert "일부 텍스트는 아직 번역되지 않아 원문 언어로 인쇄했다." in text and "Dividing a shrinking river" in text


def test_a_set_in_korean_prints_accented_latin_names_from_the_latin_faces(tmp_path, cli):
    project = copy_project(tmp_path / "project", audiences=("base", "rok-officials"))
    files = water_set()
    files["source"]["languages"] = ["en", "ko"]
    files["people"]["people"][1]["name"] = {"en": "Tomás Lindqvist", "ko": "토마스 린드크비스트 (Tomás Lindqvist)"}
    write_set(project, SET, files)
    translated = _translate(project / "content" / SET)
    assert translated > 50
    result = cli(project, "--set", SET, "--kind", "factsheet", "--strict", "-q")
    assert result.code == 0, result.output
    text = pdf_text(project / f"briefings/{SET}/rok-officials/{SET}-factsheet-rok-officials.pdf")
    assert "토마스 린드크비스트 (Tomás Lindqvist)" in text


def _translate(folder: Path) -> int:
    """Give every text of a set a Korean version (its English, marked), as a translator would."""
    count = 0

    def walk(value, key=""):  # type: ignore[no-untyped-def]
        nonlocal count
        if isinstance(value, dict):
            if set(value) == {"en", "ko"}:
                return value
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in TEXT_KEYS:
            count += 1
            return {"en": value, "ko": f"한국어 {value}"}
        return value

    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.stem == "quotes":  # a quotation stays verbatim; its translation is ours
            for quote in data["quotes"]:
                quote["translation"] = {"ko": f"한국어 {quote['text']}"}
                quote.update({k: walk(v, k) for k, v in quote.items() if k not in ("text", "translation")})
        else:
            data = walk(data)
        path.write_text(dump(data), encoding="utf-8")
    return count


TEXT_KEYS = {"title", "institution", "place", "series", "headline", "subtitle", "thesis", "bottom_line", "lead",
             "text", "gist", "detail", "chart_title", "value", "label", "name", "role", "term", "definition",
             "speaker", "context"}


def test_a_short_brief_reads_as_two_level_columns_not_one_column_and_a_gap(two_sets):
    """The set's briefs are short: the text of the last page ends level in both columns."""
    import pypdfium2 as pdfium

    project, _, _, _ = two_sets
    document = pdfium.PdfDocument(str(project / f"briefings/{SET}/principal/{SET}-brief-principal.pdf"))
    page = document[0]
    text = page.get_textpage()
    width = page.get_width()
    bottoms = {"left": [], "right": []}
    for index in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(index)
        if 150 < bottom < 600 and right - left > 20:  # body text, below the top block and above the footer
            bottoms["left" if right < width / 2 else "right"].append(bottom)
    assert bottoms["left"] and bottoms["right"], "text in both columns"
    assert abs(min(bottoms["left"]) - min(bottoms["right"])) < 60, bottoms


def test_a_set_without_dated_events_gets_no_timeline_and_says_so(tmp_path, cli):
    project = copy_project(tmp_path / "project")
    files = water_set()
    files["timeline"]["events"] = []
    files["summary"]["factsheet"]["chart_lane"] = None
    write_set(project, SET, files)
    result = cli(project, "--set", SET)
    assert result.code == 0, result.output
    assert f"skipped {SET} timeline for analysts (en): the set has no dated events" in result.err
    assert not (project / f"briefings/{SET}/analysts/{SET}-timeline-analysts.pdf").exists()
    assert (project / f"briefings/{SET}/analysts/{SET}-factsheet-analysts.pdf").is_file()
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    assert manifest["skipped"] == [{"content_set": SET, "audience": "analysts", "kind": "timeline", "language": "en",
                                    "reason": "the set has no dated events (timeline.yaml events)"}]


def test_the_manifest_records_an_audience_skipped_for_a_set(two_sets):
    project, _, _, _ = two_sets
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    assert [(s["content_set"], s["audience"], s["language"]) for s in manifest["skipped"]] == [
        (SET, "rok-officials", "ko")]
