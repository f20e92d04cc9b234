"""The overview page, briefings/index.html, read as HTML: what a person handing out the briefs
needs to find, in an order a screen reader can follow, from a template a project can replace.
(axe-core and the browser: tests/test_serve.py.)"""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from briefkit.paths import Project
from briefkit.publish.site import render_index

HANGUL = re.compile(r"[\uac00-\ud7a3]")


class Page(HTMLParser):
    """Headings, links (href and text), images, the lang in force at each text, table rows."""

    VOID = {"img", "meta", "br", "hr", "input", "link"}

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.headings: list[tuple[int, str]] = []
        self.links: list[list[str]] = []
        self.images: list[dict[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []  # (text, lang in force)
        self.rows = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        lang = attributes.get("lang") or (self.stack[-1][1] if self.stack else None)
        if tag == "img":
            self.images.append(attributes)
            if self.links and len(self.links[-1]) == 2:
                self.links[-1][1] += attributes.get("alt") or ""
        if tag in self.VOID:
            return
        self.stack.append((tag, lang))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((int(tag[1]), ""))
        if tag == "a":
            self.links.append([attributes.get("href") or "", ""])
        if tag == "tr" and any(t == "tbody" for t, _ in self.stack):
            self.rows += 1

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not data.strip() or not self.stack:
            return
        tags = [t for t, _ in self.stack]
        if tags[-1] in ("style", "script"):
            return
        self.texts.append((data, self.stack[-1][1] or ""))
        if "a" in tags:
            self.links[-1][1] += data
        heading = next((t for t in reversed(tags) if re.fullmatch(r"h[1-6]", t)), None)
        if heading:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)


def five_hundred_copies(root: Path) -> str:
    """The overview page of a project built with meetings, its first meeting given 500 copies."""
    project = Project.at(root)
    manifest = json.loads(project.manifest.read_text(encoding="utf-8"))
    copy = next(e for e in manifest["outputs"] if e.get("kind") == "copy")
    outputs = [e for e in manifest["outputs"] if e.get("meeting") != copy["meeting"] or e.get("kind") != "copy"]
    for number in range(1, 501):
        outputs.append({**copy, "copy": number, "recipient": f"Recipient {number}",
                        "identifier": f"{copy['meeting']}-{number:03d}-0123456789",
                        "path": copy["path"].replace("copy-1-", f"copy-{number}-")})
    return render_index(project, {"outputs": outputs})


def test_one_h1_headings_in_order_and_every_text_in_its_language(two_sets):
    project = two_sets[0]
    page = Page((project / "briefings/index.html").read_text(encoding="utf-8"))
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), page.headings
    korean = [(text, lang) for text, lang in page.texts if HANGUL.search(text)]
    assert korean, "the Korean edition's titles are on the page"
    assert all(lang == "ko" for _, lang in korean), [k for k in korean if k[1] != "ko"][:3]
    english = [text for text, lang in page.texts if lang == "ko" and not HANGUL.search(text) and len(text) > 30]
    assert not english, f"page words marked as Korean: {english[:3]}"


def test_every_link_says_where_it_goes_and_every_preview_has_alt_text(two_sets):
    project = two_sets[0]
    page = Page((project / "briefings/index.html").read_text(encoding="utf-8"))
    names: dict[str, set[str]] = {}
    for href, text in page.links:
        names.setdefault(" ".join(text.split()), set()).add(href)
    same = {name: hrefs for name, hrefs in names.items() if len(hrefs) > 1}
    assert not same, f"one link text for several places: {same}"
    assert all(name for name in names), "no link without a name"
    assert page.images and all(image.get("alt") for image in page.images)
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    for entry in manifest["outputs"]:  # each file is linked by its own name
        name = Path(entry["path"]).name
        assert names.get(name) == {entry["path"].removeprefix("briefings/")}, name


def test_a_meeting_shows_its_date_place_and_audience_then_its_copies_as_one_table(two_sets):
    project = two_sets[0]
    page = (project / "briefings/index.html").read_text(encoding="utf-8")
    section = page[page.index('<section aria-labelledby="meeting-interagency-roundtable">'):]
    section = section[:section.index("</section>")]
    assert "Meeting: <span>Interagency roundtable on North Korea-China relations</span>" in section
    assert '<time datetime="2026-12-03">Thursday 3 December 2026</time>' in section
    assert "Conference Room 4B" in section and "U.S. policy staff (us-staff)" in section
    order = [section.index(name) for name in ("Meeting packet", "Handout, two pages a sheet",
                                              "Distribution register (PDF)", "Distribution register (CSV)",
                                              "Numbered copies")]
    assert order == sorted(order)
    assert section.count("<table>") == 1 and section.count('class="card') == 4
    assert re.search(r'<tr><td>1</td><th scope="row">Dana Whitfield</th><td>Department of State</td>'
                     r'<td>interagency-roundtable-001-[0-9a-f]+</td><td><a href="meetings/'
                     r'interagency-roundtable/copies/interagency-roundtable-copy-1-dana-whitfield\.pdf">', section)


def test_five_hundred_recipients_make_one_table_of_a_readable_page(two_sets):
    """The page of a meeting with 500 numbered copies, made from a manifest that lists them."""
    project = Project.at(two_sets[0])
    manifest = json.loads(project.manifest.read_text(encoding="utf-8"))
    copy = next(e for e in manifest["outputs"] if e.get("kind") == "copy")
    outputs = [e for e in manifest["outputs"] if e.get("meeting") != copy["meeting"] or e.get("kind") != "copy"]
    html = five_hundred_copies(two_sets[0])
    page = Page(html)
    assert page.rows == 500 + sum(1 for e in manifest["outputs"] if e.get("kind") == "copy" and
                                  e.get("meeting") != copy["meeting"])
    assert html.count('class="card') == len([e for e in outputs if e.get("kind") != "copy"])
    assert len(html.encode()) < 200_000, f"{len(html.encode())} bytes"
    assert "position:sticky" in html, "the column heads stay in view down the table"


def test_a_project_restyles_the_page_with_its_own_template(built, cli):
    override = built / "templates/overview.html.j2"
    override.write_text('{% extends "briefkit/overview.html.j2" %}\n'
                        '{% block title %}Distribution desk{% endblock %}\n', encoding="utf-8")
    result = cli(built)
    assert result.code == 0, result.output
    page = (built / "briefings/index.html").read_text(encoding="utf-8")
    assert "<title>Distribution desk</title>" in page and "<h1>Distribution desk</h1>" in page
    assert "nk-china-brief-analysts.pdf" in page

    override.write_text('{% extends "briefkit/overview.html.j2" %}\n{% block title %}{{ nothing.here }}'
                        '{% endblock %}\n', encoding="utf-8")
    result = cli(built)
    assert result.code == 1 and "templates/overview.html.j2:2: 'nothing' is undefined" in result.err, result.err
    assert "Traceback" not in result.output
    assert "<h1>Distribution desk</h1>" in (built / "briefings/index.html").read_text(encoding="utf-8")
    again = cli(built)
    assert again.code == 1 and "'nothing' is undefined" in again.err, "a broken page is not remembered as built"


def test_content_is_escaped_on_the_page(built, cli, tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(built, project)
    manifest = json.loads((project / "briefings/manifest.json").read_text())
    manifest["outputs"][0]["title"] = '<img src=x onerror="alert(1)"> & more'
    page = render_index(Project.at(project), manifest)
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; more" in page and "<img src=x" not in page
