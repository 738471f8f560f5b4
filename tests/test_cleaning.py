"""Cleaning steps on Online Retail, Telco and Shopify, and on small made-up tables.

Counts on Online Retail are checked against plain pandas on the raw CSV
(``pd.read_csv`` with no help from the reader), row by row where possible:
every row keeps exactly one status, each step can be switched off, missing
values are handled as chosen, outliers are flagged and never removed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.table.clean_options import KEPT, OUTLIER_COLUMN, STATUS_KEYS, CleanOptions, CleanResult
from persona_desktop.core.table.cleaning import clean
from persona_desktop.core.table.customers import build_customers
from persona_desktop.core.io import load_table
from persona_desktop.core.table.understand import understand
from persona_desktop.core.table.roles import apply_roles, detect_roles
from persona_desktop.core.schema import LoadedTable, Role, SourceInfo, TableKind

R = Role
RETAIL_LINES = 541_909
# steps that take rows out, in the order they run
TAKE_OUT_STEPS = ("duplicates", "missing_customer", "refunds", "non_product")


def loaded(df: pd.DataFrame) -> LoadedTable:
    return LoadedTable(df, SourceInfo("made_up.csv", "csv"))


def status_names(result: CleanResult) -> pd.Series:
    return pd.Series(np.asarray(STATUS_KEYS)[result.status], index=result.frame.index)


def assert_every_row_once(result: CleanResult, n_rows: int) -> None:
    assert len(result.status) == len(result.frame) == n_rows
    counts = {key: int(result.mask(key).sum()) for key in STATUS_KEYS}
    assert sum(counts.values()) == n_rows
    assert len(result.data) == counts[KEPT]
    assert {k: len(v) for k, v in result.set_aside.items()} == {k: n for k, n in counts.items() if k != KEPT and n}
    labels = np.concatenate([result.data.index.to_numpy(), *(f.index.to_numpy() for f in result.set_aside.values())])
    assert len(labels) == n_rows and pd.Index(labels).is_unique


# ----------------------------------------------------------- Online Retail
@pytest.fixture(scope="module")
def retail(datasets):
    """The default cleaning of Online Retail, its input, and the raw CSV as plain pandas reads it."""
    path = datasets / "01_online_retail" / "online_retail.csv"
    table = load_table(path)
    ins = understand(table)
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
    assert ins.cleaning.frame.index.equals(pd.RangeIndex(len(raw)))  # row labels are file rows
    data = apply_roles(table.data, ins.roles)
    runs: dict[frozenset, CleanResult] = {}

    def run(*disabled: str) -> CleanResult:
        key = frozenset(disabled)
        if key not in runs:
            runs[key] = clean(data, ins.roles, ins.kind, CleanOptions(disabled=set(disabled)))
        return runs[key]

    return ins, raw, run


@pytest.fixture(scope="module")
def raw_flags(retail):
    """Per raw row: duplicate, has a customer, cancellation — computed with pandas alone."""
    _, raw, _ = retail
    return pd.DataFrame({
        "dup": raw.duplicated(keep="first"),
        "customer": raw["CustomerID"].notna(),
        "cancel": raw["InvoiceNo"].str.startswith("C") | (raw["Quantity"] < 0),
        "code": raw["StockCode"].str.strip().str.upper(),
        "free": raw["UnitPrice"] == 0,
    })


def labels(frame: pd.DataFrame) -> list:
    return sorted(frame.index.tolist())


@pytest.mark.slow
def test_retail_duplicates_step_removes_the_5268_exact_duplicates(retail, raw_flags):
    ins, _, _ = retail
    step = ins.cleaning.step("duplicates")
    assert step.rows == int(raw_flags["dup"].sum()) == 5_268
    assert step.action == "removed" and step.enabled
    assert labels(ins.cleaning.set_aside["duplicates"]) == raw_flags.index[raw_flags["dup"]].tolist()


@pytest.mark.slow
def test_retail_no_row_is_lost(retail):
    ins, _, _ = retail
    assert_every_row_once(ins.cleaning, RETAIL_LINES)
    for key in TAKE_OUT_STEPS:
        assert ins.cleaning.step(key).rows == int(ins.cleaning.mask(key).sum()), key


@pytest.mark.slow
def test_retail_rows_without_customer_are_set_aside(retail, raw_flags):
    ins, _, _ = retail
    expected = raw_flags.index[~raw_flags["dup"] & ~raw_flags["customer"]].tolist()
    assert labels(ins.cleaning.set_aside["missing_customer"]) == expected


@pytest.mark.slow
def test_retail_refunds_are_the_cancellations_of_known_customers(retail, raw_flags):
    ins, raw, _ = retail
    f = raw_flags
    expected = f.index[~f["dup"] & f["customer"] & f["cancel"]]
    refunds = ins.cleaning.set_aside["refunds"]
    assert labels(refunds) == expected.tolist()
    assert raw.loc[expected, "InvoiceNo"].str.startswith("C").all()  # on this file: exactly the C invoices
    assert ins.cleaning.step("refunds").rows == len(expected)


NAMED_FEES = {"POST", "DOT", "M", "BANK CHARGES", "AMAZONFEE"}


@pytest.mark.slow
def test_retail_non_product_takes_fees_and_zero_price_lines(retail, raw_flags):
    ins, raw, _ = retail
    f = raw_flags
    candidates = ~f["dup"] & f["customer"] & ~f["cancel"]
    must = f.index[candidates & (f["code"].isin(NAMED_FEES) | f["free"])]
    taken = ins.cleaning.set_aside["non_product"]
    assert set(must) <= set(taken.index)
    assert len(must) > 1_000
    # and nothing else but other fee-like codes (CARRIAGE, cushion pads at £0.001)
    others = raw.loc[sorted(set(taken.index) - set(must)), "StockCode"]
    assert set(others) <= {"C2", "PADS"}, set(others)
    for code in ("POST", "DOT", "M", "BANK CHARGES"):
        assert (taken["StockCode"] == code).any(), code


@pytest.mark.slow
def test_retail_amazon_fees_and_bad_debt_are_caught_once_customers_and_refunds_are_off(retail, raw_flags):
    _, raw, run = retail
    result = run("missing_customer", "refunds")
    f = raw_flags
    fees = f.index[~f["dup"] & (f["code"].isin(NAMED_FEES) | f["free"])]
    assert (f.loc[fees, "code"] == "AMAZONFEE").sum() == 34
    assert set(fees) <= set(result.set_aside["non_product"].index)
    # the "A" bad-debt adjustments (code B) are fees; with non_product off, the ones at a negative price
    # are caught as impossible
    adjustments = raw.loc[raw["InvoiceNo"].str.startswith("A"), "UnitPrice"]
    assert len(adjustments) == 3 and set(adjustments.index) <= set(result.set_aside["non_product"].index)
    negative = adjustments.index[adjustments < 0].tolist()
    assert len(negative) == 2
    assert labels(run("missing_customer", "non_product").set_aside["impossible"]) == negative


@pytest.mark.slow
def test_retail_trim_counts_every_row_with_spaces_to_tidy(retail, raw_flags):
    ins, raw, _ = retail
    changed = np.zeros(len(raw), dtype=bool)
    for column in ("StockCode", "Description", "CustomerID", "Country"):
        distinct = pd.Series(raw[column].dropna().unique())
        tidy = distinct.str.strip().str.replace(r"\s{2,}", " ", regex=True)
        changed |= raw[column].isin(distinct[tidy != distinct]).to_numpy()
    changed &= ~raw_flags["dup"].to_numpy()
    assert ins.cleaning.step("trim").rows == int(changed.sum()) > 100_000
    description = ins.cleaning.frame["Description"].dropna().astype(str)
    assert not (description.str.startswith(" ") | description.str.endswith(" ")).any()


@pytest.mark.slow
@pytest.mark.parametrize("key", TAKE_OUT_STEPS)
def test_retail_switching_off_a_step_leaves_its_rows_to_the_later_steps(retail, key):
    ins, _, run = retail
    default = status_names(ins.cleaning)
    off = run(key)
    step = off.step(key)
    assert step.enabled is False and step.rows == 0
    now = status_names(off)
    assert not off.mask(key).any()
    # rows the step did not take out keep their status
    others = default != key
    assert now[others].equals(default[others])
    # rows it took out are now kept, or taken by a step that runs after it
    later = {KEPT, *STATUS_KEYS[STATUS_KEYS.index(key) + 1:]}
    assert set(now[default == key].unique()) <= later
    released = int((now[default == key] == KEPT).sum())
    assert released > 0
    assert len(off.data) == len(ins.cleaning.data) + released
    assert_every_row_once(off, RETAIL_LINES)


@pytest.mark.slow
def test_retail_refunds_switched_off_stay_in_the_data(retail):
    ins, _, run = retail
    refunds = ins.cleaning.set_aside["refunds"]
    kept = run("refunds").data
    non_fee = refunds[~refunds["StockCode"].isin(["POST", "DOT", "M", "BANK CHARGES", "C2", "D", "CRUK"])]
    assert set(non_fee.index) <= set(kept.index)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["trim", "impossible", "outliers", "fill_down"])
def test_retail_switching_off_a_changing_step(retail, key):
    ins, _, run = retail
    off = run(key)
    step = off.step(key)
    assert step is not None and step.enabled is False and step.rows == 0
    assert len(off.data) == len(ins.cleaning.data)
    if key == "trim":
        description = off.frame["Description"].dropna().astype(str)
        assert description.str.endswith(" ").sum() > 100_000  # as in the file
    if key == "outliers":
        assert OUTLIER_COLUMN not in off.frame.columns


@pytest.mark.slow
def test_retail_outliers_are_flagged_never_removed(retail):
    ins, _, run = retail
    result = ins.cleaning
    flag = result.frame[OUTLIER_COLUMN]
    assert flag.dtype == bool
    assert result.step("outliers").rows == int(flag.sum()) > 0
    assert result.roles[OUTLIER_COLUMN] is R.FLAG
    assert not flag[~result.kept].any()  # only rows kept for analysis are judged
    assert result.status.tolist() == run("outliers").status.tolist()  # no row changes status


# ------------------------------------------------------- missing values
def customers_with_gaps() -> tuple[pd.DataFrame, dict]:
    df = pd.DataFrame({
        "CustomerID": pd.Series([f"C{i}" for i in range(1, 9)], dtype="str"),
        "Age": [25, np.nan, 30, 30, np.nan, 55, 60, 62],
        "Income": [20.0, 70.0, np.nan, 60.0, 55.0, 20.0, 35.0, 95.0],
        "City": pd.Series(["York", "Leeds", None, "York", "York", None, "Hull", "Leeds"], dtype="str"),
    })
    roles = {"CustomerID": R.CUSTOMER_ID, "Age": R.AGE, "Income": R.INCOME, "City": R.CITY}
    return df, roles


GAPS = {"Age": [1, 4], "Income": [2], "City": [2, 5]}
ROWS_WITH_GAPS = [1, 2, 4, 5]


@pytest.mark.parametrize("strategy, expected", [
    ("median", {"Age": 42.5, "Income": 55.0, "City": "York"}),
    ("mode", {"Age": 30.0, "Income": 20.0, "City": "York"}),
    ("constant", {"Age": -1.0, "Income": -1.0, "City": "(missing)"}),
    ("flag", {"Age": 42.5, "Income": 55.0, "City": "York"}),
])
def test_missing_values_filled(strategy, expected):
    df, roles = customers_with_gaps()
    result = clean(df, roles, TableKind.CUSTOMERS, CleanOptions(missing=strategy, missing_constant=-1.0))
    assert_every_row_once(result, 8)
    assert len(result.data) == 8
    step = result.step("missing")
    assert step.rows == len(ROWS_WITH_GAPS) and step.cells == 5 and step.action == "changed"
    for column, rows in GAPS.items():
        filled = result.data[column]
        assert filled.notna().all(), column
        assert (filled.iloc[rows] == expected[column]).all(), (column, filled.iloc[rows].tolist())
        untouched = [i for i in range(8) if i not in rows]
        assert filled.iloc[untouched].tolist() == df[column].iloc[untouched].tolist()
    flags = [c for c in result.data.columns if c.endswith(" missing")]
    if strategy == "flag":
        assert sorted(flags) == ["Age missing", "City missing", "Income missing"]
        for column, rows in GAPS.items():
            assert np.flatnonzero(result.data[f"{column} missing"].to_numpy()).tolist() == rows
            assert result.roles[f"{column} missing"] is R.FLAG
    else:
        assert flags == []


def test_missing_values_dropped_are_set_aside():
    df, roles = customers_with_gaps()
    result = clean(df, roles, TableKind.CUSTOMERS, CleanOptions(missing="drop"))
    assert labels(result.set_aside["missing"]) == ROWS_WITH_GAPS
    assert result.data["CustomerID"].tolist() == ["C1", "C4", "C7", "C8"]
    assert result.step("missing").rows == 4 and result.step("missing").action == "set_aside"
    assert_every_row_once(result, 8)


def test_missing_values_kept_as_they_are():
    df, roles = customers_with_gaps()
    result = clean(df, roles, TableKind.CUSTOMERS, CleanOptions(missing="keep"))
    pd.testing.assert_frame_equal(result.data[list(df.columns)], df)
    assert result.set_aside == {}


def test_order_lines_are_not_filled_in():
    df = pd.DataFrame({"Order": pd.Series(["1", "2", "3"], dtype="str"), "Customer": pd.Series(["a", "b", "c"], dtype="str"),
                       "Age": [30.0, np.nan, 50.0]})
    roles = {"Order": R.ORDER_ID, "Customer": R.CUSTOMER_ID, "Age": R.AGE}
    result = clean(df, roles, TableKind.ORDERS)
    assert result.step("missing") is None
    assert result.data["Age"].isna().sum() == 1


@pytest.fixture(scope="module")
def telco(datasets):
    path = datasets / "05_telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    return load_table(path), raw


@pytest.mark.parametrize("strategy", ["drop", "median", "mode", "constant", "flag", "keep"])
def test_telco_blank_total_charges(telco, strategy):
    table, raw = telco
    blank = raw["TotalCharges"].str.strip() == ""
    assert blank.sum() == 11 and (raw.loc[blank, "tenure"] == "0").all()
    charges = pd.to_numeric(raw["TotalCharges"], errors="coerce")
    blank_ids = set(raw.loc[blank, "customerID"])

    ins = understand(table, clean_options=CleanOptions(missing=strategy, missing_constant=0.0))
    result = ins.cleaning
    step = result.step("missing")
    assert_every_row_once(result, 7_043)
    rows = result.frame["customerID"].isin(blank_ids).to_numpy()
    values = result.frame.loc[rows, "TotalCharges"]
    if strategy == "drop":
        assert step.rows == 11
        assert set(result.set_aside["missing"]["customerID"]) == blank_ids
        assert len(result.data) == 7_043 - 11 and len(ins.customers) == 7_032
        return
    assert len(result.data) == 7_043
    if strategy == "keep":
        assert step.rows == 11 and step.cells == 11 and values.isna().all()
        return
    assert step.rows == 11 and step.cells == 11
    expected = {"median": charges.median(), "flag": charges.median(), "mode": charges.mode().iloc[0],
                "constant": 0.0}[strategy]
    assert values.tolist() == pytest.approx([expected] * 11)
    others = result.frame.loc[~rows, "TotalCharges"].to_numpy()
    np.testing.assert_allclose(others, charges[~blank].to_numpy())
    if strategy == "flag":
        assert set(result.frame.loc[result.frame["TotalCharges missing"] == 1, "customerID"]) == blank_ids


def test_repeated_customer_rows_set_aside_unless_switched_off():
    df = pd.DataFrame({"CustomerID": pd.Series(["C1", "C2", "C1", " C2"], dtype="str"), "Age": [30.0, 40.0, 31.0, 41.0]})
    roles = {"CustomerID": R.CUSTOMER_ID, "Age": R.AGE}
    on = clean(df, roles, TableKind.CUSTOMERS)
    assert labels(on.set_aside["duplicate_ids"]) == [2, 3]  # " C2" is C2 once trimmed
    assert on.step("duplicate_ids").rows == 2
    off = clean(df, roles, TableKind.CUSTOMERS, CleanOptions(disabled={"duplicate_ids"}))
    assert off.step("duplicate_ids").enabled is False and off.step("duplicate_ids").rows == 0
    assert labels(off.data) == [0, 1, 2, 3]


def test_missing_step_switched_off_leaves_the_gaps():
    df, roles = customers_with_gaps()
    result = clean(df, roles, TableKind.CUSTOMERS, CleanOptions(disabled={"missing"}, missing="drop"))
    step = result.step("missing")
    assert step.enabled is False and step.rows == 0
    assert len(result.data) == 8 and result.data["Age"].isna().sum() == 2


# --------------------------------------------------------- impossible values
def customers_with_ages(ages) -> pd.DataFrame:
    return pd.DataFrame({"CustomerID": pd.Series([f"C{i}" for i in range(len(ages))], dtype="str"),
                         "Age": pd.Series(ages, dtype="float64")})


def test_impossible_ages_are_emptied_not_removed():
    ages = [0, -3, 150, 1, 110, 30, 45, 28]
    df = customers_with_ages(ages)
    result = clean(df, {"CustomerID": R.CUSTOMER_ID, "Age": R.AGE}, TableKind.CUSTOMERS, CleanOptions(missing="keep"))
    assert len(result.data) == 8
    assert np.flatnonzero(result.data["Age"].isna().to_numpy()).tolist() == [0, 1, 2]
    assert result.data["Age"].iloc[3:].tolist() == ages[3:]  # 1 and 110 are possible
    step = result.step("impossible")
    assert step.rows == 3 and step.cells == 3
    assert df["Age"].tolist() == ages  # the input is not changed


def test_impossible_ages_then_get_the_median_by_default():
    ages = [0, -3, 150, 1, 110, 30, 45, 28]
    result = clean(customers_with_ages(ages), {"CustomerID": R.CUSTOMER_ID, "Age": R.AGE}, TableKind.CUSTOMERS)
    assert result.data["Age"].iloc[:3].tolist() == [float(np.median([1, 110, 30, 45, 28]))] * 3


def test_impossible_ages_in_a_detected_age_column():
    ages = [0, -3, 150] + [20 + i for i in range(40)]
    ins = understand(loaded(customers_with_ages(ages)), clean_options=CleanOptions(missing="keep"))
    assert ins.roles["Age"] is R.AGE
    assert ins.cleaning.data["Age"].isna().sum() == 3 and len(ins.cleaning.data) == 43


def test_negative_income_is_emptied():
    df = pd.DataFrame({"CustomerID": pd.Series(["a", "b", "c"], dtype="str"), "Income": [-5.0, 0.0, 30.0]})
    result = clean(df, {"CustomerID": R.CUSTOMER_ID, "Income": R.INCOME}, TableKind.CUSTOMERS,
                   CleanOptions(missing="keep"))
    assert result.data["Income"].isna().tolist() == [True, False, False]


# ------------------------------------------------------------------ outliers
@pytest.mark.parametrize("method", ["iqr", "isolation_forest"])
def test_outliers_are_flagged_in_a_column_and_never_removed(method):
    rng = np.random.default_rng(7)
    income = np.round(rng.normal(50, 5, 80), 1).tolist() + [900.0]
    df = pd.DataFrame({"CustomerID": pd.Series([f"C{i}" for i in range(81)], dtype="str"), "Income": income})
    result = clean(df, {"CustomerID": R.CUSTOMER_ID, "Income": R.INCOME}, TableKind.CUSTOMERS,
                   CleanOptions(outliers=method))
    assert len(result.data) == 81 and result.set_aside == {}
    flag = result.data[OUTLIER_COLUMN]
    assert bool(flag.iloc[-1]) is True
    assert result.step("outliers").rows == int(flag.sum())
    assert result.step("outliers").action == "flagged"


def test_iqr_flags_only_the_far_out_value_of_a_normal_sample():
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"CustomerID": pd.Series([f"C{i}" for i in range(81)], dtype="str"),
                       "Income": np.round(rng.normal(50, 5, 80), 1).tolist() + [900.0]})
    result = clean(df, {"CustomerID": R.CUSTOMER_ID, "Income": R.INCOME}, TableKind.CUSTOMERS)
    assert np.flatnonzero(result.data[OUTLIER_COLUMN].to_numpy()).tolist() == [80]


def test_no_outlier_column_when_outliers_are_not_looked_for():
    df = pd.DataFrame({"CustomerID": pd.Series([f"C{i}" for i in range(20)], dtype="str"),
                       "Income": [50.0] * 19 + [900.0]})
    result = clean(df, {"CustomerID": R.CUSTOMER_ID, "Income": R.INCOME}, TableKind.CUSTOMERS,
                   CleanOptions(outliers="none"))
    assert OUTLIER_COLUMN not in result.data.columns
    assert result.step("outliers").rows == 0


def test_existing_outlier_column_is_not_overwritten():
    df = pd.DataFrame({"CustomerID": pd.Series([f"C{i}" for i in range(20)], dtype="str"),
                       "Income": [float(40 + i) for i in range(19)] + [9000.0], "outlier": ["no"] * 20})
    result = clean(df, {"CustomerID": R.CUSTOMER_ID, "Income": R.INCOME, "outlier": R.CATEGORICAL},
                   TableKind.CUSTOMERS)
    assert result.data["outlier"].tolist() == ["no"] * 20
    assert bool(result.data["outlier (flag)"].iloc[-1])


def test_mall_outliers_with_isolation_forest_keep_every_customer(datasets):
    table = load_table(datasets / "03_mall_customers" / "Mall_Customers.csv")
    ins = understand(table, clean_options=CleanOptions(outliers="isolation_forest"))
    assert len(ins.cleaning.data) == 200 and len(ins.customers) == 200
    assert ins.cleaning.data[OUTLIER_COLUMN].dtype == bool


@pytest.mark.parametrize("name", ["03_mall_customers/Mall_Customers.csv",
                                  "05_telco_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"])
def test_isolation_forest_flags_only_a_small_share_of_real_customers(datasets, name):
    ins = understand(load_table(datasets / name), clean_options=CleanOptions(outliers="isolation_forest"))
    flagged = ins.cleaning.step("outliers").rows
    assert flagged <= 0.10 * len(ins.cleaning.data), f"{flagged} of {len(ins.cleaning.data)} flagged"


# --------------------------------------------------------- Shopify fill-down
@pytest.fixture(scope="module")
def shopify(datasets):
    path = datasets / "09_shopify_export" / "orders_export.csv"
    return load_table(path), pd.read_csv(path, dtype=str)


def test_shopify_order_fields_are_filled_down_within_each_order(shopify):
    table, raw = shopify
    later = raw["Name"].duplicated()
    # as exported: totals and payment fields on an order's first line only
    for column in ("Total", "Paid at", "Financial Status"):
        assert raw.loc[later, column].isna().all()
    ins = understand(table)
    step = ins.cleaning.step("fill_down")
    assert step.enabled and step.rows == int(later.sum()) == 21
    frame = ins.cleaning.frame
    first_total = raw.loc[~later].set_index("Name")["Total"].astype(float)
    assert frame["Total"].to_numpy().tolist() == raw["Name"].map(first_total).tolist()
    assert frame.groupby("Name")["Financial Status"].nunique().eq(1).all()
    # #1013 is pending: no "Paid at" on its first line, and none is borrowed from #1012
    assert frame.loc[frame["Name"] == "#1013", "Paid at"].isna().all()


def test_shopify_fill_down_switched_off(shopify):
    table, raw = shopify
    ins = understand(table, clean_options=CleanOptions(disabled={"fill_down"}))
    step = ins.cleaning.step("fill_down")
    assert step.enabled is False and step.rows == 0
    later = raw["Name"].duplicated().to_numpy()
    assert ins.cleaning.frame.loc[later, "Total"].isna().all()


# ----------------------------------------------------------- refund statuses
def test_shopify_style_statuses():
    df = pd.DataFrame({
        "Order": pd.Series(["1", "2", "3", "4", "5"], dtype="str"),
        "Customer": pd.Series(["a", "b", "c", "d", "e"], dtype="str"),
        "Status": pd.Series(["paid", "refunded", "partially_refunded", "voided", "pending"], dtype="str"),
        "Total": [10.0, 20.0, 30.0, 40.0, 50.0],
    })
    roles = {"Order": R.ORDER_ID, "Customer": R.CUSTOMER_ID, "Status": R.STATUS, "Total": R.ORDER_TOTAL}
    result = clean(df, roles, TableKind.ORDERS)
    assert result.set_aside["refunds"]["Status"].tolist() == ["refunded"]
    # never charged (an authorisation voided, a payment pending): not a refund, not a sale (issue 27)
    assert result.set_aside["unpaid"]["Status"].tolist() == ["voided", "pending"]
    assert result.data["Status"].tolist() == ["paid", "partially_refunded"]


def test_chinese_refund_statuses_that_mean_no_refund_are_sales():
    df = pd.DataFrame({
        "订单编号": pd.Series(["1", "2", "3", "4"], dtype="str"),
        "买家ID": pd.Series(["a", "b", "c", "d"], dtype="str"),
        "退款状态": pd.Series(["没有申请退款", "退款成功", "退款关闭", "没有申请退款"], dtype="str"),
        "实付金额": [10.0, 20.0, 30.0, 40.0],
    })
    ins = understand(loaded(df))
    assert ins.roles["退款状态"] is R.STATUS
    assert ins.cleaning.set_aside["refunds"]["退款状态"].tolist() == ["退款成功"]


# ------------------------------------------------------ categorical columns
def test_constant_fill_on_a_long_customer_file(tmp_path):
    n = 20_000  # long enough for the reader to hold text columns as categoricals
    df = pd.DataFrame({"CustomerID": [f"C{i:05d}" for i in range(n)],
                       "City": np.resize(["Leeds", "York", "Hull"], n), "Age": np.resize([25, 40, 60, 33], n)})
    df.loc[::100, "City"] = None
    path = tmp_path / "customers.csv"
    df.to_csv(path, index=False)
    table = load_table(path)
    assert isinstance(table.data["City"].dtype, pd.CategoricalDtype)
    ins = understand(table, clean_options=CleanOptions(missing="constant"))
    assert (ins.cleaning.data["City"] == "(missing)").sum() == 200


# --------------------------------------------------------- degenerate tables
ORDER_TYPES = {"Order": "str", "Customer": "str", "Product": "str", "Quantity": "int64", "Price": "float64",
               "Date": "datetime64[ns]"}
ORDER_ROLES = {"Order": R.ORDER_ID, "Customer": R.CUSTOMER_ID, "Product": R.PRODUCT, "Quantity": R.QUANTITY,
               "Price": R.UNIT_PRICE, "Date": R.ORDER_DATE}


def one_line() -> pd.DataFrame:
    return pd.DataFrame({"Order": pd.Series(["1"], dtype="str"), "Customer": pd.Series(["7"], dtype="str"),
                         "Product": pd.Series(["mug"], dtype="str"), "Quantity": [2], "Price": [1.5],
                         "Date": pd.to_datetime(["2024-01-01"])})


DEGENERATE = {
    "empty": pd.DataFrame({c: pd.Series([], dtype=t) for c, t in ORDER_TYPES.items()}),
    "no columns": pd.DataFrame(),
    "one row": one_line(),
    "all-missing customer": pd.concat([one_line()] * 3, ignore_index=True).assign(
        Customer=pd.Series([None] * 3, dtype="str"), Order=["1", "2", "3"]),
    "all-missing price": pd.concat([one_line()] * 3, ignore_index=True).assign(Price=[np.nan] * 3),
    "one column": pd.DataFrame({"Customer": pd.Series(["a", "b", "a"], dtype="str")}),
    "only refunds": pd.concat([one_line()] * 3, ignore_index=True).assign(Quantity=[-1, -2, -3],
                                                                          Order=["C1", "C2", "C3"]),
}


@pytest.mark.parametrize("kind", [TableKind.ORDERS, TableKind.CUSTOMERS])
@pytest.mark.parametrize("name", list(DEGENERATE))
@pytest.mark.parametrize("options", [CleanOptions(), CleanOptions(missing="drop", outliers="isolation_forest"),
                                     CleanOptions(missing="flag"), CleanOptions(missing="constant")],
                         ids=["default", "drop+forest", "flag", "constant"])
def test_degenerate_tables_do_not_crash_clean(name, kind, options):
    df = DEGENERATE[name]
    roles = {c: r for c, r in ORDER_ROLES.items() if c in df.columns}
    result = clean(df, roles, kind, options)
    assert_every_row_once(result, len(df))
    customers = build_customers(result, roles, kind)
    assert customers is None or len(customers) <= len(df)


@pytest.mark.parametrize("name", list(DEGENERATE))
def test_degenerate_tables_do_not_crash_understand(name):
    df = DEGENERATE[name]
    ins = understand(loaded(df))
    assert_every_row_once(ins.cleaning, len(df))
    assert list(ins.roles) == list(df.columns)


def test_detected_roles_of_a_single_line_order():
    assert detect_roles(one_line()) == ORDER_ROLES
