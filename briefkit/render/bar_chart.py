"""The bar chart: vertical bars with their values on top and their category labels below.

Labels are never cut. Each stands level under its bar when there is room; otherwise only every
second (third…) label is shown, as many as fit with a clear gap, the first one always; the end
labels are kept inside the chart. A single label wider than the whole chart is set smaller.
Values on top of the bars are thinned the same way if they would touch. The part of a bar that
counts uncertain entries (dates the source hedges or the record disputes) is hatched, not solid,
and a legend over the chart says so, only when some bar has such a part.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.lib.colors import Color, white

from .fonts import Family
from .tagging import Marked
from .text import draw_string, string_width

FONT_SIZE = 7.0
LABEL_GAP = 3.0      # least space between two labels


@dataclass(frozen=True)
class LabelPlan:
    step: int                     # every step-th label is shown, from the first
    size: float                   # their type size
    spans: tuple[tuple[int, float, float], ...]  # (bar index, x0, x1) of each label shown


def plan_labels(widths: list[float], width: float, size: float = FONT_SIZE) -> LabelPlan:
    """Which of a chart's category labels are shown, and where, given their widths at `size`."""
    count = len(widths)
    slot = width / count
    widest = max(widths, default=0.0)
    if widest > width:
        size *= width / widest
        widths = [w * width / widest for w in widths]
    for step in range(1, count + 1):
        spans = []
        for index in range(0, count, step):
            middle = slot * (index + 0.5)
            x0 = min(max(middle - widths[index] / 2, 0.0), width - widths[index])
            spans.append((index, x0, x0 + widths[index]))
        if all(b[1] - a[2] >= LABEL_GAP - 1e-9 for a, b in zip(spans, spans[1:])):
            return LabelPlan(step, size, tuple(spans))
    return LabelPlan(count, size, ((0, 0.0, widths[0]),))


class BarChart(Marked):
    """Vertical bars with their values on top and category labels below, drawn from data. `bars`
    are (label, value) or (label, value, how much of the value is uncertain); `legend` names the
    solid and the hatched part."""

    def __init__(self, bars: list[tuple[str, float]] | list[tuple[str, float, float]], height: float, accent: Color,
                 muted: Color, rule: Color, sans: Family, legend: tuple[str, str] = ("", "")) -> None:
        super().__init__()
        self.sans = sans
        self.bars = [(bar[0], bar[1]) for bar in bars]
        self.uncertain = [min(float(bar[2]), bar[1]) if len(bar) > 2 else 0.0 for bar in bars]
        self.chart_height, self.legend = height, legend
        self.accent, self.muted, self.rule = accent, muted, rule
        self.font_size = FONT_SIZE

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.chart_height

    def label_plan(self) -> LabelPlan:
        widths = [string_width(label, self.sans.font(), self.font_size) for label, _ in self.bars]
        return plan_labels(widths, self.width, self.font_size)

    def draw(self) -> None:
        canvas, size = self.canv, self.font_size
        plan = self.label_plan()
        base, top = size + 5, self.chart_height - size - 3
        if any(self.uncertain):
            top -= self._legend(self.chart_height - size)
        slot = self.width / len(self.bars)
        bar = min(slot * 0.62, 26)
        peak = max(amount for _, amount in self.bars) or 1
        values = [f"{amount:g}" for _, amount in self.bars]
        value_step = math.ceil((max(string_width(v, self.sans.font("bold"), size) for v in values) + 2) / slot)
        canvas.setStrokeColor(self.rule)
        canvas.setLineWidth(0.6)
        canvas.line(0, base, self.width, base)
        for index, (label, amount) in enumerate(self.bars):
            middle = slot * (index + 0.5)
            height = (top - base) * amount / peak
            canvas.setFillColor(self.accent)
            doubtful = (top - base) * self.uncertain[index] / peak
            if height - doubtful:
                canvas.rect(middle - bar / 2, base, bar, height - doubtful, stroke=0, fill=1)
            if doubtful:
                self._hatched(middle - bar / 2, base + height - doubtful, bar, doubtful)
            if index % value_step == 0:
                canvas.setFont(self.sans.font("bold"), size)
                draw_string(canvas, middle, base + height + 2, values[index], "centre")
        canvas.setFillColor(self.muted)
        canvas.setFont(self.sans.font(), plan.size)
        for index, x0, _ in plan.spans:
            draw_string(canvas, x0, 1.5, self.bars[index][0])

    def _hatched(self, x: float, y: float, width: float, height: float) -> None:
        """A box outlined in the accent, white inside, crossed by diagonal lines."""
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(white)
        canvas.setStrokeColor(self.accent)
        canvas.setLineWidth(0.6)
        canvas.rect(x, y, width, height, stroke=1, fill=1)
        clip = canvas.beginPath()
        clip.rect(x, y, width, height)
        canvas.clipPath(clip, stroke=0, fill=0)
        step = 2.4
        offset = -height
        while offset < width:
            canvas.line(x + offset, y, x + offset + height, y + height)
            offset += step
        canvas.restoreState()

    def _legend(self, y: float) -> float:
        """A solid and a hatched sample with their texts, from the left at height `y`; returns the
        height it takes."""
        canvas, size = self.canv, self.font_size
        x = 0.0
        for hatched, text in zip((False, True), self.legend):
            if hatched:
                self._hatched(x, y, size, size * 0.8)
            else:
                canvas.setFillColor(self.accent)
                canvas.rect(x, y, size, size * 0.8, stroke=0, fill=1)
            canvas.setFillColor(self.muted)
            canvas.setFont(self.sans.font(), size)
            draw_string(canvas, x + size + 3, y + 0.5, text)
            x += size + 3 + string_width(text, self.sans.font(), size) + 12
        return size + 4
