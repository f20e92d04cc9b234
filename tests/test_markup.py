"""The markup vocabulary: its registry is the documentation, builders stamp roles, text stays literal."""
from __future__ import annotations


import pytest

from briefkit.errors import TemplateProblem
from briefkit.render.fonts import register_fonts
from briefkit.render.vocabulary import TAGS, build_story, parse, reference
from briefkit.locales import smart_quotes
from briefkit.render.styles import Theme, make_styles

from conftest import REPO

DOCUMENT = """<document title="t" lang="en">
  <title>Finding</title>
  <h2>Section</h2>
  <p>Body with <b>bold</b> and &lt;img src="/etc/passwd"&gt;</p>
  <list style="numbered"><item lead="Lead.">One</item><item>Two</item></list>
  <figures cols="2"><figure value="7">years</figure></figures>
</document>"""


def test_docs_markup_matches_the_registry():
    assert reference() in (REPO / "docs" / "markup.md").read_text(encoding="utf-8")


def test_every_registered_element_declares_a_role_and_documentation():
    for tag in TAGS.values():
        assert tag.role and tag.doc, tag.name


def test_built_flowables_carry_their_structural_role():
    register_fonts()
    story = build_story(parse(DOCUMENT, "test"), make_styles(Theme()), 400)
    roles = [getattr(f, "briefkit_role", ("?",))[0] for f in story]
    assert roles[:3] == ["H1", "H2", "P"]
    assert roles.count("LI") == 2
    assert "Figure" in roles


def test_escaped_markup_in_text_reaches_reportlab_escaped():
    register_fonts()
    story = build_story(parse(DOCUMENT, "test"), make_styles(Theme()), 400)
    paragraph = story[2]
    assert "&lt;img" in paragraph.text and "<img" not in paragraph.text


def test_unknown_element_names_itself():
    with pytest.raises(TemplateProblem, match="unknown element <blink>"):
        build_story(parse("<document><blink>x</blink></document>", "t"), make_styles(Theme()), 400)


def test_malformed_markup_names_template_and_line():
    with pytest.raises(TemplateProblem, match=r"brief\.xml\.j2 .*line 2"):
        parse("<document>\n<p>unclosed</document>", "brief.xml.j2")


@pytest.mark.parametrize("straight, curly", [
    ('a "normal" tie', "a \u201cnormal\u201d tie"),
    ("China's fears", "China\u2019s fears"),
    ("('quoted')", "(\u2018quoted\u2019)"),
])
def test_straight_quotes_print_typographic(straight, curly):
    assert smart_quotes(straight) == curly
