"""The markup vocabulary: its registry is the documentation, builders stamp roles, text stays literal."""
from __future__ import annotations


import re

import pytest

from briefkit.errors import TemplateProblem
from briefkit.render.fonts import register_fonts
from briefkit.render.structure import document_root
from briefkit.render.vocabulary import TAGS, build_story, parse, reference
from briefkit.locales import language_spans, smart_quotes
from briefkit.render.styles import Theme, make_styles
from reportlab.pdfbase.pdfmetrics import stringWidth

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


def test_built_flowables_make_the_structure_tree_in_markup_order():
    register_fonts()
    root = document_root()
    story = build_story(parse(DOCUMENT, "test"), make_styles(Theme()), 400, node=root)

    def shape(node):
        return (node.role, [shape(kid) for kid in node.kids if hasattr(kid, "role")])

    assert shape(root) == ("Document", [
        ("H1", []), ("H2", []), ("P", []),
        ("L", [("LI", [("Lbl", []), ("LBody", [])]), ("LI", [("Lbl", []), ("LBody", [])])]),
        ("L", [("LI", [("LBody", [])])]),
    ])
    figure = [node for node in root.nodes() if node.actual_text]
    assert [node.actual_text for node in figure] == ["7 \u2014 years"]  # read as one: value, then label
    assert [f.briefkit_node.role for f in story[:3]] == ["H1", "H2", "P"]
    items = [f for f in story if getattr(f, "briefkit_label", None) is not None]
    assert [(f.briefkit_label.role, f.briefkit_node.role) for f in items] == [("Lbl", "LBody")] * 2


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


@pytest.mark.parametrize("text, language, spans", [
    ("\uae40\uc815\uc740 Kim Jong-un \uc704\uc6d0\uc7a5", "ko", ["Kim Jong-un"]),  # one stretch, hyphen inside
    ("KN25 \ud68c\uc758 (p21), U.S. G7 \uc815\ubd80", "ko", ["KN25"]),  # locators and initials are not words
    ("Lee Jae-won (\uc774\uc7ac\uc6d0) and \ud55c", "en", ["\uc774\uc7ac\uc6d0", "\ud55c"]),  # a syllable is a word
    ("Plain English, p14.", "en", []),
])
def test_words_in_another_script_are_found_as_stretches(text, language, spans):
    assert [text[start:end] for start, end, _ in language_spans(text, language)] == spans
    assert {other for *_, other in language_spans(text, language)} <= {"en" if language == "ko" else "ko"}


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
    ('<document><bar-chart><bar value="3"/></bar-chart></document>', r"<bar-chart> needs the attribute 'alt'"),
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


FIGURES = """<document title="t"><figures cols="4">
  <figure value="37bn baht">baht the central bank spent defending the currency in 1997</figure>
  <figure value="1,250,000 tonnes">of rice exported through the new northern corridor each year</figure>
  <figure value="7">years of stalled ties</figure>
  <figure value="Supercalifragilistic">Anextraordinarilylongunbrokenlabelwordthatmustwrap inside its cell</figure>
</figures></document>"""


def _figure_table(markup: str, width: float = 500.0):  # type: ignore[no-untyped-def]
    from briefkit.render.elements import FigureValue

    register_fonts()
    styles = make_styles(Theme())
    [table, _] = build_story(parse(markup, "brief.xml.j2"), styles, width)
    table.wrap(width, 1000)
    cells = [cell for row in table._cellvalues for cell in row if isinstance(cell, (list, tuple))]
    return styles, table, [(cell[0], cell[2]) for cell in cells if isinstance(cell[0], FigureValue)]


def test_a_key_figure_stays_on_one_line_in_smaller_type_when_it_must():
    styles, table, figures = _figure_table(FIGURES)
    full = styles["figure-value"].fontSize
    sizes = {value.text: value.size for value, _ in figures}
    assert sizes["7"] == full and sizes["37bn baht"] == full
    assert styles["body"].fontSize * 1.1 <= sizes["1,250,000 tonnes"] < full
    for value, _ in figures:
        assert stringWidth(value.text, value.style.fontName, value.size) <= value.width + 1e-6, value.text


def test_neighbouring_key_figures_keep_a_gap_between_their_labels():
    """Each label wraps inside its cell, long words included, and cells keep 4 mm between them."""
    from reportlab.lib.units import mm

    styles, table, figures = _figure_table(FIGURES)
    assert all(table._cellStyles[0][column].rightPadding >= styles.size(4 * mm) - 1e-6 for column in range(3))
    for _, label in figures:
        for line in label.blPara.lines:
            extra = line.extraSpace if hasattr(line, "extraSpace") else line[0]
            assert extra >= -1e-6, f"a line of {label.getPlainText()!r} runs into the gap"


def test_a_key_figure_too_wide_even_in_small_type_is_a_located_error():
    from briefkit.errors import LayoutError
    from briefkit.render.layout import fit_to_pages
    from briefkit.render.paper import PageSetup

    markup = FIGURES.replace("1,250,000 tonnes", "1,250,000,000,000 metric tonnes of rice and grain")
    with pytest.raises(LayoutError) as error:
        fit_to_pages(parse(markup, "brief.xml.j2"), PageSetup(), Theme(), 1, "test/brief")
    message = str(error.value)
    assert message.startswith("test/brief: <figure> (rendered line 3): the key figure "
                              "“1,250,000,000,000 metric tonnes of rice and grain” is too wide"), message
    assert "fewer figures per row" in message


def _table_lines(markup: str, width: float) -> list[list[list[str]]]:
    """Each cell of the table `markup` makes in a column `width` wide, as the lines it is drawn in."""
    register_fonts()
    [table] = build_story(parse(f'<document title="t">{markup}</document>', "t.xml.j2"), make_styles(Theme()), width)
    table.wrap(width, 10000)
    rows = []
    for row in table.rows:
        cells = []
        for column, cell in enumerate(row.cells):
            style = table._cellStyles[0][column]
            cell.wrap(table.widths[column] - style.leftPadding - style.rightPadding, 10000)
            lines = cell.blPara.lines
            cells.append([" ".join(words) for _, words in lines] if cell.blPara.kind == 0 else
                         ["".join(getattr(frag, "text", "") for frag in line.words) for line in lines])
        rows.append(cells)
    return rows


def test_short_columns_hold_their_cells_on_one_line_in_any_language():
    """A template's widths suit one language and type size: a date, a number or a short header
    in another is not broken over two lines while the text column has room to give."""
    markup = ('<table widths="5 15 80" size="small"><row header="yes"><cell>번호</cell><cell>Date</cell>'
              '<cell>Event</cell></row>' + "".join(
                  f"<row><cell>{n}</cell><cell>{date}</cell><cell>{'A long account of the event. ' * 6}</cell></row>"
                  for n, date in ((9, "September 2012"), (10, "2012–2018"), (11, "December 2019*"))) + "</table>")
    for row in _table_lines(markup, 250):
        assert len(row[0]) == 1 and len(row[1]) == 1, row[:2]


def test_a_hyphenated_name_is_never_cut_between_letters():
    markup = ('<table widths="6 16 14 27 15 22" size="small"><row header="yes"><cell>Copy</cell><cell>Recipient</cell>'
              '<cell>Organisation</cell><cell>Identifier</cell><cell>SHA-256</cell><cell>Received</cell></row>'
              '<row><cell>4</cell><cell>Anne-Marie Villeneuve-Castelnau <ref>Sous-direction Asie-Pacifique</ref></cell>'
              "<cell>Ministère de l’Europe et des Affaires étrangères</cell><cell>principals-prebrief-004-5fdd2b6981</cell>"
              "<cell>f4340e62 76d47b98 8245cc26 baa241a3 b16efa82 58f2bd3f 9f551130 115904f0</cell>"
              "<cell>Signature and date:</cell></row></table>")
    name = _table_lines(markup, 480)[1][1]
    assert "Villeneuve-Castelnau" in " ".join(name).split(), name


def test_ragged_rows_and_empty_cells_keep_the_widths_the_table_has():
    register_fonts()
    [table] = build_story(parse('<document title="t"><table widths="1 3"><row><cell></cell><cell>x</cell></row>'
                                "<row><cell>7</cell></row></table></document>", "t.xml.j2"), make_styles(Theme()), 300)
    assert sum(table.widths) == pytest.approx(300) and table.widths[0] <= table.widths[1]
