"""Charts for the yearly summary, drawn with reportlab's own graphics (no plotting library to ship): bars
of persons by category, and the two subsidies' spending year by year. Text uses the embedded Chinese
font, so the charts print the same on a PC without Chinese fonts."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from app.reports.fonts import register_font

WIDTH = 170 * mm
HEIGHT = 70 * mm
_FILLS = (colors.Color(0.25, 0.45, 0.7), colors.Color(0.85, 0.55, 0.2), colors.Color(0.45, 0.65, 0.35))


def _nice_top(value: float) -> float:
    """A round axis maximum a little above the largest bar (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 10
    power: int = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value * 1.1:
            return step * power
    return 10 * power


def bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | int | Decimal]]],
              unit: str) -> Drawing:
    """Vertical bars: one group per label, one bar per series, each bar with its value on top;
    a legend when there is more than one series."""
    font = register_font()
    drawing = Drawing(WIDTH, HEIGHT, initialFontName=font)  # else the chart sets Helvetica, not embedded
    drawing.add(String(WIDTH / 2, HEIGHT - 12, title, fontName=font, fontSize=11, textAnchor="middle"))
    chart = VerticalBarChart()
    # types-reportlab has a chart's and a legend's place and size as int; reportlab takes points as floats
    chart.x, chart.y = 18 * mm, 12 * mm  # type: ignore[assignment]
    chart.width = WIDTH - 24 * mm - (28 * mm if len(series) > 1 else 0)  # type: ignore[assignment]
    chart.height = HEIGHT - 12 * mm - 20  # type: ignore[assignment]
    chart.data = [[float(v) for v in values] for _, values in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    top = _nice_top(max((max(row) for row in chart.data if row), default=0))
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = top / 5
    chart.valueAxis.labelTextFormat = "%d" if top >= 5 else "%.1f"
    chart.barLabelFormat = "%d" if unit != "万元" else "%.2f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.groupSpacing = 8
    for index in range(len(series)):
        chart.bars[index].fillColor = _FILLS[index % len(_FILLS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(String(4, chart.y + chart.height + 4, f"（{unit}）", fontName=font, fontSize=8))
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = chart.x + chart.width + 6 * mm, chart.y + chart.height - 4  # type: ignore[assignment]
        legend.fontName = font
        legend.fontSize = 8
        legend.alignment = "right"
        legend.colorNamePairs = [(_FILLS[i % len(_FILLS)], name) for i, (name, _) in enumerate(series)]
        drawing.add(legend)
    return drawing
