"""The markup vocabulary: its registry is the documentation, builders stamp roles, text stays literal."""
from __future__ import annotations


import re

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


def _problems(markup: str) -> str:
    with pytest.raises(TemplateProblem) as caught:
        parse(markup, "templates/brief.xml.j2")
    return str(caught.value)


@pytest.mark.parametrize("markup, message", [
    ('<document>\n<spacer height="big"/></document>',
     r"templates/brief\.xml\.j2 \(rendered line 2\): <spacer height=\"big\">: expected a length in mm"),
    ('<document><flow columns="two"/></document>', r"<flow columns=\"two\">: expected a whole number, not 'two'"),
    ('<document><flow columns="9"/></document>', r"must be at most 4"),
    ('<document><p style="loud">x</p></document>', r"<p style=\"loud\">: must be 'body', 'lede', 'small' or 'note'"),
    ('<document><list rule="yes"><item>x</item></list></document>',
     r"<list> has no attribute 'rule' \(it has: style, keep\)"),
    ('<document><list stlye="bullet"><item>x</item></list></document>', r"did you mean 'style'"),
    ('<document><columns widths="1 1"><column/></columns></document>', r"widths gives 2 widths for 1 columns"),
    ('<document><bar-chart><bar value="-3"/></bar-chart></document>', r"must be at least 0"),
    ('<document><timeline-chart><event date="1978"/></timeline-chart></document>', r"<event> needs the attribute 'lane'"),
    ('<document><timeline-chart><lane id="a"/><event date="May 1978" lane="a"/></timeline-chart></document>',
     r'<event date="May 1978">: write a date as'),
])
def test_an_attribute_that_cannot_be_read_is_a_located_error(markup, message):
    assert re.search(message, _problems(markup))


@pytest.mark.parametrize("markup, message", [
    ("<document><list><p>Lost words</p><item>x</item></list></document>", r"<p> cannot appear inside <list>"),
    ("<document><list>Lost words<item>x</item></list></document>",
     r"text directly inside <list> would not be printed: 'Lost words'"),
    ("<document><p>fine</p><item>alone</item></document>", r"<item> cannot appear inside <document>: it holds blocks"),
    ("<document><p><h2>nested</h2></p></document>", r"<h2> cannot appear inside <p>"),
    ("<document><callout><flow/></callout></document>", r"<flow> cannot appear inside <callout>"),
    ("<document><flow/><flow/></document>", r"at most one <flow>"),
    ("<document><spacer>text</spacer></document>", r"text directly inside <spacer>"),
    ("<document><blnik/></document>", r"unknown element <blnik>"),
])
def test_an_element_where_it_cannot_go_or_dropped_text_is_a_located_error(markup, message):
    assert re.search(message, _problems(markup))


def test_every_problem_is_reported_at_once_with_its_line():
    report = _problems('<document>\n<spacer height="big"/>\n<p style="loud">x</p>\n<list>lost</list>\n</document>')
    assert "3 problems" in report
    assert [int(n) for n in re.findall(r"rendered line (\d+)", report)] == [2, 3, 4]


def test_a_template_that_writes_bad_markup_fails_the_build_located_and_writes_nothing(project, cli):
    override = project / "templates" / "audiences" / "analysts" / "brief.xml.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text('{% extends "default/brief.xml.j2" %}{% block bottom_line %}<spacer height="big"/>'
                        "<list>dropped</list>{% endblock %}", encoding="utf-8")
    result = cli(project, "--kind", "brief")
    assert result.code == 1, result.output
    assert "templates/audiences/analysts/brief.xml.j2 (rendered line" in result.err
    assert "<spacer height=\"big\">" in result.err and "text directly inside <list>" in result.err
    assert "Traceback" not in result.err and not (project / "briefings").exists()


def test_typed_values_are_read_once_and_kept():
    document = parse('<document><spacer height="4.5"/><columns widths="2 1" rule="yes"><column/><column/></columns>'
                     "</document>", "t")
    spacer, columns = document.body
    assert spacer.get("height") == 4.5 and columns.get("widths") == [2.0, 1.0] and columns.get("rule") is True
