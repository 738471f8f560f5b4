"""Property tests (hypothesis) for reading numbers, dates and identifiers from text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from persona_desktop.core.io.values import infer_column, parse_dates, parse_numbers

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _format_money(value: float, style: dict) -> str:
    cents = round(abs(value) * 100)
    whole, frac = divmod(cents, 100)
    digits = f"{whole:,}".replace(",", "\x00")
    digits = digits.replace("\x00", style["thousands"])
    body = f"{digits}{style['decimal']}{frac:02d}"
    if style["symbol_after"]:
        body = f"{body} {style['symbol']}".rstrip()
    else:
        body = f"{style['symbol']}{body}"
    if value < 0:
        body = f"({body})" if style["parens"] else f"-{body}"
    return body


money_style = st.fixed_dictionaries({
    "symbol": st.sampled_from(["", "¥", "￥", "$", "€", "£", "RMB "]),
    "symbol_after": st.booleans(),
    "parens": st.booleans(),
    "sep": st.sampled_from([(",", "."), (".", ","), (" ", ","), ("", "."), ("\u00a0", ",")]),
})
amounts = st.lists(
    st.floats(min_value=-5e7, max_value=5e7, allow_nan=False).map(lambda v: round(v, 2)),
    min_size=1, max_size=30,
)


@SETTINGS
@given(values=amounts, style=money_style)
def test_money_strings_round_trip(values, style):
    style = dict(style, thousands=style["sep"][0], decimal=style["sep"][1])
    text = pd.Series([_format_money(v, style) for v in values], dtype="str")
    parsed, failed = parse_numbers(text)
    assert failed == 0
    assert parsed.tolist() == pytest.approx(values, abs=0.006)


@SETTINGS
@given(values=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=20))
def test_percentages(values):
    text = pd.Series([f"{v}%" for v in values], dtype="str")
    parsed, failed = parse_numbers(text)
    assert failed == 0
    assert parsed.tolist() == pytest.approx([v / 100 for v in values])


moments = st.datetimes(min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2035, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
FORMATS = {
    "iso": lambda d: d.strftime("%Y-%m-%d %H:%M:%S"),
    "slash": lambda d: f"{d.year}/{d.month}/{d.day} {d.hour:02d}:{d.minute:02d}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日 {d.hour:02d}:{d.minute:02d}",
    "offset": lambda d: d.strftime("%Y-%m-%d %H:%M:%S") + " -0400",
    "dayfirst": lambda d: d.strftime("%d/%m/%Y %H:%M"),
    "monthfirst": lambda d: d.strftime("%m/%d/%Y %H:%M"),
}


@SETTINGS
@given(values=st.lists(moments, min_size=1, max_size=25), fmt=st.sampled_from(sorted(FORMATS)))
def test_dates_round_trip(values, fmt):
    text = pd.Series([FORMATS[fmt](v) for v in values], dtype="str")
    dayfirst = {"dayfirst": True, "monthfirst": False}.get(fmt)
    result = parse_dates(text, dayfirst=dayfirst)
    assert result is not None
    assert result.failed == 0
    assert [pd.Timestamp(v) for v in result.values] == [pd.Timestamp(v) for v in values]
    assert result.had_offset == (fmt == "offset")


@SETTINGS
@given(values=st.lists(moments, min_size=2, max_size=25))
def test_day_first_is_found_from_the_data(values):
    assume(any(v.day > 12 for v in values))  # one day above 12 settles the order
    text = pd.Series([v.strftime("%d/%m/%Y") for v in values], dtype="str")
    result = parse_dates(text)
    assert result is not None and result.dayfirst is True and not result.ambiguous
    assert [pd.Timestamp(v.date()) for v in values] == list(result.values)


@SETTINGS
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.none(), max_size=40))
def test_infer_column_never_fails_and_keeps_rows(cells):
    series = pd.Series(cells, dtype="object")
    values, ctype = infer_column(series, "x")
    assert len(values) == len(series)
    assert list(values.index) == list(series.index)
    assert ctype.kind in {"number", "date", "identifier", "text", "empty"}


@SETTINGS
@given(st.lists(st.integers(min_value=0, max_value=10**15), min_size=1, max_size=30), st.integers(min_value=1, max_value=16))
def test_identifiers_with_leading_zeros_stay_text(numbers, width):
    cells = ["0" + str(n).zfill(width) for n in numbers]
    values, ctype = infer_column(pd.Series(cells, dtype="str"), "id")
    assert ctype.kind == "identifier"
    assert values.tolist() == cells


@SETTINGS
@given(st.lists(st.integers(min_value=10**12, max_value=10**13 - 1), min_size=1, max_size=30))
def test_long_ids_never_become_floats(numbers):
    cells = [str(n) for n in numbers]
    values, _ = infer_column(pd.Series(cells, dtype="str"), "Id")
    assert values.tolist() == cells
