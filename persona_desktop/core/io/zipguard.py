"""Refusing hostile workbooks before calamine reads them.

A workbook is a zip archive of XML parts, and two kinds of small file can make
the reader exhaust memory and abort the whole process (a Rust allocation
failure cannot be caught):

* a **zip bomb**: a few MB that inflate to gigabytes. The sizes the archive
  declares are checked first (total, and the ratio of each large part);
  while a sheet is scanned, the bytes really inflated are counted, and
  Python's zip reader stops at the declared size (a lying header fails its
  CRC check).
* a **far cell**: calamine makes a dense grid from the first to the last
  cell (upstream: tafia/calamine#693, fastexcel#487). Two cells, A1 and
  XFD1048576, ask for 550 GB; a 2 KB file does it.

:func:`check_sheets` streams every worksheet once (inflating in a second
thread, which zlib allows, while this one searches) and looks for references
that could make the grid large: three-letter columns, two letters with
five-digit rows, seven-digit rows, and cells without a reference of their
own. A shop export has none of these unless it is both wide and long, and
then the exact grid is measured (slower, and rare).

An OpenDocument sheet (.ods) repeats a row or a cell with one attribute, and
the reader unfolds it: :func:`check_ods` counts the cells that hold
something, repeats unfolded. Both checks also compare what the file will need
with the memory free (:mod:`persona_desktop.core.io.memory`).
"""

from __future__ import annotations

import queue
import re
import threading
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from persona_desktop.core.errors import ReadError
from persona_desktop.core.io.finish import MAX_COLUMNS
from persona_desktop.core.io.memory import check_fits
from persona_desktop.core.progress import NULL_PROGRESS, Progress

__all__ = ["check_archive", "check_ods", "check_sheets", "check_workbook", "MAX_UNZIPPED", "MAX_RATIO", "MAX_GRID_CELLS",
           "MAX_ODS_CELLS"]

MAX_UNZIPPED = 2 * 1024**3  # all parts inflated; Online Retail's 541,909 rows are 212 MB
MAX_RATIO = 100  # XML inflates 5–15×; a part inflating over 100× is a bomb (Online Retail: 8.3)
_RATIO_FROM = 1024**2  # tiny parts (styles, rels) may compress better: only larger parts are judged
# calamine holds 32 bytes per cell of the grid from the first to the last cell; 50 million cells
# (1.6 GB) is far more than a shop export's columns times Excel's limit of 1,048,576 rows needs
MAX_GRID_CELLS = 50_000_000
# an OpenDocument sheet repeats a row or a cell with one attribute, and the reader expands it: a 1.5 KB
# .ods of 90,000 repeated rows of 1,000 repeated cells took 66 s and 7.7 GB (about 85 bytes a cell from
# calamine to pandas). 20 million cells is 1.7 GB, five times Online Retail's 4.3 million
MAX_ODS_CELLS = 20_000_000
_ODS_BYTES_PER_CELL = 85
_XML_MEMORY_FACTOR = 2.5
_CHUNK = 8 * 1024**2
# a reference that could span a big grid; anything else is at most 26 columns × 999,999 rows
# or 702 columns × 9,999 rows
_FAR_RE2 = r' r="(?:[A-Z]{3}|[A-Z]{2}\d{5}|[A-Z]?\d{7})|<c[>/]|<c [^r]'
_REF = re.compile(rb'<(row|c)\b([^>]*)>')
_R_ATTR = re.compile(rb'\sr="([A-Z]*)(\d*)"')


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _bomb(name: str, size: int) -> ReadError:
    return ReadError("read.zip_bomb", file=name, size_mb=size // 1024**2, limit_mb=MAX_UNZIPPED // 1024**2)


def check_archive(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse an archive whose declared sizes make it a bomb (reads the directory only)."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise _bomb(name, total)
    for info in infos:
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError("read.zip_ratio", file=name, ratio=info.file_size // max(info.compress_size, 1),
                            size_mb=info.file_size // 1024**2)


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, errors: list):
    """The part's inflated bytes in chunks, inflated in a second thread (zlib lets go of the GIL)."""
    q: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def inflate() -> None:
        try:
            with zf.open(info) as fh:
                while not stop.is_set():
                    chunk = fh.read(_CHUNK)
                    q.put(chunk)
                    if not chunk:
                        return
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC, truncated, bad deflate data
            errors.append(exc)
        q.put(b"")

    worker = threading.Thread(target=inflate, name="zipguard", daemon=True)
    worker.start()
    try:
        while chunk := q.get():
            yield chunk
    finally:
        stop.set()
        while worker.is_alive():  # drain, so that it can finish its read and see the stop
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


def _whole_tags(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, progress: Progress):
    """The part's inflated text in pieces that end after a ``>`` (no tag cut in two)."""
    errors: list = []
    seen, pending = 0, b""
    for piece in _chunks(zf, info, errors):
        progress.check()
        seen += len(piece)
        if seen > MAX_UNZIPPED:  # more than declared: Python stops at the declared size; belt and braces
            raise _bomb(name, seen)
        cut = piece.rfind(b">") + 1
        if cut == 0 and len(pending) < _CHUNK:  # a long run of text without a tag: cells hold at most 32,767
            pending += piece
            continue
        yield pending + piece[:cut] if cut else pending + piece
        pending = piece[cut:] if cut else b""
    if errors:
        raise ReadError("read.truncated", file=name) from errors[0]
    yield pending


def _looks_far(text: bytes) -> bool:
    """Whether *text* (whole tags) holds a reference that could make the grid large.

    Every spreadsheet program writes the reference first in the tag, ``<c r="A1" …>``; a cell
    without one (or with it later) is placed by counting, so its sheet is measured exactly.
    Arrow's RE2 search lets go of the GIL: it runs while the other thread inflates.
    """
    return bool(pc.match_substring_regex(pa.array([text], pa.large_binary()), _FAR_RE2)[0].as_py())


# openpyxl.utils has both conversions, but importing openpyxl costs 0.6 s on the read path
def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _column_letters(n: int) -> str:
    """3 → C, 702 → ZZ: the column as the owner's spreadsheet names it."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _exact_grid(pieces) -> tuple[int, int]:
    """The last row and column calamine would place a cell at (the slow way: every tag)."""
    last_row = last_col = row = col = 0
    for data in pieces:
        for m in _REF.finditer(data):
            ref = _R_ATTR.search(m.group(2))
            if m.group(1) == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
                last_row = max(last_row, row)
                continue
            if ref and ref.group(1):
                col = _column_number(ref.group(1))
                if ref.group(2):
                    last_row = max(last_row, int(ref.group(2)))
            else:
                col += 1
            last_col = max(last_col, col)
    return last_row, last_col


_ODS_TAG = re.compile(rb'<table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>')
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def _ods_cells(content: bytes) -> tuple[int, int]:
    """The largest (rows, columns) up to the last cell holding something, over the sheets, repeats expanded.

    Empty repeated cells (LibreOffice writes a row of 1,024 to the end of every sheet) expand to nothing.
    """
    biggest = (0, 0)
    last_row = last_col = row = row_repeat = col = 0
    row_has_value = False

    def close_row() -> None:
        nonlocal last_row, row, row_has_value
        if row_has_value:
            last_row = row + row_repeat
        row += row_repeat
        row_has_value = False

    for m in _ODS_TAG.finditer(content):
        tag, attrs, empty = m.group(1), m.group(2), m.group(3)
        if tag == b"table":  # a new sheet
            close_row()
            if last_row * last_col > biggest[0] * biggest[1]:
                biggest = (last_row, last_col)
            last_row = last_col = row = row_repeat = col = 0
        elif tag == b"table-row":
            close_row()
            repeated = _ROWS_REPEATED.search(attrs)
            row_repeat, col = (int(repeated.group(1)) if repeated else 1), 0
        else:
            repeated = _COLUMNS_REPEATED.search(attrs)
            span = int(repeated.group(1)) if repeated else 1
            if not empty or b"value-type" in attrs:  # a cell with content
                row_has_value = True
                last_col = max(last_col, col + span)
            col += span
    close_row()
    if last_row * last_col > biggest[0] * biggest[1]:
        biggest = (last_row, last_col)
    return biggest


def check_ods(path: Path) -> None:
    """Refuse an .ods whose repeated rows and cells would expand past :data:`MAX_ODS_CELLS`."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(zf, path.name)
            rows, cols = _ods_cells(zf.read("content.xml"))
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise ReadError("read.truncated", file=path.name) from exc
    if rows * cols > MAX_ODS_CELLS:
        raise ReadError("read.too_many_cells", file=path.name, rows=rows, columns=cols, cells=rows * cols,
                        limit=MAX_ODS_CELLS)
    check_fits(path.name, path.stat().st_size, rows * cols * _ODS_BYTES_PER_CELL)


def check_sheets(path: Path, progress: Progress = NULL_PROGRESS) -> None:
    """Refuse a workbook whose sheets would inflate too far or ask for a huge grid (see the module)."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(zf, path.name)
            # from sheet XML to table: Online Retail's 212 MB of XML peaked at 461 MB in all (2.2×)
            xml = sum(i.file_size for i in zf.infolist()
                      if _is_sheet(i.filename) or i.filename == "xl/sharedStrings.xml")
            check_fits(path.name, path.stat().st_size, int(xml * _XML_MEMORY_FACTOR))
            for info in [i for i in zf.infolist() if _is_sheet(i.filename)]:
                if any(_looks_far(piece) for piece in _whole_tags(zf, info, path.name, progress)):
                    rows, cols = _exact_grid(_whole_tags(zf, info, path.name, progress))
                    if cols > MAX_COLUMNS:
                        raise ReadError("read.too_many_columns", file=path.name, columns=cols, limit=MAX_COLUMNS)
                    if rows * cols > MAX_GRID_CELLS:
                        raise ReadError("read.far_cell", file=path.name, cell=f"{_column_letters(cols)}{rows}")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ReadError("read.truncated", file=path.name) from exc


def check_workbook(path: Path, fmt: str, progress: Progress = NULL_PROGRESS) -> None:
    """The check for a zipped workbook of format *fmt* ("xlsx", "xlsm" or "ods") before it is read."""
    if fmt == "ods":
        check_ods(path)
    else:
        check_sheets(path, progress)
