"""Markup elements that present data: tables, definition lists, the timeline chart, bar charts.

They register in the same registry as the text elements (markup.TAGS); markup.py imports this
module so that the vocabulary is complete wherever markup is used.
"""
from __future__ import annotations

from xml.etree import ElementTree
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from .errors import TemplateProblem
from .markup import TAGS, Context, Tag, inline, role, table_style, tag
from .paragraphs import Paragraph
from .schema import EventDate
from .timeline_chart import ChartEvent, TimelineChart, event_position
from .typography import smart_quotes


def _number(element: ElementTree.Element, name: str, default: str) -> float:
    value = element.get(name, default)
    try:
        return float(value)
    except ValueError:
        raise TemplateProblem(f"<{element.tag} {name}=\"{value}\">: expected a number") from None


@tag("table", "Table", "A table of <row> elements; header rows repeat on every page and no row is split.",
     widths="relative column widths, e.g. '5 12 60 10'", size="'small' for 8 pt text (default body size)")
def _table(element: ElementTree.Element, context: Context) -> list[Flowable]:
    styles = context.styles
    rows = [r for r in element if r.tag == "row"]
    if not rows or len(rows) != len(element):
        raise TemplateProblem("<table> must contain only <row> elements")
    columns = max(len(r) for r in rows)
    weights = [float(w) for w in element.get("widths", " ".join(["1"] * columns)).split()]
    if len(weights) != columns:
        raise TemplateProblem(f"<table widths> gives {len(weights)} widths for {columns} columns")
    widths = [context.width * w / sum(weights) for w in weights]
    body = styles["small"] if element.get("size") == "small" else styles["body"]
    header_style = styles["label"].clone("table-header", spaceAfter=0, spaceBefore=0)
    cell_style = body.clone("table-cell", spaceAfter=0)
    header_rows = sum(1 for r in rows if r.get("header") == "yes")
    data = []
    for row in rows:
        style = header_style if row.get("header") == "yes" else cell_style
        cells = [Paragraph(inline(cell, styles), style.clone("cell-right", alignment=2) if cell.get("align") == "right"
                           else style) for cell in row]
        data.append(cells + [Spacer(0, 0)] * (columns - len(cells)))
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    pad = styles.size(1.6)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.4), ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.4),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.rule),
    ]
    if header_rows:
        commands += [("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.9, styles.accent)]
    for index in range(header_rows, len(rows)):
        if (index - header_rows) % 2 == 1:
            commands.append(("BACKGROUND", (0, index), (-1, index), styles.tint))
    table.setStyle(table_style(styles, commands))
    return [role(table, "Table")]


TAGS["row"] = Tag("row", "TR", "A table row; header=\"yes\" marks a header row.", {"header": "'yes' for a header row"}, None)
TAGS["cell"] = Tag("cell", "TD", "A table cell; holds inline text.", {"align": "'right' for numbers"}, None)


@tag("glossary", "L", "Definition list of <entry> elements: the term in bold, then its definition.",
     size="'small' for 8 pt text (default)")
def _glossary(element: ElementTree.Element, context: Context) -> list[Flowable]:
    styles = context.styles
    base = styles["small"] if element.get("size", "small") == "small" else styles["body"]
    style = base.clone("glossary-entry", spaceAfter=base.fontSize * 0.45)
    flowables = []
    for entry in element.iter("entry"):
        term = escape(smart_quotes(entry.get("term", "")))
        flowables.append(role(Paragraph(f'<font name="{styles.fonts.sans.font("bold")}">{term}</font>  {inline(entry, styles)}', style), "LI"))
    return flowables


TAGS["entry"] = Tag("entry", "LI", "One glossary entry; its text is the definition.", {"term": "the term"}, None)


@tag("timeline-chart", "Figure", "Timeline graphic: lanes of events on a time axis that opens up dense years "
     "and collapses empty decades; labels never overlap.",
     alt="alternative text", legend="three legend texts separated by '|': event, inferred year, period")
def _timeline_chart(element: ElementTree.Element, context: Context) -> list[Flowable]:
    lanes = [lane for lane in element if lane.tag == "lane"]
    lane_index = {lane.get("id"): i for i, lane in enumerate(lanes)}
    events = []
    for item in element.iter("event"):
        lane = item.get("lane")
        if lane not in lane_index:
            raise TemplateProblem(f"<event lane=\"{lane}\"> names no <lane> of the chart")
        try:
            date = EventDate.parse(item.get("date", ""))
        except ValueError as exc:
            raise TemplateProblem(f"<event date=\"{item.get('date')}\">: {exc}") from None
        start, end = event_position(date.precision, date.start, date.end)
        events.append(ChartEvent(int(_number(item, "n", "0")), start, end, lane_index[lane],
                                 smart_quotes(item.get("label", "")), item.get("inferred") == "yes"))
    if not events:
        return []
    legend = element.get("legend", "Dated event|Year from the public record|Period").split("|")
    theme = context.styles.theme
    chart = TimelineChart(events, [smart_quotes(lane.get("title", "")) for lane in lanes], theme.accent,
                          theme.accent_tint, theme.muted, theme.rule, legend, theme.fonts.sans.name)
    return [role(chart, "Figure", alt=element.get("alt", ""))]


TAGS["lane"] = Tag("lane", "Artifact", "A lane of the timeline chart.", {"id": "lane id", "title": "lane name"}, None)
TAGS["event"] = Tag("event", "Artifact", "An event of the timeline chart.",
                    {"n": "its number in the chronology", "date": "event date as in content", "lane": "lane id",
                     "label": "short label", "inferred": "'yes' when the year comes from the public record"}, None)


class BarChart(Flowable):
    """Vertical bars with their values on top and category labels below, drawn from data."""

    def __init__(self, bars: list[tuple[str, float]], height: float, accent, muted, rule, sans) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.sans = sans
        self.bars, self.chart_height = bars, height
        self.accent, self.muted, self.rule = accent, muted, rule
        self.font_size = 7.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.chart_height

    def draw(self) -> None:
        canvas, size = self.canv, self.font_size
        base, top = size + 5, self.chart_height - size - 3
        slot = self.width / len(self.bars)
        bar = min(slot * 0.62, 26)
        peak = max(value for _, value in self.bars) or 1
        canvas.setStrokeColor(self.rule)
        canvas.setLineWidth(0.6)
        canvas.line(0, base, self.width, base)
        for index, (label, value) in enumerate(self.bars):
            middle = slot * (index + 0.5)
            height = (top - base) * value / peak
            canvas.setFillColor(self.accent)
            if height:
                canvas.rect(middle - bar / 2, base, bar, height, stroke=0, fill=1)
            canvas.setFont(self.sans.font("bold"), size)
            canvas.drawCentredString(middle, base + height + 2, f"{value:g}")
            canvas.setFillColor(self.muted)
            canvas.setFont(self.sans.font(), size)
            shown = label if stringWidth(label, self.sans.font(), size) <= slot - 1 else label[-3:]
            canvas.drawCentredString(middle, 1.5, shown)


@tag("bar-chart", "Figure", "Bar chart drawn from data: one <bar> per category.",
     alt="alternative text", height="chart height in mm (default 32)")
def _bar_chart(element: ElementTree.Element, context: Context) -> list[Flowable]:
    bars = [(bar.get("label", ""), _number(bar, "value", "0")) for bar in element.iter("bar")]
    if not bars:
        return []
    styles = context.styles
    chart = BarChart(bars, _number(element, "height", "32") * mm, styles.accent, styles.muted, styles.rule,
                     styles.fonts.sans)
    return [role(chart, "Figure", alt=element.get("alt", ""))]


TAGS["bar"] = Tag("bar", "Artifact", "One bar of a bar chart.", {"label": "category", "value": "number"}, None)
