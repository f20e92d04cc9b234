"""The page-markup vocabulary: one registry maps each tag to its ReportLab builder.

Templates render this small XML vocabulary; `TAGS` is both the implementation and the reference
(`python build.py --tags` prints it). Every element declares its structural role (heading, list,
figure, artifact, ...) and builders stamp that role on their flowables for tagged output.

Text is always literal: element text is XML-escaped again before it reaches ReportLab's paragraph
mini-language, so content can never become markup, open a file or make a link.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, Flowable, HRFlowable, KeepTogether,
                                Spacer, Table, TableStyle)

from .errors import TemplateProblem
from .paragraphs import Paragraph
from .typography import smart_quotes
from .styles import Styles


@dataclass
class PageDecor:
    """Running header, footer and marking: page artifacts drawn on every page, not flowables."""

    header_left: str = ""
    header_right: str = ""
    footer_left: str = ""
    footer_right: str = ""
    marking: str = ""
    watermark: str = ""
    colophon: ElementTree.Element | None = None


@dataclass
class DocumentMarkup:
    """A parsed document: metadata, page artifacts and the top-level elements."""

    meta: dict[str, str]
    decor: PageDecor
    body: list[ElementTree.Element]
    headings: list[str] = field(default_factory=list)
    content_read: tuple[str, ...] = ()  # the content files (stems) the template read to make it
    digest: str = ""  # SHA-256 of the markup text the template produced


@dataclass
class Context:
    """What a builder needs: styles and the width it is laying out into."""

    styles: Styles
    width: float


Builder = Callable[[ElementTree.Element, Context], list[Flowable]]


@dataclass(frozen=True)
class Tag:
    name: str
    role: str
    doc: str
    attributes: dict[str, str]
    build: Builder | None


TAGS: dict[str, Tag] = {}
INLINE = {"b": "b", "i": "i", "br": "br"}


def tag(name: str, role: str, doc: str, **attributes: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        TAGS[name] = Tag(name, role, doc, attributes, builder)
        return builder
    return register


def _declare(name: str, role: str, doc: str, **attributes: str) -> None:
    """Elements handled outside the flowable registry (document metadata, page artifacts)."""
    TAGS[name] = Tag(name, role, doc, attributes, None)


_declare("document", "Document", "Root element; its attributes are the PDF metadata.",
         title="document title", author="author", subject="subject", keywords="comma-separated",
         lang="language code, e.g. en-GB")
_declare("running-header", "Artifact", "Text at the top of every page.", left="left text", right="right text")
_declare("running-footer", "Artifact", "Text at the foot of every page; {page} and {pages} are filled in.",
         left="left text", right="right text")
_declare("colophon", "P", "Source citation set in small type at the foot of every page, above the footer; "
         "may hold inline tags.")
_declare("watermark", "Artifact", "Large diagonal text under the content of every page, e.g. DRAFT.",
         text="the watermark")
_declare("marking", "Artifact", "Handling marking printed top and bottom of every page.", text="the marking")
for _name, _doc in (("b", "bold"), ("i", "italic"), ("br", "line break"), ("ref", "source locator, small and grey")):
    _declare(_name, "Span", f"Inline: {_doc}.")


def inline(element: ElementTree.Element, styles: Styles) -> str:
    """Element content as ReportLab paragraph markup, all text escaped."""
    parts = [escape(smart_quotes(element.text or ""))]
    for child in element:
        if child.tag in ("b", "i"):
            parts.append(f"<{child.tag}>{inline(child, styles)}</{child.tag}>")
        elif child.tag == "br":
            parts.append("<br/>")
        elif child.tag == "ref":
            size = styles["note"].fontSize
            parts.append(f'<font size="{size:.2f}" color="{styles.theme.muted}">{inline(child, styles)}</font>')
        else:
            raise TemplateProblem(f"<{child.tag}> cannot appear inside <{element.tag}>: inline tags are b, i, br, ref")
        parts.append(escape(smart_quotes(child.tail or "")))
    return "".join(parts).strip()


def role(flowable: Flowable, name: str, **info: object) -> Flowable:
    flowable.briefkit_role = (name, info)  # type: ignore[attr-defined]
    return flowable


def table_style(styles: Styles, commands: list) -> TableStyle:
    """Table style that names our font: ReportLab otherwise sets an unembedded Helvetica per cell."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.fonts.sans.font()), *commands])


def build_children(element: ElementTree.Element, context: Context) -> list[Flowable]:
    flowables: list[Flowable] = []
    for child in element:
        spec = TAGS.get(child.tag)
        if spec is None or spec.build is None:
            raise TemplateProblem(f"unknown element <{child.tag}> inside <{element.tag}>; see `python build.py --tags`")
        flowables.extend(spec.build(child, context))
    return flowables


def _paragraph(style: str, role_name: str) -> Builder:
    def build(element: ElementTree.Element, context: Context) -> list[Flowable]:
        return [role(Paragraph(inline(element, context.styles), context.styles[style]), role_name)]
    return build


tag("title", "H1", "Document title: states the finding.")(_paragraph("title", "H1"))
tag("subtitle", "P", "One line under the title.")(_paragraph("subtitle", "P"))
tag("h2", "H2", "Section heading: small bold sans in the accent colour.")(_paragraph("h2", "H2"))
tag("h3", "H3", "Sub-heading.")(_paragraph("h3", "H3"))
tag("source-note", "P", "Citation of the source, small type.")(_paragraph("note", "P"))


@tag("p", "P", "Paragraph.", style="body (default), lede, small or note",
     keep="'next' keeps it on the same page or column as what follows (a note under a heading)")
def _p(element: ElementTree.Element, context: Context) -> list[Flowable]:
    name = element.get("style", "body")
    if name not in ("body", "lede", "small", "note"):
        raise TemplateProblem(f'<p style="{name}">: style must be body, lede, small or note')
    style = context.styles[name]
    if element.get("keep") == "next":
        style = style.clone(f"{name}-keep", keepWithNext=1)
    return [role(Paragraph(inline(element, context.styles), style), "P")]


@tag("list", "L", "A list of <item> elements.",
     style="numbered, bullet, small (bullets in small type) or small-numbered")
def _list(element: ElementTree.Element, context: Context) -> list[Flowable]:
    kind = element.get("style", "bullet")
    styles = context.styles
    paragraph_style = {"numbered": "item", "bullet": "bullet", "small": "small-bullet",
                       "small-numbered": "small-item"}.get(kind)
    if paragraph_style is None:
        raise TemplateProblem(f'<list style="{kind}">: style must be numbered, bullet, small or small-numbered')
    flowables = []
    for number, item in enumerate(element.iter("item"), start=1):
        marker = f"{number}" if kind.endswith("numbered") else "\u2022"
        lead = item.get("lead")
        text = inline(item, styles)
        if lead:
            text = f"<b>{escape(smart_quotes(lead))}</b> {text}"
        flowables.append(role(Paragraph(text, styles[paragraph_style], bulletText=marker), "LI"))
    return [role(KeepTogether(flowables), "L")] if element.get("keep") == "yes" else flowables


TAGS["item"] = Tag("item", "LI", "List item; `lead` is printed in bold before the text.", {"lead": "bold lead phrase"}, None)


@tag("callout", "Aside", "A shaded box with a coloured rule at its left.", label="small heading inside the box")
def _callout(element: ElementTree.Element, context: Context) -> list[Flowable]:
    styles = context.styles
    pad = styles.size(3.2 * mm)
    inner = Context(styles, context.width - 2 * pad - 2)
    content: list[Flowable] = []
    if element.get("label"):
        content.append(role(Paragraph(escape(element.get("label", "")), styles["label"]), "H2"))
    content.extend(build_children(element, inner))
    box = Table([[content]], colWidths=[context.width])
    box.setStyle(table_style(styles, [
        ("BACKGROUND", (0, 0), (-1, -1), styles.tint),
        ("LINEBEFORE", (0, 0), (0, -1), 2.2, styles.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.55),
    ]))
    return [role(box, "Aside"), Spacer(1, styles.size(2.2 * mm))]


@tag("columns", "Div", "Side-by-side <column> elements.", widths="relative widths, e.g. '63 37'",
     gap="space between columns in mm (default 6)", rule="'yes' draws a thin rule between columns")
def _columns(element: ElementTree.Element, context: Context) -> list[Flowable]:
    columns = [c for c in element if c.tag == "column"]
    if not columns or len(columns) != len(element):
        raise TemplateProblem("<columns> must contain only <column> elements")
    weights = [float(w) for w in element.get("widths", " ".join(["1"] * len(columns))).split()]
    if len(weights) != len(columns):
        raise TemplateProblem(f"<columns widths> gives {len(weights)} widths for {len(columns)} columns")
    gap = float(element.get("gap", "6")) * mm
    usable = context.width - gap * (len(columns) - 1)
    widths = [usable * w / sum(weights) for w in weights]
    cells = [build_children(column, Context(context.styles, width)) for column, width in zip(columns, widths)]
    col_widths = [w + (gap if i < len(widths) - 1 else 0) for i, w in enumerate(widths)]
    table = Table([cells], colWidths=col_widths)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    commands += [("RIGHTPADDING", (i, 0), (i, 0), gap if i < len(widths) - 1 else 0) for i in range(len(widths))]
    if element.get("rule") == "yes":
        commands += [("LINEAFTER", (i, 0), (i, 0), 0.4, context.styles.rule) for i in range(len(widths) - 1)]
        commands += [("LEFTPADDING", (i, 0), (i, 0), gap / 2) for i in range(1, len(widths))]
    table.setStyle(table_style(context.styles, commands))
    return [role(table, "Div")]


@dataclass
class ColumnFlow:
    """Marks where the page switches to columns; the layout turns it into frames.

    Columns are real frames rather than a balancing flowable, so ReportLab's page logic (keeping
    headings with their text, no widows or orphans) applies inside them.
    """

    flowables: list[Flowable]
    count: int
    gap: float
    rule: bool


@tag("flow", "Div", "From here to the end of the document, text flows through columns (top level only).",
     columns="number of columns (default 2)", gap="space between columns in mm (default 6)",
     rule="'yes' draws a thin rule between columns")
def _flow(element: ElementTree.Element, context: Context) -> list[Flowable]:
    count = int(element.get("columns", "2"))
    gap = float(element.get("gap", "6")) * mm
    inner = Context(context.styles, (context.width - gap * (count - 1)) / count)
    return [ColumnFlow(build_children(element, inner), count, gap, element.get("rule") == "yes")]


TAGS["column"] = Tag("column", "Div", "One column inside <columns>; holds any block elements.", {}, None)


@tag("figures", "Figure", "Key figures: large numbers with a label, in a grid.",
     cols="figures per row (default 2)", alt="alternative text for the group")
def _figures(element: ElementTree.Element, context: Context) -> list[Flowable]:
    styles = context.styles
    per_row = int(element.get("cols", "2"))
    cells = []
    for figure in element.iter("figure"):
        cells.append([Paragraph(escape(figure.get("value", "")), styles["figure-value"]),
                      Spacer(1, styles.size(1.2)),
                      Paragraph(inline(figure, styles), styles["figure-label"])])
    if not cells:
        return []
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [Spacer(0, 0) for _ in range(per_row - len(rows[-1]))]
    table = Table(rows, colWidths=[context.width / per_row] * per_row)
    table.setStyle(table_style(styles, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), styles.size(2 * mm)),
        ("TOPPADDING", (0, 0), (-1, -1), styles.size(1.5 * mm)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), styles.size(1.8 * mm)),
        ("LINEABOVE", (0, 0), (-1, -1), 0.5, styles.rule),
    ]))
    return [role(table, "Figure", alt=element.get("alt", "")), Spacer(1, styles.size(1.5 * mm))]


TAGS["figure"] = Tag("figure", "Figure", "One key figure; its text is the label.", {"value": "the number"}, None)


@tag("quote", "BlockQuote", "A short quotation, printed in quotation marks with its attribution.",
     by="attribution", ref="source locator printed after it, e.g. p7")
def _quote(element: ElementTree.Element, context: Context) -> list[Flowable]:
    styles = context.styles
    text = f"\u201c{inline(element, styles)}\u201d"
    by = element.get("by")
    if by:
        text += f' <font name="{styles["small"].fontName}" size="{styles["note"].fontSize:.2f}">\u2014 {escape(by)}</font>'
    if element.get("ref"):
        text += f' <font size="{styles["note"].fontSize:.2f}" color="{styles.theme.muted}">[{escape(element.get("ref", ""))}]</font>'
    return [role(Paragraph(text, styles["quote"]), "BlockQuote")]


@tag("rule", "Artifact", "A thin horizontal rule.")
def _rule(element: ElementTree.Element, context: Context) -> list[Flowable]:
    return [role(HRFlowable(width="100%", thickness=0.5, color=context.styles.rule,
                            spaceBefore=context.styles.size(1.5 * mm), spaceAfter=context.styles.size(1.5 * mm)), "Artifact")]


@tag("spacer", "Artifact", "Vertical space.", height="in mm")
def _spacer(element: ElementTree.Element, context: Context) -> list[Flowable]:
    return [role(Spacer(1, context.styles.size(float(element.get("height", "3")) * mm)), "Artifact")]


@tag("keep-together", "Div", "Keeps its children on one page or column.")
def _keep(element: ElementTree.Element, context: Context) -> list[Flowable]:
    return [role(KeepTogether(build_children(element, context)), "Div")]


@tag("need", "Artifact", "Starts a new page unless this much space is left.", height="in mm")
def _need(element: ElementTree.Element, context: Context) -> list[Flowable]:
    return [CondPageBreak(float(element.get("height", "30")) * mm)]


def parse(markup: str, template_name: str) -> DocumentMarkup:
    """Parse rendered markup; a malformed document is reported with the line it broke on."""
    try:
        root = ElementTree.fromstring(markup)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        bad = markup.splitlines()[line - 1].strip() if line <= len(markup.splitlines()) else ""
        raise TemplateProblem(
            f"{template_name} produced malformed markup at rendered line {line}, column {column}: "
            f"{exc.msg}\n    {bad[:120]}"
        ) from None
    if root.tag != "document":
        raise TemplateProblem(f"{template_name}: the root element must be <document>, not <{root.tag}>")
    decor, body = PageDecor(), []
    for child in root:
        if child.tag == "running-header":
            decor.header_left, decor.header_right = child.get("left", ""), child.get("right", "")
        elif child.tag == "running-footer":
            decor.footer_left, decor.footer_right = child.get("left", ""), child.get("right", "")
        elif child.tag == "marking":
            decor.marking = child.get("text", "")
        elif child.tag == "watermark":
            decor.watermark = child.get("text", "")
        elif child.tag == "colophon":
            decor.colophon = child
        else:
            body.append(child)
    headings = [smart_quotes(" ".join("".join(e.itertext()).split()))
                for e in root.iter() if e.tag in ("title", "h2", "h3")]
    meta = {key: smart_quotes(value) if key in ("title", "subject") else value for key, value in root.attrib.items()}
    return DocumentMarkup(meta, decor, body, headings)


def build_story(document: DocumentMarkup, styles: Styles, width: float) -> list[Flowable]:
    root = ElementTree.Element("document")
    root.extend(document.body)
    return build_children(root, Context(styles, width))


def reference() -> str:
    """The vocabulary as Markdown, generated from the registry (docs/markup.md embeds it)."""
    lines = ["| element | role | what it does | attributes |", "|---|---|---|---|"]
    for spec in sorted(TAGS.values(), key=lambda t: t.name):
        attributes = "; ".join(f"`{name}`: {text}" for name, text in spec.attributes.items())
        lines.append(f"| `<{spec.name}>` | {spec.role} | {spec.doc} | {attributes} |")
    return "\n".join(lines)


# The data elements (tables, charts, glossary) register themselves in TAGS on import.
from . import markup_data  # noqa: E402,F401
