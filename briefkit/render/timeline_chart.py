"""The timeline graphic: lanes of events on a time axis that stays readable when density is uneven.

This module draws; the geometry (timeline_geometry.py) and the placement of markers and labels
(timeline_placement.py) are computed without a canvas, so tests can check that nothing overlaps.
The chart does not scale with fit-to-page, so a document computes its layout once.
"""
from __future__ import annotations

import functools

from reportlab.lib.colors import HexColor, linearlyInterpolatedColor, white

from .timeline_geometry import (DEFAULT_SANS, LABEL_SIZE, MARKER_RADIUS, TICK_SIZE, Axis, Box, ChartEvent,
                                ChartLayout, LaneTitle, event_position)
from .timeline_placement import layout_chart
from .tagging import Marked
from .text import draw_string, string_width

__all__ = ["Axis", "ChartEvent", "ChartLayout", "TimelineChart", "event_position", "layout_chart"]


@functools.lru_cache(maxsize=16)
def _cached_layout(events: tuple[ChartEvent, ...], lane_titles: tuple[str, ...], width: float,
                   legend: tuple[str, ...], sans: str, max_height: float | None) -> ChartLayout:
    """The chart does not scale with fit-to-page, so every trial layout of a document reuses it."""
    return layout_chart(list(events), list(lane_titles), width, list(legend), sans=sans, max_height=max_height)


class TimelineChart(Marked):
    """Draws a ChartLayout; lays itself out for the width it is given."""

    def __init__(self, events: list[ChartEvent], lane_titles: list[str], accent: str, tint: str, muted: str,
                 rule: str, legend: list[str], sans: str = DEFAULT_SANS, max_height: float | None = None):
        super().__init__()
        self.events, self.lane_titles = events, lane_titles
        self.accent, self.tint, self.muted, self.rule = (HexColor(c) for c in (accent, tint, muted, rule))
        self.period = linearlyInterpolatedColor(self.accent, white, 0, 1, 0.6)  # a lighter accent for bars
        self.leader = linearlyInterpolatedColor(self.muted, white, 0, 1, 0.25)
        self.legend_texts = legend
        self.sans = sans
        self.max_height = max_height
        self.chart: ChartLayout | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.chart is None or self.chart.width != available_width:
            self.chart = _cached_layout(tuple(self.events), tuple(self.lane_titles), available_width,
                                        tuple(self.legend_texts), self.sans, self.max_height)
        return available_width, self.chart.height

    def draw(self) -> None:
        chart, canvas = self.chart, self.canv
        assert chart is not None
        for index, (lane, title) in enumerate(zip(chart.lanes, chart.titles)):
            if index % 2 == 0:
                canvas.setFillColor(self.tint)
                canvas.rect(lane.x0, lane.y0, lane.x1 - lane.x0, lane.y1 - lane.y0, stroke=0, fill=1)
            canvas.setFillColor(self.muted)
            self._lane_title(title, lane, chart.title_right)
        self._axis(chart)
        canvas.setStrokeColor(self.leader)
        canvas.setLineWidth(0.4)
        for label in chart.labels:
            if label.leader is not None:
                canvas.line(*label.leader)
        for event in self.events:
            self._marker(chart.markers[event.number], event)
        for label in chart.labels:
            canvas.setFillColor(self.accent)
            canvas.setFont(f"{self.sans}-bold", LABEL_SIZE)
            baseline = label.box.y0 + LABEL_SIZE * 0.22
            draw_string(canvas, label.box.x0, baseline, str(label.event.number))
            if label.text:
                canvas.setFillColor(HexColor("#1A1A1A"))
                canvas.setFont(f"{self.sans}-regular", LABEL_SIZE)
                draw_string(canvas, label.box.x0 + string_width(str(label.event.number), f"{self.sans}-bold", LABEL_SIZE),
                                  baseline, f" {label.text}")
        self._legend(chart)

    def _lane_title(self, title: LaneTitle, lane: Box, right: float) -> None:
        canvas, size = self.canv, title.size
        middle = (lane.y0 + lane.y1) / 2
        top = middle + (len(title.lines) - 1) * size * 0.6 - size * 0.35
        canvas.setFont(f"{self.sans}-regular", size)
        for index, text in enumerate(title.lines):
            draw_string(canvas, right, top - index * size * 1.2, text, "right")

    def _axis(self, chart: ChartLayout) -> None:
        canvas, y = self.canv, chart.axis.y1
        canvas.setStrokeColor(self.muted)
        canvas.setLineWidth(0.6)
        canvas.line(chart.plot.x0, y, chart.plot.x1, y)
        axis = chart.axis_map
        assert axis is not None
        for segment in axis.segments:
            if segment.broken:
                middle = (segment.x0 + segment.x1) / 2
                canvas.setStrokeColor(white)
                canvas.setLineWidth(3)
                canvas.line(middle - 2.5, y, middle + 2.5, y)
                canvas.setStrokeColor(self.muted)
                canvas.setLineWidth(0.6)
                for dx in (-2.5, 1.0):
                    canvas.line(middle + dx - 1.2, y - 3, middle + dx + 1.2, y + 3)
        canvas.setFillColor(self.muted)
        canvas.setFont(f"{self.sans}-regular", TICK_SIZE)
        for year, x, _ in chart.ticks:
            canvas.line(x, y, x, y - 2.5)
            draw_string(canvas, x, y - 3.5 - TICK_SIZE, str(year), "centre")

    def _marker(self, box: Box, event: ChartEvent) -> None:
        canvas = self.canv
        middle = (box.y0 + box.y1) / 2
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(0.9)
        if event.end is not None:
            canvas.setFillColor(white if event.uncertain else self.period)
            if event.uncertain:  # an uncertain period: hollow, its outline dashed
                canvas.setDash(1.6, 1.2)
            canvas.roundRect(box.x0, box.y0 + 0.6, box.x1 - box.x0, box.y1 - box.y0 - 1.2, 1.6, stroke=1, fill=1)
            canvas.setDash()
        elif event.uncertain:  # an uncertain date: half filled, unlike a firm (full) or inferred (hollow) one
            canvas.setFillColor(white)
            canvas.circle(box.x0 + MARKER_RADIUS, middle, MARKER_RADIUS - 0.4, stroke=1, fill=1)
            canvas.setFillColor(self.accent)
            canvas.wedge(box.x0 + 0.4, middle - MARKER_RADIUS + 0.4, box.x0 + 2 * MARKER_RADIUS - 0.4,
                         middle + MARKER_RADIUS - 0.4, 90, 180, stroke=0, fill=1)
        elif event.inferred:
            canvas.setFillColor(white)
            canvas.circle(box.x0 + MARKER_RADIUS, middle, MARKER_RADIUS - 0.4, stroke=1, fill=1)
        else:
            canvas.setFillColor(self.accent)
            canvas.circle(box.x0 + MARKER_RADIUS, middle, MARKER_RADIUS, stroke=0, fill=1)

    def _legend(self, chart: ChartLayout) -> None:
        canvas = self.canv
        canvas.setFont(f"{self.sans}-regular", LABEL_SIZE)
        for sample, marker, text, text_box in chart.legend:
            if sample is not None:
                self._marker(marker, sample)
            canvas.setFillColor(self.muted)
            canvas.setFont(f"{self.sans}-regular", LABEL_SIZE)
            draw_string(canvas, text_box.x0, text_box.y0 + 0.6, text)
