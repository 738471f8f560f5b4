"""Reading dates as shop exports write them.

Text dates (``2024/3/5 14:03``, ``2024年3月5日``, ``05/03/2024``,
``2025-05-11 09:55:16 -0400``) are parsed by :func:`parse_dates`, which decides
day-first or month-first from the values. Dates written as numbers are read by
:func:`numeric_dates`: ``19970101`` (YYYYMMDD), ``20240305140501``, and Unix
seconds or milliseconds in a column whose header names a time; Excel serial
days by :func:`excel_serial_to_datetime`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from persona_desktop.core.io.cells import clean_strings as _clean_strings, distinct_sample as _sample

__all__ = ["DateParse", "parse_dates", "numeric_dates", "excel_serial_to_datetime", "looks_like_serial_dates"]

# the years a shop's dates may fall in: a number outside them is not a date
FIRST_YEAR, LAST_YEAR = 1970, 2100


# a time-zone offset after a time ("09:55:16 -0400", "10:00:00Z"); never the year of "30-10-2016"
_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[+-]\d{2}:?\d{2}|Z|UTC|GMT)$", re.IGNORECASE)
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
        text = text.str.replace(r"(\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(?:[+-]\d{2}:?\d{2}|[Zz]|UTC|GMT|utc|gmt)$", r"\1",
                                regex=True)
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


_COMPACT = (  # (digits, strptime format, lowest value, highest value)
    (8, "%Y%m%d", FIRST_YEAR * 10**4 + 101, LAST_YEAR * 10**4 + 1231),
    (14, "%Y%m%d%H%M%S", FIRST_YEAR * 10**10 + 101000000, LAST_YEAR * 10**10 + 1231235959),
)
_UNIX = (("s", 946_684_800, 4_102_444_800), ("ms", 946_684_800_000, 4_102_444_800_000))  # 2000 to 2100


def numeric_dates(values: pd.Series, header_names_time: bool) -> pd.Series | None:
    """Dates written as whole numbers, or ``None`` when the numbers are not dates.

    ``19970101`` and ``20240305140501`` are dates when every value parses in
    the years 1970–2100 and either the header names a date or time or the
    values span more than one month (an order number such as 20241007 is a
    valid date too, but a run of them stays inside one month's 31 values).
    Unix seconds or milliseconds (2000–2100) only under a header that names a
    time: any large number would fit.
    """
    v = pd.to_numeric(values, errors="coerce")
    present = v.dropna()
    if not len(present) or (present % 1 != 0).any():
        return None
    lo, hi = float(present.min()), float(present.max())
    for digits, fmt, low, high in _COMPACT:
        if low <= lo and hi <= high:
            text = v.astype("Int64").astype("str").mask(v.isna())
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
            if parsed.notna().sum() != len(present):
                return None
            months = parsed.dropna().dt.to_period("M").nunique()
            return parsed if header_names_time or months > 1 else None
    if header_names_time:
        for unit, low, high in _UNIX:
            if low <= lo and hi <= high:
                return pd.to_datetime(v, unit=unit, errors="coerce")
    return None
