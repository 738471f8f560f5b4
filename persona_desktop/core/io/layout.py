"""Where the table sits: header row below titles, totals rows, empty rows/columns.

Exports from shop back ends and hand-made Excel files put report titles,
export dates and blank rows above the header, and a 合计/Total row below the
data. These functions look at the raw rows (lists of cell values) and the
finished frame, and say what to skip.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Sequence

import pandas as pd

__all__ = ["find_header", "unique_names", "drop_empty", "find_totals_rows", "is_blank"]

_NUMBER = re.compile(r"^[\s+\-(]*[¥￥$€£]?\s*[\d.,]+\s*[%€)]?\s*$")
_DATEISH = re.compile(r"^\d{1,4}[-/.年]\d{1,2}[-/.月]\d{1,4}")
_TOTALS = re.compile(
    r"^\s*(合\s*计|总\s*计|小\s*计|总\s*和|汇\s*总|共\s*计|totals?|sum|grand\s+total|sub\s*-?\s*total|subtotal)\s*[:：]?\s*$",
    re.IGNORECASE,
)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _is_texty(value: Any) -> bool:
    """A cell that reads as a label: text that is not a number or a date."""
    if not isinstance(value, str):
        return False
    v = value.strip()
    return bool(v) and not _NUMBER.match(v) and not _DATEISH.match(v)


def _filled(row: Sequence[Any]) -> int:
    return sum(not is_blank(v) for v in row)


def find_header(rows: Sequence[Sequence[Any]], max_scan: int = 30) -> int | None:
    """Index of the header row among the first rows, or ``None`` if there is none.

    The header is the first row that (a) fills most of the table's width —
    so a merged title or an "exported on" line above it does not count —,
    (b) holds labels (text that is not numbers or dates) that (c) are
    distinct. When no row qualifies (a table of numbers without a header)
    the answer is ``None``.
    """
    if not rows:
        return None
    widths = [_filled(r) for r in rows]
    body = [w for w in widths if w > 0]
    if not body:
        return None
    # the table's width: the most common filled width among the rows (ties: the wider)
    counts = Counter(body)
    width = max(counts, key=lambda w: (counts[w], w))
    for i, row in enumerate(rows[:max_scan]):
        n = widths[i]
        if n == 0 or n < max(2, 0.6 * width) and not (width == 1 and n == 1):
            continue
        cells = [v for v in row if not is_blank(v)]
        texty = sum(_is_texty(v) for v in cells)
        distinct = len({str(v).strip() for v in cells}) == len(cells)
        if texty >= 0.6 * len(cells) and distinct:
            return i
        # the first full-width row is data (numbers): the table has no header
        return None
    return None


def unique_names(raw: Sequence[Any], width: int) -> list[str]:
    """Column names from header cells: blanks named 'Column N', duplicates numbered."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for j in range(width):
        value = raw[j] if j < len(raw) else None
        if is_blank(value):
            name = f"Column {j + 1}"
        elif isinstance(value, float) and value.is_integer():
            name = str(int(value))
        else:
            name = re.sub(r"\s+", " ", str(value)).strip()
        seen[name] += 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        names.append(name)
    return names


def drop_empty(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str], int]:
    """Drop rows and columns with no value; return (frame, dropped columns, dropped rows).

    Run it on typed columns, where blank cells and "NA"-like tokens are
    already missing values.
    """
    if df.empty:
        return df, [], 0
    present = df.notna()
    empty_cols = [c for c in df.columns if not present[c].any()]
    row_has = present.drop(columns=empty_cols).any(axis=1)
    dropped_rows = int((~row_has).sum())
    out = df.drop(columns=empty_cols)
    if dropped_rows:
        out = out.loc[row_has]
    return out, [str(c) for c in empty_cols], dropped_rows


def find_totals_rows(df: pd.DataFrame, look: int = 5) -> list[int]:
    """Positions of totals rows (合计, 总计, Total, Sum, Grand total…) at the bottom."""
    if df.empty:
        return []
    found = []
    text_cols = [c for c in df.columns if df[c].dtype == "str" or df[c].dtype == object]
    tail = df.iloc[-look:]
    for offset in range(len(tail)):
        row = tail.iloc[offset]
        if any(isinstance(row[c], str) and _TOTALS.match(row[c]) for c in text_cols):
            found.append(len(df) - len(tail) + offset)
    return found
