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

from persona_desktop.core.io.currency import currency_of

__all__ = [
    "NULL_TOKENS", "ColumnType", "parse_numbers", "parse_dates",
    "looks_like_identifier", "infer_column", "excel_serial_to_datetime",
]

# Cell texts that mean "no value" in exports (compared after strip, case-insensitively).
NULL_TOKENS = frozenset({
    "", "na", "n/a", "nan", "null", "none", "nil", "#n/a", "-", "--", "—", "–",
    "无", "空", "#value!", "#ref!", "#div/0!",
})

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


def _clean_strings(s: pd.Series) -> pd.Series:
    """Stripped strings with null tokens turned into missing values."""
    s = s.astype("str").str.strip()
    return s.mask(s.str.lower().isin(NULL_TOKENS))


def _sample(s: pd.Series, n: int = 2000) -> pd.Series:
    values = s.dropna()
    if len(values) > 50_000:
        values = values.iloc[:50_000]
    return pd.Series(pd.unique(values)[:n], dtype="str")


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


# ------------------------------------------------------------------ dates
_OFFSET = re.compile(r"\s*(?:[+-]\d{2}:?\d{2}|Z|UTC|GMT)$", re.IGNORECASE)
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")

_YMD_FORMATS = [
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y.%m.%d",
    "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f",
]
_DAY_FIRST = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d/%m/%y", "%d/%m/%y %H:%M",
]
_MONTH_FIRST = [f.replace("%d", "%D").replace("%m", "%d").replace("%D", "%m") for f in _DAY_FIRST]
_NAMED = ["%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y",
          "%a, %d %b %Y %H:%M:%S"]


def _normalise_date_text(text: pd.Series, sample: pd.Series) -> tuple[pd.Series, bool]:
    """Chinese dates to ISO order, UTC offsets removed (local wall time kept).

    What to rewrite is decided on *sample*, so columns that need nothing cost
    nothing; the rewriting itself uses plain pattern strings, which pandas
    hands to Arrow's vectorised regex engine.
    """
    had_offset = False
    if sample.str.contains("年", regex=False).any():
        text = text.str.replace(_CJK_DATE.pattern, r"\1-\2-\3", regex=True).str.replace(r"\s+", " ", regex=True)
    if sample.str.contains(_OFFSET.pattern, regex=True, flags=re.IGNORECASE).any():
        had_offset = True
        text = text.str.replace(r"\s*(?:[+-]\d{2}:?\d{2}|[Zz]|UTC|GMT|utc|gmt)$", "", regex=True)
    return text.str.strip(), had_offset


def _parse_with(text: pd.Series, fmt: str) -> pd.Series:
    if fmt == "ISO8601":
        return pd.to_datetime(text, format="ISO8601", errors="coerce")
    return pd.to_datetime(text, format=fmt, errors="coerce")


def _success(sample: pd.Series, fmt: str) -> float:
    if not len(sample):
        return 0.0
    return float(_parse_with(sample, fmt).notna().mean())


def _monotonic_share(parsed: pd.Series) -> float:
    d = parsed.dropna().astype("int64").diff().dropna()
    return float((d >= 0).mean()) if len(d) else 0.5


@dataclass(frozen=True)
class DateParse:
    values: pd.Series
    failed: int
    dayfirst: bool | None  # None: the format was not ambiguous
    ambiguous: bool  # both day/month orders fit every value
    had_offset: bool


def parse_dates(s: pd.Series, dayfirst: bool | None = None, min_share: float = 0.98) -> DateParse | None:
    """Parse date text; ``None`` when the column does not read as dates.

    Day-first or month-first (``05/03/2024``) is decided from the data: a part
    above 12 settles it; when both readings fit every value, the one under
    which the rows run in date order wins (exports are usually sorted), else
    month-first, and ``ambiguous`` is set so the caller can warn. *dayfirst*
    overrides the decision.
    """
    text = _clean_strings(s)
    present = text.notna()
    if not present.any():
        return None
    raw_sample = _sample(text.dropna(), 500)
    # quick reject: every date has a digit, none is a paragraph, and most have a
    # date separator or the 8 digits of a compact date (20240305)
    if not raw_sample.str.contains(r"\d", regex=True).all() or raw_sample.str.len().max() > 40:
        return None
    separated = raw_sample.str.contains(r"[-/.年月:]|\d [A-Za-z]|[A-Za-z] \d", regex=True)
    compact = raw_sample.str.fullmatch(r"\d{8}(?:\d{6})?")
    if float((separated | compact).mean()) < min_share:
        return None
    text, had_offset = _normalise_date_text(text, raw_sample)
    sample = _sample(text.dropna(), 500)

    best_fmt, best = None, 0.0
    for fmt in ["ISO8601", *_YMD_FORMATS, *_NAMED]:
        share = _success(sample, fmt)
        if share > best:
            best_fmt, best = fmt, share
        if share == 1.0:
            break
    chosen_dayfirst: bool | None = None
    ambiguous = False
    if best < 1.0:
        df_fmt, df_share = max(((f, _success(sample, f)) for f in _DAY_FIRST), key=lambda x: x[1])
        mf_fmt, mf_share = max(((f, _success(sample, f)) for f in _MONTH_FIRST), key=lambda x: x[1])
        if max(df_share, mf_share) > best:
            if dayfirst is not None:
                use_df = dayfirst
            elif df_share != mf_share:
                use_df = df_share > mf_share
            else:
                ambiguous = True
                head = text.dropna().iloc[:2000]
                use_df = _monotonic_share(_parse_with(head, df_fmt)) > _monotonic_share(_parse_with(head, mf_fmt))
            best_fmt, best = (df_fmt, df_share) if use_df else (mf_fmt, mf_share)
            chosen_dayfirst = use_df
    if best_fmt is None or best < min_share:
        return None
    values = _parse_with(text, best_fmt)
    # a few cells in a second format (date only beside date+time…): try the ISO parser
    missing = values.isna() & present
    if missing.any() and best_fmt != "ISO8601":
        values = values.fillna(_parse_with(text.where(missing), "ISO8601"))
        missing = values.isna() & present
    return DateParse(values, int(missing.sum()), chosen_dayfirst, ambiguous, had_offset)


def excel_serial_to_datetime(s: pd.Series) -> pd.Series:
    """Excel serial day numbers (1900 date system) to datetimes."""
    return pd.to_datetime(s.astype("float64"), unit="D", origin="1899-12-30", errors="coerce")


def looks_like_serial_dates(s: pd.Series) -> bool:
    v = pd.to_numeric(s, errors="coerce").dropna()
    return bool(len(v)) and bool(v.between(20_000, 80_000).all())


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


_DATE_HEADER = re.compile(r"(?i)date|time|day|created|paid|日期|时间|日|年月")


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
        if _DATE_HEADER.search(name or "") and looks_like_serial_dates(s):
            return excel_serial_to_datetime(s), ColumnType("date")
        return s, ColumnType("number")

    if len(s) >= _FACTORIZE_FROM:
        return _infer_by_distinct_values(s, name, dayfirst)
    return _infer_text(s, name, dayfirst)


def _infer_by_distinct_values(s: pd.Series, name: str, dayfirst: bool | None) -> tuple[pd.Series, ColumnType]:
    from persona_desktop.core.textops import as_category

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
    if looks_like_identifier(sample):
        return text, ColumnType("identifier")

    numeric_sample = pd.to_numeric(sample, errors="coerce")
    if numeric_sample.notna().all():
        values = _to_number(text)
        if _DATE_HEADER.search(name or "") and looks_like_serial_dates(values):
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
    from persona_desktop.core.textops import CATEGORY_FROM, as_category

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
