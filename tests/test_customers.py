"""One row per customer: built from Online Retail and Shopify order lines, passed through for Mall.

The expected recency, frequency and monetary values are recomputed here with
plain pandas from the raw CSV (drop exact duplicates, drop lines without a
customer, refunds = cancellations, fees and zero prices not counted as sales).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.schema import COMPUTED_COLUMNS
from persona_desktop.core.table.customers import build_customers
from persona_desktop.core.io import load_table
from persona_desktop.core.table.understand import understand
from persona_desktop.core.schema import LoadedTable, Role, SourceInfo, TableKind

R = Role
FEE_CODES = {"POST", "DOT", "M", "D", "S", "C2", "CRUK", "PADS", "B", "BANK CHARGES", "AMAZONFEE"}


def loaded(df: pd.DataFrame) -> LoadedTable:
    return LoadedTable(df, SourceInfo("made_up.csv", "csv"))


def text(values) -> pd.Series:
    return pd.Series(values, dtype="str")


# ----------------------------------------------------------- Online Retail
@pytest.fixture(scope="module")
def retail(datasets):
    path = datasets / "01_online_retail" / "online_retail.csv"
    ins = understand(load_table(path))
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str}, parse_dates=["InvoiceDate"])
    return ins, raw


@pytest.fixture(scope="module")
def expected(retail):
    """Per customer, what plain pandas says: frequency, monetary, last sale date, last date of any line."""
    _, raw = retail
    end = raw["InvoiceDate"].max()
    lines = raw.drop_duplicates()
    lines = lines[lines["CustomerID"].notna()].assign(
        customer=lambda d: d["CustomerID"].str.removesuffix(".0"),
        amount=lambda d: d["Quantity"] * d["UnitPrice"],
    )
    refund = lines["InvoiceNo"].str.startswith("C") | (lines["Quantity"] < 0)
    fee = lines["StockCode"].str.strip().str.upper().isin(FEE_CODES) | (lines["UnitPrice"] <= 0)
    sales, refunds = lines[~refund & ~fee], lines[refund]
    by = sales.groupby("customer")
    out = pd.DataFrame({
        "frequency": by["InvoiceNo"].nunique(),
        "gross": by["amount"].sum(),
        "last_sale": by["InvoiceDate"].max(),
    }).reindex(lines["customer"].unique())
    out["refunded"] = refunds.groupby("customer")["amount"].sum()
    out = out.fillna({"frequency": 0, "gross": 0.0, "refunded": 0.0})
    out["monetary"] = (out["gross"] + out["refunded"]).round(2)
    out["last_any"] = lines.groupby("customer")["InvoiceDate"].max()
    out.attrs["end"] = end
    return out


@pytest.fixture(scope="module")
def customers(retail) -> pd.DataFrame:
    ins, _ = retail
    return ins.customers.data.set_index("CustomerID")


@pytest.mark.slow
def test_retail_has_4372_customers_keyed_by_customer_id(retail, expected):
    """4,372 customer ids: the 4,334 who bought something are the customers, the 38 whose only lines are
    cancellations, postage or fees are listed apart (issue 26: they bought nothing)."""
    ins, _ = retail
    table = ins.customers
    bought = expected["frequency"] > 0
    assert len(expected) == 4_372 and bought.sum() == 4_334
    assert len(table) == 4_334 and len(table.set_aside) == 38
    assert table.key == "CustomerID" and table.data.columns[0] == "CustomerID"
    assert table.source_kind is TableKind.ORDERS
    assert set(table.data["CustomerID"]) == set(expected.index[bought])
    assert set(table.set_aside["CustomerID"]) == set(expected.index[~bought])
    assert (table.set_aside["frequency"] == 0).all()
    assert list(table.set_aside.columns) == list(table.data.columns)
    assert any(w.key == "customers.warn.no_purchase" and w.params["n"] == "38" for w in table.warnings)


@pytest.mark.slow
def test_retail_columns(retail):
    table = retail[0].customers
    computed = ["recency_days", "tenure_days", "frequency", "monetary", "avg_order_value", "items_per_order",
                "refund_rate", "distinct_products", "favourite_product", "first_order", "last_order"]
    assert set(computed) <= set(table.data.columns)
    assert "favourite_category" not in table.data.columns  # Online Retail has no category column
    assert table.roles["Country"] is R.COUNTRY  # carried over from the lines
    for column in computed:
        assert table.roles[column] is COMPUTED_COLUMNS[column][0]
    assert list(table.roles) == list(table.data.columns)


@pytest.mark.slow
def test_customer_12347(customers, retail):
    _, raw = retail
    c = customers.loc["12347"]
    assert c["frequency"] == 7
    assert c["monetary"] == pytest.approx(4310.00, abs=0.005)
    assert c["avg_order_value"] == pytest.approx(4310.00 / 7, abs=0.005)
    assert c["refund_rate"] == 0
    mine = raw[raw["CustomerID"] == "12347.0"]
    assert mine["InvoiceNo"].nunique() == 7
    assert (mine["Quantity"] * mine["UnitPrice"]).sum() == pytest.approx(4310.00)
    assert c["first_order"] == mine["InvoiceDate"].min() and c["last_order"] == mine["InvoiceDate"].max()
    assert c["Country"] == "Iceland"
    assert c["distinct_products"] == mine["Description"].str.strip().nunique()
    favourite = mine.groupby("Description")["Quantity"].sum().sort_values(ascending=False)
    assert favourite.iloc[0] > favourite.iloc[1]  # no tie
    assert c["favourite_product"] == favourite.index[0].strip()


@pytest.mark.slow
def test_customer_12346_bought_and_cancelled_everything(customers, retail):
    _, raw = retail
    mine = raw[raw["CustomerID"] == "12346.0"]
    assert sorted(mine["Quantity"]) == [-74_215, 74_215]
    c = customers.loc["12346"]
    assert c["monetary"] == 0
    assert c["refund_rate"] == 0.5  # one sale order, one cancellation order
    assert c["frequency"] == 1


@pytest.mark.slow
def test_retail_frequency_and_monetary_of_every_customer(customers, expected):
    exp = expected.reindex(customers.index)
    assert (customers["frequency"] == exp["frequency"].astype(int)).all()
    diff = (customers["monetary"] - exp["monetary"]).abs()
    assert diff.max() < 0.006, diff.idxmax()


@pytest.mark.slow
def test_retail_recency_is_counted_from_the_last_date_in_the_file(retail, customers, expected):
    ins, _ = retail
    end = expected.attrs["end"]
    assert end.normalize() == pd.Timestamp("2011-12-09")
    assert ins.customers.as_of == end
    assert customers.loc["12347", "recency_days"] == (pd.Timestamp("2011-12-09") - pd.Timestamp("2011-12-07")).days
    exp = expected.reindex(customers.index)
    last = exp["last_sale"]  # every customer in the table bought something
    days = (end.normalize() - last.dt.normalize()).dt.days
    assert (customers["recency_days"] == days).all()
    assert (customers["recency_days"] >= 0).all()


@pytest.mark.slow
def test_retail_as_of_moves_recency_and_tenure(retail, customers):
    ins, _ = retail
    later = build_customers(ins.cleaning, ins.roles, ins.kind, as_of="2012-01-01").data.set_index("CustomerID")
    shift = (pd.Timestamp("2012-01-01") - pd.Timestamp("2011-12-09")).days
    assert shift == 23
    assert (later["recency_days"] - customers["recency_days"] == shift).all()
    assert (later["tenure_days"] - customers["tenure_days"] == shift).all()
    assert later["monetary"].equals(customers["monetary"])


@pytest.mark.slow
def test_retail_favourite_product_is_one_the_customer_bought(retail, customers):
    ins, _ = retail
    kept = ins.cleaning.data
    bought = pd.MultiIndex.from_arrays([kept["CustomerID"].astype(str), kept["Description"].astype(str)]).unique()
    favourite = customers["favourite_product"].dropna()
    assert len(favourite) >= 4_300
    pairs = pd.MultiIndex.from_arrays([favourite.index.astype(str), favourite.astype(str)])
    assert pairs.isin(bought).all()
    # a description of the file, with spaces tidied ("HANGING BUTTERFLY  T-LIGHT HOLDER" has two)
    raw = pd.Series(ins.table.data["Description"].dropna().astype(str).unique())
    assert set(favourite) <= set(raw.str.strip().str.replace(r"\s{2,}", " ", regex=True))


# ------------------------------------------------------------------ Shopify
def test_shopify_customers_are_lower_cased_emails(datasets):
    path = datasets / "09_shopify_export" / "orders_export.csv"
    raw = pd.read_csv(path, dtype=str)
    table = understand(load_table(path)).customers
    assert table.key == "Email" and table.data.columns[0] == "Email"
    orders = raw[raw["Total"].notna()].assign(email=lambda d: d["Email"].str.strip().str.lower(),
                                             total=lambda d: d["Total"].astype(float))
    # a pending order was never paid: set aside, not a purchase (issue 27); the file has one
    assert (orders["Financial Status"] == "pending").sum() == 1
    orders = orders[orders["email"].notna() & (orders["Financial Status"] != "pending")]
    exp = orders.groupby("email").agg(frequency=("Name", "nunique"), monetary=("total", "sum"))
    assert len(exp) == 3
    got = table.data.set_index("Email")
    assert sorted(got.index) == sorted(exp.index)
    assert got["frequency"].to_dict() == exp["frequency"].to_dict()
    np.testing.assert_allclose(got.loc[exp.index, "monetary"], exp["monetary"], atol=0.005)


# --------------------------------------------------------------------- Mall
@pytest.fixture(scope="module")
def mall(datasets):
    return load_table(datasets / "03_mall_customers" / "Mall_Customers.csv")


def test_mall_customer_table_is_passed_through(mall, datasets):
    ins = understand(mall)
    table = ins.customers
    raw = pd.read_csv(datasets / "03_mall_customers" / "Mall_Customers.csv", dtype={"CustomerID": str})
    assert table.source_kind is TableKind.CUSTOMERS and table.key == "CustomerID" and table.as_of is None
    assert list(table.data.columns) == list(raw.columns) + ["outlier"]
    pd.testing.assert_frame_equal(table.data[list(raw.columns)], raw, check_dtype=False)
    assert not set(COMPUTED_COLUMNS) & set(table.data.columns)


def test_mall_key_is_moved_first(mall):
    columns = [c for c in mall.data.columns if c != "CustomerID"] + ["CustomerID"]
    moved = LoadedTable(mall.data[columns], mall.source)
    table = understand(moved).customers
    assert table.data.columns[0] == "CustomerID"
    assert table.data["CustomerID"].tolist() == mall.data["CustomerID"].tolist()
    assert table.roles["CustomerID"] is R.CUSTOMER_ID and table.roles["Genre"] is R.GENDER


def test_customer_table_without_key_gets_numbered_rows():
    df = pd.DataFrame({"性别": text(["男", "女", "女"]), "年龄": [30, 40, 50]})
    table = understand(loaded(df)).customers
    assert table.key == "customer" and table.data["customer"].tolist() == ["1", "2", "3"]
    assert [w.key for w in table.warnings] == ["customers.warn.generated_key"]


def test_no_customers_for_baskets(datasets):
    assert understand(load_table(datasets / "04_groceries" / "groceries.csv")).customers is None


# ------------------------------------------------------- made-up order lines
def small_orders() -> pd.DataFrame:
    return pd.DataFrame({
        "Order": text(["1", "1", "2", "C3", "4", "5"]),
        "Customer": text(["a", "a", "a", "a", "b", "b"]),
        "Product": text(["mug", "cup", "mug", "mug", "POSTAGE", "cup"]),
        "Quantity": [2, 1, 1, -1, 1, 3],
        "Price": [5.0, 4.0, 10.0, 10.0, 18.0, 4.0],
        "Date": pd.to_datetime(["2024-03-01", "2024-03-01", "2024-03-05", "2024-03-06", "2024-03-10", "2024-03-10"]),
    })


def test_small_orders_by_hand():
    ins = understand(loaded(small_orders()))
    assert ins.kind is TableKind.ORDERS
    got = ins.customers.data.set_index("Customer")
    a, b = got.loc["a"], got.loc["b"]
    # a: orders 1 (2×5 + 1×4 = 14) and 2 (10), order C3 cancels 10
    assert a["frequency"] == 2 and a["monetary"] == pytest.approx(14.0)
    assert a["avg_order_value"] == pytest.approx(12.0) and a["items_per_order"] == pytest.approx(2.0)
    assert a["refund_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert a["recency_days"] == 5 and a["tenure_days"] == 9  # counted to 2024-03-10
    assert a["favourite_product"] == "mug" and a["distinct_products"] == 2
    # b: postage is not a sale
    assert b["frequency"] == 1 and b["monetary"] == pytest.approx(12.0) and b["favourite_product"] == "cup"


def test_emails_that_differ_only_in_case_and_spaces_are_one_customer():
    df = small_orders().drop(columns="Customer").assign(
        Email=text(["Bob@Shop.com", "Bob@Shop.com", "bob@shop.com", "bob@shop.com ", "ann@shop.com", "ann@shop.com"]))
    table = understand(loaded(df)).customers
    assert table.key == "Email"
    assert sorted(table.data["Email"]) == ["ann@shop.com", "bob@shop.com"]


def test_integer_age_on_order_lines_is_carried_over():
    df = small_orders().assign(Age=[30, 30, 30, 30, 41, 41])
    ins = understand(loaded(df))
    assert ins.roles["Age"] is R.AGE
    assert ins.customers.data.set_index("Customer")["Age"].to_dict() == {"a": 30, "b": 41}


def test_recency_is_counted_to_the_last_date_in_the_file():
    guest = pd.DataFrame({"Order": text(["6"]), "Customer": text([None]), "Product": text(["mug"]), "Quantity": [1],
                          "Price": [5.0], "Date": pd.to_datetime(["2024-03-31"])})
    df = pd.concat([small_orders(), guest], ignore_index=True)
    table = understand(loaded(df)).customers
    assert table.as_of.normalize() == pd.Timestamp("2024-03-31")
    assert table.data.set_index("Customer").loc["a", "recency_days"] == 26  # last sale on 2024-03-05


def test_as_of_is_taken_by_understand():
    table = understand(loaded(small_orders()), as_of="2024-04-01").customers
    assert table.as_of == pd.Timestamp("2024-04-01")
    assert table.data.set_index("Customer")["recency_days"].to_dict() == {"a": 27, "b": 22}
