"""Writing tables to an .xlsx file safely: atomic, never over the input, no live formulas.

* The file is written to a temporary file next to the target and renamed
  over it at the end, so a crash or Cancel never leaves a half-written
  workbook, and the previous file stays intact until the new one is whole.
* The input file is never the target.
* Text is always written as text: a customer called ``=HYPERLINK(…)`` is a
  string cell, never a formula (OWASP's formula-injection guidance).
* A target that is open in another program (Excel locks it on Windows) gets a
  clear message naming a free file name to use instead.

The full owner's workbook (personas, rules, charts, formatting) builds on this.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import register
from persona_desktop.core.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["write_workbook", "sheet_title", "free_name", "FORMULA_STARTS"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_ROWS = 1_048_575  # Excel's limit, less the header row

register({
    "export.same_as_input": ("{file} is the file you opened; choose another name so it is not overwritten",
                             "{file} 是您打开的原始文件；请换一个文件名，以免覆盖原文件"),
    "export.locked": ("{file} is open in another program or cannot be written ({reason}); "
                      "close it, or save as {other}",
                      "{file} 正被其他程序打开或无法写入（{reason}）；请关闭该文件，或另存为 {other}"),
    "export.write_failed": ("{file} could not be written ({reason}); nothing was changed",
                            "无法写入 {file}（{reason}）；没有任何文件被修改"),
    "export.folder": ("The folder {folder} does not exist or cannot be written", "文件夹 {folder} 不存在或无法写入"),
})

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of []:*?/\\ (Chinese is fine)."""
    base = _BAD_SHEET_CHARS.sub("_", str(name)).strip().strip("'") or "Sheet"
    title = base[:31]
    n = 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


def free_name(path: Path) -> Path:
    """``report (2).xlsx``, ``report (3).xlsx``… the first that does not exist."""
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def _cell_value(value):
    """A value openpyxl can write: NaN/NaT → empty, numpy scalars → Python, timestamps → naive."""
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and value != value:
            return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        value = value.replace(tzinfo=None)
    return value


def write_workbook(
    path: str | os.PathLike,
    sheets: Mapping[str, "pd.DataFrame"],
    *,
    source: str | os.PathLike | None = None,
    progress: Progress = NULL_PROGRESS,
) -> Path:
    """Write each frame to a sheet of an .xlsx at *path*, atomically.

    Parameters
    ----------
    path : path-like
        The workbook to write (replaced only once the new one is complete).
    sheets : mapping
        ``{sheet name: DataFrame}``; names are made valid and unique. A frame
        longer than a sheet can hold continues on "name (2)"…. A list of rows
        (lists of values) is written as it is, for report-like sheets.
    source : path-like, optional
        The file the data came from: writing over it is refused.
    progress : Progress

    Returns
    -------
    Path
        The file written.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    target = Path(path)
    if source is not None and target.exists() and Path(source).exists() and target.resolve() == Path(source).resolve():
        raise DataError("export.same_as_input", file=target.name)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise DataError("export.folder", folder=str(folder))
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()
    total = sum(len(f) for f in sheets.values() if not isinstance(f, list)) or 1
    done = 0
    for name, frame in sheets.items():
        if isinstance(frame, list):  # a report laid out as rows (blocks of figures), written as it is
            _write_rows(wb.create_sheet(sheet_title(name, taken)), frame, bold, WriteOnlyCell)
            continue
        chunks = [frame.iloc[i:i + MAX_SHEET_ROWS] for i in range(0, max(len(frame), 1), MAX_SHEET_ROWS)]
        for part, chunk in enumerate(chunks):
            ws = wb.create_sheet(sheet_title(name if part == 0 else f"{name} ({part + 1})", taken))
            ws.freeze_panes = "A2"
            header = []
            for column in chunk.columns:
                cell = WriteOnlyCell(ws, value=str(column))
                cell.data_type = "s"
                cell.font = bold
                header.append(cell)
            ws.append(header)
            for row in chunk.itertuples(index=False, name=None):
                cells = []
                for value in row:
                    value = _cell_value(value)
                    if isinstance(value, str):
                        cell = WriteOnlyCell(ws, value=value)
                        cell.data_type = "s"  # text stays text, even "=cmd|…" (never a formula)
                        cells.append(cell)
                    else:
                        cells.append(value)
                ws.append(cells)
                done += 1
                if done % 2000 == 0:
                    progress.report(0.95 * done / total)
            if len(chunk.columns):
                from openpyxl.utils import get_column_letter

                ws.auto_filter.ref = f"A1:{get_column_letter(len(chunk.columns))}{len(chunk) + 1}"
    return _save_atomically(wb, target, progress)


def _write_rows(ws, rows: list, bold, cell_type) -> None:
    """Rows of values; a row whose only value is a string ``"# Title"`` becomes a bold title."""
    for row in rows:
        if len(row) == 1 and isinstance(row[0], str) and row[0].startswith("# "):
            cell = cell_type(ws, value=row[0][2:])
            cell.data_type = "s"
            cell.font = bold
            ws.append([cell])
            continue
        cells = []
        for value in row:
            value = _cell_value(value)
            if isinstance(value, str):
                cell = cell_type(ws, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)


def _save_atomically(wb, target: Path, progress: Progress) -> Path:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".xlsx.part", dir=target.parent or ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        progress.check()
        try:
            wb.save(tmp)
        except OSError as exc:  # a full disk, a vanished folder…
            raise DataError("export.write_failed", file=target.name, reason=exc.strerror or str(exc)) from exc
        progress.check()
        try:
            os.replace(tmp, target)
        except PermissionError as exc:  # Excel holds the target open (Windows)
            raise DataError("export.locked", file=target.name, reason=exc.strerror or "locked",
                            other=free_name(target).name) from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    progress.report(1.0)
    return target
