"""Customer value for an opened file: who is still a customer, how many orders each will place in the
next days, what an order of theirs is worth, and what each is worth over the next months.

``customer_value(inspection)`` needs an order export with customers, dates and money (the customer
table's purchases). It refuses, saying the figures, a file with too little repeat history to fit the
models (:data:`MIN_CUSTOMERS`, :data:`MIN_REPEAT_SHARE`), and gives no predictions when no model
converges. Order values (and so lifetime values) are left out, with the reason, when Gamma-Gamma
cannot be fitted (too few repeat buyers with money, or a fit whose mean order value is undefined).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register, tr
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import TableKind
from persona_desktop.core.value.backtest import Backtest, backtest, default_cutoff
from persona_desktop.core.value.clv import lifetime_value
from persona_desktop.core.value.gammagamma import GammaGamma, spend_frequency_correlation
from persona_desktop.core.value.models import choose, finds_no_dropout, fit_purchase_models
from persona_desktop.core.value.summary import UNITS, RepeatSummary, summarise

__all__ = ["ValueAnalysis", "customer_value", "MIN_CUSTOMERS", "MIN_REPEAT_SHARE", "MIN_SPEND_BUYERS"]

MIN_CUSTOMERS = 200        # fewer customers cannot pin four parameters
MIN_REPEAT_SHARE = 0.10    # and at least this share must have bought more than once
MIN_SPEND_BUYERS = 30      # repeat buyers with money, for the order-value model
AT_RISK = 0.5              # P(alive) below this: at risk
HIGH_VALUE = 0.8           # spend in the file at or above this quantile: high value
SHORT_HISTORY = 2.0        # predictions reaching more than this many times the history back: said to be rough

register({
    "value.error.no_orders": (
        "Customer value needs an order export with a customer, a date and an amount on each order; {reason}.",
        "客户价值需要每笔订单都有客户、日期和金额的订单导出文件；{reason}。"),
    "value.reason.no_customers": ("this file has no customer column", "此文件没有客户列"),
    "value.reason.no_dates": ("no order dates were found", "未找到订单日期"),
    "value.reason.no_money": ("no amount was found", "未找到金额"),
    "value.reason.customer_list": ("this is a customer list, not orders", "这是客户名单，而非订单"),
    "value.error.too_little_history": (
        "Too little repeat history to predict customer value: it needs at least {min_customers} customers, of whom "
        "at least {min_share} bought on two days or more; this file has {n} customers, {repeat} of them ({share}) "
        "bought again.",
        "重复购买记录太少，无法预测客户价值：至少需要 {min_customers} 位客户，其中至少 {min_share} 在两天或以上购买过；"
        "此文件有 {n} 位客户，其中 {repeat} 位（{share}）再次购买。"),
    "value.error.no_fit": (
        "The purchase models did not settle on this file's history ({detail}): no predictions are given.",
        "购买模型在此文件的历史数据上无法收敛（{detail}），因此不给出预测。"),
    "value.note.model": (
        "Purchases predicted with {model} (log-likelihood {loglik}), fitted on {n} customers' purchase days up to "
        "{end}, time in {unit}.",
        "购买次数用 {model} 预测（对数似然 {loglik}），基于 {n} 位客户截至 {end} 的购买日拟合，时间单位为{unit}。"),
    "value.note.other_model": ("{model} fitted less well (log-likelihood {loglik}).",
                               "{model} 的拟合较差（对数似然 {loglik}）。"),
    "value.note.other_failed": ("{model} did not converge on this file.", "{model} 在此文件上未收敛。"),
    "value.note.spend": ("Order values predicted with Gamma-Gamma from {n} repeat buyers.",
                         "订单金额用 Gamma-Gamma 模型预测，基于 {n} 位回头客。"),
    "value.note.no_spend": ("No order values or lifetime values: {reason}.", "不给出订单金额和生命周期价值：{reason}。"),
    "value.reason.few_spend": ("only {n} repeat buyers have money on their orders (at least {min} needed)",
                               "只有 {n} 位回头客的订单有金额（至少需要 {min} 位）"),
    "value.reason.spend_fit": ("the order-value model did not settle on this file", "订单金额模型在此文件上无法收敛"),
    "value.note.correlation": (
        "Among repeat buyers, order value and number of orders go together (r = {r}); the order-value model "
        "assumes they do not, so its values are rougher here.",
        "回头客的订单金额与订单次数相关（r = {r}）；订单金额模型假定二者无关，因此此处的金额较为粗略。"),
    "value.note.no_dropout": (
        "The purchase history shows no sign of customers leaving for good: the chance of still being a customer "
        "is near 1 for everyone and cannot tell who has left; rank customers by their expected orders instead.",
        "购买记录中看不出客户永久流失的迹象：每位客户“仍是客户的概率”都接近 1，无法据此判断谁已流失；"
        "请按预计订单数排序。"),
    "value.note.one_time_alive": (
        "BG/NBD cannot tell whether a customer who bought on one day only has left (it lets customers leave only "
        "after a repeat purchase): their chance of still being a customer is left blank; their expected orders "
        "and value still count.",
        "BG/NBD 无法判断只在一天购买过的客户是否已流失（该模型只允许客户在重复购买后流失）："
        "他们的“仍是客户的概率”留空；预计订单数和价值照常计算。"),
    "value.note.one_time": (
        "{share} of the customers bought on one day only: their figures lean on the shop's averages.",
        "{share} 的客户只在一天购买过：他们的数值主要依据全店的平均水平。"),
    "value.note.short_history": (
        "The history covers only {span} days, and the predictions reach {horizon} days ahead, more than twice as "
        "far: take them as rough, and run again when more months are in.",
        "历史数据只有 {span} 天，而预测要覆盖未来 {horizon} 天，超过两倍：请把这些数值当作粗略估计，等有更多月份的数据后再运行一次。"),
    "value.unit.days": ("days", "天"),
    "value.unit.weeks": ("weeks", "周"),
    "value.unit.months": ("months", "月"),
    "value.model.bgnbd": ("BG/NBD", "BG/NBD"),
    "value.model.paretonbd": ("Pareto/NBD", "Pareto/NBD"),
    "value.col.p_alive": ("P(still a customer)", "仍是客户的概率"),
    "value.col.expected_orders": ("Expected orders, next {days} days", "未来 {days} 天预计订单数"),
    "value.col.order_value": ("Expected order value", "预计客单价"),
    "value.col.clv": ("Predicted value, next {months} months", "未来 {months} 个月预测价值"),
    "value.col.repeat": ("Repeat purchase days", "重复购买天数"),
    "value.col.at_risk": ("At risk, high value", "高价值但有流失风险"),
    "progress.value.fit": ("Fitting the purchase models…", "正在拟合购买模型…"),
    "progress.value.spend": ("Fitting the order-value model…", "正在拟合订单金额模型…"),
})


@dataclass
class ValueAnalysis:
    """Per-customer predictions and what the owner should be told about them."""

    summary: RepeatSummary
    model: object                       # the chosen BetaGeo or ParetoNBD
    others: dict[str, object]           # every purchase model fitted, by name
    spend: GammaGamma | None
    key: str
    days: int
    months: int
    discount: float
    table: pd.DataFrame                 # key, x, t_x, T, m, spend, p_alive, expected_orders, order_value, clv, at_risk
    notes: list[Message] = field(default_factory=list)
    backtest: Backtest | None = None    # fitted on the first two thirds, checked on the last
    # the model sees no one leave for good: P(alive) ≈ 1 for everyone tells nothing and is not shown
    no_dropout: bool = False

    @property
    def shows_alive(self) -> bool:
        """Whether the chance of still being a customer says anything here (see ``no_dropout``)."""
        return not self.no_dropout

    @property
    def model_name(self) -> str:
        return self.model.name

    def at_risk_high_value(self) -> int | None:
        """How many valuable customers have likely left; None (not 0) when the model sees no one leave, so
        that no screen, sheet or report says "0 at risk" where nobody can be told to be at risk."""
        return int(self.table["at_risk"].sum()) if self.shows_alive else None

    def customers_table(self, lang: str | None = None) -> pd.DataFrame:
        """The owner's list: one row per customer, the most valuable first, the value right after the key."""
        out = pd.DataFrame({self.key: self.table[self.key]})
        if self.spend is not None:
            out[tr("value.col.clv", lang, months=self.months)] = self.table["clv"].round(2)
        out[tr("value.col.expected_orders", lang, days=self.days)] = self.table["expected_orders"].round(2)
        if self.shows_alive:
            out[tr("value.col.p_alive", lang)] = self.table["p_alive"].round(3)
        if self.spend is not None:
            out[tr("value.col.order_value", lang)] = self.table["order_value"].round(2)
        out[tr("value.col.repeat", lang)] = self.table["x"].astype(int)
        if self.shows_alive:
            out[tr("value.col.at_risk", lang)] = self.table["at_risk"]
        sort = tr("value.col.clv", lang, months=self.months) if self.spend is not None else \
            tr("value.col.expected_orders", lang, days=self.days)
        return out.sort_values(sort, ascending=False, kind="stable").reset_index(drop=True)

    def to_json(self, lang: str | None = None, top: int = 20) -> dict:
        t = self.table
        doc = {
            "customers": int(len(t)),
            "repeat_share": round(self.summary.repeat_share, 4),
            "unit": self.summary.unit,
            "end": str(self.summary.end.date()),
            "model": self.model_name,
            "params": {k: round(v, 6) for k, v in self.model.params_.items()},
            "loglik": round(float(self.model.loglik_), 3),
            "models": {name: {"loglik": round(float(m.loglik_), 3), "converged": bool(m.fit_.ok),
                              "params": {k: round(v, 6) for k, v in m.params_.items()}}
                       for name, m in self.others.items()},
            "spend_model": None if self.spend is None else {k: round(v, 6) for k, v in self.spend.params_.items()},
            "days": self.days,
            "months": self.months,
            "discount": self.discount,
            "expected_orders_total": round(float(t["expected_orders"].sum()), 1),
            "mean_p_alive": round(float(t["p_alive"].mean()), 4) if self.shows_alive and t["p_alive"].notna().any() else None,
            "no_dropout": self.no_dropout,
            "value_total": None if self.spend is None else round(float(t["clv"].sum()), 2),
            "at_risk_high_value": self.at_risk_high_value(),
            "notes": [n.text(lang) for n in self.notes],
        }
        if self.backtest is not None:
            doc["backtest"] = self.backtest.to_json()
        sort = "clv" if self.spend is not None else "expected_orders"
        best = t.sort_values(sort, ascending=False, kind="stable").head(top)
        doc["top"] = [{"customer": str(r[self.key]),
                       "p_alive": None if pd.isna(r["p_alive"]) or not self.shows_alive else round(float(r["p_alive"]), 4),
                       "expected_orders": round(float(r["expected_orders"]), 3),
                       "order_value": None if self.spend is None else round(float(r["order_value"]), 2),
                       "value": None if self.spend is None else round(float(r["clv"]), 2)}
                      for _, r in best.iterrows()]
        return doc


def _purchases(inspection) -> tuple[pd.DataFrame, str]:
    customers = inspection.customers
    reason = None
    if customers is None:
        reason = "value.reason.no_customers"
    elif customers.purchases is None:
        if customers.source_kind is TableKind.CUSTOMERS:
            reason = "value.reason.customer_list"
        elif customers.as_of is None:
            reason = "value.reason.no_dates"
        else:
            reason = "value.reason.no_money"
    if reason is not None:
        raise DataError("value.error.no_orders", reason=Message(reason))
    return customers.purchases, customers.key


def customer_value(inspection, *, days: int = 90, months: int = 12, discount: float = 0.01, unit: str = "weeks",
                   model: str = "auto", check: bool = False, progress: Progress = NULL_PROGRESS) -> ValueAnalysis:
    """Fit the customer-base models to an opened order export and predict for every customer.

    *check*: also fit on the first two thirds of the history and compare the predictions with the last
    third (``ValueAnalysis.backtest``), when the first two thirds alone have enough repeat history.
    """
    purchases, key = _purchases(inspection)
    end = inspection.customers.as_of
    summary = summarise(purchases, key, end=end, unit=unit)
    result = value_from_summary(summary, key, spend=_spend(purchases, key, summary), days=days, months=months,
                                discount=discount, model=model, progress=progress.sub(0.0, 0.8 if check else 1.0))
    if check:
        cutoff = default_cutoff(purchases)
        first_part = summarise(purchases, key, end=cutoff, unit=unit)
        if first_part.n >= MIN_CUSTOMERS and first_part.repeat_share >= MIN_REPEAT_SHARE:
            try:
                result.backtest = backtest(purchases, key, cutoff, end=end, unit=unit, model=model,
                                           progress=progress)
            except ValueError:  # no model converged on the first two thirds: no check, nothing claimed
                result.backtest = None
        progress.report(1.0)
    return result


def _spend(purchases: pd.DataFrame, key: str, summary: RepeatSummary) -> np.ndarray:
    total = purchases.groupby(key)["money"].sum()
    return total.reindex(pd.Index(summary.keys)).fillna(0.0).to_numpy(dtype="float64")


def value_from_summary(summary: RepeatSummary, key: str, *, spend: np.ndarray | None = None, days: int = 90,
                       months: int = 12, discount: float = 0.01, model: str = "auto",
                       progress: Progress = NULL_PROGRESS) -> ValueAnalysis:
    repeat = int((summary.x > 0).sum())
    if summary.n < MIN_CUSTOMERS or summary.repeat_share < MIN_REPEAT_SHARE:
        raise DataError("value.error.too_little_history", min_customers=f"{MIN_CUSTOMERS:,}",
                        min_share=f"{MIN_REPEAT_SHARE:.0%}", n=f"{summary.n:,}", repeat=f"{repeat:,}",
                        share=f"{summary.repeat_share:.1%}")
    progress.report(0.0, Message("progress.value.fit").text())
    fitted = fit_purchase_models(summary, model, progress=progress)
    progress.check()
    chosen = choose(fitted)
    if chosen is None:
        detail = "; ".join(f"{Message(f'value.model.{n}').text()}: {m.fit_.message or 'at a bound'}" for n, m in fitted.items())
        raise DataError("value.error.no_fit", detail=detail)
    notes = [Message("value.note.model", {"model": Message(f"value.model.{chosen.name}"),
                                          "loglik": f"{chosen.loglik_:,.1f}", "n": f"{summary.n:,}",
                                          "end": str(summary.end.date()), "unit": Message(f"value.unit.{summary.unit}")})]
    for name, other in fitted.items():
        if other is chosen:
            continue
        notes.append(Message("value.note.other_model" if other.fit_.ok else "value.note.other_failed",
                             {"model": Message(f"value.model.{name}"), "loglik": f"{other.loglik_:,.1f}"}))
    no_dropout = finds_no_dropout(chosen)
    if no_dropout:
        notes.append(Message("value.note.no_dropout"))
    progress.report(0.6, Message("progress.value.spend").text())
    x, t_x, T, m = summary.x, summary.t_x, summary.T, summary.m
    horizon = days / UNITS[summary.unit]
    table = pd.DataFrame({key: summary.keys, "x": x, "t_x": t_x, "T": T, "m": m})
    table["spend"] = spend if spend is not None else (x * m)
    table["p_alive"] = chosen.p_alive(x, t_x, T)
    if chosen.name == "bgnbd" and not no_dropout and (x == 0).any():
        # BG/NBD lets a customer leave only after a repeat purchase: a one-time buyer's 1.0 says nothing
        table.loc[x == 0, "p_alive"] = np.nan
        notes.append(Message("value.note.one_time_alive"))
    table["expected_orders"] = chosen.expected_purchases(horizon, x, t_x, T)
    spend_model = _fit_spend(x, m, notes, progress)
    if spend_model is not None:
        table["order_value"] = spend_model.expected_value(x, m)
        table["clv"] = lifetime_value(chosen, x, t_x, T, table["order_value"].to_numpy(), months=months,
                                      discount=discount, unit=summary.unit)
    threshold = float(np.quantile(table["spend"], HIGH_VALUE)) if len(table) else 0.0
    # at risk: valuable customers the model thinks have likely left (never claimed when it sees no one leave)
    table["at_risk"] = (table["p_alive"] < AT_RISK) & (table["spend"] >= threshold) & (table["spend"] > 0) & ~no_dropout
    _note_short_history(summary, days, months if spend_model is not None else 0, notes)
    once = 1.0 - summary.repeat_share
    if once >= 0.5:
        notes.append(Message("value.note.one_time", {"share": f"{once:.0%}"}))
    progress.report(1.0)
    return ValueAnalysis(summary, chosen, fitted, spend_model, key, days, months, discount, table, notes,
                         no_dropout=no_dropout)


def _note_short_history(summary: RepeatSummary, days: int, months: int, notes: list[Message]) -> None:
    """Says so when the predictions reach more than twice as far ahead as the history goes back (a month's
    file asked for a year's value): the models extrapolate from the rhythm they saw, which a short history
    barely shows. (CDNOW's 39 weeks predict the next 39 well; a year's export asked for 12 months is fine.)"""
    span = float(summary.T.max()) * UNITS[summary.unit] if summary.n else 0.0
    horizon = max(days, months * UNITS["months"])
    if horizon > SHORT_HISTORY * span:
        notes.append(Message("value.note.short_history", {"span": f"{span:,.0f}", "horizon": f"{horizon:,.0f}"}))


def _fit_spend(x: np.ndarray, m: np.ndarray, notes: list[Message], progress: Progress) -> GammaGamma | None:
    buyers = int(((x > 0) & (m > 0)).sum())
    if buyers < MIN_SPEND_BUYERS:
        notes.append(Message("value.note.no_spend", {"reason": Message("value.reason.few_spend",
                                                                        {"n": buyers, "min": MIN_SPEND_BUYERS})}))
        return None
    model = GammaGamma().fit(x, m, progress=progress)
    if not model.fit_.ok or model.params_["q"] <= 1.0:
        notes.append(Message("value.note.no_spend", {"reason": Message("value.reason.spend_fit")}))
        return None
    notes.append(Message("value.note.spend", {"n": f"{model.n_fitted_:,}"}))
    r = spend_frequency_correlation(x, m)
    if r is not None and abs(r) >= 0.3:
        notes.append(Message("value.note.correlation", {"r": f"{r:.2f}"}))
    return model
