"""Previews, the overview page in a real browser, and watch mode."""
from __future__ import annotations

import json
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import PDF, chromium, copy_project, pdf_text



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from briefkit.cli import main

    project = copy_project(tmp_path_factory.mktemp("site") / "project", audiences=("base", "analysts", "us-staff"))
    assert main(["-q"], project=project) == 0
    return project


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs["src"])


def test_every_page_of_every_pdf_has_two_previews(site):
    manifest = json.loads((site / "briefings/manifest.json").read_text())
    for entry in manifest["outputs"]:
        stem = entry["path"].removeprefix("briefings/").removesuffix(".pdf")
        for page in range(1, entry["pages"] + 1):
            thumb, large = (site / f"briefings/.previews/{stem}-p{page}-thumb.png",
                            site / f"briefings/.previews/{stem}-p{page}.png")
            assert thumb.read_bytes().startswith(b"\x89PNG") and large.stat().st_size > thumb.stat().st_size


def test_previews_are_rebuilt_only_when_their_pdf_changed(site, cli):
    thumb = site / "briefings/.previews/nk-china/analysts/nk-china-brief-analysts-p1-thumb.png"
    other = site / "briefings/.previews/nk-china/analysts/nk-china-timeline-analysts-p1-thumb.png"
    before = (thumb.stat().st_mtime_ns, other.stat().st_mtime_ns)
    brief = site / "templates/brief.xml.j2"
    brief.write_text(brief.read_text().replace("{%- block body %}", "{%- block body %}<!-- a change -->", 1))
    result = cli(site)
    assert "previews: 2 PDFs rendered" in result.out  # the analysts' and us-staff's briefs
    assert thumb.stat().st_mtime_ns != before[0] and other.stat().st_mtime_ns == before[1]


def test_previews_come_after_the_report_and_never_fail_a_build(tmp_path, cli, monkeypatch):
    from briefkit.publish import previews

    project = copy_project(tmp_path / "project")
    result = cli(project, "--no-previews", "--jobs", "1")
    assert result.code == 0 and "previews:" not in result.out and result.out.splitlines()[-1].endswith("manifest.json")
    assert not (project / "briefings/.previews").exists()
    assert "<img" not in (project / "briefings/index.html").read_text()  # no picture linked that is not drawn

    def broken(pdf: bytes) -> list:  # type: ignore[type-arg]
        raise RuntimeError("a damaged page")

    monkeypatch.setattr(previews, "render_pages", broken)
    result = cli(project, "--jobs", "1")  # nothing to rebuild; the missing previews are drawn, and fail
    assert result.code == 0 and "nothing to rebuild" in result.out
    assert "warning: no preview of briefings/" in result.err and "a damaged page" in result.err
    assert "<img" not in (project / "briefings/index.html").read_text()

    monkeypatch.undo()
    result = cli(project, "--jobs", "1")
    lines = result.out.splitlines()
    assert lines[0].startswith("nothing to rebuild") and lines[-1].startswith("previews: ") and not result.err
    page = (project / "briefings/index.html").read_text()
    assert page.count("<img") >= 3 and "-p1-thumb.png?v=" in page  # the overview shows them once drawn


def test_index_lists_every_output_and_every_link_resolves(site):
    page = (site / "briefings/index.html").read_text()
    parser = _Links()
    parser.feed(page)
    manifest = json.loads((site / "briefings/manifest.json").read_text())
    files = {link for link in parser.links if not link.startswith("#")}
    pdfs = {link for link in files if link.endswith(".pdf")}
    assert pdfs == {e["path"].removeprefix("briefings/") for e in manifest["outputs"]}
    for target in files | set(parser.images):
        assert (site / "briefings" / target.split("?v=")[0]).is_file(), target
    assert "<script" not in page and "http" not in page, "self-contained: no scripts, no network"
    assert 'id="set-nk-china-analysts"' in page and "Meeting:" not in page


def test_a_failed_check_stands_out(site, tmp_path):
    from briefkit.paths import Project
    from briefkit.publish.site import write_index

    project = tmp_path / "copy"
    shutil.copytree(site, project)
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    manifest["outputs"][0]["checks"][0] = {"name": "fonts-embedded", "ok": False, "detail": "not embedded: /Helvetica"}
    page = write_index(Project.at(project), manifest).read_text()
    assert 'class="card failed"' in page and "<li>fonts-embedded: not embedded: /Helvetica</li>" in page
    assert '<span class="bad">1 check failed</span>' in page


def test_index_in_a_real_browser(site, tmp_path):
    from selenium.webdriver.common.by import By

    driver = chromium(tmp_path / "chromium")
    try:
        driver.get((site / "briefings/index.html").as_uri())
        images = driver.find_elements(By.TAG_NAME, "img")
        assert len(images) >= 10
        broken = [i.get_attribute("src") for i in images
                  if not driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", i)]
        assert not broken
        for link in driver.find_elements(By.TAG_NAME, "a"):
            href = link.get_attribute("href").split("#")[0].split("?")[0]
            assert href.startswith("file://") and Path(href.removeprefix("file://")).is_file(), href
        screenshot = tmp_path / "index.png"
        driver.save_screenshot(str(screenshot))
        assert screenshot.read_bytes().startswith(b"\x89PNG")
    finally:
        driver.quit()


def _reader(stream, lines: queue.Queue) -> None:  # type: ignore[no-untyped-def]
    for line in iter(stream.readline, ""):
        lines.put(line)


def _wait_for(lines: queue.Queue, pattern: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r} within {seconds} s")


def test_watch_rebuilds_on_save_reports_errors_and_stops_cleanly(tmp_path):
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen([sys.executable, "build.py", "watch", "--kind", "brief"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    try:
        _wait_for(lines, r"rebuilt 1: nk-china-brief-analysts\.pdf")
        summary = project / "content/nk-china/summary.yaml"
        text = summary.read_text()
        summary.write_text(text.replace('headline: "North', 'headline: "Watched: North'))
        _wait_for(lines, r"^\[\d\d:\d\d:\d\d\] content/nk-china/summary\.yaml changed: rebuilding$")
        _wait_for(lines, r"\] rebuilt 1: nk-china-brief-analysts\.pdf \(\d+\.\d+ s, checks passed\)")
        assert "Watched: North" in pdf_text(project / PDF)
        good = (project / PDF).read_bytes()
        summary.write_text(summary.read_text() + "broken: [\n")
        _wait_for(lines, r"content/nk-china/summary\.yaml:\d+:\d+: YAML syntax")
        _wait_for(lines, r"last good outputs are unchanged")
        assert (project / PDF).read_bytes() == good
        assert len(PdfReader(str(project / PDF)).pages) == 1
        summary.write_text(text)  # the content is good again, and a template fails as it runs
        template = project / "templates/brief.xml.j2"
        template.write_text(template.read_text().replace("{%- block body %}", "{%- block body %}{{ 1 / 0 }}", 1))
        _wait_for(lines, r"templates/brief\.xml\.j2:\d+: division by zero")
        _wait_for(lines, r"last good outputs are unchanged")
        assert process.poll() is None, "still watching"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        _wait_for(lines, r"stopped watching", seconds=5)
    finally:
        if process.poll() is None:
            process.kill()
