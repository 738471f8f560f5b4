"""Predictions in one call: compare the models, score the best honestly, explain it.

``train(target, model="compare")`` holds back 20 % of the customers, ranks
the models by cross-validation on the rest, fits the winner (or the model
asked for), scores it once on the held-back customers, and measures which
columns matter. Every customer gets an honest probability: the training
customers from the fold that did not see them, the held-back ones from the
fitted model. The final model, for new files, is refitted on everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, export_text

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.predict.evaluate import (
    IMBALANCED_BELOW,
    ModelReport,
    Scores,
    baseline_scores,
    cross_validate,
    fit_and_score,
    fit_model,
    permutation_importance_of,
)
from persona_desktop.core.predict.models import MODELS, make_model, model_label
from persona_desktop.core.predict.verdict import Verdict, judge
from persona_desktop.core.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from persona_desktop.core.predict.targets import Target

__all__ = ["Prediction", "train", "explain_rows", "tree_rules", "HOLDOUT"]

HOLDOUT = 0.2

register({
    "predict.note.holdout": ("Scores: {folds}-fold cross-validation on {train} customers; the chosen model was then "
                             "checked once on {holdout} customers kept aside.",
                             "评分：在 {train} 位客户上做 {folds} 折交叉验证；选定的模型再在另外留出的 {holdout} 位客户上检验一次。"),
    "progress.compare": ("Comparing models…", "正在比较模型…"),
    "progress.final": ("Fitting the final model on every customer…", "正在用全部客户拟合最终模型…"),
    "sheet.scored.actual": ("actual", "实际"),
    "metric.accuracy": ("accuracy", "准确率"),
    "metric.precision": ("precision", "精确率"),
    "metric.recall": ("recall", "召回率"),
    "metric.f1": ("F1", "F1"),
    "metric.roc_auc": ("ROC AUC", "ROC AUC"),
    "apply.probability": ("probability of {cls}", "{cls}的概率"),
    "apply.label": ("prediction", "预测结果"),
    "apply.why": ("why", "原因"),
    "explain.up": ("{feature} = {value} (+{delta})", "{feature} = {value}（+{delta}）"),
    "explain.down": ("{feature} = {value} ({delta})", "{feature} = {value}（{delta}）"),
})


@dataclass
class Prediction:
    """The outcome of :func:`train`."""

    target: "Target"
    leaderboard: list[ModelReport]
    chosen: ModelReport
    baseline: Scores  # of always answering the majority class, on the hold-out
    baseline_accuracy: float  # the majority class's share of all customers
    majority: str
    importance: pd.DataFrame
    final: object  # the pipeline refitted on every customer, for new files
    scored_proba: np.ndarray  # honest probability of each customer (out-of-fold or hold-out)
    folds: int
    train_rows: np.ndarray
    holdout_rows: np.ndarray
    tree_text: str = ""
    notes: list[Message] = field(default_factory=list)
    verdict: "Verdict | None" = None  # better than guessing on the hold-out? (see persona_desktop.core.predict.verdict)

    @property
    def beats_baseline(self) -> bool:
        """Whether the model predicts better than guessing; without it no per-customer probability is given."""
        return self.verdict is None or self.verdict.beats_baseline

    @property
    def model(self) -> str:
        return self.chosen.name

    def to_json(self, lang: str | None = None) -> dict:
        """The document of ``persona-desktop predict --json``."""
        return {
            "target": self.target.name,
            "positive_class": self.target.positive,
            "model": self.chosen.name,
            "folds": self.folds,
            "baseline_accuracy": self.baseline_accuracy,
            "beats_baseline": self.beats_baseline,
            "baseline_margin": None if self.verdict is None else self.verdict.margin,
            "verdict": None if self.verdict is None else self.verdict.to_json(),
            "metrics": self.chosen.cv.to_json(),
            "holdout": self.chosen.holdout.to_json() if self.chosen.holdout else None,
            "threshold": self.chosen.threshold,
            "leaderboard": [{"model": r.name, "accuracy": r.cv.accuracy, "f1": r.cv.f1, "roc_auc": r.cv.roc_auc,
                             "seconds": round(r.seconds, 2)} for r in self.leaderboard],
            "feature_importance": [{"feature": str(f), "importance": float(v)}
                                   for f, v in zip(self.importance["feature"], self.importance["importance"])],
            "classes": list(self.target.classes),
            "confusion_matrix": self.chosen.confusion.tolist() if self.chosen.confusion is not None else None,
            "customers": len(self.target.y),
            "notes": [n.text(lang) for n in self.notes + self.target.notes + self.chosen.notes],
        }

    def scored_table(self, customers_data: pd.DataFrame | None = None, lang: str | None = None,
                     explain: bool = True) -> pd.DataFrame:
        """Every customer with an honest probability (out-of-fold or hold-out), the label and its reasons.

        A model no better than guessing gives no probability, label or reason: only the actual class.
        """
        t = self.target
        out = pd.DataFrame({str(t.ids.name or "customer"): t.ids.to_numpy()})
        if not self.beats_baseline:
            out[Message("sheet.scored.actual").text(lang)] = t.y.to_numpy()
            return out
        if t.positive is not None:
            out[Message("apply.probability", {"cls": t.positive}).text(lang)] = \
                self.scored_proba[:, t.classes.index(t.positive)]
        else:
            for i, cls in enumerate(t.classes):
                out[Message("apply.probability", {"cls": cls}).text(lang)] = self.scored_proba[:, i]
        out[Message("apply.label").text(lang)] = self.predicted_labels()
        out[Message("sheet.scored.actual").text(lang)] = t.y.to_numpy()
        if explain:
            reference = pd.Series({c: (t.X[c].median() if c in t.numeric else
                                       (t.X[c].mode().iloc[0] if t.X[c].notna().any() else None)) for c in t.X.columns})
            out[Message("apply.why").text(lang)] = explain_rows(self.final, t.X, t.classes, reference, lang=lang,
                                                                labels=self.predicted_labels())
        return out

    def roc_curves(self, lang: str | None = None) -> dict[str, tuple[list, list, float]]:
        """ROC curve of every compared model from its out-of-fold probabilities (yes/no targets)."""
        return {model_label(name, lang): curve for name, curve in self.roc_points().items()}

    def roc_points(self) -> dict[str, tuple[list, list, float]]:
        """:meth:`roc_curves` by model key (no words: for any language)."""
        t = self.target
        if t.positive is None:
            return {}
        pos = t.classes.index(t.positive)
        actual = t.y.to_numpy()[self.train_rows] == t.positive
        curves = {}
        for report in self.leaderboard:
            if report.oof_proba is None:
                continue
            fpr, tpr, _ = roc_curve(actual, report.oof_proba[:, pos])
            # the AUC shown is the comparison's (the mean over the folds), so that the legend, the
            # table and the summary agree; the pooled curve's own area differs in the third decimal
            auc = report.cv.roc_auc if report.cv.roc_auc is not None else roc_auc_score(actual, report.oof_proba[:, pos])
            curves[report.name] = (fpr.tolist(), tpr.tolist(), float(auc))
        return curves

    def predicted_labels(self) -> np.ndarray:
        classes = self.target.classes
        if self.target.positive is not None:
            pos = classes.index(self.target.positive)
            return np.where(self.scored_proba[:, pos] >= self.chosen.threshold, self.target.positive,
                            classes[1 - pos])
        return np.asarray(classes)[np.argmax(self.scored_proba, axis=1)]


def train(
    target: "Target",
    model: str = "compare",
    *,
    folds: int = 5,
    models: Sequence[str] = MODELS,
    random_state: int = 0,
    importance: bool = True,
    progress: Progress = NULL_PROGRESS,
) -> Prediction:
    """Rank the models by cross-validation and score the chosen one on a hold-out.

    Parameters
    ----------
    target : Target
    model : str
        One of :data:`~persona_desktop.core.predict.models.MODELS`, or "compare" (all of
        *models*, the best by ROC AUC, then F1, is chosen).
    folds : int
        Stratified folds (default 5).
    """
    if model != "compare" and model not in MODELS:
        raise DataError("model.error.unknown", model=model)
    names = list(models) if model == "compare" else [model]
    y = target.y.to_numpy()
    rows = np.arange(len(y))
    train_rows, holdout_rows = train_test_split(rows, test_size=HOLDOUT, stratify=y, random_state=random_state)
    train_rows, holdout_rows = np.sort(train_rows), np.sort(holdout_rows)
    counts = target.y.value_counts()
    majority = str(counts.index[0])
    share = counts / counts.sum()
    balanced = target.positive is not None and float(share.min()) < IMBALANCED_BELOW
    notes = [Message("predict.note.holdout", {"folds": folds, "train": f"{len(train_rows):,}",
                                              "holdout": f"{len(holdout_rows):,}"})]
    if balanced:
        rare = str(share.idxmin())
        notes.append(Message("eval.note.imbalanced", {"share": f"{share.min():.0%}", "cls": rare}))
    board = []
    span = 0.7 / len(names)
    for i, name in enumerate(names):
        progress.check()
        board.append(cross_validate(target, name, train_rows, folds=folds, random_state=random_state,
                                    balanced=balanced, progress=progress.sub(i * span, (i + 1) * span)))
    board.sort(key=lambda r: (-(r.cv.roc_auc if r.cv.roc_auc is not None else -1), -r.cv.f1))
    chosen = fit_and_score(board[0], target, train_rows, holdout_rows, balanced=balanced, random_state=random_state,
                           progress=progress.sub(0.7, 0.78))
    baseline = baseline_scores(y[holdout_rows], target.classes, target.positive, majority)
    baseline_accuracy = float(share[majority])
    holdout = chosen.holdout if chosen.holdout is not None else chosen.cv
    verdict = judge(y[holdout_rows], holdout.roc_auc, holdout.accuracy, baseline.accuracy, target.positive,
                    target.classes)
    notes.insert(0, verdict.message())
    if verdict.beats_baseline and holdout.accuracy < baseline.accuracy - 0.005:
        notes.insert(1, Message("verdict.accuracy_below", {"accuracy": f"{holdout.accuracy:.1%}", "majority": majority,
                                                           "baseline": f"{baseline.accuracy:.1%}"}))
    imp = (permutation_importance_of(chosen.pipeline, target, holdout_rows, random_state=random_state,
                                     progress=progress.sub(0.78, 0.9))
           if importance else pd.DataFrame(columns=["feature", "importance", "std"]))
    scored = np.zeros((len(y), len(target.classes)))
    scored[train_rows] = chosen.oof_proba
    scored[holdout_rows] = chosen.holdout_proba
    progress.report(0.9, Message("progress.final").text())
    # built for the training part's size, so it is the same kind of model as the one scored
    # (the SVM turns linear above a size: a refit on everyone must not cross that line)
    final, _ = make_model(chosen.name, target.numeric, target.categorical, n_rows=len(train_rows), balanced=balanced,
                          random_state=random_state)
    fit_model(final, target.X, y, chosen.name)
    text = tree_rules(target, train_rows, random_state=random_state)
    progress.report(1.0)
    return Prediction(target, board, chosen, baseline, baseline_accuracy, majority, imp, final, scored, folds,
                      train_rows, holdout_rows, text, notes, verdict)


def tree_rules(target: "Target", rows: np.ndarray, *, depth: int = 3, random_state: int = 0) -> str:
    """A shallow decision tree fitted on *rows*, as readable if/else rules."""
    pipeline, _ = make_model("tree", target.numeric, target.categorical, n_rows=len(rows), random_state=random_state)
    pipeline.set_params(model=DecisionTreeClassifier(max_depth=depth, min_samples_leaf=max(10, len(rows) // 200),
                                                     random_state=random_state))
    pipeline.fit(target.X.iloc[rows], target.y.to_numpy()[rows])
    names = [str(n) for n in pipeline.named_steps["prepare"].get_feature_names_out()]
    return export_text(pipeline.named_steps["model"], feature_names=names, decimals=1)


def explain_rows(pipeline, X: pd.DataFrame, classes: Sequence[str], reference: pd.Series, *, top: int = 3,
                 lang: str | None = None, chunk: int = 20_000, labels: Sequence[str] | None = None) -> list[str]:
    """For each row, the columns that moved its prediction most from a typical customer.

    Each column in turn is set to the training data's typical value (median
    or most common); how much the probability of the row's predicted class
    falls (or rises) is that column's part in the prediction.
    """
    order = list(pipeline.classes_)
    columns = [order.index(c) for c in classes]
    out: list[str] = []
    for start in range(0, len(X), chunk):
        part = X.iloc[start:start + chunk]
        proba = pipeline.predict_proba(part)[:, columns]
        if labels is not None:  # explain the label given (it may come from a tuned threshold)
            index = {c: i for i, c in enumerate(classes)}
            winner = np.array([index[str(v)] for v in np.asarray(labels)[start:start + chunk]])
        else:
            winner = np.argmax(proba, axis=1)
        base = proba[np.arange(len(part)), winner]
        effects = np.zeros((len(part), X.shape[1]))
        for j, column in enumerate(X.columns):
            changed = part.copy()
            changed[column] = reference[column]
            alt = pipeline.predict_proba(changed)[:, columns][np.arange(len(part)), winner]
            effects[:, j] = base - alt
        for i in range(len(part)):
            best = np.argsort(-np.abs(effects[i]))[:top]
            words = []
            for j in best:
                if abs(effects[i, j]) < 0.005:
                    continue
                value = part.iloc[i, j]
                shown = "—" if pd.isna(value) else (f"{value:g}" if isinstance(value, (int, float, np.number)) else str(value))
                key = "explain.up" if effects[i, j] > 0 else "explain.down"
                words.append(Message(key, {"feature": X.columns[j], "value": shown,
                                           "delta": f"{effects[i, j]:+.2f}".replace("+", "")}).text(lang))
            out.append("; ".join(words))
    return out
