"""The six models and how they are scored: pipelines fitted inside each fold, class weights,
the linear SVM on large data, scores next to scikit-learn's own metrics, the baseline,
permutation importance, the tuned threshold, progress and Cancel.

Everything runs on small synthetic targets made here, so the expected values
(a fold's median, the F1-best threshold by brute force, which column is
signal and which is noise) are known independently of the code.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import NotFittedError
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, LinearSVC
from sklearn.utils.validation import check_is_fitted

from persona_desktop.core.predict import evaluate

from persona_desktop.core.predict import models
from persona_desktop.core.errors import DataError
from persona_desktop.core.predict.evaluate import (
    IMBALANCED_BELOW,
    baseline_scores,
    cross_validate,
    fit_and_score,
    permutation_importance_of,
    scores_of,
)
from persona_desktop.core.predict.models import MODELS, SVM_RBF_LIMIT, make_model
from persona_desktop.core.table.understand import understand
from persona_desktop.core.predict.run import train
from persona_desktop.core.progress import Cancelled, Progress
from persona_desktop.core.schema import LoadedTable, SourceInfo
from persona_desktop.core.predict.targets import Target, target_from_column


def synthetic(n: int = 300, *, share: float = 0.4, seed: int = 0, noise: float = 1.0) -> Target:
    """A yes/no target: ``signal`` drives it, ``weak`` a little, ``noise`` and ``plan`` not at all."""
    rng = np.random.default_rng(seed)
    positives = round(share * n)
    y = np.array(["Yes"] * positives + ["No"] * (n - positives))
    rng.shuffle(y)
    signal = rng.normal(size=n) + 2.0 * (y == "Yes") * noise
    X = pd.DataFrame({
        "signal": signal,
        "weak": rng.normal(size=n) + 0.4 * (y == "Yes"),
        "noise": rng.normal(size=n),
        "plan": rng.choice(["basic", "plus", "pro"], n),
    })
    return Target(X, pd.Series(y), pd.Series([f"C{i:04d}" for i in range(n)], name="id"), "churn",
                  ["No", "Yes"], "Yes", ["signal", "weak", "noise"], ["plan"])


def crafted() -> Target:
    """90 customers; ``spend`` has gaps and a skew so that every fold's median differs from the whole's;
    the plan ``vip`` belongs to one customer only."""
    n = 90
    spend = np.arange(n, dtype=float) ** 2
    spend[::9] = np.nan
    y = np.where(np.arange(n) % 3 == 0, "Yes", "No")
    plan = np.array(["basic", "plus"] * (n // 2), dtype=object)
    plan[40] = "vip"
    X = pd.DataFrame({"spend": spend, "plan": plan})
    return Target(X, pd.Series(y), pd.Series(np.arange(n)), "churn", ["No", "Yes"], "Yes", ["spend"], ["plan"])


def imputer(pipeline):
    return pipeline.named_steps["prepare"].named_transformers_["numbers"].named_steps["impute"]


@pytest.fixture
def fitted_in_folds(monkeypatch):
    """Records every (pipeline, X, y) fitted by cross-validation, and the templates make_model returned."""
    fits, templates = [], []
    real_fit, real_make = evaluate.fit_model, evaluate.make_model

    def spy_fit(pipeline, X, y, name):
        out = real_fit(pipeline, X, y, name)
        fits.append((pipeline, X.copy(), np.asarray(y).copy()))
        return out

    def spy_make(*args, **kwargs):
        pipeline, notes = real_make(*args, **kwargs)
        templates.append(pipeline)
        return pipeline, notes

    monkeypatch.setattr(evaluate, "fit_model", spy_fit)
    monkeypatch.setattr(evaluate, "make_model", spy_make)  # where cross-validation looks it up
    return fits, templates


# ----------------------------------------------------------- pipelines
@pytest.mark.parametrize("name", MODELS)
def test_make_model_returns_an_unfitted_pipeline(name):
    pipeline, _ = make_model(name, ["a", "b"], ["c"], n_rows=100)
    assert isinstance(pipeline, Pipeline)
    assert [step for step, _ in pipeline.steps] == ["prepare", "model"]
    for step in (pipeline, pipeline.named_steps["prepare"], pipeline.named_steps["model"]):
        with pytest.raises(NotFittedError):
            check_is_fitted(step)


def test_unknown_model_is_refused():
    with pytest.raises(DataError) as info:
        make_model("knn", ["a"], [], n_rows=10)
    assert info.value.code == "model.error.unknown" and "“knn”" in info.value.text("en")
    with pytest.raises(DataError):
        train(synthetic(60), "knn")


@pytest.mark.parametrize("name", MODELS)
def test_preprocessing_is_fitted_inside_each_fold(name, fitted_in_folds):
    fits, templates = fitted_in_folds
    target = crafted()
    rows = np.arange(len(target.y))
    report = cross_validate(target, name, rows, folds=3, random_state=0)
    assert len(fits) == 3 and len(templates) == 1
    template = templates[0]
    with pytest.raises(NotFittedError):  # the template itself is never fitted: each fold gets a clone
        check_is_fitted(template)
    assert len({id(p) for p, _, _ in fits} | {id(template)}) == 4
    # the folds are scikit-learn's stratified 3-fold split of these rows, computed here
    splits = list(StratifiedKFold(3, shuffle=True, random_state=0).split(target.X, target.y))
    whole = np.nanmedian(target.X["spend"])
    for (pipeline, X, y), (fit_rows, test_rows) in zip(fits, splits):
        assert X.index.tolist() == fit_rows.tolist()
        fold_median = np.nanmedian(target.X["spend"].to_numpy()[fit_rows])
        assert imputer(pipeline).statistics_[0] == pytest.approx(fold_median)
        assert imputer(pipeline).statistics_[0] != pytest.approx(whole)
        encoder = pipeline.named_steps["prepare"].named_transformers_["categories"].named_steps["encode"]
        assert ("vip" in encoder.categories_[0]) == (40 in fit_rows)  # no category learnt from the scored fold
        if "scale" in pipeline.named_steps["prepare"].named_transformers_["numbers"].named_steps:
            scaler = pipeline.named_steps["prepare"].named_transformers_["numbers"].named_steps["scale"]
            filled = target.X["spend"].to_numpy()[fit_rows]
            filled = np.where(np.isnan(filled), fold_median, filled)
            assert scaler.mean_[0] == pytest.approx(filled.mean())
    assert report.oof_proba.shape == (90, 2)
    assert np.allclose(report.oof_proba.sum(axis=1), 1.0)


def test_out_of_fold_probabilities_come_from_models_that_did_not_see_the_row(fitted_in_folds):
    fits, _ = fitted_in_folds
    target = crafted()
    report = cross_validate(target, "logistic", np.arange(90), folds=3)
    for (pipeline, X, _), (_, test_rows) in zip(fits, StratifiedKFold(3, shuffle=True, random_state=0)
                                                   .split(target.X, target.y)):
        assert not set(X.index) & set(test_rows)
        np.testing.assert_allclose(report.oof_proba[test_rows], pipeline.predict_proba(target.X.iloc[test_rows]))


# ----------------------------------------------------------- SVM, class weights
def test_svm_is_rbf_up_to_5000_rows_and_linear_above_with_a_note():
    assert SVM_RBF_LIMIT == 5_000
    small, notes = make_model("svm", ["a"], ["b"], n_rows=5_000)
    assert isinstance(small.named_steps["model"], CalibratedClassifierCV)
    assert isinstance(small.named_steps["model"].estimator, SVC)
    assert small.named_steps["model"].estimator.kernel == "rbf" and notes == []
    large, notes = make_model("svm", ["a"], ["b"], n_rows=5_001)
    assert isinstance(large.named_steps["model"].estimator, LinearSVC)
    assert [n.key for n in notes] == ["model.note.linear_svm"]
    assert "5,001" in notes[0].text("en") and "linear" in notes[0].text("en")
    assert "线性" in notes[0].text("zh")


def test_the_final_svm_is_the_kind_that_was_scored(monkeypatch):
    monkeypatch.setattr(models, "SVM_RBF_LIMIT", 100)  # the same rule at a size that runs in a second
    target = synthetic(120)
    p = train(target, "svm", importance=False)
    assert len(p.train_rows) <= 100 < len(target.y)
    scored = type(p.chosen.pipeline.named_steps["model"].estimator)
    kept = type(p.final.named_steps["model"].estimator)
    assert kept is scored


@pytest.mark.parametrize("share, balanced", [(0.34, True), (0.35, False)])
def test_class_weights_when_the_rare_class_is_below_35_percent(share, balanced, fitted_in_folds):
    fits, _ = fitted_in_folds
    assert IMBALANCED_BELOW == 0.35
    target = synthetic(100, share=share)
    assert (target.y == "Yes").mean() == pytest.approx(share)
    p = train(target, "logistic", folds=3, importance=False)
    weight = "balanced" if balanced else None
    assert all(pipeline.named_steps["model"].class_weight == weight for pipeline, _, _ in fits)
    assert p.chosen.pipeline.named_steps["model"].class_weight == weight
    assert p.final.named_steps["model"].class_weight == weight
    notes = [n for n in p.notes if n.key == "eval.note.imbalanced"]
    assert len(notes) == (1 if balanced else 0)
    if balanced:
        assert f"{share:.0%}" in notes[0].text("en") and "“Yes”" in notes[0].text("en")


def test_class_weights_of_each_model():
    forest, _ = make_model("forest", ["a"], [], n_rows=100, balanced=True)
    assert forest.named_steps["model"].class_weight == "balanced_subsample"
    for name in ("tree", "logistic", "boosting"):
        pipeline, _ = make_model(name, ["a"], [], n_rows=100, balanced=True)
        assert pipeline.named_steps["model"].class_weight == "balanced", name
    svm, _ = make_model("svm", ["a"], [], n_rows=100, balanced=True)
    assert svm.named_steps["model"].estimator.class_weight == "balanced"
    _, notes = make_model("mlp", ["a"], [], n_rows=100, balanced=True)
    assert [n.key for n in notes] == ["model.note.mlp_weights"]


# ----------------------------------------------------------- scores
def test_scores_of_a_yes_no_target_match_scikit_learn():
    rng = np.random.default_rng(3)
    y = rng.choice(["No", "Yes"], 500, p=[0.7, 0.3])
    p_yes = np.clip(0.3 * (y == "Yes") + rng.random(500) * 0.7, 0, 1)
    proba = np.column_stack([1 - p_yes, p_yes])
    for threshold in (0.5, 0.35):
        scores, predicted = scores_of(y, proba, ["No", "Yes"], "Yes", threshold)
        expected = np.where(p_yes >= threshold, "Yes", "No")
        assert predicted.tolist() == expected.tolist()
        assert scores.accuracy == pytest.approx(accuracy_score(y, expected))
        assert scores.precision == pytest.approx(precision_score(y, expected, pos_label="Yes"))
        assert scores.recall == pytest.approx(recall_score(y, expected, pos_label="Yes"))
        assert scores.f1 == pytest.approx(f1_score(y, expected, pos_label="Yes"))
        assert scores.roc_auc == pytest.approx(roc_auc_score(y == "Yes", p_yes))
        assert scores.per_class["No"]["support"] == int((y == "No").sum())


def test_scores_of_a_multi_class_target_match_scikit_learn():
    rng = np.random.default_rng(4)
    classes = ["bronze", "gold", "silver"]
    y = rng.choice(classes, 400)
    proba = rng.dirichlet([1, 1, 1], 400)
    proba[np.arange(400), [classes.index(c) for c in y]] += 0.3
    proba /= proba.sum(axis=1, keepdims=True)
    scores, predicted = scores_of(y, proba, classes, None)
    expected = np.asarray(classes)[proba.argmax(axis=1)]
    assert predicted.tolist() == expected.tolist()
    assert scores.accuracy == pytest.approx(accuracy_score(y, expected))
    assert scores.precision == pytest.approx(precision_score(y, expected, average="macro"))
    assert scores.recall == pytest.approx(recall_score(y, expected, average="macro"))
    assert scores.f1 == pytest.approx(f1_score(y, expected, average="macro"))
    assert scores.roc_auc == pytest.approx(roc_auc_score(y, proba, multi_class="ovr", labels=classes))


def test_baseline_is_the_majority_share():
    y = np.array(["No"] * 73 + ["Yes"] * 27)
    scores = baseline_scores(y, ["No", "Yes"], "Yes", "No")
    assert scores.accuracy == pytest.approx(0.73)
    assert scores.precision == scores.recall == scores.f1 == 0.0
    assert scores.roc_auc == 0.5
    target = synthetic(200, share=0.3)
    p = train(target, "tree", folds=3, importance=False)
    assert p.majority == "No"
    assert p.baseline_accuracy == pytest.approx(target.y.value_counts(normalize=True)["No"])
    assert p.baseline.accuracy == pytest.approx((target.y.to_numpy()[p.holdout_rows] == "No").mean())


# ----------------------------------------------------------- importance
def test_permutation_importance_finds_signal_and_ignores_noise():
    target = synthetic(1_500, seed=5)
    pipeline, _ = make_model("logistic", target.numeric, target.categorical, n_rows=1_000)
    pipeline.fit(target.X.iloc[:1_000], target.y.iloc[:1_000])
    imp = permutation_importance_of(pipeline, target, np.arange(1_000, 1_500), repeats=5)
    assert list(imp.columns) == ["feature", "importance", "std"]
    assert sorted(imp["feature"]) == sorted(target.X.columns)
    assert imp["importance"].is_monotonic_decreasing
    by = imp.set_index("feature")["importance"]
    assert by.idxmax() == "signal" and by["signal"] > 0.15
    assert abs(by["noise"]) < 0.01 and abs(by["plan"]) < 0.01
    assert by["signal"] > by["weak"] > by["noise"]


# ----------------------------------------------------------- threshold
def test_threshold_is_the_f1_best_on_out_of_fold_probabilities():
    target = synthetic(400, share=0.3, seed=6, noise=0.5)
    y = target.y.to_numpy()
    rows = np.arange(400)
    train_rows, holdout_rows = rows[:320], rows[320:]
    report = cross_validate(target, "logistic", train_rows, folds=3)
    report = fit_and_score(report, target, train_rows, holdout_rows, balanced=False)
    oof = report.oof_proba[:, 1]
    actual = y[train_rows] == "Yes"
    # brute force: every distinct probability as the threshold
    f1s = {t: f1_score(actual, oof >= t) for t in np.unique(oof)}
    best = max(f1s.values())
    assert report.threshold in f1s
    assert f1s[report.threshold] == pytest.approx(best, abs=1e-12)
    assert report.threshold != 0.5
    note = [n for n in report.notes if n.key == "eval.note.threshold"]
    assert len(note) == 1 and f"{report.threshold:.2f}" in note[0].text("en")
    # the hold-out is scored with that threshold
    expected = np.where(report.holdout_proba[:, 1] >= report.threshold, "Yes", "No")
    assert report.holdout.f1 == pytest.approx(f1_score(y[holdout_rows], expected, pos_label="Yes"))
    assert report.confusion.sum() == 80


# ----------------------------------------------------------- progress and Cancel
def test_cancel_from_another_thread_stops_between_folds(fitted_in_folds):
    fits, _ = fitted_in_folds
    target = synthetic(2_000, seed=7)
    first_fold = threading.Event()
    cancelled_at: list[float] = []
    messages: list[str] = []

    def callback(fraction: float, message: str) -> None:
        messages.append(message)
        if "fold 1 of" in message:
            first_fold.set()

    progress = Progress(callback)

    def cancel_soon() -> None:
        first_fold.wait(30)
        time.sleep(0.05)
        cancelled_at.append(time.perf_counter())
        progress.cancel()

    thread = threading.Thread(target=cancel_soon)
    thread.start()
    with pytest.raises(Cancelled):
        cross_validate(target, "forest", np.arange(2_000), folds=5, progress=progress)
    stopped = time.perf_counter()
    thread.join()
    assert cancelled_at, "the cross-validation ended before Cancel was pressed"
    assert stopped - cancelled_at[0] < 2.0
    assert 1 <= len(fits) < 5  # stopped between folds, not after all of them
    assert [m for m in messages if "fold" in m] == [f"Random forest: fold {i} of 5…" for i in range(1, len(fits) + 1)]


def test_train_reports_one_message_per_model_and_fold():
    seen: list[tuple[float, str]] = []
    target = synthetic(120)
    train(target, "compare", models=("tree", "logistic"), folds=3, importance=False,
          progress=Progress(lambda fraction, message: seen.append((fraction, message))))
    folds = [m for _, m in seen if "fold" in m]
    assert folds == [f"{model}: fold {i} of 3…" for model in ("Decision tree", "Logistic regression")
                     for i in (1, 2, 3)]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and 0.0 <= fractions[0]


# ----------------------------------------------------------- rare classes and folds
@pytest.mark.filterwarnings("ignore:The least populated class")
def test_a_class_with_as_many_customers_as_folds_is_refused_clearly_and_twice_as_many_trains():
    """The 20 % hold-out and the SVM's 3-fold calibration split each class again: a class needs
    two customers per fold, and one short of that is refused with a message, not a raw ValueError."""
    rng = np.random.default_rng(8)
    n = 100

    def made(rare: int):
        df = pd.DataFrame({"id": [f"C{i:03d}" for i in range(n)], "age": rng.integers(20, 70, n),
                           "spend": rng.normal(100, 30, n).round(2),
                           "churn": ["Yes"] * rare + ["No"] * (n - rare)})
        return understand(LoadedTable(df, SourceInfo("made_up.csv", "csv"))).customers

    with pytest.raises(DataError) as refused:
        target_from_column(made(3), "churn", folds=3)
    assert refused.value.code == "target.error.rare_class" and "at least 6" in refused.value.text("en")
    with pytest.raises(DataError):
        target_from_column(made(5), "churn", folds=3)
    target = target_from_column(made(6), "churn", folds=3)
    for kind in ("svm", "boosting", "mlp"):
        result = train(target, kind, folds=3, importance=False)
        assert result.final is not None


def test_the_neural_network_learns_five_clear_groups_of_200_customers():
    from sklearn.datasets import make_blobs

    centres = [[20, 20], [20, 80], [55, 50], [90, 20], [90, 80]]  # Mall's income × score quadrants
    points, groups = make_blobs(n_samples=200, centers=centres, cluster_std=8, random_state=0)
    classes = list("ABCDE")
    target = Target(pd.DataFrame(points, columns=["income", "score"]), pd.Series(np.asarray(classes)[groups]),
                    pd.Series(np.arange(200)), "segment", classes, None, ["income", "score"], [])
    logistic = cross_validate(target, "logistic", np.arange(200))
    assert logistic.cv.accuracy > 0.95  # the groups are easy
    mlp = cross_validate(target, "mlp", np.arange(200))
    assert mlp.cv.accuracy > 0.9
