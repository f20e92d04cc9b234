"""`serve` in a real browser (headless Chromium through selenium): the page follows every save,
shows a broken save's error over the last good outputs, and the overview page passes axe-core."""
from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PDF, chromium, copy_project, pdf_text

REQUIRED = os.environ.get("BRIEFKIT_REQUIRE_TOOLS") == "1"
AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
THUMB = ".previews/nk-china/analysts/nk-china-brief-analysts-p1-thumb.png"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One headless Chromium for the module (starting one takes seconds)."""
    driver = chromium(tmp_path_factory.mktemp("chromium"))
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


class Served:
    """A `serve` process and the lines it printed."""

    def __init__(self, project: Path, *argv: str) -> None:
        self.project = project
        self.process = subprocess.Popen([sys.executable, "build.py", "serve", *argv], cwd=project,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = re.search(r"at (http://127\.0\.0\.1:\d+/)", self.wait_for(r"^serving "))[1]  # type: ignore[index]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in iter(self.process.stdout.readline, ""):
            self.lines.put(line)

    def wait_for(self, pattern: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} within {seconds} s:\n{''.join(self.seen)}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`serve --port 0` on a project of one audience, narrowed to briefs (rebuilds take a second)."""
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    server = Served(project, "--port", "0", "--kind", "brief", "--jobs", "1")
    try:
        server.wait_for(r"\] rebuilt 1: nk-china-brief-analysts\.pdf")
        yield server
    finally:
        server.stop()


def _until(condition, seconds: float):  # type: ignore[no-untyped-def]
    """The first true value of condition() within `seconds`, or None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return None


def _thumb(driver) -> str | None:  # type: ignore[no-untyped-def]
    """The src of the brief's first-page preview once the picture has loaded."""
    return driver.execute_script(
        "for (const img of document.images) {"
        "  if (img.getAttribute('src').startsWith(arguments[0]) && img.complete && img.naturalWidth > 0)"
        "    return img.getAttribute('src');"
        "} return null;", THUMB)


def _error_text(driver) -> str | None:  # type: ignore[no-untyped-def]
    return driver.execute_script("const box = document.getElementById('briefkit-build-error');"
                                 "return box ? box.innerText : null;")


def test_a_save_shows_its_new_preview_and_a_broken_save_its_error(served, browser):
    browser.get(served.url)
    before = _thumb(browser)
    assert before and _error_text(browser) is None
    assert "<script" not in (served.project / "briefings/index.html").read_text(), "the file itself stays static"
    summary = served.project / "content/nk-china/summary.yaml"
    good = summary.read_text(encoding="utf-8")
    assert 'headline: "North' in good

    saved = time.monotonic()
    summary.write_text(good.replace('headline: "North', 'headline: "Served: North', 1), encoding="utf-8")
    after = _until(lambda: (src := _thumb(browser)) != before and src, 5)
    assert after, f"no new preview within 5 s of the save:\n{''.join(served.seen)}"
    took = time.monotonic() - saved
    assert "Served: North" in browser.find_element("tag name", "main").text
    assert "Served: North" in pdf_text(served.project / PDF)
    served.wait_for(r"summary\.yaml changed: rebuilding")
    print(f"new preview shown {took:.2f} s after the save")

    pdf = (served.project / PDF).read_bytes()
    summary.write_text(good + "broken: [\n", encoding="utf-8")
    error = _until(lambda: _error_text(browser), 5)
    assert error and re.search(r"content/nk-china/summary\.yaml:\d+:\d+: YAML syntax", error), error
    assert _thumb(browser) == after, "the last good outputs stay on the page"
    assert (served.project / PDF).read_bytes() == pdf, "and in the output folder"

    summary.write_text(good, encoding="utf-8")
    assert _until(lambda: _error_text(browser) is None and _thumb(browser) not in (None, after), 5), \
        f"the error did not go:\n{''.join(served.seen)}"
    assert "Served: North" not in browser.find_element("tag name", "main").text


def test_serve_answers_on_127_0_0_1_only_and_keeps_build_files_private(served):
    import urllib.error
    import urllib.request

    host = served.url.split("//")[1].split(":")[0]
    assert host == "127.0.0.1"
    with urllib.request.urlopen(served.url + "manifest.json") as answer:
        assert answer.headers["Cache-Control"] == "no-store" and json.load(answer)["outputs"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(served.url + ".cache.json")
    assert refused.value.code == 404


def test_a_port_in_use_is_a_clear_error(project, cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli(project, "serve", "--port", str(port))
    assert result.code == 2
    assert f"--port {port}: the port is in use on 127.0.0.1" in result.err and "--port 0" in result.err
    assert "Traceback" not in result.output and not (project / "briefings").exists(), "nothing was built"
    assert cli(project, "serve", "--port", "70000").code == 2


def test_ctrl_c_stops_serving_cleanly(tmp_path):
    project = copy_project(tmp_path / "project")
    server = Served(project, "--port", "0", "--kind", "brief", "--audience", "analysts", "--jobs", "1")
    server.wait_for(r"\] (rebuilt|nothing)")
    assert server.stop() == 0
    server.wait_for(r"^stopped serving", seconds=5)
    assert "Traceback" not in "".join(server.seen)


def _axe(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the page open in `driver` (every rule axe runs by default)."""
    if not AXE.is_file():
        if REQUIRED:
            pytest.fail("axe-core is required (BRIEFKIT_REQUIRE_TOOLS=1): npm ci in tests/js")
        pytest.skip("axe-core is not installed (npm ci in tests/js)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => ({id: v.id, help: v.help, "
        "nodes: v.nodes.slice(0, 3).map(n => n.html)})))).catch(e => done([{id: 'axe-error', help: String(e)}]));")
    return list(result)


def test_the_overview_page_has_no_axe_violations(two_sets, browser):
    """The full project (every audience, Korean included, and the meetings) and a second set."""
    project = two_sets[0]
    browser.get((project / "briefings/index.html").as_uri())
    assert browser.find_elements("css selector", "[lang=ko]"), "the Korean edition is on the page"
    assert _axe(browser) == []


def test_every_link_is_reached_by_keyboard_with_a_visible_focus(two_sets, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get((two_sets[0] / "briefings/index.html").as_uri())
    links = browser.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    reached = []
    for _ in range(len(links)):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.execute_script(
            "const a = document.activeElement; const style = getComputedStyle(a);"
            "return [a.href || a.tagName, style.outlineStyle, style.outlineWidth];")
        assert focused[1] != "none" and focused[2] != "0px", f"no focus ring on {focused[0]}"
        reached.append(focused[0])
    assert reached == links, "Tab visits every link, in the page's order"


def test_a_meeting_of_500_recipients_has_no_axe_violations(two_sets, browser, tmp_path):
    from test_overview import five_hundred_copies

    project = two_sets[0]
    page = five_hundred_copies(project)
    base = (project / "briefings").as_uri() + "/"
    target = tmp_path / "index.html"
    target.write_text(page.replace("<head>", f'<head><base href="{base}">', 1), encoding="utf-8")
    browser.get(target.as_uri())
    assert len(browser.find_elements("css selector", "tbody tr")) >= 500
    assert _axe(browser) == []


def test_the_served_page_with_an_error_has_no_axe_violations(served, browser):
    summary = served.project / "content/nk-china/summary.yaml"
    good = summary.read_text(encoding="utf-8")
    browser.get(served.url)
    try:
        summary.write_text(good + "broken: [\n", encoding="utf-8")
        assert _until(lambda: _error_text(browser), 5)
        assert _axe(browser) == []
    finally:
        summary.write_text(good, encoding="utf-8")
        assert _until(lambda: _error_text(browser) is None, 10)
