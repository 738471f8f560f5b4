"""The whole default pipeline in one call: what ``persona-desktop analyze`` runs every month.

clean → customers → customer value (when orders have dates and money) → segments →
personas (with their value) → rules and recommendations (when products are known) → churn
prediction (when order dates are known). Each
step records its time and figures; a step that cannot run on this file (no
products, too little history) is skipped with the reason, never an error —
only a file that cannot be read at all stops the analysis.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.io.values import DATE_HEADER
from persona_desktop.core.predict.model_files import TrainedModel, apply_model
from persona_desktop.core.predict.run import train
from persona_desktop.core.predict.targets import churn_target, segment_target, target_from_column
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.results import Analysis, StepRecord, apply_edits
from persona_desktop.core.rules.run import find_rules
from persona_desktop.core.schema import Role, TableKind
from persona_desktop.core.segments.run import segment_inspection
from persona_desktop.core.segments.value_cards import attach_value
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.value.run import customer_value

if TYPE_CHECKING:
    from persona_desktop.core.table.understand import Inspection

__all__ = ["run_analysis", "add_segments", "add_rules", "add_churn", "add_prediction", "add_value",
           "unavailable"]

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
    "step.value": ("Customer value", "客户价值"),
    "step.skipped.value_needs_orders": ("skipped: customer value needs orders with dates and money; this file is a {kind}",
                                        "已跳过：客户价值需要带日期和金额的订单，而此文件是{kind}"),
    "progress.analyze.value": ("Predicting customer value…", "正在预测客户价值…"),
    "step.skipped.no_customers": ("skipped: the file has no customers", "已跳过：文件中没有客户"),
    "step.skipped.no_products": ("skipped: the file has no products", "已跳过：文件中没有商品"),
    "step.skipped.no_dates": ("skipped: churn needs order lines with dates", "已跳过：流失预测需要带日期的订单明细"),
    "step.skipped.not_orders": ("skipped: churn is measured on order lines with dates; this file is a {kind}",
                                "已跳过：流失预测需要带日期的订单明细，而此文件是{kind}"),
    "step.skipped.dates_unread": ("skipped: churn needs order dates; the column “{column}” was not read as dates — "
                                  "mark it as the order date if it holds them",
                                  "已跳过：流失预测需要下单日期；“{column}”列未被识别为日期，如它就是下单日期，请将其标为下单时间"),
    "step.skipped.no_date_column": ("skipped: churn needs order dates, and no column holds dates (columns: {columns})",
                                    "已跳过：流失预测需要下单日期，而没有任何列是日期（各列：{columns}）"),
    "step.skipped.no_segments": ("find the segments first", "请先进行客户分组"),
    "step.predict": ("Prediction", "预测"),
    "progress.analyze.read": ("Reading and cleaning the file…", "正在读取并清洗文件…"),
    "progress.analyze.churn": ("Predicting churn…", "正在预测流失…"),
})


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
    roles=None,
    progress: Progress = NULL_PROGRESS,
) -> Analysis:
    """Run every step that applies to the file at *path*.

    *roles*: what some columns mean, as the owner said (``{"dishes_name": "product"}``);
    a column the file does not have is an error.

    Raises
    ------
    ReadError, DataError
        Only when the file cannot be read or understood at all.
    """
    clock = time.perf_counter()
    progress.report(0.0, Message("progress.analyze.read").text(lang))
    inspection = inspect_file(path, sheet=sheet, encoding=encoding, roles=roles, strict_roles=roles is not None,
                              progress=progress.sub(0.0, 0.3))
    inspection.check()
    analysis = Analysis(Path(path), inspection, options={"seed": seed, "min_support": min_support,
                                                         "min_confidence": min_confidence, "churn_days": churn_days})
    kept = int(np.asarray(inspection.cleaning.kept).sum())
    analysis.steps.append(StepRecord("step.read", time.perf_counter() - clock, {
        "rows": len(inspection.table.data), "rows_used": kept,
        "customers": None if inspection.customers is None else len(inspection.customers.data)}))
    add_value(analysis, lang=lang, skip_errors=True, progress=progress.sub(0.3, 0.35))
    add_segments(analysis, seed=seed, lang=lang, skip_errors=True, progress=progress.sub(0.35, 0.55))
    add_rules(analysis, min_support=min_support, min_confidence=min_confidence, lang=lang, skip_errors=True,
              progress=progress.sub(0.55, 0.75))
    add_churn(analysis, days=churn_days, seed=seed, lang=lang, skip_errors=True, progress=progress.sub(0.75, 1.0))
    progress.report(1.0)
    return analysis


class _Skipped(DataError):
    """A step that does not apply to this file; the message says why."""


@contextmanager
def _step(analysis: Analysis, key: str, skip_errors: bool = True) -> Iterator[StepRecord]:
    """Record a step (replacing an earlier run of it): its time always. A step that does not
    apply, or a DataError inside it (too few customers, nothing frequent enough, too short a
    history), is recorded as skipped with the reason; with *skip_errors* the rest of the
    analysis still runs, otherwise the error goes on to the caller (the GUI shows it)."""
    record = StepRecord(key)
    analysis.steps = [s for s in analysis.steps if s.key != key] + [record]
    clock = time.perf_counter()
    try:
        yield record
    except DataError as exc:
        record.skipped = exc.message
        if not skip_errors:
            raise
    finally:
        record.seconds = time.perf_counter() - clock


def unavailable(analysis: Analysis, step: str) -> Message | None:
    """Why *step* ("segments", "rules", "churn") cannot run on this file, or None if it can."""
    ins = analysis.inspection
    if step in ("segments", "predict") and ins.customers is None:
        return Message("step.skipped.no_customers")
    if step == "rules" and ins.kind is not TableKind.BASKETS and _product_column(ins.column_roles) is None:
        return Message("step.skipped.no_products")
    if step == "churn":
        return _churn_unavailable(ins)
    if step == "value":
        if ins.customers is None:
            return Message("step.skipped.no_customers")
        if ins.kind is not TableKind.ORDERS:
            return Message("step.skipped.value_needs_orders", {"kind": Message(f"kind.{ins.kind.value}")})
    return None


def _churn_unavailable(ins: "Inspection") -> Message | None:
    """Why churn cannot be measured, naming what it looked for; None when it can."""
    if ins.customers is None:
        return Message("step.skipped.no_customers")
    if ins.kind is not TableKind.ORDERS:
        return Message("step.skipped.not_orders", {"kind": Message(f"kind.{ins.kind.value}")})
    roles = ins.column_roles
    if Role.ORDER_DATE in roles.values():
        return None
    data = ins.cleaning.data
    if any(pd.api.types.is_datetime64_any_dtype(data[c]) for c in data.columns):
        return None  # a date column under another role: the target finds it or says why
    named = next((c for c in data.columns if DATE_HEADER.search(str(c))), None)
    if named is not None:
        return Message("step.skipped.dates_unread", {"column": named})
    columns = ", ".join(map(str, data.columns[:10])) + (" …" if len(data.columns) > 10 else "")
    return Message("step.skipped.no_date_column", {"columns": columns})


def _require(analysis: Analysis, step: str) -> None:
    reason = unavailable(analysis, step)
    if reason is not None:
        raise _Skipped(reason.key, **reason.params)


def add_segments(analysis: Analysis, *, seed: int = 0, lang: str | None = None, skip_errors: bool = False,
                 edits=None, progress: Progress = NULL_PROGRESS, **options) -> None:
    """Segment the customers (options: see :func:`~persona_desktop.core.segments.run.segment_customers`)
    and give the cards the owner's names and notes (*edits*, by segment id)."""
    with _step(analysis, "step.segments", skip_errors) as record:
        _require(analysis, "segments")
        segments = segment_inspection(analysis.inspection, seed=seed, progress=progress, **options)
        if edits:
            apply_edits(segments.personas, edits)
        _value_on_cards(segments, analysis.value)
        analysis.segments = segments
        analysis.options["segmentation"] = {"seed": seed, **options}
        seg = segments.segmentation
        record.figures = {"method": seg.method, "segments": seg.n_segments,
                          "silhouette": seg.quality.silhouette,
                          "stability": None if seg.stability is None else seg.stability.mean_ari}


def add_value(analysis: Analysis, *, days: int = 90, months: int = 12, discount: float = 0.01,
              model: str = "auto", lang: str | None = None, skip_errors: bool = False,
              progress: Progress = NULL_PROGRESS) -> None:
    """Customer value (see :func:`~persona_desktop.core.value.run.customer_value`), checked on the last
    third of the history, and each persona card's share of it when the customers are segmented."""
    with _step(analysis, "step.value", skip_errors) as record:
        _require(analysis, "value")
        progress.report(0.0, Message("progress.analyze.value").text(lang))
        value = customer_value(analysis.inspection, days=days, months=months, discount=discount, model=model,
                               check=True, progress=progress)
        analysis.value = value
        analysis.options["value"] = {"days": days, "months": months, "discount": discount, "model": model}
        if analysis.segments is not None:
            _value_on_cards(analysis.segments, value)
        t = value.table
        record.figures = {"model": value.model_name, "customers": int(len(t)),
                          "expected_orders": round(float(t["expected_orders"].sum()), 1),
                          "value_total": None if value.spend is None else round(float(t["clv"].sum()), 2),
                          "at_risk_high_value": value.at_risk_high_value(),
                          "days": days, "months": months}


def _value_on_cards(segments, value) -> None:
    customers = segments.customers
    attach_value(segments.personas, segments.labels, customers.data[customers.key].to_numpy(), value)


def add_rules(analysis: Analysis, *, min_support: float = 0.01, min_confidence: float = 0.3, max_len: int = 3,
              lang: str | None = None, skip_errors: bool = False, progress: Progress = NULL_PROGRESS) -> None:
    """Association rules, recommendations and (when segmented) rules by segment."""
    ins = analysis.inspection
    with _step(analysis, "step.rules", skip_errors) as record:
        _require(analysis, "rules")
        r = analysis.rules = find_rules(ins, min_support=min_support, min_confidence=min_confidence, max_len=max_len,
                                        source="orders", by_segment=analysis.segments is not None,
                                        segments=analysis.segments, lang=lang, progress=progress)
        analysis.options.update(min_support=min_support, min_confidence=min_confidence)
        record.figures = {"baskets": r.baskets.n_baskets, "items": r.baskets.n_items,
                          "itemsets": len(r.mining.itemsets), "rules": len(r.rules), "backend": r.mining.backend,
                          "customers_with_recommendations": None if r.recommendations is None
                          else int(r.recommendations["customer"].nunique())}


def add_churn(analysis: Analysis, *, days: int = CHURN_DAYS, model: str = CHURN_MODEL, seed: int = 0,
              lang: str | None = None, skip_errors: bool = False, progress: Progress = NULL_PROGRESS) -> None:
    """Train on the history before a cut-off, then score today's customers with that model.

    *model* is one model name or "compare" (all of them, the best chosen).
    """
    ins = analysis.inspection
    with _step(analysis, "step.churn", skip_errors) as record:
        _require(analysis, "churn")
        progress.report(0.0, Message("progress.analyze.churn").text(lang))
        target = churn_target(ins, days, lang=lang)
        prediction = train(target, model, random_state=seed, progress=progress.sub(0.0, 0.9))
        trained = TrainedModel.from_prediction(prediction, ins.customers.roles)
        scored = apply_model(trained, ins.customers, lang=lang, explain=False).scored
        analysis.churn, analysis.prediction = prediction, None
        # columns: key, probability of churning, label — none when the model is no better than guessing
        analysis.churn_scores = None if not prediction.beats_baseline else \
            pd.Series(scored.iloc[:, 1].to_numpy(), index=scored[ins.customers.key].astype("str").to_numpy())
        analysis.options["churn_days"] = days
        c = prediction.chosen.cv
        record.figures = {"model": prediction.chosen.name, "cutoff": str(target.cutoff.date()), "days": days,
                          "roc_auc": c.roc_auc, "accuracy": c.accuracy,
                          "baseline_accuracy": prediction.baseline_accuracy,
                          "beats_baseline": prediction.beats_baseline,
                          "churn_rate": float((target.y == target.positive).mean())}


def add_prediction(analysis: Analysis, *, column: str | None = None, segments: bool = False, model: str = "compare",
                   exclude=(), seed: int = 0, lang: str | None = None, progress: Progress = NULL_PROGRESS) -> None:
    """Predict a column of the customer table, or (with *segments*) each customer's segment.

    The result replaces any churn model as the analysis's prediction (the Model sheet).
    """
    ins = analysis.inspection
    with _step(analysis, "step.predict", skip_errors=False) as record:
        _require(analysis, "predict")
        if segments:
            if analysis.segments is None:
                raise _Skipped("step.skipped.no_segments")
            names = analysis.segments.names_by_segment(lang)
            target = segment_target(ins.customers, analysis.segments.labels, names, exclude=exclude, lang=lang)
        else:
            target = target_from_column(ins.customers, column, exclude=exclude)
        prediction = train(target, model, random_state=seed, progress=progress)
        analysis.prediction, analysis.churn, analysis.churn_scores = prediction, None, None
        c = prediction.chosen.cv
        record.figures = {"target": target.name, "model": prediction.chosen.name, "roc_auc": c.roc_auc,
                          "accuracy": c.accuracy, "baseline_accuracy": prediction.baseline_accuracy}
