"""The data elements of the page markup: tables, definition lists, the timeline chart, bar charts."""
from __future__ import annotations

from functools import partial
from typing import Any
from xml.etree import ElementTree

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, TableStyle

from ..locales import smart_quotes
from .attributes import Choice, Date, Flag, Integer, Length, Number, Text, Widths
from .bar_chart import BarChart
from .elements import table_style
from .markup import BLOCK, EMPTY, INLINE, LINE, PART, TEXT, Context, define, inline, literal, role, value
from .paragraphs import Paragraph
from .structure import Node
from .styles import Styles
from .tables import FlowingTable, Row, fit_columns
from .tagging import tag
from .timeline_chart import ChartEvent, TimelineChart, event_position


def _table_widths(element: ElementTree.Element) -> str | None:
    if not len(element):
        return "needs at least one <row>"
    if any(not len(row) for row in element):
        return "every <row> needs at least one <cell>"
    widths, columns = value(element, "widths"), max(len(row) for row in element)
    if widths is not None and len(widths) != columns:
        return f"widths gives {len(widths)} widths for {columns} columns"
    return None


def _cells(row: ElementTree.Element, nodes: list[Node], style: Any, styles: Styles, columns: int) -> tuple[Any, ...]:
    """A row's flowables, each drawn as its structure node; empty cells where the row is short."""
    cells: list[Any] = [tag(Paragraph(inline(cell, styles, style.fontName), style.clone("cell-right", alignment=2)
                                      if value(cell, "align") == "right" else style), node)
                        for cell, node in zip(row, nodes)]
    return tuple(cells + [Spacer(0, 0)] * (columns - len(cells)))


def _table(element: ElementTree.Element, context: Context) -> list[Any]:
    styles = context.styles
    columns = max(len(r) for r in element)
    weights = value(element, "widths") or [1.0] * columns
    widths = [context.width * w / sum(weights) for w in weights]
    body = styles["small"] if value(element, "size") == "small" else styles["body"]
    header_style = styles["label"].clone("table-header", spaceAfter=0, spaceBefore=0)
    cell_style = body.clone("table-cell", spaceAfter=0)
    rows, shaded = [], False
    table = context.node.add("Table")
    for row in element:
        header = bool(value(row, "header"))
        style = header_style if header else cell_style
        structure = table.add("TR")
        nodes = [structure.add("TH", scope="Column") if header else structure.add("TD") for _ in row]
        rows.append(Row(partial(_cells, row, nodes, style, styles, columns), header, shaded and not header))
        shaded = not shaded if not header else shaded
    pad = styles.size(1.6)
    widths = fit_columns(widths, rows, 2 * pad * 1.4)

    def styler(rows: list[Row]) -> TableStyle:
        header_rows = sum(1 for row in rows if row.header)
        commands: list[Any] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.4), ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.4),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.rule),
        ]
        if header_rows:
            commands += [("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.9, styles.accent)]
        commands += [("BACKGROUND", (0, index), (-1, index), styles.tint) for index, row in enumerate(rows) if row.shade]
        return table_style(styles, commands)

    name = f"<table> (rendered line {element.get(LINE, '?')})"
    return [role(FlowingTable(rows, widths, styler, name), "Table")]


define("table", "Table", "A table of <row> elements; header rows repeat on every page or column. A row that does "
       "not fit the space left moves on whole; only a row taller than a whole column is split between lines.",
       BLOCK, ("row",), _table, _table_widths,
       widths=Widths("relative column widths, e.g. '5 12 60 10' (default: equal); a column is widened, from "
                     "the columns of wrapping text, so no word is cut and a short column (a date, a number) "
                     "holds each cell on one line"),
       size=Choice("'small' for small text (default: body size)", choices=("small", "body")))
define("row", "TR (an artifact where a header row repeats)", "A table row.", PART, ("cell",), header=Flag("'yes' for a header row"))
define("cell", "TD, or TH with /Scope /Column in a header row", "A table cell; holds inline text.", PART, INLINE,
       align=Choice("'right' for numbers", choices=("left", "right")))


def _glossary(element: ElementTree.Element, context: Context) -> list[Any]:
    styles = context.styles
    base = styles["small"] if value(element, "size") == "small" else styles["body"]
    style = base.clone("glossary-entry", spaceAfter=base.fontSize * 0.45)
    flowables = []
    structure = context.node.add("L")
    for entry in element:
        bold = styles.fonts.sans.font("bold")
        term = literal(value(entry, "term"), styles, bold)
        text = f'<font name="{bold}">{term}</font>  {inline(entry, styles, style.fontName)}'
        flowables.append(tag(role(Paragraph(text, style), "LI"), structure.add("LI").add("LBody")))
    return flowables


define("glossary", "L", "Definition list of <entry> elements: the term in bold, then its definition.",
       BLOCK, ("entry",), _glossary, size=Choice("type size", "small", choices=("small", "body")))
define("entry", "LI: LBody", "One glossary entry; its text is the definition.", PART, INLINE, reads=("term", TEXT),
       term=Text("the term"))


CHART_SHARE = 0.7  # of a page's text height, the most the timeline graphic may take (with room for a title)


def _lanes_known(element: ElementTree.Element) -> str | None:
    if not any(item.tag == "event" for item in element):
        return "needs at least one <event> (leave the chart out when there are none)"
    lanes = {lane.get("id") for lane in element if lane.tag == "lane"}
    unknown = [event.get("lane") for event in element if event.tag == "event" and event.get("lane") not in lanes]
    return f"<event lane=\"{unknown[0]}\"> names no <lane> of the chart" if unknown else None


def _timeline_chart(element: ElementTree.Element, context: Context) -> list[Any]:
    lanes = [lane for lane in element if lane.tag == "lane"]
    lane_index = {value(lane, "id"): i for i, lane in enumerate(lanes)}
    events = []
    for item in element:
        if item.tag != "event":
            continue
        date = value(item, "date")
        start, end = event_position(date.precision, date.start, date.end)
        events.append(ChartEvent(value(item, "n"), start, end, lane_index[value(item, "lane")],
                                 smart_quotes(value(item, "label")), value(item, "inferred"), value(item, "uncertain")))
    if not events:
        return []
    legend = value(element, "legend").split("|")
    if any(event.uncertain for event in events):  # its sample follows the three kinds every chart has
        legend.insert(3, value(element, "uncertain-legend"))
    theme = context.styles.theme
    chart = TimelineChart(events, [smart_quotes(value(lane, "title")) for lane in lanes], theme.accent,
                          theme.accent_tint, theme.muted, theme.rule, legend, theme.fonts.sans.name,
                          CHART_SHARE * context.page_height or None)
    return [tag(role(chart, "Figure"), context.node.add("Figure", alt=value(element, "alt")))]


define("timeline-chart", "Figure", "Timeline graphic: lanes of events on a time axis that opens up dense years "
       "and collapses empty decades; labels never overlap, crowded lanes grow, dense clusters get leader lines.", BLOCK, ("lane", "event"), _timeline_chart,
       _lanes_known, reads=("alt",), alt=Text("what the graphic shows, for readers who cannot see it: read in "
                                              "its place by screen readers", required=True),
       legend=Text("legend texts separated by '|': event, inferred year, period, then notes",
                   "Dated event|Year from the public record|Period"),
       **{"uncertain-legend": Text("legend text for hedged or disputed dates, shown only when the chart has such "
                                   "events", "Date hedged in the source or disputed by the record")})
define("lane", "(inside its Figure)", "A lane of the timeline chart.", PART, EMPTY,
       id=Text("lane id", required=True), title=Text("lane name"))
define("event", "(inside its Figure)", "An event of the timeline chart.", PART, EMPTY,
       n=Integer("its number in the chronology", 0, minimum=0), date=Date("event date as in content", required=True),
       lane=Text("lane id", required=True), label=Text("short label"),
       inferred=Flag("'yes' when the year comes from the public record"),
       uncertain=Flag("'yes' when the source hedges the date or the public record disputes it: drawn half "
                      "filled (a period: dashed), and explained in the legend"))


def _bar_chart(element: ElementTree.Element, context: Context) -> list[Any]:
    bars = [(value(bar, "label"), value(bar, "value"), value(bar, "uncertain")) for bar in element]
    if not bars:
        return []
    styles = context.styles
    legend = (value(element, "legend") + "|").split("|")[:2]
    chart = BarChart(bars, value(element, "height") * mm, styles.accent, styles.muted, styles.rule, styles.fonts.sans,
                     (smart_quotes(legend[0]), smart_quotes(legend[1])))
    return [tag(role(chart, "Figure"), context.node.add("Figure", alt=value(element, "alt")))]


def _some_bars(element: ElementTree.Element) -> str | None:
    return None if len(element) else "needs at least one <bar> (leave the chart out when there is no data)"


define("bar-chart", "Figure", "Bar chart drawn from data: one <bar> per category.", BLOCK, ("bar",), _bar_chart,
       _some_bars, reads=("alt",), alt=Text("what the chart shows, for readers who cannot see it: read in its place by screen "
                                "readers", required=True), height=Length("chart height", 32.0),
       legend=Text("the solid and the hatched part of a bar, separated by '|'; shown over the chart only when "
                   "some bar has an uncertain part", "Firm|Uncertain"))
define("bar", "(inside its Figure)", "One bar of a bar chart.", PART, EMPTY, label=Text("category"),
       value=Number("its value", 0.0, minimum=0, maximum=1e9),
       uncertain=Number("how much of the value is uncertain: drawn hatched on top of the solid part", 0.0, minimum=0,
                        maximum=1e9))
