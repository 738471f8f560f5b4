"""Property tests: cleaning random small order and customer tables never loses or double-counts a row.

Each random order table is also cleaned and aggregated by a plain-pandas
model written here from the documented rules (duplicates, then rows without
a customer, refunds, non-products, negative prices), and the two must agree
row by row and customer by customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from persona_desktop.core.table.clean_options import KEPT, STATUS_KEYS, CleanOptions

from persona_desktop.core.table.cleaning import clean
from persona_desktop.core.table.customers import build_customers
from persona_desktop.core.schema import Role, TableKind

R = Role
ROLES = {"Invoice": R.ORDER_ID, "Code": R.PRODUCT_CODE, "Product": R.PRODUCT, "Quantity": R.QUANTITY,
         "Date": R.ORDER_DATE, "Price": R.UNIT_PRICE, "Customer": R.CUSTOMER_ID}
PRODUCTS = {"85123A": "WHITE HANGING HEART T-LIGHT HOLDER", "71053": "WHITE METAL LANTERN",
            "22633": "HAND WARMER UNION JACK ", "POST": "POSTAGE"}
TAKE_OUT_STEPS = ("duplicates", "missing_customer", "refunds", "non_product", "impossible")
PROPS = settings(max_examples=100, deadline=None)


@st.composite
def order_line(draw) -> dict:
    quantity = draw(st.sampled_from([-12, -1, 0, 1, 2, 6, 24]))
    invoice = draw(st.sampled_from(["536365", "536366", "536367", "536368"]))
    code = draw(st.sampled_from(sorted(PRODUCTS)))
    return {
        "Invoice": ("C" if quantity < 0 else "") + invoice,  # Online Retail: cancellations are C invoices
        "Code": code,
        "Product": PRODUCTS[code],
        "Quantity": quantity,
        "Date": pd.Timestamp("2011-01-03 09:00") + pd.Timedelta(hours=draw(st.integers(0, 24 * 60))),
        "Price": draw(st.sampled_from([0.0, 0.85, 1.25, 2.55, 4.95, -11.06])),
        "Customer": draw(st.sampled_from(["17850", "13047", " 13047", "12583", None])),
    }


@st.composite
def order_tables(draw) -> pd.DataFrame:
    lines = draw(st.lists(order_line(), max_size=25))
    if lines:  # exact duplicates, as exports repeat lines
        lines += [dict(lines[i]) for i in draw(st.lists(st.integers(0, len(lines) - 1), max_size=8))]
        lines = [lines[i] for i in draw(st.permutations(range(len(lines))))]
    df = pd.DataFrame(lines, columns=list(ROLES))
    df = df.astype({"Invoice": "str", "Code": "str", "Product": "str", "Customer": "str", "Quantity": "int64",
                    "Price": "float64", "Date": "datetime64[ns]"})
    if draw(st.booleans()):  # long files come from the reader with categorical text columns
        for column in ("Invoice", "Code", "Product", "Customer"):
            df[column] = df[column].astype("category")
    return df


def model_customer(df: pd.DataFrame) -> pd.Series:
    """The customer of each line after fill-down and trimming.

    A column empty on every line but the first of each order, and filled on
    the first line of at least two of at least three multi-line orders, is an
    order-level field (Shopify): it is filled down within each order.
    """
    customer = df["Customer"].astype(object).where(df["Customer"].notna())
    invoice = df["Invoice"].astype(object)
    multi = invoice.duplicated(keep=False)
    later = invoice.duplicated()
    firsts = multi & ~later
    if int(firsts.sum()) >= 3 and int(customer[firsts].notna().sum()) >= 2 and customer[later].isna().all():
        customer = customer.groupby(invoice).ffill()
    return customer.str.strip()


def model_status(df: pd.DataFrame) -> pd.Series:
    """The status of each row, computed from the rules with plain pandas."""
    status = pd.Series(KEPT, index=df.index, dtype=object)
    customer = model_customer(df)

    def take(mask, key):
        status[(status == KEPT) & mask] = key

    take(df.duplicated(keep="first"), "duplicates")
    take(customer.isna(), "missing_customer")
    take(df["Quantity"] < 0, "refunds")
    take((df["Code"].astype(object) == "POST") | (df["Price"] == 0), "non_product")
    take(df["Price"] < 0, "impossible")
    return status


def model_customers(df: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """Frequency and net spend per (trimmed) customer id, from kept and refund lines."""
    lines = df.assign(key=model_customer(df), amount=df["Quantity"] * df["Price"], status=status)
    counted = lines[lines["status"].isin([KEPT, "refunds", "non_product", "impossible"])]
    sales = counted[counted["status"] == KEPT]
    refunds = counted[counted["status"] == "refunds"]
    out = pd.DataFrame(index=pd.Index(sorted(counted["key"].unique()), name="key"))
    out["frequency"] = sales.groupby("key")["Invoice"].nunique()
    out["monetary"] = sales.groupby("key")["amount"].sum()
    out["refunded"] = refunds["amount"].clip(upper=0).groupby(refunds["key"]).sum()  # a refund line only takes money back
    out = out.fillna(0)
    out["monetary"] = out["monetary"] + out["refunded"]
    return out


@PROPS
@given(order_tables())
def test_every_row_has_exactly_one_status_and_steps_count_them(df):
    result = clean(df, ROLES, TableKind.ORDERS)
    n = len(df)
    assert len(result.status) == n
    assert set(np.unique(result.status)) <= set(range(len(STATUS_KEYS)))
    counts = {key: int(result.mask(key).sum()) for key in STATUS_KEYS}
    assert sum(counts.values()) == n
    parts = [result.data, *result.set_aside.values()]
    assert sum(len(p) for p in parts) == n
    assert sorted(np.concatenate([p.index.to_numpy() for p in parts]).tolist()) == list(range(n))
    assert {k: len(v) for k, v in result.set_aside.items()} == {k: c for k, c in counts.items() if k != KEPT and c}
    for key in TAKE_OUT_STEPS:
        step = result.step(key)
        if step is not None:
            assert step.rows == counts[key], key
    # and each row has the status the rules give it
    assert [STATUS_KEYS[code] for code in result.status] == model_status(df).tolist()


@PROPS
@given(order_tables())
def test_frequency_and_monetary_match_plain_pandas(df):
    result = clean(df, ROLES, TableKind.ORDERS)
    table = build_customers(result, ROLES, TableKind.ORDERS)
    everyone = model_customers(df, model_status(df))
    # a customer with no sale left (only refunds, fees, impossible lines) bought nothing: listed apart
    expected = everyone[everyone["frequency"] > 0]
    apart = [] if table.set_aside is None else sorted(table.set_aside["Customer"])
    assert apart == list(everyone.index[everyone["frequency"] == 0])
    got = table.data.set_index("Customer")
    assert sorted(got.index) == list(expected.index)
    if len(expected):
        assert got.loc[expected.index, "frequency"].tolist() == expected["frequency"].astype(int).tolist()
        np.testing.assert_allclose(got.loc[expected.index, "monetary"].to_numpy(float),
                                   expected["monetary"].to_numpy(float), atol=0.006)


@settings(max_examples=50, deadline=None)
@given(order_tables(), st.sets(st.sampled_from(TAKE_OUT_STEPS)))
def test_switched_off_steps_take_nothing(df, disabled):
    result = clean(df, ROLES, TableKind.ORDERS, CleanOptions(disabled=set(disabled)))
    for key in disabled:
        assert not result.mask(key).any()
        step = result.step(key)
        assert step is None or (step.rows == 0 and not step.enabled)
    default = clean(df, ROLES, TableKind.ORDERS)
    assert len(result.data) >= len(default.data)  # switching a step off never takes more rows out


# ------------------------------------------------------------ customer tables
@st.composite
def customer_tables(draw) -> pd.DataFrame:
    n = draw(st.integers(0, 30))

    def maybe(values):
        return st.one_of(st.none(), st.sampled_from(values))

    rows = draw(st.lists(st.tuples(st.sampled_from(["A1", "A2", "A3", "A4", " A4", None]),
                                   maybe([-3.0, 0.0, 18.0, 34.0, 61.0, 150.0]),
                                   maybe([0.0, 12.5, 40.0, 900.0]),
                                   maybe(["York", "Leeds", "Hull"])), min_size=n, max_size=n))
    df = pd.DataFrame(rows, columns=["CustomerID", "Age", "Income", "City"])
    return df.astype({"CustomerID": "str", "Age": "float64", "Income": "float64", "City": "str"})


CUSTOMER_ROLES = {"CustomerID": R.CUSTOMER_ID, "Age": R.AGE, "Income": R.INCOME, "City": R.CITY}


@settings(max_examples=50, deadline=None)
@given(customer_tables(), st.sampled_from(["median", "mode", "constant", "flag", "drop", "keep"]),
       st.sampled_from(["iqr", "none"]))
def test_customer_tables_keep_every_row_once(df, missing, outliers):
    result = clean(df, CUSTOMER_ROLES, TableKind.CUSTOMERS, CleanOptions(missing=missing, outliers=outliers))
    n = len(df)
    assert len(result.status) == n
    assert sum(int(result.mask(k).sum()) for k in STATUS_KEYS) == n
    assert len(result.data) + sum(len(v) for v in result.set_aside.values()) == n
    kept = result.data
    assert kept["CustomerID"].dropna().is_unique  # a repeated customer is set aside
    if missing != "constant":  # (a constant chosen by the user may be any number)
        ages = kept["Age"].dropna()
        assert ((ages > 0) & (ages <= 110)).all()  # impossible ages never reach the analysis
    if missing == "drop":
        assert not kept[["Age", "Income", "City"]].isna().any().any()
    if missing in ("median", "mode", "constant", "flag"):
        for column in ("Age", "Income", "City"):
            if kept[column].notna().any() or missing == "constant":
                assert kept[column].notna().all(), column
    customers = build_customers(result, CUSTOMER_ROLES, TableKind.CUSTOMERS)
    assert len(customers) == len(kept)
