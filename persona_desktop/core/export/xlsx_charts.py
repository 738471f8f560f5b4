"""Native Excel charts (bar, column, pie) drawn from a sheet's own cells.

Used by :mod:`persona_desktop.core.export.xlsx`: a :class:`Chart` names two columns of
a table (or of a titled block in a report-like sheet); :func:`add_chart` turns
it into an openpyxl chart anchored beside the table, so the owner can restyle
it in Excel like any chart of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList

__all__ = ["Chart", "add_chart"]


@dataclass
class Chart:
    """A native chart of two columns of a sheet's table.

    For a row-laid sheet, *block* names the ``"# Title"`` row whose table
    (the header on the next row, data until a blank row) the chart draws.
    """

    kind: str  # "bar" (horizontal), "column" or "pie"
    title: str
    labels: str  # header of the category column
    values: str  # header of the value column
    block: str | None = None
    anchor: str | None = None  # top-left cell; default: right of the table
    percent: bool = False
    max_rows: int = 30


def add_chart(ws, spec: Chart, header: list[str], first: int, last: int, default_anchor: str) -> int:
    """A native chart of rows *first*..*last* (1-based sheet rows) of the table whose header is *header*;
    returns the number of sheet rows it covers."""
    if spec.labels not in header or spec.values not in header or last < first:
        return 0
    last = min(last, first + spec.max_rows - 1)
    labels_col, values_col = header.index(spec.labels) + 1, header.index(spec.values) + 1
    values = Reference(ws, min_col=values_col, min_row=first - 1, max_row=last)  # header row: the series name
    labels = Reference(ws, min_col=labels_col, min_row=first, max_row=last)
    if spec.kind == "pie":
        chart = PieChart()
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showPercent = True  # the share only: the legend names the slices
        chart.dataLabels.showVal = chart.dataLabels.showCatName = chart.dataLabels.showSerName = False
        chart.dataLabels.showLegendKey = False
    else:
        chart = BarChart()
        chart.type = "bar" if spec.kind == "bar" else "col"
        chart.legend = None
        if spec.kind == "bar":
            chart.y_axis.majorGridlines = None
            chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
        chart.y_axis.number_format = "0%" if spec.percent else "General"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(labels)
    chart.title = spec.title
    rows = last - first + 1
    chart.height = max(7.5, min(0.6 * rows + 3, 18)) if spec.kind == "bar" else 7.5
    chart.width = 16
    ws.add_chart(chart, spec.anchor or default_anchor)
    return int(chart.height / 0.53) + 2  # a default row is 15 pt, 0.53 cm
