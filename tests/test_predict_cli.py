"""``persona-desktop predict``: its JSON, its options, its workbook, its refusals, and the prediction charts.

Run in-process through ``persona_desktop.cli.main`` (with ``capsys``) on small
Telco slices written to a temporary folder, the Mall file and the bundled
sample, plus one real subprocess. Expected values (the majority share, the
customers who bought by the cut-off, the hold-out size) are computed here with
pandas. The workbook is read back with openpyxl. Charts are drawn with Agg in
English and Chinese and must not warn about missing glyphs.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import math
import re
import subprocess
import sys
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from persona_desktop.cli import main
from persona_desktop.core.charts import configure_fonts, new_figure
from persona_desktop.core.charts.predict import (
    draw_confusion,
    draw_importance,
    draw_probabilities,
    draw_roc_curves,
)
from persona_desktop.core.predict.model_files import apply_model, load_model
from persona_desktop.core.predict.models import model_label
from persona_desktop.core.paths import sample_path
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.predict.run import train
from persona_desktop.core.predict.targets import target_from_column

CJK = re.compile(r"[\u4e00-\u9fff]")
TELCO = ("05_telco_churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv")
DOC_KEYS = {"target", "positive_class", "model", "folds", "baseline_accuracy", "metrics", "leaderboard",
            "feature_importance", "classes", "confusion_matrix"}
METRICS = {"accuracy", "precision", "recall", "f1", "roc_auc"}
SINGLE_MODELS = ("tree", "forest", "logistic", "svm", "boosting", "mlp")
FEATURES = ["SeniorCitizen", "tenure", "Contract", "InternetService", "PaymentMethod", "MonthlyCharges",
            "TotalCharges"]
FEE_CODES = {"POST", "DOT", "M", "D", "S", "C2", "CRUK", "PADS", "B", "BANK CHARGES", "AMAZONFEE"}


@pytest.fixture(scope="module")
def telco_raw(datasets) -> pd.DataFrame:
    return pd.read_csv(datasets.joinpath(*TELCO), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def files(telco_raw, tmp_path_factory) -> dict:
    """Telco slices with seven of its columns (fast): 300 and 200 customers with Churn, 60 new ones without,
    60 who all stayed."""
    folder = tmp_path_factory.mktemp("predict")
    shuffled = telco_raw[["customerID", *FEATURES, "Churn"]].sample(frac=1.0, random_state=1)
    slices = {"churn300": shuffled.iloc[:300], "churn200": shuffled.iloc[300:500],
              "new": shuffled.iloc[500:560].drop(columns=["Churn"]),
              "stayed": shuffled[shuffled["Churn"] == "No"].iloc[:60]}
    paths = {}
    for name, frame in slices.items():
        paths[name] = folder / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    paths["folder"] = folder
    paths["frames"] = slices
    return paths


@pytest.fixture(scope="module")
def mall_path(datasets):
    return datasets / "03_mall_customers" / "Mall_Customers.csv"


def predict_json(capsys, *args) -> dict:
    code = main(["predict", *map(str, args), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def sheet(path, name: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def row_of(rows: list[tuple], first: str) -> tuple:
    found = [r for r in rows if r and r[0] == first]
    assert len(found) == 1, first
    return found[0]


# ----------------------------------------------------------- the JSON document
@pytest.fixture(scope="module")
def full_run(files):
    """One run comparing every model, with --apply, --save-model and --out."""
    folder = files["folder"]
    out, model = folder / "churn.xlsx", folder / "churn.pdmodel"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["predict", str(files["churn300"]), "--target", "Churn", "--folds", "3", "--apply",
                     str(files["new"]), "--save-model", str(model), "--out", str(out), "--json", "--lang", "en"])
    assert code == 0
    return json.loads(buffer.getvalue()), out, model


def test_json_document(full_run, files):
    doc = full_run[0]
    frame = files["frames"]["churn300"]
    assert DOC_KEYS <= set(doc)
    assert doc["target"] == "Churn" and doc["positive_class"] == "Yes" and doc["classes"] == ["No", "Yes"]
    assert doc["model"] in SINGLE_MODELS and doc["folds"] == 3 and doc["customers"] == 300
    assert doc["baseline_accuracy"] == pytest.approx((frame["Churn"] == "No").mean())
    assert set(doc["metrics"]) == METRICS
    assert all(0.0 <= doc["metrics"][k] <= 1.0 for k in METRICS)
    assert doc["metrics"]["roc_auc"] > 0.7
    board = doc["leaderboard"]
    assert sorted(r["model"] for r in board) == sorted(SINGLE_MODELS)
    assert all(set(r) == {"model", "accuracy", "f1", "roc_auc", "seconds"} for r in board)
    aucs = [r["roc_auc"] for r in board]
    assert aucs == sorted(aucs, reverse=True) and board[0]["model"] == doc["model"]
    assert doc["metrics"]["roc_auc"] == board[0]["roc_auc"]
    features = [f["feature"] for f in doc["feature_importance"]]
    assert all(set(f) == {"feature", "importance"} for f in doc["feature_importance"])
    assert sorted(features) == sorted(FEATURES)
    matrix = np.array(doc["confusion_matrix"])
    assert matrix.shape == (2, 2) and matrix.sum() == math.ceil(0.2 * 300)
    # the hold-out keeps the shares (stratified): its "Yes" row is the file's share of Yes of 60 customers
    assert matrix[1].sum() == pytest.approx(60 * (frame["Churn"] == "Yes").mean(), abs=1)


# the other choices: tree in the text tests, logistic for churn and segments, forest in the subprocess,
# compare in the full run
@pytest.mark.parametrize("model", ["svm", "boosting", "mlp"])
def test_model_and_folds_options(capsys, files, model):
    doc = predict_json(capsys, files["churn200"], "--target", "Churn", "--model", model, "--folds", "3")
    assert doc["model"] == model and doc["folds"] == 3
    assert [r["model"] for r in doc["leaderboard"]] == [model]
    assert 0.0 <= doc["metrics"]["roc_auc"] <= 1.0
    assert any("3-fold cross-validation" in n for n in doc["notes"])


def test_exclude_option(capsys, files):
    doc = predict_json(capsys, files["churn200"], "--target", "Churn", "--model", "logistic", "--folds", "3",
                       "--exclude", "tenure, Contract")
    features = {f["feature"] for f in doc["feature_importance"]}
    assert features == set(FEATURES) - {"tenure", "Contract"}
    assert "Left out on request: tenure, Contract" in doc["notes"]


def test_churn_days_with_cutoff_on_the_bundled_sample(capsys):
    doc = predict_json(capsys, sample_path(), "--churn-days", "60", "--cutoff", "2011-09-01", "--model", "logistic")
    assert doc["target"] == "churn within 60 days" and doc["positive_class"] == "churned"
    assert doc["folds"] == 5  # the default
    assert doc["classes"] == ["churned", "stayed"]
    raw = pd.read_csv(sample_path(), dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str},
                      parse_dates=["InvoiceDate"])
    sale = (raw["CustomerID"].notna() & ~raw["InvoiceNo"].str.startswith("C") & (raw["Quantity"] > 0)
            & (raw["UnitPrice"] > 0) & ~raw["StockCode"].str.strip().str.upper().isin(FEE_CODES))
    cut = pd.Timestamp("2011-09-01")
    bought_before = set(raw.loc[sale & (raw["InvoiceDate"] <= cut), "CustomerID"])
    came_back = set(raw.loc[sale & (raw["InvoiceDate"] > cut) & (raw["InvoiceDate"] <= cut + pd.Timedelta(days=60)),
                            "CustomerID"])
    assert doc["customers"] == len(bought_before)
    rate = len(bought_before - came_back) / len(bought_before)
    churn_note = [n for n in doc["notes"] if n.startswith("Churn:")]
    assert len(churn_note) == 1 and "2011-09-01" in churn_note[0] and f"{rate:.1%} churned" in churn_note[0]


def test_segments_option_on_mall(capsys, mall_path):
    doc = predict_json(capsys, mall_path, "--segments", "--model", "logistic", "--lang", "en")
    assert doc["target"] == "segment" and doc["positive_class"] is None and doc["customers"] == 200
    assert doc["folds"] == 5
    assert len(doc["classes"]) >= 4
    assert doc["metrics"]["accuracy"] > 0.85
    assert {f["feature"] for f in doc["feature_importance"]} == {"Genre", "Age", "Annual Income (k$)",
                                                                "Spending Score (1-100)"}


# ----------------------------------------------------------- --apply, --save-model, --out
def test_apply_and_save_model(full_run, files):
    doc, _, model = full_run
    assert doc["applied"]["customers"] == 60
    assert doc["applied"]["missing_columns"] == [] and doc["applied"]["extra_columns"] == []
    assert doc["model_file"] == str(model) and model.exists()
    kept = load_model(model)
    assert kept.model == doc["model"] and kept.target == "Churn" and kept.positive == "Yes"
    assert kept.threshold == pytest.approx(doc["threshold"])


def test_out_workbook_model_sheet(full_run, files):
    doc, out, _ = full_run
    assert openpyxl.load_workbook(out).sheetnames == ["Model", "Scored customers", "New customers"]
    rows = sheet(out, "Model")
    assert rows[0][0] == "Predicting “Churn”"
    assert rows[1][:2] == ("model", model_label(doc["model"], "en"))
    assert row_of(rows, "customers")[1] == 300
    assert (None, "cross-validation (3 folds)", "hold-out", "baseline") in [r[:4] for r in rows]
    share = (files["frames"]["churn300"]["Churn"] == "No").mean()
    for label, key in (("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"), ("F1", "f1"),
                       ("ROC AUC", "roc_auc")):
        cv, holdout, baseline = row_of(rows, label)[1:4]
        assert cv == pytest.approx(doc["metrics"][key]) and holdout == pytest.approx(doc["holdout"][key])
        assert baseline is not None
    assert row_of(rows, "accuracy")[3] == pytest.approx(share, abs=1 / 60)  # the hold-out keeps the shares
    assert row_of(rows, "ROC AUC")[3] == 0.5
    assert row_of(rows, "baseline accuracy (share of the most common class)")[3] == pytest.approx(share)
    # confusion matrix, the same as in the JSON
    assert row_of(rows, "actual \\ predicted")[1:3] == ("No", "Yes")
    assert [list(row_of(rows, c)[1:3]) for c in ("No", "Yes")] == doc["confusion_matrix"]
    # importance: every feature with its drop, as in the JSON
    start = rows.index(row_of(rows, "column")) + 1
    importance = [(r[0], r[1]) for r in rows[start:start + 7]]
    assert [f for f, _ in importance] == [f["feature"] for f in doc["feature_importance"]]
    assert [v for _, v in importance] == pytest.approx([f["importance"] for f in doc["feature_importance"]])
    # leaderboard
    board = rows[rows.index(row_of(rows, "Models compared")) + 1:]
    assert board[0][:5] == ("model", "accuracy", "F1", "ROC AUC", "seconds")
    assert [r[0] for r in board[1:7]] == [model_label(r["model"], "en") for r in doc["leaderboard"]]
    assert [r[3] for r in board[1:7]] == pytest.approx([r["roc_auc"] for r in doc["leaderboard"]])


def test_out_workbook_scored_customers(full_run, files):
    _, out, model = full_run
    frame = files["frames"]["churn300"]
    rows = sheet(out, "Scored customers")
    assert rows[0] == ("customerID", "probability of Yes", "prediction", "actual", "why")
    body = pd.DataFrame(rows[1:], columns=rows[0])
    assert len(body) == 300
    assert body["customerID"].tolist() == frame["customerID"].tolist()
    assert body["actual"].tolist() == frame["Churn"].tolist()
    assert body["probability of Yes"].between(0, 1).all()
    assert set(body["prediction"]) <= {"Yes", "No"}
    # the new customers' sheet: what the kept model says about them
    new = pd.DataFrame(sheet(out, "New customers")[1:], columns=sheet(out, "New customers")[0])
    again = apply_model(load_model(model), inspect_file(files["new"]).customers, explain=False)
    assert new["customerID"].tolist() == files["frames"]["new"]["customerID"].tolist()
    np.testing.assert_allclose(new["probability of Yes"].to_numpy(dtype=float),
                               again.scored["probability of Yes"].to_numpy())


# ----------------------------------------------------------- languages and text
def test_text_output_in_english(capsys, files):
    code = main(["predict", str(files["churn200"]), "--target", "Churn", "--model", "tree", "--folds", "3",
                 "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Predicting “Churn” for 200 customers — best: Decision tree (3-fold cross-validation)")
    assert "Models compared:" in out and "Columns that matter most:" in out and "ROC AUC" in out
    assert not CJK.search(out)


def test_chinese(capsys, files):
    code = main(["predict", str(files["churn200"]), "--target", "Churn", "--model", "tree", "--folds", "3",
                 "--lang", "zh"])
    out = capsys.readouterr().out
    assert code == 0
    assert "模型比较：" in out and "最重要的列：" in out and "决策树" in out and "3 折" in out


def test_chinese_workbook(capsys, files):
    out = files["folder"] / "zh.xlsx"
    doc = predict_json(capsys, files["churn200"], "--target", "Churn", "--model", "tree", "--folds", "3", "--out", out,
                       "--lang", "zh")
    assert doc["notes"] and all(CJK.search(n) for n in doc["notes"])
    assert openpyxl.load_workbook(out).sheetnames == ["模型", "客户评分"]
    rows = sheet(out, "模型")
    assert rows[0][0] == "预测“Churn”" and row_of(rows, "准确率")[1] is not None
    assert sheet(out, "客户评分")[0] == ("customerID", "Yes的概率", "预测结果", "实际", "原因")


# ----------------------------------------------------------- refusals: exit code 3 and one line
def refused(capsys, *args) -> str:
    code = main(["predict", *map(str, args)])
    captured = capsys.readouterr()
    assert code == 3, captured.err
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("persona-desktop: ")
    return lines[0]


def test_refused_a_target_with_one_class(capsys, files):
    line = refused(capsys, files["stayed"], "--target", "Churn", "--lang", "en")
    assert "“Churn” has a single value (No)" in line


def test_refused_an_id_column(capsys, files):
    line = refused(capsys, files["churn200"], "--target", "customerID", "--lang", "en")
    assert "“customerID” identifies customers" in line


def test_refused_an_id_column_in_chinese(capsys, files):
    line = refused(capsys, files["churn200"], "--target", "customerID", "--lang", "zh")
    assert "客户编号" in line and "Customer ID" not in line


def test_refused_an_unknown_column(capsys, files):
    line = refused(capsys, files["churn200"], "--target", "Churned", "--lang", "en")
    assert "There is no column “Churned”" in line
    line = refused(capsys, files["churn200"], "--target", "Churned", "--lang", "zh")
    assert "没有“Churned”列" in line


def test_refused_churn_of_a_customer_file(capsys, files):
    line = refused(capsys, files["churn200"], "--churn-days", "90", "--lang", "en")
    assert "churn200.csv" in line and "order lines" in line


def test_refused_a_basket_file(capsys, datasets):
    line = refused(capsys, datasets / "04_groceries" / "groceries.csv", "--target", "whole milk", "--lang", "en")
    assert "groceries.csv" in line


def test_refused_an_unknown_model(capsys, files):
    with pytest.raises(SystemExit) as info:  # argparse: a usage error, exit code 2
        main(["predict", str(files["churn200"]), "--target", "Churn", "--model", "knn"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


# ----------------------------------------------------------- a real process
def test_subprocess(files):
    result = subprocess.run([sys.executable, "-m", "persona_desktop", "predict", str(files["churn200"]),
                             "--target", "Churn", "--model", "forest", "--folds", "3", "--json", "--lang", "en"],
                            capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["model"] == "forest" and doc["customers"] == 200 and DOC_KEYS <= set(doc)


# ----------------------------------------------------------- charts
@pytest.fixture(scope="module")
def prediction(files):
    target = target_from_column(inspect_file(files["churn300"]).customers, "Churn")
    return train(target, "compare", models=("tree", "logistic"), folds=3)


def render(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_prediction_charts(prediction, lang, caplog):
    p = prediction
    configure_fonts()
    caplog.set_level(logging.WARNING, logger="matplotlib.font_manager")
    pos = p.target.classes.index("Yes")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = new_figure()
        draw_confusion(fig, p.chosen.confusion, p.target.classes, lang)
        render(fig)
        ax = fig.axes[0]
        assert ax.get_images()[0].get_array().shape == (2, 2)
        counts = [t.get_text().split("\n")[0] for t in ax.texts]
        assert counts == [f"{int(v):,}" for v in p.chosen.confusion.ravel()]

        fig = new_figure()
        curves = p.roc_curves(lang)
        draw_roc_curves(fig, curves, "Yes", lang)
        render(fig)
        assert len(fig.axes[0].lines) == len(curves) + 1 == 3

        fig = new_figure()
        draw_importance(fig, p.importance["feature"], p.importance["importance"], p.importance["std"], lang)
        render(fig)
        assert len(fig.axes[0].patches) == 7
        assert fig.axes[0].get_yticklabels()[0].get_text() == p.importance["feature"][0]

        fig = new_figure()
        actual = p.target.y.to_numpy() == "Yes"
        draw_probabilities(fig, p.scored_proba[:, pos], actual, "Yes", p.chosen.threshold, lang)
        render(fig)
        heights = sum(patch.get_height() for patch in fig.axes[0].patches)
        assert heights == len(actual)
    titles = [fig.axes[0].get_title()]
    assert bool(CJK.search(titles[0])) == (lang == "zh")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
