"""Reading text tables: delimited (CSV/TSV/…), basket lists, space-aligned tables.

The shape is decided on a sample of the decoded text (delimiter, basket or
not, header row); the whole file is then parsed by Arrow's multithreaded CSV
reader with every column as text, and :mod:`.values` gives each column its
type. Basket files (one basket per line, ragged, no header) and
space-aligned tables take their own, simpler paths.

A table without a delimiter is split on runs of whitespace when its header and
its rows agree on the number of fields (a purchase log such as
``00001 19970101  1   11.77`` under `` customer  date number_of_items  amount``:
splitting on two or more spaces would glue the id to the date and two header
words into one name); on two or more spaces when the values themselves hold
single spaces (``New York``); and when the header and the rows disagree, the
reader says so.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from persona_desktop.core.errors import ReadError
from persona_desktop.core.io.layout import find_header, unique_names
from persona_desktop.core.progress import NULL_PROGRESS, Progress

__all__ = ["TextShape", "sniff_shape", "read_delimited", "read_baskets", "read_fixed_width"]

_DELIMITERS = [",", ";", "\t", "|"]
_SAMPLE_CHARS = 256 * 1024
_SAMPLE_ROWS = 200
csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class TextShape:
    layout: str  # "delimited", "baskets", "whitespace", "fixed", "single"
    delimiter: str | None
    header_row: int | None  # index among the logical rows of the file
    width: int
    names: list[str]
    header_width: int | None = None  # fields in the header when it disagrees with the rows


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS:  # do not parse a cut-off last line
        sample = sample[: sample.rfind("\n") + 1] or sample
    rows = []
    try:
        for row in csv.reader(io.StringIO(sample), delimiter=delimiter):
            if row:
                rows.append(row)
            if len(rows) >= _SAMPLE_ROWS:
                break
    except csv.Error:  # a NUL byte or an unbalanced quote in the sample
        rows = [line.split(delimiter) for line in sample.splitlines()[:_SAMPLE_ROWS] if line]
    return rows


def _consistency(rows: list[list[str]]) -> tuple[int, float]:
    """(modal number of fields, share of rows having it) ignoring blank lines."""
    widths = [len(r) for r in rows if any(c.strip() for c in r)]
    if not widths:
        return 0, 0.0
    width, count = Counter(widths).most_common(1)[0]
    return width, count / len(widths)


def _is_basket_sample(rows: list[list[str]]) -> bool:
    """Ragged lines of text items with no header: a point-of-sale basket list."""
    lines = [[c.strip() for c in r if c.strip()] for r in rows]
    lines = [r for r in lines if r]
    if len(lines) < 5:
        return False
    widths = Counter(len(r) for r in lines)
    _, modal = widths.most_common(1)[0]
    if modal / len(lines) > 0.6 or len(widths) < 3:
        return False
    cells = [c for r in lines for c in r]
    numeric = sum(bool(re.fullmatch(r"[\d.,\s\-+¥$€%]+", c)) for c in cells)
    if numeric > 0.2 * len(cells):
        return False
    # items are short names, not sentences (a prose file split at its commas is not a basket list)
    words = [len(c.split()) for c in cells]
    if sorted(words)[len(words) // 2] > 4 or sum(w > 6 for w in words) > 0.1 * len(words):
        return False
    # items recur across lines, in different positions (a header would not)
    positions: dict[str, set[int]] = {}
    lines_with: Counter[str] = Counter()
    for r in lines:
        for j, c in enumerate(r):
            positions.setdefault(c, set()).add(j)
        lines_with.update(set(r))
    recurring = sum(n for n in lines_with.values() if n > 1)
    return sum(len(p) > 1 for p in positions.values()) >= 3 and recurring >= 0.3 * len(cells)


_WIDE_GAP = re.compile(r"\s{2,}|\t")
# a piece of a value that splitting on single spaces may cut off: a number, a date or a time
_FIGURE = re.compile(r"^[+\-(]?[¥￥$€£]?[\d.,:/\-]+%?\)?$")


def _wide_split(line: str) -> list[str]:
    return _WIDE_GAP.split(line.strip())


def _agree(rows: list[list[str]]) -> tuple[int | None, int, float, int]:
    """(header row, modal width of the rows below it, share of rows with it, header width)."""
    header = find_header(rows)
    body = rows[header + 1:] if header is not None else rows
    width, share = _consistency(body)
    return header, width, share, len(rows[header]) if header is not None else width


def _space_aligned(text: str) -> TextShape | None:
    """The shape of a table whose columns are separated by spaces, or ``None``."""
    lines = [ln for ln in text[:_SAMPLE_CHARS].splitlines()[:_SAMPLE_ROWS] if ln.strip()]
    if len(lines) < 2:
        return None
    narrow = [ln.split() for ln in lines]
    wide = [_wide_split(ln) for ln in lines]
    n_head, n_width, n_share, n_head_width = _agree(narrow)
    w_head, w_width, w_share, w_head_width = _agree(wide)
    narrow_ok = n_width > 1 and n_share >= 0.95 and n_head_width == n_width
    wide_ok = w_width > 1 and w_share >= 0.8
    if narrow_ok and wide_ok and w_width < n_width and w_head_width == w_width:
        # both read cleanly: single spaces split only figures (an id glued to a date) or
        # also words (a city "New York")?
        body = wide[w_head + 1:] if w_head is not None else wide
        cut = [c for row in body for c in row if " " in c.strip()]
        narrow_ok = all(_FIGURE.match(piece) for c in cut for piece in c.split())
    if narrow_ok:
        names = unique_names(narrow[n_head] if n_head is not None else [], n_width)
        return TextShape("whitespace", None, n_head, n_width, names)
    if wide_ok:
        names = unique_names(wide[w_head] if w_head is not None else [], w_width)
        mismatch = w_head_width if w_head is not None and w_head_width != w_width else None
        return TextShape("fixed", None, w_head, w_width, names, header_width=mismatch)
    if n_width > 1 and n_share >= 0.95 and n_head is not None:  # rows agree, the header does not
        names = unique_names(narrow[n_head], n_width)
        return TextShape("whitespace", None, n_head, n_width, names, header_width=n_head_width)
    return None


def sniff_shape(text: str, delimiter: str | None = None) -> TextShape:
    """Decide delimiter, basket-ness and header row from the start of *text*."""
    candidates = [delimiter] if delimiter else _DELIMITERS
    best: tuple[float, str, list[list[str]]] | None = None
    for d in candidates:
        rows = _sample_rows(text, d)
        width, share = _consistency(rows)
        score = share * (width > 1) + 0.001 * min(width, 50)
        if best is None or score > best[0]:
            best = (score, d, rows)
    assert best is not None
    score, delim, rows = best
    if rows and _is_basket_sample(rows):
        return TextShape("baskets", delim, None, 0, [])
    if score < 0.5 and not delimiter:
        aligned = _space_aligned(text)
        if aligned is not None:
            return aligned
        if score < 0.5:
            rows = [[ln] for ln in text[:_SAMPLE_CHARS].splitlines()[:_SAMPLE_ROWS]]
            header = find_header(rows)
            return TextShape("single", None, header, 1, unique_names(rows[header] if header is not None else [], 1))
    header = find_header(rows)
    width = max(_consistency(rows[header:] if header is not None else rows)[0], 1)
    names = unique_names(rows[header] if header is not None else [], width)
    return TextShape("delimited", delim, header, width, names)


def _physical_skip(text: str, delimiter: str, logical_rows: int) -> int:
    """Physical lines spanned by the first *logical_rows* CSV rows (quoted newlines)."""
    if logical_rows <= 0:
        return 0
    # newline="": lines end at \n, \r\n or a lone \r (old Mac exports), as the csv module expects
    reader = csv.reader(io.StringIO(text[:_SAMPLE_CHARS], newline=""), delimiter=delimiter)
    consumed = 0
    try:
        for row in reader:
            if row:  # blank lines were not counted when the header was found
                consumed += 1
            if consumed >= logical_rows:
                return reader.line_num
    except csv.Error:  # a quote left open at the sample's end, say: one line per row
        pass
    return logical_rows


def read_delimited(text: str, shape: TextShape, progress: Progress = NULL_PROGRESS,
                   utf8: bytes | None = None, name: str = "") -> tuple[pd.DataFrame, int]:
    """Parse the whole text with Arrow, every column as text; return (frame, bad lines).

    *utf8*, when given, is the same text already encoded as UTF-8 (the file's
    own bytes when it is UTF-8), which saves encoding it again. *name*: the
    file's name, for the message when it cannot be read.
    """
    progress.report(0.0)
    bad = 0

    def on_invalid(row) -> str:
        nonlocal bad
        bad += 1
        return "skip"

    skip = 0
    if shape.header_row is not None:
        skip = _physical_skip(text, shape.delimiter or "\x1f", shape.header_row + 1)
    names = shape.names
    data = utf8 if utf8 is not None else text.encode("utf-8")
    progress.check()
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(skip_rows=skip, column_names=names, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=shape.delimiter or "\x1f", newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        # Arrow refuses a few oddities (a stray quote, NUL bytes); the csv module copes.
        frame, bad = _read_with_csv_module(text, shape)
        if frame is None:
            raise ReadError("read.bad_text", file=name, reason=str(exc).splitlines()[0][:200]) from exc
        return frame, bad
    progress.report(0.8)
    return table.to_pandas(), bad


def _read_with_csv_module(text: str, shape: TextShape) -> tuple[pd.DataFrame | None, int]:
    try:
        rows = list(csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=shape.delimiter or ","))
    except csv.Error:
        return None, 0
    start = (shape.header_row + 1) if shape.header_row is not None else 0
    body = [r for r in rows[start:] if any(c.strip() for c in r)]
    width = len(shape.names)
    good = [r[:width] + [None] * (width - len(r)) for r in body if len(r) <= width or not any(c.strip() for c in r[width:])]
    frame = pd.DataFrame(good, columns=shape.names, dtype="str")
    return frame, len(body) - len(good)


def read_baskets(text: str, delimiter: str) -> tuple[pd.DataFrame, int]:
    """One basket per line → long frame (basket, item); return (frame, baskets)."""
    baskets: list[int] = []
    items: list[str] = []
    n = 0
    try:  # newline="": a lone \r (old Mac exports) ends a line, as the csv module expects (found by fuzzing)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:  # a stray quote spanning lines: one basket per physical line
        rows = [line.split(delimiter) for line in text.splitlines()]
    for row in rows:
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        n += 1
        for item in dict.fromkeys(cells):  # an item counts once per basket
            baskets.append(n)
            items.append(item)
    frame = pd.DataFrame({"basket": pd.array(baskets, dtype="int64"), "item": pd.array(items, dtype="str")})
    return frame, n


def read_fixed_width(text: str, shape: TextShape) -> tuple[pd.DataFrame, int]:
    """A space-aligned table; return (frame, lines skipped for a wrong number of fields).

    Layout ``whitespace`` splits on every run of spaces and skips the lines with
    another number of fields; ``fixed`` splits on two or more spaces or tabs and
    pads short lines (a value left empty).
    """
    lines = [ln for ln in text.splitlines() if ln.strip()]
    start = (shape.header_row + 1) if shape.header_row is not None else 0
    width = len(shape.names)
    if shape.layout == "whitespace":
        rows = [ln.split() for ln in lines[start:]]
        good = [r for r in rows if len(r) == width]
        return pd.DataFrame(good, columns=shape.names, dtype="str"), len(rows) - len(good)
    rows = [_wide_split(ln) for ln in lines[start:]]
    rows = [r[:width] + [None] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows, columns=shape.names, dtype="str"), 0
