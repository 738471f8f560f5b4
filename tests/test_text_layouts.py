"""Issue 26, points 1, 2 and the duplicates of 8: purchase logs as systems print them.

A whitespace-aligned log (`` customer_id  date number_of_items  dollar_value``
over ``00001 20230101  1    15.00``) is split on runs of spaces, because its
header and its rows agree on four fields; splitting on two or more spaces glued
the id to the date (67,668 "customers" instead of 23,570 in the file seen).
Dates written as numbers (``19970101``, Unix seconds under a time header) are
dates; the step that needs dates names the column it looked at when there are
none; and in a log without order numbers two identical lines are two purchases.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shopsim
from persona_desktop.cli import main
from persona_desktop.core.io import load_table
from persona_desktop.core.io.values import infer_column
from persona_desktop.core.table.understand import inspect_file


@pytest.fixture(scope="module", params=["purchase_log", "purchase_log_zh_csv"])
def log(request, tmp_path_factory):
    return shopsim.make_shop(request.param, 3, tmp_path_factory.mktemp("log"))


def _planted_orders(shop) -> pd.DataFrame:
    lines = shop.lines.assign(amount=shop.lines["qty"] * shop.lines["price"])
    return lines.groupby("cust").agg(orders=("order", "nunique"), spend=("amount", "sum"))


def test_a_purchase_log_is_read_field_by_field(log):
    table = load_table(log.path)
    assert table.data.shape[1] == 4
    kinds = [str(t) for t in table.data.dtypes]
    assert kinds[1].startswith("datetime64"), kinds  # 20230101 is a date, not a number
    assert not [w for w in table.warnings if w.key == "read.warn.header_mismatch"]
    if log.shape.sep == " ":
        assert list(table.data.columns) == ["customer_id", "date", "number_of_items", "dollar_value"]


def test_every_purchase_counts_once_and_every_customer_is_found(log):
    """Same-day repeats of a purchase (identical lines, no order number) are kept, and said."""
    inspection = inspect_file(log.path)
    customers = inspection.customers.data.set_index(inspection.customers.key)
    planted = _planted_orders(log)
    assert sorted(customers.index) == sorted(planted.index)
    got = customers.loc[planted.index]
    assert (got["frequency"].to_numpy() == planted["orders"].to_numpy()).all()
    assert got["monetary"].sum() == pytest.approx(planted["spend"].sum(), rel=1e-6)
    repeated = len(shop_lines_repeated(log))
    assert repeated > 0
    said = [w for w in inspection.cleaning.warnings if w.key == "clean.warn.duplicates_kept"]
    assert said and said[0].params["n"] == repeated


def shop_lines_repeated(shop) -> pd.DataFrame:
    per_order = shop.lines.assign(amount=(shop.lines["qty"] * shop.lines["price"]).round(2)).groupby("order").agg(
        cust=("cust", "first"), day=("date", lambda d: d.iloc[0].date()), items=("qty", "sum"), amount=("amount", "sum"))
    per_order["amount"] = per_order["amount"].round(2)
    return per_order[per_order.duplicated(keep="first")]


def test_the_planted_groups_come_back_from_a_log(log):
    from sklearn.metrics import adjusted_rand_score

    from persona_desktop.core.segments.run import segment_inspection

    inspection = inspect_file(log.path)
    analysis = segment_inspection(inspection, stability_runs=0)
    ids = inspection.customers.data[inspection.customers.key]
    assert adjusted_rand_score(log.truth_for(ids), analysis.labels) >= 0.8
    names = " ".join(p.name["en"] for p in analysis.personas)
    assert "number_of" not in names and "dollar" not in names  # no persona named after a header fragment


def test_single_spaces_inside_values_keep_the_wide_split(tmp_path):
    path = tmp_path / "cities.txt"
    path.write_text("Name      Age   City\nAlice     30    London\nBob       41    New York\nCarl      25    Hong Kong\n")
    table = load_table(path)
    assert table.data["City"].tolist() == ["London", "New York", "Hong Kong"]


def test_a_header_that_disagrees_with_its_rows_is_said(tmp_path, capsys):
    path = tmp_path / "log.txt"
    rows = [f"{i:05d} 2023{1 + i % 12:02d}15 {i % 5 + 1} {10 + i}.50" for i in range(40)]
    path.write_text("customer date amount\n" + "\n".join(rows) + "\n")
    assert main(["inspect", str(path), "--json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    said = [w for w in doc["warnings"] if "header line has 3 name(s) but the rows have 4" in w]
    assert said, doc["warnings"]
    assert main(["inspect", str(path), "--lang", "zh"]) == 0
    assert "表头有 3 个列名，而数据行有 4 个字段" in capsys.readouterr().out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 1)), min_size=3, max_size=40),
       st.booleans(), st.sampled_from(["date", "日期", "x"]))
def test_compact_dates_read_back_as_the_same_days(days, as_text, header):
    days = days + [days[0] + timedelta(days=40)]  # more than one month
    numbers = [int(d.strftime("%Y%m%d")) for d in days]
    column = pd.Series([str(n) for n in numbers], dtype="str") if as_text else pd.Series(numbers)
    values, ctype = infer_column(column, header)
    assert ctype.kind == "date"
    assert [v.date() for v in values] == days


def test_an_order_number_that_looks_like_a_date_stays_a_number():
    column = pd.Series([str(20241001 + i) for i in range(25)], dtype="str")
    _, ctype = infer_column(column, "order_no")
    assert ctype.kind == "number"


@pytest.mark.parametrize("scale,header", [(1, "created_time"), (1000, "pay_ts"), (1, "付款时间")])
def test_unix_times_under_a_time_header_are_dates(scale, header):
    seconds = [1_700_000_000 + 86_400 * i for i in range(30)]
    values, ctype = infer_column(pd.Series([str(s * scale) for s in seconds], dtype="str"), header)
    assert ctype.kind == "date"
    assert values.iloc[0] == pd.Timestamp("2023-11-14 22:13:20")


def test_large_numbers_under_another_header_are_not_unix_times():
    _, ctype = infer_column(pd.Series([str(1_700_000_000 + 7 * i) for i in range(30)], dtype="str"), "amount")
    assert ctype.kind != "date"


def test_churn_skipped_names_the_column_it_looked_at(tmp_path, capsys):
    """A 'date' column whose values are not dates: churn says so, naming it, not 'needs order lines'."""
    path = tmp_path / "orders.csv"
    rows = [f"C{i % 30},O{i},week {i % 7},Mug,{i % 3 + 1},{5 + i % 4}.5" for i in range(200)]
    path.write_text("customer_id,order_id,date,product,quantity,price\n" + "\n".join(rows) + "\n")
    out = tmp_path / "out.xlsx"
    main(["analyze", str(path), "--out", str(out), "--json", "--lang", "en"])
    doc = json.loads(capsys.readouterr().out)
    churn = next(s for s in doc["steps"] if s["step"] == "churn")
    assert "“date” was not read as dates" in churn["skipped"]
