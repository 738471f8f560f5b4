"""Reading workbooks (.xlsx .xlsm .xls .ods) through calamine into Arrow.

fastexcel (Rust calamine → Arrow) reads the 541,909-row Online Retail workbook
in about 3 s here, where pandas with openpyxl takes about 85 s. Every row is
used to infer a column's type (``schema_sample_rows=None``): with a sample,
a column that holds numbers for its first thousand rows and text after would
lose the text.
"""

from __future__ import annotations

from pathlib import Path

import fastexcel
import pandas as pd

from persona_desktop.core.errors import ReadError
from persona_desktop.core.io.layout import find_header, is_blank, unique_names
from persona_desktop.core.progress import NULL_PROGRESS, Progress

__all__ = ["list_sheets", "read_sheet", "open_workbook"]

_PREVIEW_ROWS = 60


def _reason(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def open_workbook(path: Path):
    """A fastexcel reader, or a :class:`ReadError` saying why the file is not one."""
    try:
        return fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own hierarchy and OSError
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise ReadError("read.password", file=path.name) from exc
        raise ReadError("read.bad_workbook", file=path.name, reason=_reason(exc)) from exc


def list_sheets(path: str | Path) -> list[str]:
    """Names of the sheets of a workbook, in order."""
    return list(open_workbook(Path(path)).sheet_names)


def _load(reader, sheet: str, header_row: int | None):
    try:
        # eager: straight to an Arrow record batch (saves ~0.6 s on Online Retail
        # against the lazy sheet's to_arrow())
        return reader.load_sheet(sheet, header_row=header_row, schema_sample_rows=None, dtype_coercion="coerce",
                                 eager=True)
    except Exception as exc:
        raise ReadError("read.bad_sheet", sheet=sheet, reason=_reason(exc)) from exc


def _head_rows(loaded, frame: pd.DataFrame, header_row: int | None) -> list[list]:
    """The first rows of the sheet as cell lists, the header row included."""
    rows = [list(row) for row in frame.head(_PREVIEW_ROWS).itertuples(index=False, name=None)]
    if header_row is not None:
        names = [None if str(n).startswith("__UNNAMED__") else n for n in frame.columns]
        rows.insert(0, names)
    return rows


def _holds_table(rows: list[list]) -> bool:
    """Two or more filled rows: enough to read the sheet when nothing better is there."""
    filled = [sum(not is_blank(v) for v in r) for r in rows]
    return sum(1 for n in filled if n > 0) >= 2


def _is_table(rows: list[list]) -> bool:
    """Rows with two or more filled cells, at least three of them (a header and two records).

    A readme sheet ("说明": a few lines of text in the first column) or a title
    page holds rows, but not a table: the workbook's table is further on.
    """
    return sum(1 for r in rows if sum(not is_blank(v) for v in r) >= 2) >= 3


# A workbook written by Persona Desktop opens on its customer list, not on its summary
# (the names in each language; persona_desktop.core.export.workbook writes them).
OWN_SUMMARY_SHEETS = ("Summary", "概要")
OWN_CUSTOMER_SHEETS = ("Customers", "客户")


def _candidates(sheets: list[str]) -> list[str]:
    """The sheets to try, in order: ours first in a workbook of ours."""
    if sheets and sheets[0] in OWN_SUMMARY_SHEETS:
        own = [s for s in sheets if s in OWN_CUSTOMER_SHEETS]
        return own + [s for s in sheets if s not in own]
    return sheets


def read_sheet(path: Path, sheet: str | None = None, progress: Progress = NULL_PROGRESS):
    """Read one sheet; return (frame, sheet name, all sheet names, header row or None).

    Without *sheet*, the first sheet that holds a table (three or more rows
    with two or more filled cells: not a readme or a title page) is read — in
    a workbook Persona Desktop wrote, its Customers sheet; when no sheet holds
    one, the first with two or more filled rows; a workbook whose sheets are
    all empty is an error.

    calamine parses the whole sheet on every load, so the sheet is loaded
    once assuming the header is its first row — true for almost every
    export — and loaded again only when the header turns out to sit lower.
    """
    reader = open_workbook(path)
    sheets = list(reader.sheet_names)
    if not sheets:
        raise ReadError("read.no_table", file=path.name)
    if sheet is not None and sheet not in sheets:
        raise ReadError("read.no_sheet", file=path.name, sheet=sheet, sheets=", ".join(sheets))
    progress.report(0.05)
    chosen = None
    fallback = None  # the first sheet with rows but no table: read when no sheet holds one
    for name in [sheet] if sheet is not None else _candidates(sheets):
        progress.check()
        loaded = _load(reader, name, 0)
        frame = loaded.to_pandas()
        rows = _head_rows(loaded, frame, 0)
        if sheet is not None or _is_table(rows):
            if _holds_table(rows):
                chosen = name
            break
        if fallback is None and _holds_table(rows):
            fallback = (name, frame, rows)
    if chosen is None and sheet is None and fallback is not None:
        chosen, frame, rows = fallback
    if chosen is None:
        if sheet is not None:
            raise ReadError("read.empty_sheet", file=path.name, sheet=sheet)
        raise ReadError("read.no_table", file=path.name)
    progress.report(0.6)
    header = find_header(rows)
    if header != 0:
        progress.check()
        loaded = _load(reader, chosen, header)
        frame = loaded.to_pandas()
    progress.report(0.9)
    names = unique_names(rows[header] if header is not None else [], frame.shape[1])
    frame.columns = names
    return frame, chosen, sheets, header
