"""Does a model predict better than guessing? Decided on the hold-out, by the metric models are chosen by.

Models are ranked by ROC AUC (then F1), so the verdict uses the chosen
model's ROC AUC on the customers held out from every step, against 0.5 — what
always answering the most common class, or a coin, scores. A model beats the
baseline when its margin over 0.5 is larger than 1.96 standard errors of the
AUC on that many customers (Hanley & McNeil 1982, *Radiology* 143:29–36) and
at least :data:`MIN_MARGIN`. Where no AUC can be computed, accuracy against
always answering the majority class decides, with the standard error of a
share. A churn model with ROC AUC 0.486 on its hold-out is "no better than
guessing", and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

import numpy as np

from persona_desktop.core.i18n import Message, register

__all__ = ["Verdict", "judge", "MIN_MARGIN"]

MIN_MARGIN = 0.02  # however many customers, a model 0.01 better than a coin is not worth acting on

register({
    "verdict.no_better": ("This model predicts no better than guessing: on the {n} customers held out its {metric} "
                          "is {value} against {baseline} for guessing (it would need {needed}). No per-customer "
                          "probabilities are given.",
                          "该模型的预测并不比瞎猜更好：在留出的 {n} 位客户上，其 {metric} 为 {value}，瞎猜为 {baseline}"
                          "（至少需要 {needed}）。因此不提供每位客户的概率。"),
    "verdict.better": ("Better than guessing: on the {n} customers held out its {metric} is {value} against "
                       "{baseline} for guessing (margin {margin}).",
                       "优于瞎猜：在留出的 {n} 位客户上，其 {metric} 为 {value}，瞎猜为 {baseline}（高出 {margin}）。"),
    "verdict.accuracy_below": ("Its accuracy ({accuracy}) is below always answering “{majority}” ({baseline}): it "
                               "flags more customers to find the rarer ones; rank customers by their probability "
                               "rather than reading the yes/no label.",
                               "其准确率（{accuracy}）低于总是回答“{majority}”（{baseline}）：模型为了找出少数类而标记了更多客户；"
                               "请按概率高低排序客户，而不要只看是/否结果。"),
})


@dataclass(frozen=True)
class Verdict:
    """Whether the chosen model beats the baseline, by how much, and what was needed."""

    beats_baseline: bool
    metric: str  # "roc_auc" or "accuracy"
    value: float
    baseline: float
    margin: float  # value − baseline
    needed: float  # the margin it had to exceed
    n: int  # customers held out

    def to_json(self) -> dict:
        return {"beats_baseline": self.beats_baseline, "decided_by": self.metric, "value": self.value,
                "baseline": self.baseline, "margin": self.margin, "needed": self.needed, "holdout": self.n}

    def message(self) -> Message:
        metric = Message(f"metric.{self.metric}")
        params = {"n": f"{self.n:,}", "metric": metric, "value": f"{self.value:.3f}", "baseline": f"{self.baseline:.3f}",
                  "needed": f"{self.baseline + self.needed:.3f}", "margin": f"{self.margin:+.3f}"}
        return Message("verdict.better" if self.beats_baseline else "verdict.no_better", params)


def _auc_standard_error(auc: float, positives: int, negatives: int) -> float:
    """Hanley & McNeil's standard error of an ROC AUC measured on that many positives and negatives."""
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc))
    return sqrt(max(variance, 0.0) / max(positives * negatives, 1))


def judge(y_true: np.ndarray, roc_auc: float | None, accuracy: float, baseline_accuracy: float,
          positive: str | None, classes) -> Verdict:
    """The verdict on a hold-out of true classes *y_true* where the model scored *roc_auc* and *accuracy*."""
    y_true = np.asarray(y_true).astype(str)
    n = len(y_true)
    if roc_auc is not None and n:
        if positive is not None:
            positives = int((y_true == str(positive)).sum())
        else:  # one class against the rest, averaged: judged on an average class's size
            positives = max(n // max(len(classes), 2), 1)
        error = _auc_standard_error(0.5, positives, n - positives)
        needed = max(1.96 * error, MIN_MARGIN)
        margin = roc_auc - 0.5
        return Verdict(bool(margin > needed), "roc_auc", float(roc_auc), 0.5, float(margin), float(needed), n)
    error = sqrt(baseline_accuracy * (1 - baseline_accuracy) / max(n, 1))
    needed = max(1.96 * error, MIN_MARGIN / 4)
    margin = accuracy - baseline_accuracy
    return Verdict(bool(margin > needed), "accuracy", float(accuracy), float(baseline_accuracy), float(margin),
                   float(needed), n)
