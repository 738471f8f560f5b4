"""What a prediction predicts, and from which columns: Telco ``Churn``, Bank ``y``, a 违约 column,
churn from Online Retail's order history, and Mall's K-Means segments.

The expected values are worked out here with plain pandas from the raw files:
Telco's 11 blank ``TotalCharges``, Bank's ``unknown`` cells, and, for churn,
the cut-off date, each customer's recency and order count from the lines up to
the cut-off and whether they bought in the 90 days after it. Bad input must
raise :class:`DataError` with a message in English and in Chinese.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.segments.run import segment_inspection
from persona_desktop.core.table.clean_options import CleanOptions
from persona_desktop.core.errors import DataError
from persona_desktop.core.predict.models import make_model
from persona_desktop.core.paths import sample_path
from persona_desktop.core.table.understand import inspect_file, understand
from persona_desktop.core.schema import LoadedTable, SourceInfo
from persona_desktop.core.predict.targets import (
    MAX_CLASSES,
    churn_target,
    segment_target,
    target_from_column,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
TELCO = ("05_telco_churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv")
BANK = ("06_bank_marketing", "bank-full.csv")
MALL_FEATURES = ["Annual Income (k$)", "Spending Score (1-100)"]
# Online Retail lines that are fees or postage, not products (as in tests/test_customers.py)
FEE_CODES = {"POST", "DOT", "M", "D", "S", "C2", "CRUK", "PADS", "B", "BANK CHARGES", "AMAZONFEE"}


def made_up(df: pd.DataFrame):
    """The pipeline's understanding of a small made-up customer table."""
    return understand(LoadedTable(df, SourceInfo("made_up.csv", "csv")))


def note_keys(target) -> list[str]:
    return [n.key for n in target.notes]


def note_text(target, key: str, lang: str = "en") -> str:
    found = [n.text(lang) for n in target.notes if n.key == key]
    assert len(found) == 1, (key, note_keys(target))
    return found[0]


# ----------------------------------------------------------- Telco
@pytest.fixture(scope="module")
def telco_path(datasets):
    return datasets.joinpath(*TELCO)


@pytest.fixture(scope="module")
def telco(telco_path):
    return inspect_file(telco_path)


@pytest.fixture(scope="module")
def telco_raw(telco_path) -> pd.DataFrame:
    return pd.read_csv(telco_path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def telco_churn(telco):
    return target_from_column(telco.customers, "Churn")


def test_telco_churn_target(telco_churn, telco_raw):
    t = telco_churn
    assert len(t.y) == len(t.X) == len(t.ids) == 7_043 == len(telco_raw)
    assert t.kind == "column" and t.name == "Churn"
    assert t.classes == ["No", "Yes"] and t.positive == "Yes"
    # row by row the same customers with the same answers as the file
    assert t.ids.astype(str).tolist() == telco_raw["customerID"].tolist()
    assert t.y.tolist() == telco_raw["Churn"].tolist()
    assert (t.y == "Yes").mean() == pytest.approx((telco_raw["Churn"] == "Yes").mean())


def test_telco_customer_id_and_target_are_never_features(telco_churn):
    t = telco_churn
    for column in ("customerID", "Churn", "outlier"):
        assert column not in t.X.columns
        assert column not in t.numeric + t.categorical
    assert list(t.X.columns) == t.numeric + t.categorical
    assert {"tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen"} <= set(t.numeric)
    assert {"Contract", "PaymentMethod", "InternetService", "gender"} <= set(t.categorical)
    assert len(t.X.columns) == 19  # the 21 columns of the file less customerID and Churn


def test_telco_total_charges_are_numbers(telco_churn, telco_raw):
    t = telco_churn
    assert pd.api.types.is_float_dtype(t.X["TotalCharges"])
    blank = telco_raw["TotalCharges"].str.strip() == ""
    assert int(blank.sum()) == 11
    assert (telco_raw.loc[blank, "tenure"] == "0").all()
    filled = ~blank.to_numpy()
    expected = pd.to_numeric(telco_raw.loc[filled, "TotalCharges"]).to_numpy()
    np.testing.assert_allclose(t.X.loc[filled, "TotalCharges"].to_numpy(), expected)


def test_telco_blank_total_charges_stay_missing_for_the_pipeline(telco_churn, telco_raw):
    blank = (telco_raw["TotalCharges"].str.strip() == "").to_numpy()
    assert telco_churn.X.loc[blank, "TotalCharges"].isna().all()


def test_telco_blank_total_charges_are_imputed_inside_the_pipeline_when_kept(telco_path, telco_raw):
    """With the cleaning told to keep gaps, the target keeps them and the pipeline fills them from its training rows."""
    ins = inspect_file(telco_path, clean_options=CleanOptions(missing="keep"))
    t = target_from_column(ins.customers, "Churn")
    blank = (telco_raw["TotalCharges"].str.strip() == "").to_numpy()
    assert t.X["TotalCharges"].isna().to_numpy().tolist() == blank.tolist()
    rows = np.arange(0, len(t.y), 2)  # half the customers, blanks among them
    assert blank[rows].sum() > 0
    pipeline, _ = make_model("tree", t.numeric, t.categorical, n_rows=len(rows))
    pipeline.fit(t.X.iloc[rows], t.y.iloc[rows])
    imputer = pipeline.named_steps["prepare"].named_transformers_["numbers"].named_steps["impute"]
    j = t.numeric.index("TotalCharges")
    training = pd.to_numeric(telco_raw["TotalCharges"].iloc[rows].str.strip().replace("", np.nan))
    assert imputer.statistics_[j] == pytest.approx(training.median())
    assert imputer.statistics_[j] != pytest.approx(pd.to_numeric(telco_raw["TotalCharges"].replace(" ", np.nan)).median())
    proba = pipeline.predict_proba(t.X[blank])
    assert np.isfinite(proba).all() and proba.shape == (11, 2)


# ----------------------------------------------------------- Bank Marketing
@pytest.fixture(scope="module")
def bank(datasets):
    return inspect_file(datasets.joinpath(*BANK))


@pytest.fixture(scope="module")
def bank_raw(datasets) -> pd.DataFrame:
    return pd.read_csv(datasets.joinpath(*BANK), sep=";", dtype=str)


@pytest.fixture(scope="module")
def bank_y(bank):
    return target_from_column(bank.customers, "y")


def test_bank_target(bank_y, bank_raw):
    t = bank_y
    assert len(t.y) == 45_211 == len(bank_raw)
    assert t.classes == ["no", "yes"] and t.positive == "yes"
    assert t.y.tolist() == bank_raw["y"].tolist()
    assert (t.y == "yes").mean() == pytest.approx(0.117, abs=0.001)


def test_bank_unknown_is_missing_in_categorical_features(bank_y, bank_raw):
    t = bank_y
    with_unknown = [c for c in bank_raw.columns if c != "y" and (bank_raw[c] == "unknown").any()]
    assert with_unknown == ["job", "education", "contact", "poutcome"]
    assert set(with_unknown) <= set(t.categorical)
    for column in t.categorical:
        unknown = (bank_raw[column] == "unknown").to_numpy()
        assert t.X[column].isna().to_numpy().tolist() == unknown.tolist(), column
        assert t.X.loc[~unknown, column].tolist() == bank_raw.loc[~unknown, column].tolist(), column
    text = note_text(t, "target.note.unknown_missing")
    assert "unknown" in text and text.endswith(": " + ", ".join(with_unknown))
    zh = note_text(t, "target.note.unknown_missing", "zh")
    assert CJK.search(zh) and all(c in zh for c in with_unknown)


def test_bank_duration_is_left_out_as_known_after_the_fact(bank_y):
    """Left out by default (issue 26, point 6), and said; included on request, and then flagged."""
    assert "duration" not in bank_y.numeric and bank_y.after_the_fact == []
    text = note_text(bank_y, "target.note.after_left_out")
    assert "duration" in text and "after the outcome" in text and "--include" in text
    assert "通话时长" in note_text(bank_y, "target.note.after_left_out", "zh")


def test_bank_duration_included_on_request_is_flagged(bank):
    t = target_from_column(bank.customers, "y", include=["duration"])
    assert "duration" in t.numeric
    assert t.after_the_fact == ["duration"]
    text = note_text(t, "target.note.after_the_fact")
    assert "“duration”" in text and "after the outcome" in text
    assert "duration" in note_text(t, "target.note.after_the_fact", "zh")


def test_bank_exclude_removes_duration(bank):
    t = target_from_column(bank.customers, "y", exclude=["duration"])
    assert "duration" not in t.X.columns and "duration" not in t.numeric
    assert t.after_the_fact == []
    assert "target.note.after_the_fact" not in note_keys(t)
    assert note_text(t, "target.note.excluded") == "Left out on request: duration"
    assert set(t.X.columns) == {"age", "job", "marital", "education", "default", "balance", "housing", "loan",
                                "contact", "day", "month", "campaign", "pdays", "previous", "poutcome"}


# ----------------------------------------------------------- a Chinese 违约 column
def test_chinese_default_column_gives_positive_shi():
    rng = np.random.default_rng(0)
    n = 120
    df = pd.DataFrame({
        "客户编号": [f"C{i:04d}" for i in range(n)],
        "年龄": rng.integers(20, 70, n),
        "月收入": rng.normal(8000, 2000, n).round(),
        "城市": rng.choice(["北京", "上海", "广州"], n),
        "违约": np.where(rng.random(n) < 0.3, "是", "否"),
    })
    t = target_from_column(made_up(df).customers, "违约")
    assert t.classes == ["否", "是"] and t.positive == "是"
    assert t.y.tolist() == df["违约"].tolist()
    assert "客户编号" not in t.X.columns and "违约" not in t.X.columns
    assert set(t.X.columns) == {"年龄", "月收入", "城市"}


# ----------------------------------------------------------- churn from order history
def plain_churn(raw: pd.DataFrame, days: int) -> tuple[pd.Timestamp, pd.DataFrame, pd.Index]:
    """Cut-off, the per-customer expectation (frequency, recency, churned) and who first bought after the cut-off."""
    cut = raw["InvoiceDate"].max().normalize() - pd.Timedelta(days=days)
    lines = raw[raw["CustomerID"].notna()].assign(customer=lambda d: d["CustomerID"].str.removesuffix(".0"))
    sale = (~lines["InvoiceNo"].str.startswith("C") & (lines["Quantity"] > 0) & (lines["UnitPrice"] > 0)
            & ~lines["StockCode"].str.strip().str.upper().isin(FEE_CODES))
    sales = lines[sale]
    before = sales[sales["InvoiceDate"] <= cut]
    after = sales[(sales["InvoiceDate"] > cut) & (sales["InvoiceDate"] <= cut + pd.Timedelta(days=days))]
    by = before.groupby("customer")
    expected = pd.DataFrame({
        "frequency": by["InvoiceNo"].nunique(),
        "recency_days": (cut - by["InvoiceDate"].max().dt.normalize()).dt.days,
    })
    expected["churned"] = ~expected.index.isin(after["customer"].unique())
    first = sales.groupby("customer")["InvoiceDate"].min()
    return cut, expected, first.index[first > cut]


def read_lines(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str},
                       parse_dates=["InvoiceDate"])


def check_churn(target, raw: pd.DataFrame, days: int) -> None:
    cut, expected, late = plain_churn(raw, days)
    assert target.kind == "churn" and target.cutoff == cut and target.horizon_days == days
    assert target.classes == ["churned", "stayed"] and target.positive == "churned"
    got = pd.DataFrame({"frequency": target.X["frequency"].to_numpy(),
                        "recency_days": target.X["recency_days"].to_numpy(),
                        "churned": (target.y == "churned").to_numpy()},
                       index=target.ids.astype(str).to_numpy())
    # exactly the customers who had bought by the cut-off; nobody whose first order came later
    assert set(got.index) == set(expected.index)
    assert len(late) > 0 and not set(late) & set(got.index)
    got = got.loc[expected.index]
    assert (got["frequency"] == expected["frequency"]).all()
    assert (got["recency_days"] == expected["recency_days"]).all()
    assert (got["churned"] == expected["churned"]).all()
    assert (got["recency_days"] >= 0).all()  # nothing after the cut-off was seen
    # no dates, ids or product names among the features
    assert not any(pd.api.types.is_datetime64_any_dtype(target.X[c]) for c in target.X.columns)
    assert {"CustomerID", "first_order", "last_order", "favourite_product"}.isdisjoint(target.X.columns)
    text = note_text(target, "target.note.churn")
    assert cut.strftime("%Y-%m-%d") in text and f"{days} days" in text
    assert f"{expected['churned'].mean():.1%}" in text


def test_churn_on_the_bundled_sample():
    path = sample_path()
    t = churn_target(inspect_file(path), days=90)
    check_churn(t, read_lines(path), 90)


def test_churn_cutoff_leaving_no_room_is_refused():
    ins = inspect_file(sample_path())
    with pytest.raises(DataError) as info:
        churn_target(ins, days=90, cutoff="2011-11-01")  # only 38 days of orders after it
    assert info.value.code == "target.error.cutoff"
    assert "2011-11-01" in info.value.text("en") and "2011-12-09" in info.value.text("en")


@pytest.fixture(scope="module")
def retail_path(datasets):
    return datasets / "01_online_retail" / "online_retail.csv"


@pytest.mark.slow
def test_churn_from_online_retail_90_days(retail_path):
    raw = read_lines(retail_path)
    t = churn_target(inspect_file(retail_path), days=90)
    assert raw["InvoiceDate"].max() == pd.Timestamp("2011-12-09 12:50")
    assert t.cutoff == pd.Timestamp("2011-09-10")
    check_churn(t, raw, 90)
    assert len(t.y) == 3_368


# ----------------------------------------------------------- segments
def test_segment_target_on_mall_kmeans_5(datasets):
    mall = inspect_file(datasets / "03_mall_customers" / "Mall_Customers.csv")
    seg = segment_inspection(mall, method="kmeans", k=5, features=MALL_FEATURES, stability_runs=0)
    names = {p.segment: p.display_name("en") for p in seg.personas}
    assert len(names) == 5
    t = segment_target(mall.customers, seg.labels, names, lang="en")
    assert t.kind == "segment" and t.name == "segment" and t.positive is None
    assert t.classes == sorted(names.values())
    assert t.y.tolist() == [names[int(label)] for label in seg.labels]
    assert t.ids.tolist() == mall.customers.data["CustomerID"].tolist()
    assert set(t.X.columns) == {"Genre", "Age", *MALL_FEATURES}
    assert segment_target(mall.customers, seg.labels, names, lang="zh").name == "分组"


# ----------------------------------------------------------- bad input
def customers_frame(n: int, **columns) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"id": [f"C{i:04d}" for i in range(n)], "age": rng.integers(20, 70, n),
                         "spend": rng.normal(100, 30, n).round(2), **columns})


def refused(call) -> DataError:
    with pytest.raises(DataError) as info:
        call()
    err = info.value
    en, zh = err.text("en"), err.text("zh")
    assert en.strip() and "\n" not in en and not CJK.search(en)
    assert CJK.search(zh) and "\n" not in zh
    return err


def test_refused_one_class():
    ins = made_up(customers_frame(50, churn=["No"] * 50))
    err = refused(lambda: target_from_column(ins.customers, "churn"))
    assert err.code == "target.error.one_class"
    assert "“churn” has a single value (No)" in err.text("en")


def test_refused_500_classes():
    ins = made_up(customers_frame(1_000, plan=[f"plan {i % 500}" for i in range(1_000)]))
    err = refused(lambda: target_from_column(ins.customers, "plan"))
    assert err.code == "target.error.too_many"
    assert "500 different values" in err.text("en") and f"at most {MAX_CLASSES}" in err.text("en")
    assert "500" in err.text("zh")


def test_refused_an_identifier(telco):
    err = refused(lambda: target_from_column(telco.customers, "customerID"))
    assert err.code == "target.error.identifier"
    assert "“customerID” identifies customers" in err.text("en")


@pytest.mark.parametrize("case", ["identifier", "churn_on_customers"])
def test_chinese_error_text_is_all_chinese(telco, case):
    if case == "identifier":
        err = refused(lambda: target_from_column(telco.customers, "customerID"))
        assert "客户编号" in err.text("zh") and "Customer ID" not in err.text("zh")
    else:
        err = refused(lambda: churn_target(telco, 90))
        assert "one row per customer" not in err.text("zh")


def test_refused_fewer_rows_than_folds():
    ins = made_up(customers_frame(4, churn=["Yes", "No", "Yes", "No"]))
    err = refused(lambda: target_from_column(ins.customers, "churn", folds=5))
    assert err.code == "target.error.few_rows"
    assert "Only 4 customers" in err.text("en") and "at least 10" in err.text("en")


def test_refused_class_rarer_than_folds():
    """Every class needs two customers per fold (the hold-out and the SVM's calibration split it again)."""
    ins = made_up(customers_frame(60, tier=["gold"] * 6 + ["silver"] * 24 + ["bronze"] * 30))
    err = refused(lambda: target_from_column(ins.customers, "tier", folds=5))
    assert err.code == "target.error.rare_class"
    assert "“gold”" in err.text("en") and "6 time(s)" in err.text("en") and "5-fold" in err.text("en")
    assert "at least 10" in err.text("en")
    # with 3 folds (6 needed) the same column is accepted
    assert target_from_column(ins.customers, "tier", folds=3).classes == ["bronze", "gold", "silver"]


def test_refused_unknown_column(telco):
    err = refused(lambda: target_from_column(telco.customers, "Churned"))
    assert err.code == "target.error.missing"
    assert "There is no column “Churned”" in err.text("en") and "customerID, gender" in err.text("en")


def test_refused_churn_of_a_customer_file(telco):
    err = refused(lambda: churn_target(telco, 90))
    assert err.code == "target.error.churn_needs_orders"
    assert "WA_Fn-UseC_-Telco-Customer-Churn.csv" in err.text("en") and "order lines" in err.text("en")


def test_refused_churn_of_a_basket_file(datasets):
    err = refused(lambda: churn_target(inspect_file(datasets / "04_groceries" / "groceries.csv"), 90))
    assert err.code == "target.error.churn_needs_orders" and "groceries.csv" in err.text("en")
