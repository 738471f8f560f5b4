"""Charts of a prediction: confusion matrix, ROC curves, column importance, probabilities."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from persona_desktop.core.charts import PALETTE
from persona_desktop.core.i18n import register, tr

__all__ = ["draw_confusion", "draw_roc_curves", "draw_importance", "draw_probabilities"]

register({
    "chart.confusion.title": ("Confusion matrix (customers kept aside)", "混淆矩阵（留出的客户）"),
    "chart.confusion.actual": ("actual", "实际"),
    "chart.confusion.predicted": ("predicted", "预测"),
    "chart.roc.title": ("ROC curves of the compared models", "各模型的 ROC 曲线"),
    "chart.roc.x": ("false alarms (share of the others flagged)", "误报率（被误判的其他客户占比）"),
    "chart.roc.y": ("caught (share of “{cls}” flagged)", "检出率（被识别出的“{cls}”占比）"),
    "chart.roc.chance": ("guessing", "随机猜测"),
    "chart.importance.title": ("Which columns matter", "各列的重要性"),
    "chart.importance.x": ("drop in score when the column is shuffled", "打乱该列后评分的下降"),
    "chart.proba.title": ("Predicted probability of “{cls}”", "预测为“{cls}”的概率"),
    "chart.proba.x": ("probability", "概率"),
    "chart.proba.y": ("customers", "客户数"),
    "chart.proba.threshold": ("threshold {value:.2f}", "阈值 {value:.2f}"),
})


def draw_confusion(fig, matrix, classes: Sequence[str], lang: str | None = None) -> None:
    """Counts of actual × predicted classes, with the share of each actual class."""
    m = np.asarray(matrix, dtype=float)
    shares = m / np.maximum(m.sum(axis=1, keepdims=True), 1)
    ax = fig.add_subplot(111)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            ax.text(j, i, f"{int(m[i, j]):,}\n{shares[i, j]:.0%}", ha="center", va="center",
                    color="white" if shares[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(classes)), classes)
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel(tr("chart.confusion.predicted", lang))
    ax.set_ylabel(tr("chart.confusion.actual", lang))
    ax.set_title(tr("chart.confusion.title", lang))


def draw_roc_curves(fig, curves: dict[str, tuple[Sequence[float], Sequence[float], float]], positive: str,
                    lang: str | None = None) -> None:
    """One ROC curve per model: ``{name: (false positive rates, true positive rates, AUC)}``."""
    ax = fig.add_subplot(111)
    for i, (name, (fpr, tpr, auc)) in enumerate(curves.items()):
        ax.plot(fpr, tpr, color=PALETTE[i % len(PALETTE)], label=f"{name} (AUC {auc:.3f})")
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", label=tr("chart.roc.chance", lang))
    ax.set_xlabel(tr("chart.roc.x", lang))
    ax.set_ylabel(tr("chart.roc.y", lang, cls=positive))
    ax.set_title(tr("chart.roc.title", lang))
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    ax.set_aspect("equal")
    ax.grid(alpha=0.2)


def draw_importance(fig, features: Sequence[str], importance: Sequence[float], spread: Sequence[float] | None = None,
                    lang: str | None = None, top: int = 15) -> None:
    """Horizontal bars of permutation importance, largest first."""
    order = np.argsort(-np.asarray(importance, dtype=float))[:top]
    names = [str(features[i]) for i in order]
    values = np.asarray(importance, dtype=float)[order]
    errors = None if spread is None else np.asarray(spread, dtype=float)[order]
    ax = fig.add_subplot(111)
    ax.barh(np.arange(len(order)), values, xerr=errors, color="#009E73", alpha=0.85)
    ax.set_yticks(np.arange(len(order)), names)
    ax.invert_yaxis()
    ax.axvline(0, color="#666666", linewidth=0.8)
    ax.set_xlabel(tr("chart.importance.x", lang))
    ax.set_title(tr("chart.importance.title", lang))
    ax.spines[["top", "right"]].set_visible(False)


def draw_probabilities(fig, probabilities: Sequence[float], actual_positive: Sequence[bool], positive: str,
                       threshold: float = 0.5, lang: str | None = None, others: str = "") -> None:
    """Histograms of the predicted probability for the customers who were and were not *positive*."""
    p = np.asarray(probabilities, dtype=float)
    yes = np.asarray(actual_positive, dtype=bool)
    ax = fig.add_subplot(111)
    bins = np.linspace(0, 1, 21)
    ax.hist(p[~yes], bins=bins, alpha=0.6, color="#0072B2", label=others or f"≠ {positive}")
    ax.hist(p[yes], bins=bins, alpha=0.6, color="#D55E00", label=positive)
    ax.axvline(threshold, color="#333333", linestyle="--")
    ax.text(threshold, ax.get_ylim()[1] * 0.95, " " + tr("chart.proba.threshold", lang, value=threshold),
            va="top", fontsize="small")
    ax.set_xlabel(tr("chart.proba.x", lang))
    ax.set_ylabel(tr("chart.proba.y", lang))
    ax.set_title(tr("chart.proba.title", lang, cls=positive))
    ax.legend(frameon=False)
