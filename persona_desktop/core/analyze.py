"""The whole default pipeline in one call: what ``persona-desktop analyze`` runs every month.

clean → customers → segments → personas → rules and recommendations (when
products are known) → churn prediction (when order dates are known). Each
step records its time and figures; a step that cannot run on this file (no
products, too little history) is skipped with the reason, never an error —
only a file that cannot be read at all stops the analysis.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import Role, TableKind

if TYPE_CHECKING:
    from persona_desktop.core.analysis import SegmentAnalysis
    from persona_desktop.core.pipeline import Inspection
    from persona_desktop.core.prediction import Prediction
    from persona_desktop.core.rule_analysis import RulesAnalysis

__all__ = ["Analysis", "StepRecord", "run_analysis"]

CHURN_DAYS = 90
# Online Retail, churn in 90 days, CV ROC AUC: logistic 0.745, forest 0.744, MLP 0.741,
# SVM 0.734, boosting 0.734, tree 0.722 (persona-desktop predict --churn-days 90): the
# quickest is also the best, and its probabilities are well calibrated
CHURN_MODEL = "logistic"

register({
    "step.read": ("Read and clean", "读取与清洗"),
    "step.segments": ("Segments and personas", "分组与画像"),
    "step.rules": ("Rules and recommendations", "关联规则与推荐"),
    "step.churn": ("Churn prediction", "流失预测"),
    "step.skipped.no_customers": ("skipped: the file has no customers", "已跳过：文件中没有客户"),
    "step.skipped.no_products": ("skipped: the file has no products", "已跳过：文件中没有商品"),
    "step.skipped.no_dates": ("skipped: churn needs order lines with dates", "已跳过：流失预测需要带日期的订单明细"),
    "progress.analyze.read": ("Reading and cleaning the file…", "正在读取并清洗文件…"),
    "progress.analyze.churn": ("Predicting churn…", "正在预测流失…"),
})


@dataclass
class StepRecord:
    """One step of the analysis: its name key, time, figures, and why it was skipped (if it was)."""

    key: str
    seconds: float = 0.0
    figures: dict = field(default_factory=dict)
    skipped: Message | None = None

    def to_json(self, lang: str | None = None) -> dict:
        doc = {"step": self.key.removeprefix("step."), "name": Message(self.key).text(lang),
               "seconds": round(self.seconds, 2), **self.figures}
        if self.skipped is not None:
            doc["skipped"] = self.skipped.text(lang)
        return doc


@dataclass
class Analysis:
    """Everything one run of the default pipeline found about a file."""

    source: Path
    inspection: Inspection
    segments: SegmentAnalysis | None = None
    rules: RulesAnalysis | None = None
    churn: Prediction | None = None
    churn_scores: pd.Series | None = None  # probability of churning, by customer key (today's customers)
    steps: list[StepRecord] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    created: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now().floor("s"))

    def step(self, key: str) -> StepRecord | None:
        return next((s for s in self.steps if s.key == key), None)

    def to_json(self, lang: str | None = None) -> dict:
        ins = self.inspection
        return {"file": str(self.source), "kind": ins.kind.value, "rows": len(ins.table.data),
                "customers": None if ins.customers is None else len(ins.customers.data),
                "steps": [s.to_json(lang) for s in self.steps],
                "seconds": round(sum(s.seconds for s in self.steps), 2)}


def _product_column(roles: dict) -> str | None:
    return next((c for c, r in roles.items() if r is Role.PRODUCT), None) or \
        next((c for c, r in roles.items() if r is Role.PRODUCT_CODE), None)


def run_analysis(
    path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    seed: int = 0,
    min_support: float = 0.01,
    min_confidence: float = 0.3,
    churn_days: int = CHURN_DAYS,
    lang: str | None = None,
    progress: Progress = NULL_PROGRESS,
) -> Analysis:
    """Run every step that applies to the file at *path*.

    Raises
    ------
    ReadError, DataError
        Only when the file cannot be read or understood at all.
    """
    from persona_desktop.core.pipeline import inspect_file

    clock = time.perf_counter()
    progress.report(0.0, Message("progress.analyze.read").text(lang))
    inspection = inspect_file(path, sheet=sheet, encoding=encoding, progress=progress.sub(0.0, 0.3))
    analysis = Analysis(Path(path), inspection, options={"seed": seed, "min_support": min_support,
                                                         "min_confidence": min_confidence, "churn_days": churn_days})
    kept = int(np.asarray(inspection.cleaning.kept).sum())
    analysis.steps.append(StepRecord("step.read", time.perf_counter() - clock, {
        "rows": len(inspection.table.data), "rows_used": kept,
        "customers": None if inspection.customers is None else len(inspection.customers.data)}))
    _segments(analysis, seed, lang, progress.sub(0.3, 0.55))
    _rules(analysis, min_support, min_confidence, lang, progress.sub(0.55, 0.75))
    _churn(analysis, churn_days, seed, lang, progress.sub(0.75, 1.0))
    progress.report(1.0)
    return analysis


class _Skipped(Exception):
    """A step that does not apply to this file; the message says why."""

    def __init__(self, key: str):
        super().__init__(key)
        self.message = Message(key)


@contextmanager
def _step(analysis: Analysis, key: str) -> Iterator[StepRecord]:
    """Record a step: its time always; a step that does not apply, or a DataError inside it
    (too few customers, nothing frequent enough, too short a history), is skipped with the
    reason, and the rest of the analysis still runs."""
    record = StepRecord(key)
    analysis.steps.append(record)
    clock = time.perf_counter()
    try:
        yield record
    except (_Skipped, DataError) as exc:
        record.skipped = exc.message
    finally:
        record.seconds = time.perf_counter() - clock


def _segments(analysis: Analysis, seed: int, lang, progress: Progress) -> None:
    from persona_desktop.core.analysis import segment_inspection

    with _step(analysis, "step.segments") as record:
        if analysis.inspection.customers is None:
            raise _Skipped("step.skipped.no_customers")
        analysis.segments = segment_inspection(analysis.inspection, seed=seed, progress=progress)
        seg = analysis.segments.segmentation
        record.figures = {"method": seg.method, "segments": seg.n_segments,
                          "silhouette": seg.quality.silhouette,
                          "stability": None if seg.stability is None else seg.stability.mean_ari}


def _rules(analysis: Analysis, min_support: float, min_confidence: float, lang, progress: Progress) -> None:
    from persona_desktop.core.rule_analysis import find_rules

    ins = analysis.inspection
    with _step(analysis, "step.rules") as record:
        if ins.kind is not TableKind.BASKETS and _product_column(ins.cleaning.roles or ins.roles) is None:
            raise _Skipped("step.skipped.no_products")
        r = analysis.rules = find_rules(ins, min_support=min_support, min_confidence=min_confidence, max_len=3,
                                        source="orders", by_segment=analysis.segments is not None,
                                        segments=analysis.segments, lang=lang, progress=progress)
        record.figures = {"baskets": r.baskets.n_baskets, "items": r.baskets.n_items,
                          "itemsets": len(r.mining.itemsets), "rules": len(r.rules), "backend": r.mining.backend,
                          "customers_with_recommendations": None if r.recommendations is None
                          else int(r.recommendations["customer"].nunique())}


def _churn(analysis: Analysis, days: int, seed: int, lang, progress: Progress) -> None:
    """Train on the history before a cut-off, then score today's customers with that model."""
    from persona_desktop.core.model_io import TrainedModel, apply_model
    from persona_desktop.core.prediction import train
    from persona_desktop.core.targets import churn_target

    ins = analysis.inspection
    with _step(analysis, "step.churn") as record:
        if ins.kind is not TableKind.ORDERS or ins.customers is None:
            raise _Skipped("step.skipped.no_dates")
        progress.report(0.0, Message("progress.analyze.churn").text(lang))
        target = churn_target(ins, days, lang=lang)
        prediction = analysis.churn = train(target, CHURN_MODEL, random_state=seed, progress=progress.sub(0.0, 0.9))
        trained = TrainedModel.from_prediction(prediction, ins.customers.roles)
        scored = apply_model(trained, ins.customers, lang=lang, explain=False).scored
        # columns: key, probability of churning, label
        analysis.churn_scores = pd.Series(scored.iloc[:, 1].to_numpy(),
                                          index=scored[ins.customers.key].astype("str").to_numpy())
        c = prediction.chosen.cv
        record.figures = {"model": prediction.chosen.name, "cutoff": str(target.cutoff.date()), "days": days,
                          "roc_auc": c.roc_auc, "accuracy": c.accuracy,
                          "baseline_accuracy": prediction.baseline_accuracy,
                          "churn_rate": float((target.y == target.positive).mean())}
