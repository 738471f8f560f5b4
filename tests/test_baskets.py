"""Baskets: from Online Retail's order lines, a basket file, a multi-valued column, customer attributes, Shopify.

The expected baskets are rebuilt here from the raw files with plain pandas
and Python: Online Retail's sale lines (duplicates dropped; no ``C``
cancellations, negative quantities, zero prices, postage or fees), the
groceries file split line by line, tertiles of Mall's and Telco's numeric
columns from ``numpy.quantile``. Online Retail is read once for the module
(slow tests only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.rules.baskets import (
    baskets_from_attributes,
    baskets_from_cleaning,
    baskets_from_column,
    baskets_from_lines,
)
from persona_desktop.core.errors import DataError
from persona_desktop.core.table.understand import inspect_file

FEE_CODES = {"POST", "DOT", "M", "D", "S", "C2", "CRUK", "B", "BANK CHARGES", "AMAZONFEE"}
LEVELS = {"en": ("low", "mid", "high"), "zh": ("低", "中", "高")}


def tidy(names: pd.Series) -> pd.Series:
    """Trimmed, inner spaces collapsed, case folded: how two spellings are the same item."""
    return names.str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


def contents(baskets) -> dict:
    """{basket id: set of case-folded item names}."""
    items = np.asarray([i.casefold() for i in baskets.items], dtype=object)
    m = baskets.matrix
    return {bid: set(items[m.indices[m.indptr[r]:m.indptr[r + 1]]]) for r, bid in enumerate(baskets.basket_ids)}


# ----------------------------------------------------------- Online Retail
@pytest.fixture(scope="module")
def retail(datasets):
    path = datasets / "01_online_retail" / "online_retail.csv"
    ins = inspect_file(path)
    baskets = baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles, path.name)
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
    return baskets, raw


@pytest.fixture(scope="module")
def retail_sales(retail) -> pd.DataFrame:
    """The sale lines, by the documented rules, with or without a customer."""
    _, raw = retail
    lines = raw.drop_duplicates()
    sale = (~lines["InvoiceNo"].str.startswith("C") & (lines["Quantity"] > 0) & (lines["UnitPrice"] > 0)
            & ~lines["StockCode"].str.strip().str.upper().isin(FEE_CODES) & lines["Description"].notna())
    return lines[sale].assign(item=lambda d: tidy(d["Description"]),
                              customer=lambda d: d["CustomerID"].str.removesuffix(".0"))


@pytest.mark.slow
def test_retail_one_basket_per_sale_order(retail, retail_sales):
    baskets, _ = retail
    orders = retail_sales.groupby("InvoiceNo")["item"].agg(set).to_dict()
    assert baskets.n_baskets == len(orders) == 19773
    assert len(set(baskets.basket_ids)) == baskets.n_baskets
    assert contents(baskets) == orders
    assert baskets.kind == "orders" and baskets.matrix.dtype == bool


@pytest.mark.slow
def test_retail_orders_without_customer_are_baskets(retail, retail_sales):
    baskets, _ = retail
    guests = retail_sales.loc[retail_sales["customer"].isna(), "InvoiceNo"].unique()
    assert len(guests) > 1000
    row = {bid: r for r, bid in enumerate(baskets.basket_ids)}
    assert all(pd.isna(baskets.customers[row[g]]) for g in guests)
    # and each customer's orders carry their id, as the customer table writes it
    known = retail_sales.dropna(subset=["customer"]).groupby("InvoiceNo")["customer"].first()
    got = pd.Series(baskets.customers, index=baskets.basket_ids).loc[known.index]
    assert (got == known).all()


@pytest.mark.slow
def test_retail_item_names_are_trimmed(retail):
    baskets, raw = retail
    descriptions = raw["Description"].dropna()
    assert (descriptions != descriptions.str.strip()).sum() > 500  # the raw file has trailing spaces
    assert all(i == i.strip() and "  " not in i for i in baskets.items)
    assert "POPPY'S PLAYHOUSE BEDROOM" in baskets.items  # raw: "POPPY'S PLAYHOUSE BEDROOM "
    assert len({i.casefold() for i in baskets.items}) == len(baskets.items) == 3999


# ----------------------------------------------------------- names
@pytest.mark.parametrize(("spellings", "shown"), [
    (["Whole Milk", "whole milk ", "whole milk", "WHOLE MILK"], "whole milk"),
    (["Whole Milk", "whole milk ", " WHOLE  MILK", "WHOLE MILK", "WHOLE MILK"], "WHOLE MILK"),
    (["  Whole   Milk  "], "Whole Milk"),
])
def test_case_variants_are_one_item(spellings, shown):
    lines = pd.DataFrame({"order": range(len(spellings)), "product": spellings})
    lines = pd.concat([lines, pd.DataFrame({"order": [0, 0], "product": ["bread", "Bread "]})], ignore_index=True)
    baskets = baskets_from_lines(lines, "order", "product")
    assert sorted(baskets.items, key=str.casefold) == ["bread", shown]
    milk = baskets.items.index(shown)
    assert baskets.matrix[:, milk].sum() == len(spellings)  # every order holds the one item
    assert baskets.n_baskets == len(spellings)


def test_an_item_twice_in_an_order_counts_once():
    lines = pd.DataFrame({"order": ["A", "A", "A", "B"], "product": ["tea", "Tea", "cake", "tea"]})
    baskets = baskets_from_lines(lines, "order", "product")
    assert baskets.matrix.toarray().tolist() == [[True, True], [False, True]]  # items: cake, tea
    assert baskets.items == ["cake", "tea"]


# ----------------------------------------------------------- basket file
@pytest.fixture(scope="module")
def groceries(datasets):
    ins = inspect_file(datasets / "04_groceries" / "groceries.csv")
    return baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles, "groceries.csv")


def test_groceries_baskets(groceries, datasets):
    raw = (datasets / "04_groceries" / "groceries.csv").read_text(encoding="utf-8").splitlines()
    assert groceries.n_baskets == len(raw) == 9835
    assert groceries.n_items == 169
    assert groceries.customers is None
    expected = [{i.strip().casefold() for i in line.split(",") if i.strip()} for line in raw]
    assert list(contents(groceries).values()) == expected  # in file order


def test_groceries_trailing_spaces_trimmed(groceries, datasets):
    raw_items = {i for line in (datasets / "04_groceries" / "groceries.csv").read_text(encoding="utf-8").splitlines()
                 for i in line.split(",")}
    assert {"cream cheese ", "roll products "} <= raw_items
    assert {"cream cheese", "roll products"} <= set(groceries.items)
    assert all(i == i.strip() for i in groceries.items)


# ----------------------------------------------------------- multi-valued column
def test_baskets_from_column():
    frame = pd.DataFrame({"tags": ["a;b;c", "b ; C", "c", None, "A|d", "e，f；g/h"]})
    baskets = baskets_from_column(frame, "tags")
    assert baskets.items == ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert contents(baskets) == {0: {"a", "b", "c"}, 1: {"b", "c"}, 2: {"c"}, 4: {"a", "d"},
                                 5: {"e", "f", "g", "h"}}  # the empty row holds no basket


def test_baskets_from_column_ignores_empty_pieces():
    baskets = baskets_from_column(pd.DataFrame({"tags": ["a;;b", "b;", "  "]}), "tags")
    assert contents(baskets) == {0: {"a", "b"}, 1: {"b"}}


# ----------------------------------------------------------- customer attributes
@pytest.fixture(scope="module")
def mall(datasets):
    return inspect_file(datasets / "03_mall_customers" / "Mall_Customers.csv")


@pytest.fixture(scope="module")
def mall_raw(datasets):
    return pd.read_csv(datasets / "03_mall_customers" / "Mall_Customers.csv", dtype={"CustomerID": str})


def tertile(values: pd.Series, words: tuple[str, str, str]) -> pd.Series:
    low, high = np.quantile(values.astype(float), [1 / 3, 2 / 3])
    return pd.Series(np.where(values <= low, words[0], np.where(values <= high, words[1], words[2])),
                     index=values.index)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mall_attributes(mall, mall_raw, lang):
    baskets = baskets_from_attributes(mall.customers, lang=lang)
    assert baskets.kind == "customers" and baskets.n_baskets == 200
    assert list(baskets.basket_ids) == mall_raw["CustomerID"].tolist()
    assert list(baskets.customers) == mall_raw["CustomerID"].tolist()
    words = LEVELS[lang]
    numeric = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    assert set(baskets.items) == {"Genre=Female", "Genre=Male"} | {f"{c}={w}" for c in numeric for w in words}
    got = contents(baskets)
    for row, cid in enumerate(mall_raw["CustomerID"]):
        expected = {f"Genre={mall_raw.loc[row, 'Genre']}"} | {
            f"{c}={tertile(mall_raw[c], words).iloc[row]}" for c in numeric}
        assert got[cid] == {e.casefold() for e in expected}, cid
    assert f"Annual Income (k$)={words[2]}" in baskets.items


@pytest.fixture(scope="module")
def telco(datasets):
    path = datasets / "05_telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
    return inspect_file(path), pd.read_csv(path)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_telco_attributes(telco, lang):
    ins, raw = telco
    baskets = baskets_from_attributes(ins.customers, lang=lang)
    assert baskets.n_baskets == 7043
    items = set(baskets.items)
    assert not any(i.startswith("customerID=") for i in items)
    assert {"Churn=Yes", "Churn=No", "Contract=Month-to-month", "Contract=One year", "Contract=Two year",
            "SeniorCitizen=0", "SeniorCitizen=1"} <= items
    words = LEVELS[lang]
    for column in ("tenure", "MonthlyCharges", "TotalCharges"):
        assert {f"{column}={w}" for w in words} <= items
    support = dict(zip(baskets.items, np.asarray(baskets.matrix.sum(axis=0)).ravel()))
    assert support["Churn=Yes"] == (raw["Churn"] == "Yes").sum() == 1869
    for contract, n in raw["Contract"].value_counts().items():
        assert support[f"Contract={contract}"] == n
    levels = tertile(raw["tenure"], words).value_counts()
    for w in words:
        assert support[f"tenure={w}"] == levels[w]
    # the 11 blank TotalCharges (tenure 0) were filled with the median by the cleaning step,
    # so those new customers hold "TotalCharges=mid"
    total = pd.to_numeric(raw["TotalCharges"], errors="coerce")
    assert total.isna().sum() == 11
    filled = total.fillna(total.median())
    levels = tertile(filled, words).value_counts()
    for w in words:
        assert support[f"TotalCharges={w}"] == levels[w]
    new_customers = raw.index[total.isna()]
    row = {cid: r for r, cid in enumerate(baskets.basket_ids)}
    got = contents(baskets)
    assert all(f"totalcharges={words[1]}" in got[raw.loc[i, "customerID"]] for i in new_customers)
    assert all(f"tenure={words[0]}" in got[raw.loc[i, "customerID"]] for i in new_customers)
    assert len(row) == 7043


# ----------------------------------------------------------- Shopify
def test_shopify_baskets_keyed_by_lower_case_email(datasets):
    path = datasets / "09_shopify_export" / "orders_export.csv"
    ins = inspect_file(path)
    baskets = baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles, path.name)
    raw = pd.read_csv(path, dtype=str)
    assert (raw["Email"].dropna() != raw["Email"].dropna().str.lower()).any()  # "Russel.winfield@…" in the file
    # the one pending order was never paid: no purchase, no basket (issue 27)
    pending = raw.loc[raw["Financial Status"] == "pending", "Name"].tolist()
    assert raw["Name"].nunique() == 19 and len(pending) == 1
    raw = raw[~raw["Name"].isin(pending)]
    email = raw.groupby("Name")["Email"].first().str.strip().str.lower()
    assert baskets.n_baskets == raw["Name"].nunique() == 18
    got = pd.Series(baskets.customers, index=baskets.basket_ids)
    for order, address in email.items():
        assert (pd.isna(got[order]) and pd.isna(address)) or got[order] == address, order
    assert set(got.dropna()) == set(ins.customers.data[ins.customers.key])
    assert contents(baskets) == raw.assign(item=tidy(raw["Lineitem name"])).groupby("Name")["item"].agg(set).to_dict()


# ----------------------------------------------------------- refusals
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_product_column(mall, lang):
    with pytest.raises(DataError) as caught:
        baskets_from_cleaning(mall.cleaning, mall.kind, mall.roles, "Mall_Customers.csv")
    assert caught.value.code == "baskets.error.no_product"
    text = caught.value.text(lang)
    assert "Mall_Customers.csv" in text and len(text.splitlines()) == 1
    assert ("商品" in text) if lang == "zh" else ("product" in text)
