"""Turning the text of exported cells into numbers, dates and identifiers.

Shop exports write money as ``¥1,234.50``, ``$1,234.50``, ``1.234,50 €`` or
``(123.00)``, dates as ``2024/3/5 14:03``, ``2024年3月5日``, ``05/03/2024``
or ``2025-05-11 09:55:16 -0400``, and identifiers such as ``0001``,
``+86 138…`` or 13-digit order ids that must never become floats.

Every decision is taken once per column from a sample of its distinct values
and then applied to the whole column with vectorised pandas operations, so a
541,909-row column costs a fraction of a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from persona_desktop.core.io.cells import NULL_TOKENS
from persona_desktop.core.io.cells import clean_strings as _clean_strings
from persona_desktop.core.io.cells import distinct_sample as _sample
from persona_desktop.core.io.currency import currency_of
from persona_desktop.core.io.dates import (
    DateParse,
    excel_serial_to_datetime,
    looks_like_serial_dates,
    numeric_dates,
    parse_dates,
)
from persona_desktop.core.textops import CATEGORY_FROM, as_category

__all__ = [
    "NULL_TOKENS", "ColumnType", "parse_numbers", "parse_dates", "DateParse",
    "looks_like_identifier", "infer_column", "excel_serial_to_datetime",
]

_CURRENCY = re.compile(
    r"(?i)(?:[¥￥$€£₩₹₽]|\bRMB\b|\bCNY\b|\bUSD\b|\bEUR\b|\bGBP\b|\bHKD\b|\bJPY\b|元|圆|人民币|円)"
)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']")
_NUMBERISH = re.compile(r"^[+-]?[\d.,]+$")
_NUM_MARKERS = re.compile(r"[¥￥$€£₩₹₽%()元,]|RMB|CNY|USD|EUR|GBP")

# identifiers: leading zero, '+' phone numbers, long digit strings
_LEADING_ZERO = re.compile(r"^0\d+$")
_PHONE_PLUS = re.compile(r"^\+\d[\d\s\-()]{5,}$")
_LONG_DIGITS = re.compile(r"^\d{11,}$")


def _to_number(text: pd.Series) -> pd.Series:
    """Plain number text to numbers; Arrow's cast first (an order of magnitude
    faster than pandas on a 541,909-row column), pandas' coercion when any
    cell does not fit."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.array(text.array) if not isinstance(text.array, pa.ChunkedArray) else text.array
        for target in (pa.int64(), pa.float64()):
            try:
                out = pc.cast(arr, target)
                if target == pa.int64() and out.null_count:
                    return pd.Series(out.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")
                return pd.Series(out.to_numpy(zero_copy_only=False), index=text.index)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                continue
    except (ImportError, TypeError):
        pass
    return pd.to_numeric(text, errors="coerce")


# ---------------------------------------------------------------- numbers
def _decide_separators(sample: pd.Series) -> tuple[str, str]:
    """Return (decimal, thousands) separators that explain the sample."""
    has_comma = sample.str.contains(",", regex=False)
    has_dot = sample.str.contains(".", regex=False)
    both = sample[has_comma & has_dot]
    if len(both):
        last_comma = both.str.rfind(",")
        last_dot = both.str.rfind(".")
        comma_decimal = int((last_comma > last_dot).sum())
        return (",", ".") if comma_decimal > len(both) / 2 else (".", ",")
    commas = sample[has_comma]
    dots = sample[has_dot]
    if len(commas) and not len(dots):
        if commas.str.count(",").gt(1).any():
            return ".", ","  # 1,234,567
        if commas.str.contains(r",\d{1,2}$|,\d{4,}$", regex=True).any():
            return ",", "."  # 12,5 or 0,0001
        return ".", ","  # 1,234 reads as thousands, as shop exports in CN/US write it
    if len(dots) and dots.str.count(r"\.").gt(1).any():
        return ",", "."  # 1.234.567
    return ".", ","


def parse_numbers(s: pd.Series, decimal: str | None = None) -> tuple[pd.Series, int]:
    """Parse number-like text: currency symbols, separators, (neg), percent.

    Parameters
    ----------
    s : Series
        Text or numbers.
    decimal : {".", ","}, optional
        The decimal separator; decided from the values when omitted.

    Returns
    -------
    values : Series of float64
    failed : int
        How many non-missing cells could not be read as a number (now NaN).
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64"), 0
    text = _clean_strings(s)
    present = text.notna()
    fast = pd.to_numeric(text, errors="coerce")
    if int((fast.isna() & present).sum()) == 0:
        return fast.astype("float64"), 0

    t = text.str.replace(_CURRENCY, "", regex=True).str.replace(_SPACES, "", regex=True)
    negative = t.str.match(r"^\(.*\)$") | t.str.endswith("-")
    t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.rstrip("-")
    percent = t.str.endswith("%") | t.str.endswith("％")
    t = t.str.rstrip("%％")
    if decimal is None:
        decimal, thousands = _decide_separators(_sample(t.dropna()))
    else:
        thousands = "." if decimal == "," else ","
    t = t.str.replace(thousands, "", regex=False)
    if decimal != ".":
        t = t.str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(t, errors="coerce").astype("float64")
    values = values.where(~negative.fillna(False), -values.abs())
    values = values.where(~percent.fillna(False), values / 100.0)
    failed = int((values.isna() & present).sum())
    return values, failed


# -------------------------------------------------------------- identifiers
def looks_like_identifier(sample: pd.Series) -> bool:
    """Text that must stay text: leading zeros, '+' phones, long digit strings."""
    if not len(sample):
        return False
    lead = sample.str.match(_LEADING_ZERO)
    plus = sample.str.match(_PHONE_PLUS)
    long = sample.str.match(_LONG_DIGITS)
    return bool((lead | plus | long).mean() >= 0.05 and (lead | plus | long).any())


# ------------------------------------------------------------ column typing
@dataclass(frozen=True)
class ColumnType:
    """What :func:`infer_column` decided for one column."""

    kind: str  # "number", "date", "identifier", "text", "empty"
    failed: int = 0  # cells that did not fit and became missing
    dayfirst: bool | None = None
    ambiguous_dates: bool = False
    had_offset: bool = False
    currency: str | None = None  # the money symbol its numbers were written with ("¥", "$", "€"…)


DATE_HEADER = re.compile(r"(?i)date|time|day|created|paid|epoch|unix|(?:^|_)(?:ts|at)$|日期|时间|日|年月")


_FACTORIZE_FROM = 20_000


def infer_column(s: pd.Series, name: str = "", dayfirst: bool | None = None) -> tuple[pd.Series, ColumnType]:
    """Give a column read as text (or as numbers) its proper type.

    A long text column is typed once per distinct value and the result
    spread back over the rows (an order-line export repeats its countries,
    dates and product names thousands of times), which makes typing the
    541,909-line Online Retail file several times faster.

    Numbers: plain, or with currency symbols, separators, (negatives), percent.
    Dates: see :func:`parse_dates`. Identifiers stay text. Anything else stays
    text with surrounding spaces kept (normalising names is a later step's job).
    Numbers in a column whose header names a date and whose values are Excel
    serial days become dates.
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        return s, ColumnType("date")
    if pd.api.types.is_bool_dtype(s):
        return s, ColumnType("text")
    if pd.api.types.is_numeric_dtype(s):
        if DATE_HEADER.search(name or "") and looks_like_serial_dates(s):
            return excel_serial_to_datetime(s), ColumnType("date")
        compact = numeric_dates(s, bool(DATE_HEADER.search(name or "")))
        if compact is not None:
            return compact, ColumnType("date")
        return s, ColumnType("number")

    if len(s) >= _FACTORIZE_FROM:
        return _infer_by_distinct_values(s, name, dayfirst)
    return _infer_text(s, name, dayfirst)


def _infer_by_distinct_values(s: pd.Series, name: str, dayfirst: bool | None) -> tuple[pd.Series, ColumnType]:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if len(uniques) > 0.5 * len(s):  # mostly distinct: nothing to gain
        return _infer_text(s, name, dayfirst)
    distinct = pd.Series(uniques, dtype=s.dtype if s.dtype != object else "str")
    values, ctype = _infer_text(distinct, name, dayfirst)
    if ctype.kind in ("text", "identifier", "empty"):
        # Repeated text is held as a categorical: the distinct values once,
        # and a small integer per row (see persona_desktop.core.textops).
        return as_category(codes, values, s.index, s.name), ctype
    full = pd.Series(pd.api.extensions.take(values.array, codes, allow_fill=True), index=s.index, name=s.name)
    if ctype.failed:
        failed_distinct = (values.isna() & _clean_strings(distinct).notna()).to_numpy()
        weights = np.bincount(codes[codes >= 0], minlength=len(distinct))
        ctype = replace(ctype, failed=int(weights[failed_distinct].sum()))
    return full, ctype


def _infer_text(s: pd.Series, name: str, dayfirst: bool | None) -> tuple[pd.Series, ColumnType]:
    text = _clean_strings(s)
    sample = _sample(text.dropna())
    if not len(sample):
        return text, ColumnType("empty")
    dated = bool(DATE_HEADER.search(name or ""))
    if sample.str.fullmatch(r"\d{8}|\d{10}|\d{13}|\d{14}").all():  # 19970101, Unix seconds or ms, 20240305140501
        compact = numeric_dates(_to_number(text), dated)
        if compact is not None:
            return compact, ColumnType("date", int((compact.isna() & text.notna()).sum()))
    if looks_like_identifier(sample):
        return text, ColumnType("identifier")

    numeric_sample = pd.to_numeric(sample, errors="coerce")
    if numeric_sample.notna().all():
        values = _to_number(text)
        if dated and looks_like_serial_dates(values):
            return excel_serial_to_datetime(values), ColumnType("date")
        return values, ColumnType("number", int((values.isna() & text.notna()).sum()))

    marked = sample.str.contains(_NUM_MARKERS, regex=True) | sample.str.match(_NUMBERISH)
    if marked.mean() >= 0.98:
        parsed, _ = parse_numbers(sample)
        if parsed.notna().mean() >= 0.98:
            values, failed = parse_numbers(text)
            return values, ColumnType("number", failed, currency=currency_of(sample))

    dates = parse_dates(text, dayfirst=dayfirst)
    if dates is not None:
        return dates.values, ColumnType("date", dates.failed, dates.dayfirst, dates.ambiguous, dates.had_offset)
    return s.astype("str").mask(text.isna()), ColumnType("text")


def to_text(values: pd.Series) -> pd.Series:
    """Numbers that are really identifiers (17850.0) back to text ("17850").

    A long column is converted once per distinct value and held as a categorical.
    """
    if isinstance(values.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(values):
        return values
    if len(values) >= CATEGORY_FROM:
        codes, uniques = pd.factorize(values)
        if len(uniques) <= 0.5 * len(values):
            return as_category(codes, to_text(pd.Series(uniques)), values.index, values.name)
    if pd.api.types.is_float_dtype(values):
        integral = values.dropna()
        if len(integral) and np.all(np.mod(integral.to_numpy(), 1) == 0):
            return values.astype("Int64").astype("str").mask(values.isna())
    return values.astype("str").mask(values.isna())
