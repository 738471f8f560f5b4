"""Open any customer or order file a small shop really has.

``load_table(path)`` reads .csv .tsv .txt (delimiter sniffed), basket lists,
space-aligned text, .xlsx .xlsm .xls .ods, and Parquet; finds the header below title rows,
leaves out totals rows and empty rows/columns, and types every column
(numbers from currency strings, dates from Chinese or day-first text,
identifiers kept as text). The format is decided by the file's bytes, not
its name. Every failure is a :class:`~persona_desktop.core.errors.ReadError`
with a message in the user's language.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from persona_desktop.core.errors import ReadError
from persona_desktop.core.i18n import Message
from persona_desktop.core.io import messages as _messages  # noqa: F401  (registers texts)
from persona_desktop.core.io.encoding import ENCODING_CHOICES, sniff_format
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import LoadedTable, SourceInfo

# The readers (io.finish, io.excel, io.zipguard, io.memory) are imported inside the functions: the window
# loads this package at start (file-dialog filters, encodings) and importing the readers, with pandas and
# pyarrow, takes 0.3–0.5 s (measured), as long again as the whole window start (bench/bench_startup.py).
__all__ = ["load_table", "list_sheets", "ENCODING_CHOICES", "TEXT_SUFFIXES", "WORKBOOK_SUFFIXES"]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".dat")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
# Larger text files are refused with a message instead of exhausting memory.
MAX_TEXT_BYTES = 2 * 1024**3


def _check_file(path: Path) -> int:
    if not path.exists():
        raise ReadError("read.not_found", file=str(path))
    if path.is_dir():
        raise ReadError("read.is_dir", file=str(path))
    try:
        size = path.stat().st_size
        with open(path, "rb"):
            pass
    except PermissionError as exc:
        raise ReadError("read.unreadable", file=path.name, reason="permission denied") from exc
    except OSError as exc:
        raise ReadError("read.unreadable", file=path.name, reason=exc.strerror or str(exc)) from exc
    if size == 0:
        raise ReadError("read.empty", file=path.name)
    return size


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            from persona_desktop.core.io.zipguard import check_archive

            check_archive(zf, path.name)  # a zip bomb is refused from its directory, before anything inflates
            names = set(zf.namelist())
            if "mimetype" in names and b"spreadsheet" in zf.read("mimetype"):
                return "ods"
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                return "xlsm" if path.suffix.lower() == ".xlsm" else "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise ReadError("read.truncated", file=path.name) from exc
    raise ReadError("read.not_workbook", file=path.name)


def _cfb_kind(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head:
        raise ReadError("read.password", file=path.name)
    return "xls"


def _read_parquet(path: Path):
    """A Parquet file (a data tool's export), its columns typed as stored."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from persona_desktop.core.io.memory import check_fits

    try:
        meta = pq.ParquetFile(path).metadata  # the footer only: rows and columns, before anything unpacks
        # pandas holds a text cell as an object of about 64 bytes: Online Retail's 541,909 × 8 cells take 280 MB
        check_fits(path.name, path.stat().st_size, meta.num_rows * meta.num_columns * 64)
        return pq.read_table(path).to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise ReadError("read.bad_text", file=path.name, reason=str(exc).splitlines()[0][:200]) from exc


def list_sheets(path: str | os.PathLike) -> list[str]:
    """Sheet names of a workbook; an empty list for a text file."""
    path = Path(path)
    _check_file(path)
    with open(path, "rb") as fh:
        kind = sniff_format(fh.read(8192))
    if kind not in ("zip", "cfb"):
        return []
    if kind == "cfb":
        _cfb_kind(path)
    from persona_desktop.core.io.excel import list_sheets as _sheets

    return _sheets(path)


def load_table(
    path: str | os.PathLike,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    dayfirst: bool | None = None,
    progress: Progress = NULL_PROGRESS,
) -> LoadedTable:
    """Read a table file and give its columns their types.

    Parameters
    ----------
    path : path-like
        The file. Its format is taken from its content; the extension only
        breaks ties (.xlsm vs .xlsx) and is reported when it disagrees.
    sheet : str, optional
        The sheet of a workbook; default: the first sheet holding a table.
    encoding : str, optional
        Text files: override the detected encoding (see ``ENCODING_CHOICES``).
    delimiter : str, optional
        Text files: override the sniffed delimiter.
    dayfirst : bool, optional
        Read ambiguous dates such as 05/03/2024 day-first (True) or
        month-first (False) instead of deciding from the data.
    progress : Progress
        Progress and cancellation.

    Returns
    -------
    LoadedTable

    Raises
    ------
    ReadError
        The file cannot be read as a table; the message says why.
    Cancelled
        The progress was cancelled.
    """
    path = Path(path)
    size = _check_file(path)
    with open(path, "rb") as fh:
        head = fh.read(8192)
    kind = sniff_format(head)
    progress.report(0.0, Message("progress.reading", {"file": path.name}).text())
    warnings: list[Message] = []
    suffix = path.suffix.lower()

    if kind in ("zip", "cfb"):
        fmt = _zip_kind(path) if kind == "zip" else _cfb_kind(path)
        if suffix in TEXT_SUFFIXES:
            warnings.append(Message("read.warn.extension", {"file": path.name, "actual": fmt}))
        from persona_desktop.core.io.excel import read_sheet

        if kind == "zip":
            from persona_desktop.core.io.zipguard import check_workbook

            check_workbook(path, fmt, progress.sub(0.0, 0.1))  # calamine aborts the process on a far cell
        frame, chosen, sheets, header = read_sheet(path, sheet, progress.sub(0.1, 0.7))
        if sheet is None and len(sheets) > 1:  # say which sheet was read, and what else is there
            others = [s for s in sheets if s != chosen]
            warnings.append(Message("read.warn.sheet_chosen", {
                "sheet": chosen, "others": ", ".join(f"“{s}”" for s in others[:8]) + (" …" if len(others) > 8 else "")}))
        source = SourceInfo(str(path), fmt, sheet=chosen, sheets=sheets, header_row=header)
        from persona_desktop.core.io.finish import finish_frame

        return finish_frame(frame, source, warnings, dayfirst, None, progress.sub(0.7, 1.0))
    if kind == "parquet":
        frame = _read_parquet(path)
        source = SourceInfo(str(path), "parquet", header_row=0)
        from persona_desktop.core.io.finish import finish_frame

        return finish_frame(frame, source, warnings, dayfirst, None, progress.sub(0.2, 1.0))
    if kind in ("binary", "empty"):
        if suffix in WORKBOOK_SUFFIXES:
            raise ReadError("read.not_spreadsheet", file=path.name)
        raise ReadError("read.binary", file=path.name)
    if size > MAX_TEXT_BYTES:
        raise ReadError("read.too_large", file=path.name, size_mb=size // (1024 * 1024))
    from persona_desktop.core.io.memory import TEXT_MEMORY_FACTOR, check_fits

    check_fits(path.name, size, size * TEXT_MEMORY_FACTOR)  # before reading: a laptop would swap, or the reader die
    if suffix in WORKBOOK_SUFFIXES:
        warnings.append(Message("read.warn.extension", {"file": path.name, "actual": "text"}))
    from persona_desktop.core.io.finish import read_text_file

    return read_text_file(path, encoding, delimiter, dayfirst, warnings, progress)
