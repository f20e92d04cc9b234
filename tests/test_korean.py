"""The Korean edition: translated content, Korean typography, embedded Korean fonts."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from pypdf import PdfReader

from briefkit.inputs.schema import EventDate
from briefkit.render.fonts import KOREAN, fonts_installed
from briefkit.render.templating import per_decade
from conftest import REQUIRED, SET, copy_project, dates, tool

AUDIENCE = "rok-officials"
needs_fonts = pytest.mark.skipif(not fonts_installed(KOREAN) and not REQUIRED,
                                 reason="fonts-nanum is not installed (CI installs it)")


def _pdf(project, kind):  # type: ignore[no-untyped-def]
    return project / f"briefings/{SET}/{AUDIENCE}/{SET}-{kind}-{AUDIENCE}.pdf"


def _text(path) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def korean(tmp_path_factory):
    from briefkit.cli import main

    project = copy_project(tmp_path_factory.mktemp("ko") / "project", audiences=("base", AUDIENCE))
    assert main(["-q", "--strict"], project=project) == 0
    return project


@needs_fonts
def test_korean_documents_build_within_their_page_limits(korean):
    assert len(PdfReader(str(_pdf(korean, "brief"))).pages) == 1
    assert 1 <= len(PdfReader(str(_pdf(korean, "timeline"))).pages) <= 2
    assert 1 <= len(PdfReader(str(_pdf(korean, "factsheet"))).pages) <= 2


@needs_fonts
def test_korean_text_extracts_exactly_as_written(korean):
    summary = yaml.safe_load((korean / f"content/{SET}/summary.yaml").read_text())
    text = _text(_pdf(korean, "brief"))
    for value in (summary["bottom_line"]["ko"], summary["key_judgments"][0]["text"]["ko"]):
        normalized = " ".join(value.replace('"', "\u201d").split())
        assert normalized.replace("\u201d", "") in text.replace("\u201c", "").replace("\u201d", ""), value
    assert "핵심 결론" in text and "주요 판단" in text
    assert "Key judgments" not in text and "Bottom line" not in text


@needs_fonts
def test_korean_dates_names_and_marking(korean):
    timeline = _text(_pdf(korean, "timeline"))
    assert "1978년 5월" in timeline and "1960년대" in timeline and "2010~2011년" in timeline
    assert "시진핑" in timeline and "김정은" in timeline
    assert timeline.count("대외 배포 금지 — 내부 검토용") >= 4  # top and bottom of each page


@needs_fonts
def test_every_font_is_embedded_and_korean_fonts_are_used(korean):
    for kind in ("brief", "timeline", "factsheet"):
        path = _pdf(korean, kind)
        fonts = {str(font.get("/BaseFont")) for page in PdfReader(str(path)).pages
                 for font in (page["/Resources"]["/Font"][name].get_object() for name in page["/Resources"]["/Font"])}
        assert any("Nanum" in name for name in fonts), fonts
        rows = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), rows


def test_a_missing_translation_lists_every_missing_item(tmp_path, cli):
    project = copy_project(tmp_path / "project", audiences=("base", AUDIENCE))
    path = project / f"content/{SET}/summary.yaml"
    data = yaml.safe_load(path.read_text())
    data["headline"] = data["headline"]["en"]
    data["subtitle"] = {"en": data["subtitle"]["en"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = cli(project, "--kind", "brief", "--strict")
    assert result.code == 1
    found = re.findall(rf"content/{SET}/summary\.yaml:\d+:\d+: (\w+): no 'ko' text", result.err)
    assert sorted(found) == ["headline", "subtitle"], result.err


@needs_fonts
def test_a_profile_may_allow_falling_back_to_english(tmp_path, cli):
    project = copy_project(tmp_path / "project", audiences=("base", AUDIENCE))
    path = project / f"content/{SET}/summary.yaml"
    data = yaml.safe_load(path.read_text())
    data["subtitle"] = {"en": data["subtitle"]["en"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with open(project / f"templates/audiences/{AUDIENCE}.yaml", "a") as handle:
        handle.write("fallback_language: en\n")
    assert cli(project, "--kind", "brief", "-q").code == 0


def test_missing_fonts_skip_the_audience_with_the_install_command(tmp_path, cli, monkeypatch):
    import briefkit.render.fonts as fonts

    monkeypatch.setattr(fonts, "fonts_installed", lambda font_set: font_set is not KOREAN)
    project = copy_project(tmp_path / "project", audiences=("base", "analysts", AUDIENCE))
    result = cli(project, "--kind", "brief")
    assert result.code == 0, result.output
    assert "skipped nk-china for rok-officials (ko): its fonts are not installed" in result.err
    assert "apt-get install -y fonts-nanum" in result.err
    assert (project / f"briefings/{SET}/analysts/{SET}-brief-analysts.pdf").exists()
    strict = cli(project, "--kind", "brief", "--strict", "--force")
    assert strict.code == 1 and "apt-get install -y fonts-nanum" in strict.err


def test_labels_for_a_language_must_be_complete(tmp_path, cli):
    """A new language's labels need every English key: a missing one is a located error, never an
    English word in the document."""
    project = copy_project(tmp_path / "project")
    english = (project / "templates/labels/en.yaml").read_text(encoding="utf-8")
    (project / "templates/labels/fr.yaml").write_text(
        "\n".join(line for line in english.splitlines() if not line.startswith("glossary:")), encoding="utf-8")
    (project / "templates/audiences/lecteurs.yaml").write_text('label: "Lecteurs"\ndescription: "x"\nlanguage: fr\n'
                                                              'fallback_language: en\n', encoding="utf-8")
    result = cli(project, "--audience", "lecteurs", "--kind", "factsheet")
    assert result.code == 1 and "templates/labels/fr.yaml: glossary: no fr label" in result.err, result.output


@needs_fonts
def test_a_project_label_overrides_the_shipped_one_key_by_key(tmp_path, cli):
    """A project's labels file may hold only the labels it changes; the rest come from the shipped
    file of the same language."""
    project = copy_project(tmp_path / "project", audiences=("base", AUDIENCE))
    (project / "templates/labels/ko.yaml").write_text('glossary: "용어집"\n', encoding="utf-8")
    result = cli(project, "--kind", "factsheet", "-q")
    assert result.code == 0, result.output
    text = _text(project / f"briefings/{SET}/{AUDIENCE}/{SET}-factsheet-{AUDIENCE}.pdf")
    assert "용어집" in text and "주요 인물" in text  # the override, and a shipped Korean label


@pytest.mark.parametrize("raw, shown", [("1978", "1978년"), ("1978-05", "1978년 5월"), ("1978-05-14", "1978년 5월 14일"),
                                        ("1960s", "1960년대"), ("2010/2011", "2010~2011년")])
def test_korean_dates(raw, shown):
    date = EventDate.parse(raw)
    assert dates("ko").event(date.precision, date.start, date.end) == shown


def test_korean_long_dates_and_decades():
    import datetime

    assert dates("ko").long(datetime.date(2026, 11, 28)) == "2026년 11월 28일"
    events = [{"date": {"start": datetime.date(1978, 5, 1)}}]
    assert per_decade(events, dates("ko")) == [{"label": "1970년대", "value": 1}]


@needs_fonts
def test_a_korean_meeting_prints_every_word_around_the_content_in_korean(korean, tmp_path, cli):
    project = tmp_path / "project"
    shutil.copytree(korean, project)
    (project / "content/meetings").mkdir()
    (project / "content/meetings/seoul.yaml").write_text(
        'title: {ko: "서울 정책 협의"}\ndate: 2026-12-09\nplace: {ko: "3층 회의실"}\norganiser: "정책 브리핑"\n'
        f"audience: {AUDIENCE}\ncontent_set: {SET}\ndocuments: [brief, factsheet]\nprint: {{right_hand_starts: true}}\n"
        'recipients:\n  - {name: "김민준", organisation: "외교부"}\n  - {name: "이서연", organisation: "통일부"}\n',
        encoding="utf-8")
    result = cli(project, "--meeting", "seoul")
    assert result.code == 0, result.output
    folder = project / "briefings/meetings/seoul"
    packet = PdfReader(str(folder / "seoul-packet.pdf"))
    cover, inside, _, blank = (" ".join((page.extract_text() or "").split()) for page in packet.pages[:4])
    assert "목차" in cover and "시작 쪽" in cover and "2026년 12월 9일" in cover and "1쪽 정책 브리프" in cover
    assert inside == "이 쪽은 의도적으로 비워 두었다."  # the cover's back: front matter, no number
    assert "이 쪽은 의도적으로 비워 두었다." in blank and "서울 정책 협의 · 2026년 12월 9일" in blank and "· 2 / 4쪽" in blank
    assert [packet.page_labels[i] for i in range(len(packet.pages))] == ["표지", "표지 뒷면", "1", "2", "3", "4"]
    copy = PdfReader(str(sorted((folder / "copies").glob("*.pdf"))[0]))
    assert "사본 1/2 · 김민준" in " ".join((copy.pages[0].extract_text() or "").split())
    register = _text(folder / "seoul-register.pdf")
    assert "배포 대장" in register and "수령자" in register
    english = ("Contents", "Handling", "Copy ", "page ", "Cover", "Distribution register", "intentionally")
    for path in (folder / "seoul-packet.pdf", folder / "seoul-register.pdf"):
        text = _text(path)
        assert not [word for word in english if word in text], path.name


def test_profile_content_and_translation_problems_come_in_one_run(tmp_path, cli):
    project = copy_project(tmp_path / "project", audiences=("base", "analysts", AUDIENCE))
    path = project / f"content/{SET}/summary.yaml"
    data = yaml.safe_load(path.read_text())
    data["headline"] = {"en": data["headline"]["en"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with open(project / "templates/audiences/analysts.yaml", "a", encoding="utf-8") as handle:
        handle.write('colour: "#123456"\n')
    result = cli(project, "list")
    assert result.code == 1, result.output
    assert "error: 2 problems in the input" in result.err
    assert re.search(rf"content/{SET}/summary\.yaml:\d+:\d+: headline: no 'ko' text", result.err)
    assert re.search(r"templates/audiences/analysts\.yaml:\d+:1: colour: unknown key", result.err)
