"""Every real file in ../shared/datasets goes through ``inspect_file`` with the right rows and kind.

Expected numbers come from MANIFEST.md and, where practical, are recomputed
here with plain pandas / plain Python from the raw file, so a test does not
merely repeat what the code under test produced.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.errors import ReadError
from persona_desktop.core.table.understand import Inspection, inspect_file, inspection_to_json
from persona_desktop.core.schema import Role, TableKind

RETAIL_LINES = 541_909
RETAIL_CUSTOMERS = 4_372
RETAIL_NO_PURCHASE = 38  # ids whose only lines are cancellations, postage or fees: listed apart


def assert_rows_accounted_for(ins: Inspection) -> None:
    """Cleaning keeps every row with exactly one status: kept rows plus set-aside rows = all rows."""
    cleaning = ins.cleaning
    assert len(cleaning.status) == len(cleaning.frame) == len(ins.table.data)
    parts = [cleaning.data.index, *(frame.index for frame in cleaning.set_aside.values())]
    assert sum(len(p) for p in parts) == len(cleaning.frame)
    assert pd.Index(np.concatenate([p.to_numpy() for p in parts])).sort_values().equals(
        cleaning.frame.index.sort_values())


# ------------------------------------------------------------ Online Retail
@pytest.fixture(scope="module")
def retail_csv(datasets) -> Inspection:
    return inspect_file(datasets / "01_online_retail" / "online_retail.csv")


@pytest.fixture(scope="module")
def retail_xlsx(datasets) -> Inspection:
    return inspect_file(datasets / "01_online_retail" / "online_retail.xlsx")


both_retail_files = pytest.mark.parametrize("retail", ["retail_csv", "retail_xlsx"])


@pytest.mark.slow
@both_retail_files
def test_online_retail_every_line_is_an_order_line(retail, request):
    ins: Inspection = request.getfixturevalue(retail)
    assert len(ins.table.data) == RETAIL_LINES
    assert ins.table.source.rows_in_file == RETAIL_LINES
    assert ins.kind is TableKind.ORDERS
    assert inspection_to_json(ins)["rows"] == RETAIL_LINES
    assert_rows_accounted_for(ins)


@pytest.mark.slow
@both_retail_files
def test_online_retail_has_one_row_per_distinct_customer_id(retail, request):
    ins: Inspection = request.getfixturevalue(retail)
    distinct_ids = ins.table.data["CustomerID"].dropna().nunique()  # plain pandas on the file as read
    assert distinct_ids == RETAIL_CUSTOMERS
    assert len(ins.customers) + len(ins.customers.set_aside) == RETAIL_CUSTOMERS
    assert len(ins.customers.set_aside) == RETAIL_NO_PURCHASE
    both = pd.concat([ins.customers.data["CustomerID"], ins.customers.set_aside["CustomerID"]])
    assert both.is_unique


@pytest.mark.slow
def test_online_retail_csv_and_xlsx_give_the_same_customers(retail_csv, retail_xlsx):
    a = retail_csv.customers.data.set_index("CustomerID").sort_index()
    b = retail_xlsx.customers.data.set_index("CustomerID").sort_index()
    assert a.index.equals(b.index)
    for column in ("frequency", "monetary", "recency_days", "refund_rate"):
        np.testing.assert_allclose(a[column].to_numpy(float), b[column].to_numpy(float), atol=0.01, err_msg=column)


# ----------------------------------------------------------------- parquet
@pytest.mark.slow
def test_online_retail_parquet_is_read_in_full_or_refused_with_a_clear_read_error(datasets):
    path = datasets / "01_online_retail" / "online_retail.parquet"
    try:
        ins = inspect_file(path)
    except ReadError as exc:
        # Parquet not supported: the user must be told which file and why, in both languages.
        for lang in ("en", "zh"):
            text = exc.text(lang)
            assert path.name in text
            assert "Traceback" not in text and len(text) < 300
        return
    table = ins.table
    assert table.source.format == "parquet"
    assert len(table.data) == table.source.rows_in_file == RETAIL_LINES
    assert list(table.data.columns) == ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                                        "UnitPrice", "CustomerID", "Country"]
    assert ins.kind is TableKind.ORDERS
    assert ins.cleaning.step("duplicates").rows == 5_268
    assert len(ins.customers) == RETAIL_CUSTOMERS - RETAIL_NO_PURCHASE
    assert ins.customers.data["CustomerID"].str.fullmatch(r"\d{5}").all()  # 17850.0 read as the id "17850"


# ---------------------------------------------------------------- baskets
def test_groceries_is_9835_baskets_of_169_items(datasets):
    path = datasets / "04_groceries" / "groceries.csv"
    ins = inspect_file(path)
    lines = [[item.strip() for item in line.split(",")] for line in path.read_text("utf-8").splitlines()]
    assert len(lines) == 9_835
    assert ins.kind is TableKind.BASKETS
    assert ins.table.source.rows_in_file == len(lines)
    assert ins.table.data["basket"].nunique() == len(lines)
    items = ins.table.data["item"]
    assert items.nunique() == len({i for line in lines for i in line}) == 169
    assert ins.customers is None
    doc = inspection_to_json(ins)
    assert doc["baskets"] == doc["rows"] == 9_835 and doc["items"] == 169
    expected_support = sum("whole milk" in line for line in lines) / len(lines)
    support = ins.table.data.loc[items == "whole milk", "basket"].nunique() / len(lines)
    assert support == pytest.approx(expected_support) == pytest.approx(0.2555, abs=5e-4)
    assert items.value_counts().index[0] == "whole milk"


# -------------------------------------------------------- customer tables
def test_mall_customers_is_200_customers(datasets):
    ins = inspect_file(datasets / "03_mall_customers" / "Mall_Customers.csv")
    assert ins.kind is TableKind.CUSTOMERS
    assert len(ins.table.data) == 200 and len(ins.customers) == 200
    assert ins.customers.key == "CustomerID"
    assert ins.customers.data["CustomerID"].iloc[0] == "0001"  # zero padding kept


def test_telco_is_7043_customers(datasets):
    path = datasets / "05_telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
    ins = inspect_file(path)
    raw = pd.read_csv(path, dtype=str)
    assert ins.kind is TableKind.CUSTOMERS
    assert len(ins.customers) == len(raw) == 7_043
    assert set(ins.customers.data["customerID"]) == set(raw["customerID"])


def test_bank_marketing_is_45211_customers_separated_by_semicolons(datasets):
    path = datasets / "06_bank_marketing" / "bank-full.csv"
    ins = inspect_file(path)
    raw = pd.read_csv(path, sep=";")
    assert ins.table.source.delimiter == ";"
    assert ins.kind is TableKind.CUSTOMERS
    assert ins.table.data.shape == raw.shape == (45_211, 17)
    assert list(ins.table.data.columns) == list(raw.columns)
    # no customer id column: each row is a customer, numbered
    assert len(ins.customers) == 45_211
    assert [w.key for w in ins.customers.warnings] == ["customers.warn.generated_key"]
    assert ins.customers.data[ins.customers.key].is_unique


def test_consumption_data_xls_is_940_customers(datasets):
    ins = inspect_file(datasets / "07_chinese" / "consumption_data.xls")
    assert ins.table.source.format == "xls"
    assert ins.kind is TableKind.CUSTOMERS
    assert len(ins.customers) == 940
    assert ins.roles["Id"] is Role.CUSTOMER_ID
    assert ins.customers.data["Id"].is_unique


def test_sales_data_xls_keeps_34_rows_and_chinese_headers(datasets):
    ins = inspect_file(datasets / "07_chinese" / "sales_data.xls")
    assert len(ins.table.data) == 34
    assert list(ins.table.data.columns) == ["序号", "天气", "是否周末", "是否有促销", "销量"]
    assert set(ins.table.data["天气"].dropna()) <= {"好", "坏"}
    assert set(ins.table.data["是否周末"].dropna()) <= {"是", "否"}
    assert_rows_accounted_for(ins)


# ------------------------------------------------------------ Chinese orders
def test_meal_orders_gbk_keep_chinese_names(datasets):
    path = datasets / "07_chinese" / "meal_order_info.csv"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    raw = pd.read_csv(path, encoding="gbk", dtype=str)
    ins = inspect_file(path)
    assert ins.table.source.encoding in ("gbk", "gb18030")
    assert ins.kind is TableKind.ORDERS
    assert len(ins.table.data) == len(raw) == 945
    names = ins.table.data["name"]
    assert names.tolist() == raw["name"].tolist()
    assert "苗宇怡" in set(names)
    assert ins.customers is not None and len(ins.customers) > 0


# ------------------------------------------------------------------ Shopify
@pytest.fixture(scope="module")
def shopify(datasets):
    path = datasets / "09_shopify_export" / "orders_export.csv"
    return inspect_file(path), pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def test_shopify_is_40_lines_of_19_orders(shopify):
    ins, raw = shopify
    assert ins.kind is TableKind.ORDERS
    assert len(ins.table.data) == len(raw) == 40
    assert ins.table.data["Name"].nunique() == raw["Name"].nunique() == 19


def test_shopify_email_is_the_same_on_every_line_of_an_order(shopify):
    ins, _ = shopify
    frame = ins.cleaning.frame
    per_order = frame.groupby("Name")["Email"].nunique(dropna=False)
    assert (per_order == 1).all(), per_order[per_order != 1]


def test_shopify_customers_are_the_distinct_lower_cased_emails(shopify):
    ins, raw = shopify
    emails = set(raw["Email"].dropna().str.strip().str.lower())
    assert len(emails) == 3  # Russel.winfield@ and russel.winfield@ are one person
    assert ins.customers.key == "Email"
    assert set(ins.customers.data["Email"]) == emails


def test_shopify_13_digit_id_is_kept_as_text(shopify):
    ins, raw = shopify
    ids = ins.table.data["Id"]
    assert pd.api.types.is_string_dtype(ids)
    assert ids.dropna().str.fullmatch(r"\d{13}").all()
    assert ids.dropna().tolist() == raw["Id"].dropna().tolist()


# ------------------------------------------------- a prose file, not a table
def test_bank_names_prose_is_read_as_some_table_or_refused_with_read_error(datasets):
    path: Path = datasets / "06_bank_marketing" / "bank-names.txt"
    try:
        ins = inspect_file(path)
    except ReadError as exc:
        assert path.name in exc.text("en")
        return
    # Read as some table: the rest of the pipeline must still hold together.
    lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    assert ins.kind is not TableKind.BASKETS  # prose split at its commas is not a basket list
    assert isinstance(ins.kind, TableKind)
    assert 0 < ins.table.source.rows_in_file <= len(lines)
    assert_rows_accounted_for(ins)
    doc = inspection_to_json(ins)
    assert doc["rows"] == (ins.table.source.rows_in_file if ins.kind is TableKind.BASKETS else len(ins.table.data))
