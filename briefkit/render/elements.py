"""The text and layout elements of the page markup, and their ReportLab builders."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, HRFlowable, KeepTogether, Spacer, TableStyle

from ..errors import LayoutError
from .attributes import Choice, Flag, Integer, Length, Text, Widths
from .fonts import FontSet
from ..locales import smart_quotes
from .markup import (BLOCK, BLOCKS, DOCUMENT, EMPTY, INLINE, INLINE_LEVEL, LINE, PAGE, PART, ROOT, TEXT, TOP, Context,
                     build_children, define, inline, literal, role, value)
from .paragraphs import Paragraph
from .styles import Styles
from .tagging import Marked, MarkedTable, tag
from .text import draw_text, text_width


def table_style(styles: Styles, commands: list[Any]) -> TableStyle:
    """Table style that names our font: ReportLab otherwise sets an unembedded Helvetica per cell."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.fonts.sans.font()), *commands])


def _one_flow(element: ElementTree.Element) -> str | None:
    flows = sum(1 for child in element if child.tag == "flow")
    return "a document has at most one <flow>" if flows > 1 else None


define("document", "Document", "Root element; its attributes are the PDF metadata.", ROOT, DOCUMENT, check=_one_flow,
       title=Text("document title"), author=Text("author"), subject=Text("subject"),
       keywords=Text("comma-separated keywords"), lang=Text("language code, e.g. en-GB"),
       creator=Text("the program that made it"))
define("running-header", "Artifact (header)", "Text at the top of every page.", PAGE, EMPTY,
       left=Text("left text"), right=Text("right text"))
define("running-footer", "Artifact (footer)", "Text at the foot of every page; {page} and {pages} are filled in.", PAGE, EMPTY,
       left=Text("left text"), right=Text("right text"))
define("colophon", "P, read last (an artifact after page 1)", "Source citation set in small type at the foot of every page, above the footer.", PAGE,
       INLINE)
define("watermark", "Artifact (watermark)", "Large diagonal text under the content of every page, e.g. DRAFT.", PAGE, EMPTY,
       text=Text("the watermark"))
define("marking", "P, read first (an artifact elsewhere)", "Handling marking printed top and bottom of every page.", PAGE, EMPTY,
       text=Text("the marking"))
for _name, _what in (("b", "bold"), ("i", "italic"), ("ref", "source locator, small and grey")):
    define(_name, "(its paragraph's text)", f"Inline: {_what}.", INLINE_LEVEL, INLINE)
define("br", "(its paragraph's text)", "Inline: line break.", INLINE_LEVEL, EMPTY)


def _paragraph(style: str, role_name: str) -> Any:
    def build(element: ElementTree.Element, context: Context) -> list[Any]:
        chosen = context.styles[style]
        paragraph = Paragraph(inline(element, context.styles, chosen.fontName), chosen)
        return [tag(role(paragraph, role_name), context.node.add(role_name))]
    return build


define("title", "H1", "Document title: states the finding.", BLOCK, INLINE, _paragraph("title", "H1"))
define("subtitle", "P", "One line under the title.", BLOCK, INLINE, _paragraph("subtitle", "P"))
define("h2", "H2", "Section heading: small bold sans in the accent colour.", BLOCK, INLINE, _paragraph("h2", "H2"))
define("h3", "H3", "Sub-heading.", BLOCK, INLINE, _paragraph("h3", "H3"))
define("source-note", "P", "Citation of the source, small type.", BLOCK, INLINE, _paragraph("note", "P"))


def _p(element: ElementTree.Element, context: Context) -> list[Any]:
    name = value(element, "style")
    style = context.styles[name]
    if value(element, "keep") == "next":
        style = style.clone(f"{name}-keep", keepWithNext=1)
    return [tag(role(Paragraph(inline(element, context.styles, style.fontName), style), "P"), context.node.add("P"))]


define("p", "P", "Paragraph.", BLOCK, INLINE, _p,
       style=Choice("paragraph style", "body", choices=("body", "lede", "small", "note")),
       keep=Choice("'next' keeps it on the same page or column as what follows (a note under a heading)",
                   choices=("next",)))

_LIST_STYLES = {"numbered": "item", "bullet": "bullet", "small": "small-bullet", "small-numbered": "small-item"}


def _list(element: ElementTree.Element, context: Context) -> list[Any]:
    kind = value(element, "style")
    styles = context.styles
    flowables = []
    structure = context.node.add("L")
    for number, item in enumerate(element, start=1):
        marker = f"{number}" if kind.endswith("numbered") else "\u2022"
        lead = value(item, "lead")
        style = styles[_LIST_STYLES[kind]]
        text = inline(item, styles, style.fontName)
        if lead:
            text = f"<b>{literal(lead, styles, style.fontName)}</b> {text}"
        node = structure.add("LI")
        label = node.add("Lbl")
        flowables.append(tag(role(Paragraph(text, style, bulletText=marker), "LI"), node.add("LBody"), label))
    return [role(KeepTogether(flowables), "L")] if value(element, "keep") else flowables


define("list", "L", "A list of <item> elements.", BLOCK, ("item",), _list,
       style=Choice("numbered, bullet, small (bullets in small type) or small-numbered", "bullet",
                    choices=tuple(_LIST_STYLES)),
       keep=Flag("'yes' keeps the whole list on one page or column"))
define("item", "LI: Lbl (the marker), LBody", "List item; `lead` is printed in bold before the text.", PART, INLINE, reads=("lead", TEXT),
       lead=Text("bold lead phrase"))


def _callout(element: ElementTree.Element, context: Context) -> list[Any]:
    styles = context.styles
    pad = styles.size(3.2 * mm)
    section = context.node.add("Sect")
    inner = context.inside(section, width=context.width - 2 * pad - 2)
    content: list[Any] = []
    label = value(element, "label")
    if label:
        heading = Paragraph(literal(label, styles, styles["label"].fontName, quotes=False), styles["label"])
        content.append(tag(role(heading, "H2"), section.add("H2")))
    content.extend(build_children(element, inner))
    box = MarkedTable([[content]], colWidths=[context.width])
    box.setStyle(table_style(styles, [
        ("BACKGROUND", (0, 0), (-1, -1), styles.tint),
        ("LINEBEFORE", (0, 0), (0, -1), 2.2, styles.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.55),
    ]))
    return [role(box, "Aside"), Spacer(1, styles.size(2.2 * mm))]


define("callout", "Sect", "A shaded box with a coloured rule at its left.", BLOCK, BLOCKS, _callout,
       reads=("label", TEXT), label=Text("small heading inside the box"))


def _widths_match(element: ElementTree.Element) -> str | None:
    widths, count = value(element, "widths"), len(element)
    if widths is not None and len(widths) != count:
        return f"widths gives {len(widths)} widths for {count} columns"
    return None if count else "needs at least one <column>"


def _columns(element: ElementTree.Element, context: Context) -> list[Any]:
    columns = list(element)
    weights = value(element, "widths") or [1.0] * len(columns)
    gap = value(element, "gap") * mm
    usable = context.width - gap * (len(columns) - 1)
    widths = [usable * w / sum(weights) for w in weights]
    group = context.node.add("Div")
    cells = [build_children(column, context.inside(group.add("Div"), width))
             for column, width in zip(columns, widths)]
    col_widths = [w + (gap if i < len(widths) - 1 else 0) for i, w in enumerate(widths)]
    table = MarkedTable([cells], colWidths=col_widths)
    commands: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    commands += [("RIGHTPADDING", (i, 0), (i, 0), gap if i < len(widths) - 1 else 0) for i in range(len(widths))]
    if value(element, "rule"):
        commands += [("LINEAFTER", (i, 0), (i, 0), 0.4, context.styles.rule) for i in range(len(widths) - 1)]
        commands += [("LEFTPADDING", (i, 0), (i, 0), gap / 2) for i in range(1, len(widths))]
    table.setStyle(table_style(context.styles, commands))
    return [role(table, "Div")]


define("columns", "Div", "Side-by-side <column> elements.", BLOCK, ("column",), _columns, _widths_match,
       widths=Widths("relative widths, e.g. '63 37' (default: equal)"),
       gap=Length("space between columns", 6.0), rule=Flag("'yes' draws a thin rule between columns"))
define("column", "Div", "One column inside <columns>.", PART, BLOCKS)


@dataclass
class ColumnFlow:
    """Marks where the page switches to columns; the layout turns it into frames.

    Columns are real frames rather than a balancing flowable, so ReportLab's page logic (keeping
    headings with their text, no widows or orphans) applies inside them.
    """

    flowables: list[Any]
    count: int
    gap: float
    rule: bool


def _flow(element: ElementTree.Element, context: Context) -> list[Any]:
    count = value(element, "columns")
    gap = value(element, "gap") * mm
    inner = context.inside(width=(context.width - gap * (count - 1)) / count)
    return [ColumnFlow(build_children(element, inner), count, gap, value(element, "rule"))]


define("flow", "(none: its children)", "From here to the end of the document, text flows through columns.", TOP, BLOCKS, _flow,
       columns=Integer("number of columns", 2, minimum=1, maximum=4),
       gap=Length("space between columns", 6.0), rule=Flag("'yes' draws a thin rule between columns"))


FIGURE_GAP = 4 * mm  # at full size


class FigureValue(Marked):
    """A key figure's value, always on one line: in type made smaller, down to a little above the
    body size, when it is wider than its cell; wider still, a located error naming the figure."""

    def __init__(self, text: str, style: ParagraphStyle, smallest: float, where: str, fonts: FontSet):
        super().__init__()
        self.text, self.style, self.smallest, self.where, self.fonts = text, style, smallest, where, fonts
        self.size = style.fontSize

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's names)
        full = text_width(self.text, self.style.fontName, self.style.fontSize, self.fonts)
        self.size = self.style.fontSize if full <= availWidth else self.style.fontSize * availWidth / full
        if self.size < self.smallest - 1e-6:
            raise LayoutError(f"{self.where}: the key figure \u201c{self.text}\u201d is too wide for its cell: "
                              f"{full * self.smallest / self.style.fontSize:.0f} pt even in {self.smallest:.1f} pt type, "
                              f"and the cell is {availWidth:.0f} pt; shorten the value (put units in the label) "
                              "or show fewer figures per row")
        self.width = availWidth
        return availWidth, self.style.leading

    def draw(self) -> None:
        self.canv.setFillColor(self.style.textColor)
        self.canv.setFont(self.style.fontName, self.size)
        draw_text(self.canv, 0, self.style.leading - self.style.fontSize, self.text, self.style.fontName, self.size,
                  self.fonts)  # the baseline a Paragraph would use

    def getPlainText(self) -> str:  # noqa: N802 (ReportLab's name)
        return self.text


def _figures(element: ElementTree.Element, context: Context) -> list[Any]:
    styles = context.styles
    per_row = value(element, "cols")
    value_style, smallest = styles["figure-value"], styles["body"].fontSize * 1.1
    label = styles["figure-label"]
    if not len(element):
        return []
    structure = context.node.add("L", title=value(element, "alt"))
    cells = []
    for figure in element:
        number, text = value(figure, "value"), smart_quotes(" ".join("".join(figure.itertext()).split()))
        node = structure.add("LI").add("LBody", actual_text=f"{number} \u2014 {text}")
        cells.append([tag(FigureValue(number, value_style, smallest, f"<figure> (rendered line {figure.get(LINE, '?')})",
                                      styles.fonts), node),
                      Spacer(1, styles.size(1.2)), tag(Paragraph(inline(figure, styles, label.fontName), label), node)])
    rows: list[list[Any]] = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [Spacer(0, 0) for _ in range(per_row - len(rows[-1]))]
    gap = styles.size(FIGURE_GAP)  # between neighbouring figures, so their labels never run together
    inner = (context.width - gap * (per_row - 1)) / per_row
    table = MarkedTable(rows, colWidths=[inner + gap] * (per_row - 1) + [inner])
    table.setStyle(table_style(styles, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), gap), ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), styles.size(1.5 * mm)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), styles.size(1.8 * mm)),
        ("LINEABOVE", (0, 0), (-1, -1), 0.5, styles.rule),
    ]))
    return [role(table, "L"), Spacer(1, styles.size(1.5 * mm))]


def _some_per_row(element: ElementTree.Element) -> str | None:
    return "cols must be at least 1 when it holds figures" if len(element) and value(element, "cols") < 1 else None


define("figures", "L", "Key figures: large numbers with a label, in a grid, 4 mm apart. A value stays on one "
       "line, set smaller (down to a little above body size) if it must. Screen readers meet a list whose items "
       "read as 'value \u2014 label'.", BLOCK, ("figure",), _figures,
       _some_per_row, cols=Integer("figures per row", 2, minimum=0, maximum=12),
       alt=Text("a name for the group, given to screen readers as the list's title"))
define("figure", "LI: LBody, read as 'value \u2014 label'", "One key figure; its text is the label.", PART, INLINE, reads=("value", TEXT),
       value=Text("the number"))


def _quote(element: ElementTree.Element, context: Context) -> list[Any]:
    styles = context.styles
    quote, small, note = styles["quote"], styles["small"].fontName, styles["note"].fontSize
    text = f"\u201c{inline(element, styles, quote.fontName)}\u201d"
    by, ref = value(element, "by"), value(element, "ref")
    if by:
        text += f' <font name="{small}" size="{note:.2f}">\u2014 {literal(by, styles, small, quotes=False)}</font>'
    if ref:
        text += (f' <font size="{note:.2f}" color="{styles.theme.muted}">'
                 f'[{literal(ref, styles, quote.fontName, quotes=False)}]</font>')
    return [tag(role(Paragraph(text, quote), "BlockQuote"), context.node.add("BlockQuote"))]


define("quote", "BlockQuote", "A short quotation, printed in quotation marks with its attribution.", BLOCK, INLINE,
       _quote, reads=(TEXT, "by", "ref"), by=Text("attribution"), ref=Text("source locator printed after it, e.g. p7"))


class Rule(Marked, HRFlowable):
    """A horizontal rule, drawn as an artifact."""


def _rule(element: ElementTree.Element, context: Context) -> list[Any]:
    space = context.styles.size(1.5 * mm)
    return [role(Rule(width="100%", thickness=0.5, color=context.styles.rule, spaceBefore=space,
                      spaceAfter=space), "Artifact")]


def _spacer(element: ElementTree.Element, context: Context) -> list[Any]:
    return [role(Spacer(1, context.styles.size(value(element, "height") * mm)), "Artifact")]


def _keep(element: ElementTree.Element, context: Context) -> list[Any]:
    children = build_children(element, context)
    return [role(KeepTogether(children), "Div")] if children else []  # nothing to keep: nothing drawn


def _need(element: ElementTree.Element, context: Context) -> list[Any]:
    return [CondPageBreak(value(element, "height") * mm)]


define("rule", "Artifact", "A thin horizontal rule.", BLOCK, EMPTY, _rule)
define("spacer", "(draws nothing)", "Vertical space.", BLOCK, EMPTY, _spacer, height=Length("how much", 3.0))
define("keep-together", "(none: its children)", "Keeps its children on one page or column.", BLOCK, BLOCKS, _keep)
define("need", "(draws nothing)", "Starts a new page unless this much space is left.", BLOCK, EMPTY, _need,
       height=Length("space needed", 30.0))
