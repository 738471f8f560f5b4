"""Scoring models honestly: cross-validation, a hold-out, and the baseline to beat.

The customers are split once into a training part and a hold-out (20 %,
stratified). Models are compared by stratified k-fold cross-validation on
the training part, one fold at a time (progress per model and fold, Cancel
between folds); each fold fits the whole pipeline, preprocessing included.
The chosen model is then fitted on the training part and scored once on the
hold-out, which no step has seen. Next to every figure stands the baseline
that always answers the most common class, so "74 % accurate" on a 73 %
majority is seen for what it is.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from persona_desktop.core.i18n import Message, register
from persona_desktop.core.predict.models import make_model, model_label
from persona_desktop.core.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from persona_desktop.core.predict.targets import Target


__all__ = ["Scores", "ModelReport", "cross_validate", "fit_and_score", "scores_of", "IMBALANCED_BELOW",
           "baseline_scores", "fit_model", "permutation_importance_of"]

IMBALANCED_BELOW = 0.35  # the rarer class of a yes/no target below this share: class weights on

register({
    "progress.fold": ("{model}: fold {fold} of {folds}…", "{model}：第 {fold}/{folds} 折…"),
    "progress.holdout": ("{model}: scoring on the hold-out…", "{model}：在留出集上评分…"),
    "progress.importance": ("Measuring which columns matter…", "正在衡量各列的重要性…"),
    "eval.note.imbalanced": ("Only {share} of the customers are “{cls}”: the models weigh the classes "
                             "so the rare one is not ignored.", "只有 {share} 的客户为“{cls}”：模型按类别加权，以免忽略少数类。"),
    "eval.note.threshold": ("Decision threshold {value:.2f} (chosen on the training folds to balance "
                            "precision and recall); 0.50 would be the default.",
                            "判定阈值 {value:.2f}（在训练折上选择，以平衡精确率与召回率）；默认值为 0.50。"),
})


@dataclass
class Scores:
    """accuracy, precision, recall, F1 (binary: of the positive class; else macro), ROC AUC."""

    accuracy: float
    precision: float
    recall: float
    f1: float
    roc_auc: float | None
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"accuracy": self.accuracy, "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "roc_auc": self.roc_auc}


@dataclass
class ModelReport:
    """One model's cross-validated and hold-out results."""

    name: str
    cv: Scores
    cv_std: dict[str, float]
    seconds: float
    notes: list[Message] = field(default_factory=list)
    oof_proba: np.ndarray | None = None  # out-of-fold probabilities on the training part
    holdout: Scores | None = None
    holdout_proba: np.ndarray | None = None
    confusion: np.ndarray | None = None
    threshold: float = 0.5
    roc: dict | None = None  # {"fpr": [...], "tpr": [...]} for a yes/no target
    report: str = ""  # scikit-learn's classification report (hold-out)
    pipeline: object = None  # fitted on the training part


def fit_model(pipeline, X, y, name: str):
    """Fit *pipeline*; gradient boosting on one OpenMP thread.

    With OMP_WAIT_POLICY=PASSIVE (set by the package, see persona_desktop/__init__.py)
    every one of gradient boosting's many short parallel regions wakes
    sleeping threads: on Telco a fit took 3.0 s on two threads and 0.6 s on one.

    A network or regression stopped at its iteration cap is by design (the cap
    keeps the comparison quick): scikit-learn's ConvergenceWarning about it is
    not shown; the model's cross-validated scores say how good it is.
    """

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if name != "boosting":
            return pipeline.fit(X, y)

        with threadpool_limits(limits=1, user_api="openmp"):
            return pipeline.fit(X, y)


def _proba_columns(pipeline, classes: Sequence[str]) -> np.ndarray:
    order = list(pipeline.classes_)
    return np.array([order.index(c) for c in classes])


def scores_of(y_true: np.ndarray, proba: np.ndarray, classes: Sequence[str], positive: str | None,
              threshold: float = 0.5) -> tuple[Scores, np.ndarray]:
    """Scores of probabilities (columns in *classes* order); returns (scores, predicted labels)."""
    classes = list(classes)
    if positive is not None:
        pos = classes.index(positive)
        other = classes[1 - pos]
        predicted = np.where(proba[:, pos] >= threshold, positive, other)
    else:
        predicted = np.asarray(classes)[np.argmax(proba, axis=1)]
    accuracy = float(accuracy_score(y_true, predicted))
    p, r, f, s = precision_recall_fscore_support(y_true, predicted, labels=classes, zero_division=0)
    per_class = {c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                 for i, c in enumerate(classes)}
    if positive is not None:
        precision, recall, f1 = (per_class[positive][k] for k in ("precision", "recall", "f1"))
        auc = float(roc_auc_score(y_true == positive, proba[:, pos])) if len(set(y_true)) == 2 else None
    else:
        precision, recall, f1 = float(p.mean()), float(r.mean()), float(f.mean())
        try:
            auc = float(roc_auc_score(y_true, proba, multi_class="ovr", labels=classes))
        except ValueError:  # a class missing from this sample
            auc = None
    return Scores(accuracy, precision, recall, f1, auc, per_class), predicted


def baseline_scores(y_true: np.ndarray, classes: Sequence[str], positive: str | None, majority: str) -> Scores:
    """The scores of always answering *majority* (probabilities: the class shares of the training part)."""
    proba = np.zeros((len(y_true), len(classes)))
    proba[:, list(classes).index(majority)] = 1.0
    scores, _ = scores_of(np.asarray(y_true), proba, classes, positive)
    scores.roc_auc = 0.5 if scores.roc_auc is not None else None
    return scores


def cross_validate(target: "Target", name: str, train: np.ndarray, *, folds: int = 5, random_state: int = 0,
                   balanced: bool = False, progress: Progress = NULL_PROGRESS) -> ModelReport:
    """Stratified k-fold CV of model *name* on the rows *train*, one fold at a time."""

    X, y = target.X.iloc[train], target.y.to_numpy()[train]
    template, notes = make_model(name, target.numeric, target.categorical, n_rows=len(X), balanced=balanced,
                                 random_state=random_state)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    oof = np.zeros((len(X), len(target.classes)))
    fold_scores = []
    start = time.perf_counter()
    for i, (fit_rows, test_rows) in enumerate(splitter.split(X, y)):
        progress.report(i / folds, Message("progress.fold", {"model": model_label(name), "fold": i + 1,
                                                              "folds": folds}).text())
        model = fit_model(clone(template), X.iloc[fit_rows], y[fit_rows], name)
        proba = model.predict_proba(X.iloc[test_rows])[:, _proba_columns(model, target.classes)]
        oof[test_rows] = proba
        fold_scores.append(scores_of(y[test_rows], proba, target.classes, target.positive)[0])
    seconds = time.perf_counter() - start
    mean = {k: float(np.mean([getattr(s, k) for s in fold_scores if getattr(s, k) is not None] or [np.nan]))
            for k in ("accuracy", "precision", "recall", "f1", "roc_auc")}
    std = {k: float(np.std([getattr(s, k) for s in fold_scores if getattr(s, k) is not None] or [np.nan]))
           for k in mean}
    cv = Scores(**{k: (None if np.isnan(v) else v) for k, v in mean.items()})
    progress.report(1.0)
    return ModelReport(name, cv, std, seconds, notes, oof)


def _best_threshold(y: np.ndarray, proba: np.ndarray, positive: str) -> float:
    """The threshold on the positive class's probability with the best F1 on out-of-fold predictions."""
    precision, recall, thresholds = precision_recall_curve(y == positive, proba)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0)[:-1]
    return float(thresholds[int(np.argmax(f1))]) if len(thresholds) else 0.5


def fit_and_score(report: ModelReport, target: "Target", train: np.ndarray, holdout: np.ndarray, *,
                  balanced: bool, random_state: int = 0, progress: Progress = NULL_PROGRESS) -> ModelReport:
    """Fit *report*'s model on the training part and score it once on the hold-out."""

    progress.report(0.0, Message("progress.holdout", {"model": model_label(report.name)}).text())
    pipeline, _ = make_model(report.name, target.numeric, target.categorical, n_rows=len(train), balanced=balanced,
                             random_state=random_state)
    y = target.y.to_numpy()
    fit_model(pipeline, target.X.iloc[train], y[train], report.name)
    proba = pipeline.predict_proba(target.X.iloc[holdout])[:, _proba_columns(pipeline, target.classes)]
    threshold = 0.5
    if target.positive is not None and report.oof_proba is not None:
        pos = target.classes.index(target.positive)
        threshold = _best_threshold(y[train], report.oof_proba[:, pos], target.positive)
        report.notes.append(Message("eval.note.threshold", {"value": threshold}))
        fpr, tpr, _ = roc_curve(y[holdout] == target.positive, proba[:, pos])
        report.roc = {"fpr": fpr.tolist(), "tpr": tpr.tolist()}
    scores, predicted = scores_of(y[holdout], proba, target.classes, target.positive, threshold)
    report.holdout, report.holdout_proba, report.threshold = scores, proba, threshold
    report.confusion = confusion_matrix(y[holdout], predicted, labels=target.classes)
    report.report = classification_report(y[holdout], predicted, labels=target.classes, zero_division=0)
    report.pipeline = pipeline
    progress.report(1.0)
    return report


def permutation_importance_of(pipeline, target: "Target", rows: np.ndarray, *, random_state: int = 0,
                              max_rows: int = 2000, repeats: int = 3,
                              progress: Progress = NULL_PROGRESS) -> pd.DataFrame:
    """How much the score drops when each column's values are shuffled, on rows the model has not seen.

    The score is the ROC AUC for a yes/no target, else the accuracy. Each
    column is shuffled *repeats* times; the mean and spread of the drop are
    reported, per column of the file (not per encoded column).
    """
    rng = np.random.default_rng(random_state)
    if len(rows) > max_rows:
        rows = np.sort(rng.choice(rows, max_rows, replace=False))
    X = target.X.iloc[rows].reset_index(drop=True)
    y = target.y.to_numpy()[rows]
    columns = _proba_columns(pipeline, target.classes)

    def score(data: pd.DataFrame) -> float:
        proba = pipeline.predict_proba(data)[:, columns]
        if target.positive is not None:
            return float(roc_auc_score(y == target.positive, proba[:, target.classes.index(target.positive)]))
        return float(accuracy_score(y, np.asarray(target.classes)[np.argmax(proba, axis=1)]))

    base = score(X)
    drops = []
    for j, column in enumerate(X.columns):
        progress.report(j / X.shape[1], Message("progress.importance").text())
        trial = []
        for _ in range(repeats):
            shuffled = X.copy()
            shuffled[column] = X[column].to_numpy()[rng.permutation(len(X))]
            trial.append(base - score(shuffled))
        drops.append((column, float(np.mean(trial)), float(np.std(trial))))
    progress.report(1.0)
    return pd.DataFrame(drops, columns=["feature", "importance", "std"]).sort_values(
        "importance", ascending=False, kind="stable").reset_index(drop=True)
