"""The steps every reader shares once it has a frame of raw cells.

Totals rows are found on the raw text (before typing, so a 合计 label does not
turn a number column into text), empty rows and columns are dropped, and each
column gets its type from :func:`~persona_desktop.core.io.values.infer_column`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from persona_desktop.core.errors import ReadError
from persona_desktop.core.i18n import Message
from persona_desktop.core.io.encoding import decode
from persona_desktop.core.io.layout import drop_empty, find_totals_rows
from persona_desktop.core.io.text import read_baskets, read_delimited, read_fixed_width, sniff_shape
from persona_desktop.core.io.values import infer_column
from persona_desktop.core.progress import Progress
from persona_desktop.core.schema import LoadedTable, SourceInfo, TableKind

__all__ = ["finish_frame", "read_text_file"]


# Typing a column takes ~10 ms whatever its length: 10,000 columns took 70 s to load and
# 115 s to understand (found by the fuzz test). Shop exports have tens of columns (Shopify: 79).
MAX_COLUMNS = 1_000


def check_width(name: str, columns: int) -> None:
    """Refuse a table wider than :data:`MAX_COLUMNS` with a message, before the slow steps."""
    if columns > MAX_COLUMNS:
        raise ReadError("read.too_many_columns", file=name, columns=columns, limit=MAX_COLUMNS)


def finish_frame(
    frame: pd.DataFrame,
    source: SourceInfo,
    warnings: list[Message],
    dayfirst: bool | None,
    kind_hint: TableKind | None,
    progress: Progress,
) -> LoadedTable:
    """Drop totals and empty rows/columns, type the columns, build the LoadedTable."""
    name = Path(source.path).name
    check_width(name, frame.shape[1])
    source.rows_in_file = len(frame)
    frame = frame.reset_index(drop=True)
    dropped = None
    totals = find_totals_rows(frame)
    if totals:
        dropped = frame.iloc[totals]
        label = next(str(v).strip() for v in dropped.iloc[0] if isinstance(v, str) and v.strip())
        warnings.append(Message("read.warn.totals", {"n": len(totals), "label": label}))
        frame = frame.drop(index=frame.index[totals])
    frame = frame.reset_index(drop=True)
    if kind_hint is not TableKind.BASKETS:
        frame = _type_columns(frame, source, warnings, dayfirst, progress)
        frame = join_date_and_time(frame, warnings)
    frame, empty_cols, empty_rows = drop_empty(frame)
    if empty_cols:
        shown = ", ".join(empty_cols[:8]) + (" …" if len(empty_cols) > 8 else "")
        warnings.append(Message("read.warn.empty_columns", {"n": len(empty_cols), "names": shown}))
    if empty_rows:
        warnings.append(Message("read.warn.empty_rows", {"n": empty_rows}))
    if frame.empty or frame.shape[1] == 0:
        raise ReadError("read.no_rows", file=name)
    frame = frame.reset_index(drop=True)
    progress.report(1.0)
    return LoadedTable(frame, source, warnings, dropped, kind_hint)


_TIME_HEADER = re.compile(r"(?i)^(?:time|time of day|hour|时间|时刻)$")
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"


def join_date_and_time(frame: pd.DataFrame, warnings: list[Message]) -> pd.DataFrame:
    """A date column without times beside a column of clock times (a till's ``Date`` and ``Time``): the
    times join the dates, so two sales on one day keep their order and an hour can be told."""
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    times = [c for c in frame.columns if _TIME_HEADER.match(str(c).strip()) and not pd.api.types.is_numeric_dtype(frame[c])
             and not pd.api.types.is_datetime64_any_dtype(frame[c])]
    if len(dates) != 1 or len(times) != 1:
        return frame
    date, time = dates[0], times[0]
    day = frame[date]
    if day.dropna().empty or (day.dropna() != day.dropna().dt.normalize()).any():
        return frame  # the dates already hold their times
    clock = frame[time].astype("str").str.strip().where(frame[time].notna())
    if float(clock.dropna().str.fullmatch(_CLOCK).mean() if clock.notna().any() else 0) < 0.98:
        return frame
    offset = pd.to_timedelta(clock.where(clock.str.count(":") == 2, clock + ":00"), errors="coerce")
    frame = frame.copy(deep=False)
    frame[date] = day + offset.fillna(pd.Timedelta(0))
    warnings.append(Message("read.warn.date_time_joined", {"date": date, "time": time}))
    return frame


def _without_infinity(values: pd.Series) -> tuple[pd.Series, int]:
    """*values* with ±infinity as missing, and how many there were."""
    if values.dtype.kind != "f":
        return values, 0
    infinite = np.isinf(values.to_numpy())
    if not infinite.any():
        return values, 0
    return values.mask(infinite), int(infinite.sum())


def _type_columns(frame, source, warnings, dayfirst, progress) -> pd.DataFrame:
    columns = {}
    n = frame.shape[1]
    for j, col in enumerate(frame.columns):
        progress.report(j / max(n, 1), Message("progress.typing").text())
        values, ctype = infer_column(frame[col], str(col), dayfirst=dayfirst)
        values, infinite = _without_infinity(values)
        columns[col] = values
        if infinite:  # "1e999" or "inf" in a cell: no shop figure; left empty like any unreadable cell
            warnings.append(Message("read.warn.infinite", {"n": infinite, "column": col}))
        what = Message("what.date") if ctype.kind == "date" else Message("what.number")
        if ctype.failed:
            warnings.append(Message("read.warn.unparsed", {"n": ctype.failed, "column": col, "what": what}))
        if ctype.ambiguous_dates:
            order = Message("order.dayfirst" if ctype.dayfirst else "order.monthfirst")
            warnings.append(Message("read.warn.ambiguous_dates", {"column": col, "order": order}))
        if ctype.dayfirst is not None:
            source.dayfirst = ctype.dayfirst
            if not ctype.ambiguous_dates:  # settled by a day above 12: said, so a surprise can be checked
                order = Message("order.dayfirst" if ctype.dayfirst else "order.monthfirst")
                warnings.append(Message("read.warn.date_order", {"column": col, "order": order}))
        if ctype.currency:
            source.currencies[str(col)] = ctype.currency
        if ctype.had_offset:
            warnings.append(Message("read.warn.offsets", {"column": col}))
    return pd.DataFrame(columns, index=frame.index)


def read_text_file(
    path: Path,
    encoding: str | None,
    delimiter: str | None,
    dayfirst: bool | None,
    warnings: list[Message],
    progress: Progress,
) -> LoadedTable:
    data = path.read_bytes()
    progress.check()
    try:
        text, used, replaced = decode(data, encoding)
    except LookupError as exc:
        raise ReadError("read.bad_text", file=path.name, reason=f"unknown encoding {encoding!r}") from exc
    # a UTF-8 file's own bytes go to Arrow as they are (BOM removed)
    utf8 = data[3:] if used == "utf-8-sig" else data if used == "utf-8" and not replaced else None
    del data
    if replaced:
        warnings.append(Message("read.warn.replaced", {"n": replaced, "encoding": used}))
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ReadError("read.empty", file=path.name)
    progress.report(0.1)
    shape = sniff_shape(text, delimiter)
    if shape.layout != "baskets":
        check_width(path.name, shape.width)  # before parsing: a million-column file is refused at once
    suffix = path.suffix.lower().lstrip(".") or "txt"
    if shape.layout == "baskets":
        frame, n = read_baskets(text, shape.delimiter or ",")
        source = SourceInfo(str(path), suffix, encoding=used, delimiter=shape.delimiter, rows_in_file=n)
        warnings_out = list(warnings)
        table = LoadedTable(frame, source, warnings_out, None, TableKind.BASKETS)
        return table
    if shape.layout in ("fixed", "whitespace"):
        frame, bad = read_fixed_width(text, shape)
        fmt = "fixed"
        if shape.header_width is not None:
            warnings.append(Message("read.warn.header_mismatch", {
                "header": shape.header_width, "fields": shape.width, "names": ", ".join(shape.names)}))
    else:
        frame, bad = read_delimited(text, shape, progress.sub(0.1, 0.6), utf8=utf8, name=path.name)
        fmt = {"\t": "tsv"}.get(shape.delimiter or "", "csv" if suffix in ("csv", "xlsx", "xls") else suffix)
    if bad:
        warnings.append(Message("read.warn.bad_lines", {"n": bad}))
    del text
    source = SourceInfo(str(path), fmt, encoding=used, delimiter=shape.delimiter, header_row=shape.header_row)
    return finish_frame(frame, source, warnings, dayfirst, None, progress.sub(0.6, 1.0))
