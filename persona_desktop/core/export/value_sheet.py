"""Customer value in the owner's workbook: three columns of the Customers sheet (the chance of still
being a customer, the orders expected in the next days, the predicted value over the next months),
the Customer value sheet (every customer, most valuable first) and the Summary's value rows.

The analysis itself is :mod:`persona_desktop.core.value`; this module only lays it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from persona_desktop.core.export.xlsx import Fmt, Head
from persona_desktop.core.i18n import Message, register, tr

if TYPE_CHECKING:
    from persona_desktop.core.results import Analysis

__all__ = ["value_columns", "value_summary_rows", "value_table", "value_card_rows"]

register({
    "wb.sheet.value": ("Customer value", "客户价值"),
    "wb.value": ("Customer value", "客户价值"),
    "wb.value.model": ("Purchase model", "购买模型"),
    "wb.value.end": ("History up to", "历史截至"),
    "wb.value.repeat": ("Customers who bought again", "再次购买的客户"),
    "wb.value.orders": ("Expected orders, next {days} days", "未来 {days} 天预计订单"),
    "wb.value.total": ("Predicted value, next {months} months", "未来 {months} 个月预测价值"),
    "wb.value.discount": ("Monthly discount rate", "月折现率"),
    "wb.value.at_risk": ("Valuable customers at risk (top fifth by spend, P(still a customer) < 0.5)",
                         "高价值但有流失风险的客户（消费额前五分之一，仍是客户的概率 < 0.5）"),
    "wb.value.check": ("Check on the last third of the history", "用最后三分之一的历史检验"),
    "wb.value.check_cutoff": ("Fitted up to", "拟合截至"),
    "wb.value.check_predicted": ("Purchase days predicted after it", "之后预测的购买天次"),
    "wb.value.check_actual": ("Purchase days made", "实际购买天次"),
    "wb.value.check_auc": ("Who bought again, ROC AUC of the expected orders", "区分谁再次购买（预计订单数的 ROC AUC）"),
    "wb.value.repeat_col": ("Repeat purchases before", "此前重复购买次数"),
    "wb.value.predicted_col": ("predicted (mean)", "预测（平均）"),
    "wb.value.actual_col": ("made (mean)", "实际（平均）"),
    "wb.value.customers_col": ("customers", "客户数"),
    "wb.value.per_customer": ("Predicted value per customer, next {months} months", "未来 {months} 个月每位客户的预测价值"),
    "wb.value.share": ("Share of the predicted value", "占预测价值的比例"),
    "wb.value.orders_card": ("Expected orders, next {days} days", "未来 {days} 天预计订单"),
    "wb.yes": ("yes", "是"),
    "wb.no": ("no", "否"),
})


def value_columns(a: "Analysis", keys: np.ndarray, lang) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The value columns of the Customers sheet, row for row with *keys*, and their formats."""
    v = a.value
    if v is None:
        return {}, {}
    table = v.table.set_index(v.table[v.key].astype("str")).reindex(pd.Index(keys))
    columns = {tr("value.col.expected_orders", lang, days=v.days): table["expected_orders"].round(2).to_numpy()}
    formats = {tr("value.col.expected_orders", lang, days=v.days): "number"}
    if v.shows_alive:  # not when the history shows no one leaving: 100 % for everyone would tell nothing
        columns[tr("value.col.p_alive", lang)] = table["p_alive"].to_numpy()
        formats[tr("value.col.p_alive", lang)] = "percent"
    if v.spend is not None:
        name = tr("value.col.clv", lang, months=v.months)
        columns[name] = table["clv"].round(2).to_numpy()
        formats[name] = "money"
    return columns, formats


def value_table(a: "Analysis", lang) -> tuple[pd.DataFrame, dict[str, str]]:
    """The Customer value sheet: every customer, most valuable first."""
    v = a.value
    table = v.customers_table(lang)
    yes, no = tr("wb.yes", lang), tr("wb.no", lang)
    at_risk = tr("value.col.at_risk", lang)
    if at_risk in table.columns:
        table[at_risk] = np.where(table[at_risk].astype(bool), yes, no)
    formats = {tr("value.col.p_alive", lang): "percent", tr("value.col.expected_orders", lang, days=v.days): "number",
               tr("value.col.order_value", lang): "money", tr("value.col.clv", lang, months=v.months): "money",
               tr("value.col.repeat", lang): "int"}
    return table, {k: f for k, f in formats.items() if k in table.columns}


def value_card_rows(p, lang) -> list:
    """A persona block's value rows (Personas sheet): value per customer, its share, orders, at risk."""
    v = p.value
    if not v:
        return []
    t = lambda key, **kw: Message(key, kw).text(lang)
    rows: list = []
    if v.get("value_per_customer") is not None:
        rows += [[t("wb.value.per_customer", months=v["months"]), Fmt(v["value_per_customer"], "money")],
                 [t("wb.value.share"), Fmt(v.get("value_share"), "percent")]]
    rows.append([t("wb.value.orders_card", days=v["days"]), Fmt(v["expected_orders"], "number")])
    if v.get("at_risk") is not None:
        rows.append([t("wb.value.at_risk"), Fmt(v["at_risk"], "int")])
    return rows


def value_summary_rows(a: "Analysis", lang) -> list:
    v = a.value
    if v is None:
        return []
    t = lambda key, **kw: Message(key, kw).text(lang)
    t_ = v.table
    rows: list = [[], [f"# {t('wb.value')}"],
                  [t("wb.value.model"), Message(f"value.model.{v.model_name}").text(lang)],
                  [t("wb.value.end"), str(v.summary.end.date())],
                  [t("wb.value.repeat"), Fmt(v.summary.repeat_share, "percent")],
                  [t("wb.value.orders", days=v.days), Fmt(round(float(t_["expected_orders"].sum()), 1), "number")]]
    if v.spend is not None:
        rows += [[t("wb.value.total", months=v.months), Fmt(round(float(t_["clv"].sum()), 2), "money")],
                 [t("wb.value.discount"), Fmt(v.discount, "percent")]]
    at_risk = v.at_risk_high_value()  # None with no one seen leaving (the notes say why)
    if at_risk is not None:
        rows.append([t("wb.value.at_risk"), Fmt(at_risk, "int")])
    rows += [[n.text(lang)] for n in v.notes]
    check = v.backtest
    if check is not None:
        rows += [[], [f"# {t('wb.value.check')}"], [t("wb.value.check_cutoff"), str(check.cutoff.date())],
                 [t("wb.value.check_predicted"), Fmt(round(float(check.predicted.sum()), 1), "number")],
                 [t("wb.value.check_actual"), Fmt(int(check.actual.sum()), "int")]]
        if check.auc_expected is not None:
            rows.append([t("wb.value.check_auc"), Fmt(round(check.auc_expected, 3), "ratio")])
        rows.append(Head([t("wb.value.repeat_col"), t("wb.value.customers_col"), t("wb.value.predicted_col"),
                          t("wb.value.actual_col")]))
        for r in check.by_frequency().itertuples():
            label = f"{int(r.repeat)}+" if r.repeat >= 7 else str(int(r.repeat))
            rows.append([label, Fmt(int(r.customers), "int"), Fmt(round(r.predicted, 2), "number"),
                         Fmt(round(r.actual, 2), "number")])
    return rows
