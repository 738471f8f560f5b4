"""Writing tables to an .xlsx file: formatted, with native charts, safe to open.

* Atomic (see :mod:`~persona_desktop.core.io.safe_write`): written to a
  temporary file and renamed at the end, never over the input file; a target
  open in Excel gets a message naming a free file name.
* Text is always text: a customer called ``=HYPERLINK(…)`` is a string cell
  marked with Excel's quote prefix, never a formula (OWASP's guidance on
  formula injection), and reads back exactly as it was.
* Every table sheet has a bold, frozen header row, an autofilter, column
  widths fitted to the content (a Chinese character counts double), and number
  formats for money, percentages, counts and dates.
* Charts are native Excel charts (bar, column, pie) drawn from the sheet's own
  cells, so the owner can restyle them in Excel.
* A table longer than a sheet can hold continues on "name (2)", "name (3)"….

openpyxl's write-only mode is used: it streams rows to the file instead of
building every cell as an object first (bench/bench_export.py measures both).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from persona_desktop.core.export.sheet_text import sheet_title, text_width
from persona_desktop.core.export.xlsx_charts import Chart, add_chart
from persona_desktop.core.io.safe_write import FORMULA_STARTS, atomic_target
from persona_desktop.core.progress import NULL_PROGRESS, Progress

__all__ = [
    "MAX_SHEET_ROWS",
    "Chart",
    "Fmt",
    "Head",
    "Sheet",
    "write_workbook",
]

MAX_SHEET_ROWS = 1_048_575  # Excel's limit, less the header row
NUMBER_FORMATS = {
    "money": "#,##0.00",
    "percent": "0.0%",
    "int": "#,##0",
    "number": "#,##0.00",
    "ratio": "0.000",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
_WIDTH_SAMPLE = 2_000
_MIN_WIDTH, _MAX_WIDTH = 6, 60


@dataclass
class Fmt:
    """A value in a row-laid sheet with its number format (a key of ``NUMBER_FORMATS``)."""

    value: object
    format: str


class Head(list):
    """A row of a row-laid sheet shown as a table header (bold, shaded); a chart's
    *block* table is the Head row after the block's title and the rows below it."""


@dataclass
class Sheet:
    """One sheet: a DataFrame (a table) or a list of rows (a report laid out in blocks)."""

    data: pd.DataFrame | list
    formats: dict[str, str] = field(default_factory=dict)  # column → key of NUMBER_FORMATS
    charts: list[Chart] = field(default_factory=list)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")


def _safe_text(text: str) -> str:
    """Control characters XML cannot hold, written the way Excel does (``_x0001_``): kept, not lost.
    A carriage return too, which XML would otherwise turn into a line feed."""
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text) if _CONTROL.search(text) else text


def _cell_value(value):
    """A value openpyxl can write: NaN/NaT → empty, numpy scalars → Python, timestamps → naive."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, (list, tuple, set, frozenset)):
        value = ", ".join(map(str, value))
    return value


class _Writer:
    """Cells for one write-only workbook, with the styles made once."""

    def __init__(self, wb):
        self.wb = wb
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=13)
        self.header_fill = PatternFill("solid", fgColor="E8EDF3")
        self.wrap = Alignment(vertical="top", wrap_text=True)

    def cell(self, ws, value, number_format: str | None = None, font=None, fill=None):
        if isinstance(value, Fmt):
            value, number_format = value.value, NUMBER_FORMATS.get(value.format, value.format)
        value = _cell_value(value)
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=_safe_text(value))
            cell.data_type = "s"  # text stays text, even "=cmd|…" (never a formula)
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True  # and stays text if the owner edits the cell in Excel
        elif number_format is None and font is None and fill is None:
            return value  # a plain value: no cell object needed
        else:
            cell = WriteOnlyCell(ws, value=value)
        if number_format and not isinstance(value, str):
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell


def _column_formats(frame: pd.DataFrame, formats: Mapping[str, str]) -> list[str | None]:
    """The number format of each column: the one asked for, else one by dtype."""
    out = []
    for column in frame.columns:
        kind = formats.get(column)
        if kind is None:
            s = frame[column]
            if pd.api.types.is_datetime64_any_dtype(s):
                times = s.dropna()
                kind = "datetime" if len(times) and (times.dt.normalize() != times).any() else "date"
            elif pd.api.types.is_bool_dtype(s):
                kind = None
            elif pd.api.types.is_integer_dtype(s):
                kind = "int"
            elif pd.api.types.is_float_dtype(s):
                kind = "number"
        out.append(NUMBER_FORMATS.get(kind, kind) if kind else None)
    return out


def _fit_widths(ws, rows: Sequence[Sequence]) -> None:
    widths: dict[int, int] = {}
    for row in rows:
        for j, value in enumerate(row):
            v = value.value if isinstance(value, Fmt) else value
            if isinstance(v, str) and v.startswith("# ") and len(row) == 1:
                continue  # a block title may run across the next columns
            widths[j] = max(widths.get(j, 0), text_width(_cell_value(v)))
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, _MIN_WIDTH), _MAX_WIDTH)


def _write_table(w: _Writer, wb, title: str, chunk: pd.DataFrame, sheet: Sheet, with_charts: bool) -> None:
    ws = wb.create_sheet(title)
    header = [str(c) for c in chunk.columns]
    number_formats = _column_formats(chunk, sheet.formats)
    columns = [_python_values(chunk[c]) for c in chunk.columns]  # converted once, not cell by cell
    _fit_widths(ws, [header] + [list(r) for r in zip(*(c[:_WIDTH_SAMPLE] for c in columns))])
    ws.freeze_panes = "A2"
    _print_setup(ws, len(header) + 6 * bool(with_charts and sheet.charts))
    ws.print_title_rows = "1:1"  # the header on every printed page
    if len(header):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(chunk) + 1}"
    if with_charts:
        top = 2
        for spec in sheet.charts:  # stacked right of the table
            top += add_chart(ws, spec, header, 2, len(chunk) + 1, f"{get_column_letter(len(header) + 2)}{top}")
    ws.append([w.cell(ws, h, font=w.bold, fill=w.header_fill) for h in header])
    # one styled cell per column as a template: its style is copied, not rebuilt, for every row
    templates = [None if f is None else w.cell(ws, 0, f)._style for f in number_formats]

    for values in zip(*columns):
        row = []
        for value, style in zip(values, templates):
            if value is None:
                row.append(None)
            elif type(value) is str:
                row.append(w.cell(ws, value) if value.startswith(FORMULA_STARTS) or _CONTROL.search(value)
                           else value)
            elif style is None:
                row.append(value)
            else:
                cell = WriteOnlyCell(ws, value=value)
                cell._style = copy(style)
                row.append(cell)
        ws.append(row)


def _python_values(s: pd.Series) -> list:
    """A column as Python values openpyxl writes directly: None for gaps, datetime for dates."""
    if pd.api.types.is_bool_dtype(s.dtype) and not s.hasnans:
        return s.astype(bool).tolist()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        s = s.dt.floor("us")  # Excel and Python keep microseconds; nanoseconds (from float days) would warn
        return [None if v is pd.NaT else v.to_pydatetime() for v in s]
    if pd.api.types.is_integer_dtype(s.dtype) and not s.hasnans:
        return s.astype("int64").tolist()
    if pd.api.types.is_float_dtype(s.dtype):
        values = s.to_numpy(dtype="float64", na_value=np.nan)
        out = values.tolist()
        bad = ~np.isfinite(values)
        for i in np.flatnonzero(bad):
            out[i] = None
        return out
    return [_cell_value(v) for v in s.tolist()]


def _blocks(rows: list) -> dict[str, tuple[list[str], int, int]]:
    """``{title: (header, first data row, last data row)}`` of each "# Title" block (1-based rows)."""
    out = {}
    for i, row in enumerate(rows):
        if len(row) == 1 and isinstance(row[0], str) and row[0].startswith("# ") and i + 1 < len(rows) \
                and isinstance(rows[i + 1], Head):
            header = [str(h.value if isinstance(h, Fmt) else h) for h in rows[i + 1]]
            end = i + 2
            while end < len(rows) and rows[end] and not (len(rows[end]) == 1 and str(rows[end][0]).startswith("# ")):
                end += 1
            out[row[0][2:]] = (header, i + 3, end)
    return out


def _write_rows(w: _Writer, wb, title: str, sheet: Sheet) -> None:
    """Rows of values; a row whose only value is a string ``"# Title"`` becomes a title,
    a :class:`Head` row a table header."""
    ws = wb.create_sheet(title)
    rows = sheet.data
    _fit_widths(ws, rows)
    blocks = _blocks(rows)
    width = max((len(r) for r in rows), default=1)
    free_row = 1
    for spec in sheet.charts:  # beside their block, stacked when blocks are short
        if spec.block in blocks:
            header, first, last = blocks[spec.block]
            top = max(first - 1, free_row)
            free_row = top + add_chart(ws, spec, header, first, last, f"{get_column_letter(width + 2)}{top}")
    _print_setup(ws, width)
    for row in rows:
        if len(row) == 1 and isinstance(row[0], str) and row[0].startswith("# "):
            ws.append([w.cell(ws, row[0][2:], font=w.title_font)])
        elif isinstance(row, Head):
            ws.append([w.cell(ws, v, font=w.bold, fill=w.header_fill) for v in row])
        else:
            ws.append([w.cell(ws, v, _float_format(v)) for v in row])


def _float_format(value) -> str | None:
    """A figure in a report sheet: three places (a score, a share), or money-like when large."""
    if isinstance(value, float) and value == value and not value.is_integer():
        return "0.000" if abs(value) < 1000 else "#,##0.00"
    return None


def _print_setup(ws, columns: int) -> None:
    """Printed (or turned into PDF) one page wide: landscape when the table is wide."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.page_setup.orientation = "landscape" if columns > 4 else "portrait"


def write_workbook(
    path: str | os.PathLike,
    sheets: Mapping[str, pd.DataFrame | list | Sheet],
    *,
    source: str | os.PathLike | Sequence | None = None,
    progress: Progress = NULL_PROGRESS,
) -> Path:
    """Write each sheet to an .xlsx at *path*, atomically.

    Parameters
    ----------
    path : path-like
        The workbook to write (replaced only once the new one is complete).
    sheets : mapping
        ``{sheet name: DataFrame | list of rows | Sheet}``; names are made valid
        and unique. A list of rows is written as it is, for report-like sheets.
    source : path-like or paths, optional
        The file(s) the data came from: writing over one is refused.
    progress : Progress

    Returns
    -------
    Path
        The file written.
    """
    specs = {name: s if isinstance(s, Sheet) else Sheet(s) for name, s in sheets.items()}
    with atomic_target(path, source, check=progress.check) as tmp:
        wb = Workbook(write_only=True)
        try:
            _write_sheets(wb, specs, tmp, progress)
        except BaseException:
            _discard(wb)
            raise
    progress.report(1.0)
    return Path(path)


def _discard(wb) -> None:
    """After a failure or a Cancel: close openpyxl's per-sheet streams and delete their
    temporary files (write-only mode keeps one per sheet until the save)."""
    for ws in getattr(wb, "_sheets", []):
        writer = getattr(ws, "_writer", None)
        for generator in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
            try:
                if generator is not None:
                    generator.close()
            except Exception:  # noqa: BLE001 - best effort: the file is being abandoned
                pass
        try:
            if writer is not None and os.path.exists(writer.out):
                writer.cleanup()
        except Exception:  # noqa: BLE001
            pass


def _write_sheets(wb, specs: dict, tmp: Path, progress: Progress) -> None:
    """Every sheet into the write-only workbook *wb*, then the file *tmp*."""
    w = _Writer(wb)
    taken: set[str] = set()
    total = sum(len(s.data) for s in specs.values()) or 1
    done = 0
    for name, sheet in specs.items():
        progress.check()
        if isinstance(sheet.data, list):
            _write_rows(w, wb, sheet_title(name, taken), sheet)
            done += len(sheet.data)
            continue
        frame = sheet.data
        for part, start in enumerate(range(0, max(len(frame), 1), MAX_SHEET_ROWS)):
            chunk = frame.iloc[start:start + MAX_SHEET_ROWS]
            title = sheet_title(name if part == 0 else f"{name} ({part + 1})", taken)
            _write_table(w, wb, title, chunk, sheet, with_charts=part == 0)
            done += len(chunk)
            progress.report(0.8 * done / total)
    progress.report(0.85)
    wb.save(tmp)
