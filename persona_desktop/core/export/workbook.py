"""The owner's workbook: one .xlsx per analysis, everything needed to act on it.

Sheets (names in the analysis language): Summary, Personas, Customers, No purchase (order data:
customers whose only lines are refunds, fees…), one
sheet per segment, Rules and Recommendations when products are known, Model
when churn was predicted. Native Excel charts: segment sizes and revenue
shares on the Summary, feature importance on the Model sheet. Writing is
done by :func:`persona_desktop.core.export.xlsx.write_workbook` (atomic, no live
formulas, fitted widths, number formats).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from persona_desktop import __version__
from persona_desktop.core.export.model_sheet import model_rows
from persona_desktop.core.export.privacy import key_kind, personal_columns, protect
from persona_desktop.core.export.sheet_text import sheet_title
from persona_desktop.core.export.value_sheet import value_card_rows, value_columns, value_summary_rows, value_table
from persona_desktop.core.export.xlsx import Chart, Fmt, Head, Sheet, write_workbook
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.io.excel import OWN_CUSTOMER_SHEETS
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import PERSONAL_ROLES
from persona_desktop.core.segments.compare import short_names
from persona_desktop.core.table.customers import column_format, column_label
from persona_desktop.core.table.understand import inspection_to_json

if TYPE_CHECKING:
    from persona_desktop.core.export.privacy import Privacy
    from persona_desktop.core.results import Analysis

__all__ = ["CUSTOMER_SHEET_NAMES", "customers_table", "owner_sheets", "write_owner_workbook"]

register({
    "wb.sheet.summary": ("Summary", "概要"),
    "wb.sheet.personas": ("Personas", "客户画像"),
    "wb.sheet.customers": ("Customers", "客户"),
    "wb.sheet.no_purchase": ("No purchase", "未成交客户"),
    "wb.sheet.prospects": ("Prospects", "潜在客户"),
    "wb.sheet.outlying": ("Outlying accounts", "离群客户"),
    "wb.sheet.rules": ("Rules", "关联规则"),
    "wb.sheet.recommendations": ("Recommendations", "推荐"),
    "wb.sheet.segment_rules": ("Rules by segment", "分组规则"),
    "wb.sheet.model": ("Model", "模型"),
    "wb.sheet.predictions": ("Predictions", "预测结果"),
    "wb.title": ("Persona Desktop analysis of {file}", "Persona Desktop 分析：{file}"),
    "wb.source": ("Source file", "源文件"),
    "wb.written": ("Written", "生成时间"),
    "wb.version": ("Persona Desktop version", "Persona Desktop 版本"),
    "wb.kind": ("The file holds", "文件内容"),
    "wb.rows": ("Rows read", "读取行数"),
    "wb.rows_used": ("Rows used", "使用行数"),
    "wb.customers": ("Customers", "客户数"),
    "wb.no_purchase": ("Customers who bought nothing (sheet “No purchase”)", "没有实际购买的客户（见“未成交客户”表）"),
    "wb.prospects": ("Prospects: people who never ordered (sheet “Prospects”)", "从未下单的潜在客户（见“潜在客户”表）"),
    "wb.outlying": ("Outlying accounts: too few and too unlike the rest for a segment (sheet “Outlying accounts”)",
                    "离群客户：人数太少、与其他客户差别太大，不单独成组（见“离群客户”表）"),
    "wb.money_from": ("Money", "金额"),
    "wb.paid": ("Paid in this file, net of refunds", "本文件实付合计（扣除退款）"),
    "wb.cleaning": ("Cleaning steps", "清洗步骤"),
    "wb.step": ("Step", "步骤"),
    "wb.rows_affected": ("Rows", "行数"),
    "wb.action": ("What was done", "处理方式"),
    "wb.segments": ("Segments", "客户分组"),
    "wb.method": ("Method", "方法"),
    "wb.features": ("Features", "特征"),
    "wb.seed": ("Seed", "随机种子"),
    "wb.silhouette": ("Silhouette (−1…1, higher is better)", "轮廓系数（−1…1，越高越好）"),
    "wb.ch": ("Calinski–Harabasz (higher is better)", "Calinski–Harabasz 指数（越高越好）"),
    "wb.db": ("Davies–Bouldin (lower is better)", "Davies–Bouldin 指数（越低越好）"),
    "wb.stability": ("Stability across re-runs (adjusted Rand, 1 = identical)", "重复运行的稳定性（调整兰德指数，1 为完全一致）"),
    "wb.segment": ("Segment", "分组"),
    "wb.size": ("Customers", "客户数"),
    "wb.share": ("Share of customers", "客户占比"),
    "wb.revenue_share": ("Share of revenue", "收入占比"),
    "wb.avg_spend": ("Average spend", "平均消费"),
    "wb.avg_order": ("Average order value", "平均客单价"),
    "wb.churn_risk": ("Churn risk", "流失风险"),
    "wb.chart.sizes": ("Customers per segment", "各分组客户数"),
    "wb.chart.revenue": ("Share of revenue", "收入占比"),
    "wb.chart.importance": ("What the prediction rests on", "预测依据的重要性"),
    "wb.rules": ("Rules", "关联规则"),
    "wb.baskets": ("Baskets", "购物篮数"),
    "wb.items": ("Products", "商品数"),
    "wb.min_support": ("Minimum support", "最小支持度"),
    "wb.min_confidence": ("Minimum confidence", "最小置信度"),
    "wb.rule_count": ("Rules found", "规则数"),
    "wb.churn": ("Churn prediction", "流失预测"),
    "wb.prediction": ("Prediction", "预测"),
    "wb.churn_target": ("Predicted", "预测目标"),
    "wb.model": ("Model", "模型"),
    "wb.roc_auc": ("ROC AUC (cross-validated; 0.5 = guessing)", "ROC AUC（交叉验证；0.5 相当于瞎猜）"),
    "wb.accuracy": ("Accuracy (cross-validated)", "准确率（交叉验证）"),
    "wb.baseline": ("Baseline accuracy (always the most common answer)", "基线准确率（总是猜最常见的结果）"),
    "wb.timing": ("Steps and time", "步骤与耗时"),
    "wb.seconds": ("Seconds", "秒"),
    "wb.skipped": ("Skipped", "已跳过"),
    "wb.notes": ("Notes", "备注"),
    "wb.traits": ("What sets them apart", "主要特征"),
    "wb.actions": ("What to do", "建议行动"),
    "wb.typical": ("Typical values", "典型值"),
    "wb.feature": ("Feature", "特征"),
    "wb.median": ("Median in the segment", "分组中位数"),
    "wb.overall": ("Median of all customers", "全体中位数"),
    "wb.top_products": ("Buys more than other customers", "比其他客户买得多的商品"),
    "wb.rule": ("Rule that places a customer here", "归入该组的规则"),
    "wb.note": ("Note", "备注"),
    "wb.col.segment": ("segment", "分组"),
    "wb.col.churn": ("churn probability", "流失概率"),
    "wb.col.recommendations": ("recommended next", "推荐商品"),
})

# The Customers sheet under any language: the reader opens it first in a workbook of ours.
CUSTOMER_SHEET_NAMES = OWN_CUSTOMER_SHEETS
_FORMAT_OF = {"money": "money", "count": "int", "decimal": "number", "percent": "percent", "date": "date"}


def _t(key: str, lang, **params) -> str:
    return Message(key, params).text(lang)


def customers_table(analysis: Analysis, lang: str | None = None,
                    privacy: "Privacy | None" = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every customer: the key first, their columns, segment, churn probability, recommendations.

    Returns the table and the number format of its columns. *privacy* masks or codes the
    names, phones and e-mails (:mod:`persona_desktop.core.export.privacy`).
    """
    customers = analysis.inspection.customers
    out, formats = _labelled(customers, customers.data, lang)
    keys = customers.data[customers.key].astype("str").to_numpy()
    if analysis.segments is not None:
        out[_t("wb.col.segment", lang)] = analysis.segments.segment_names(lang)
    columns, value_formats = value_columns(analysis, keys, lang)
    for column, values in columns.items():
        out[column] = values
    formats.update(value_formats)
    if analysis.churn_scores is not None:
        column = _t("wb.col.churn", lang)
        out[column] = analysis.churn_scores.reindex(keys).to_numpy()
        formats[column] = "percent"
    rules = analysis.rules
    if rules is not None and rules.recommendations is not None and not rules.recommendations.empty:
        r = rules.recommendations.sort_values(["customer", "rank"])
        text = r.assign(product=r["product"].astype("str")).groupby(r["customer"].astype("str"))["product"] \
            .agg(lambda s: "; ".join(s))
        out[_t("wb.col.recommendations", lang)] = text.reindex(keys).to_numpy()
    _protect(out, formats, customers, customers.data, lang, privacy)
    return out, formats


def no_purchase_table(analysis: Analysis, lang: str | None = None,
                      privacy: "Privacy | None" = None) -> tuple[pd.DataFrame, dict[str, str]] | None:
    """The customers who bought nothing in the file (only refunds, fees…), laid out like the Customers sheet."""
    customers = analysis.inspection.customers
    if customers is None or customers.set_aside is None or customers.set_aside.empty:
        return None
    out, formats = _labelled(customers, customers.set_aside, lang)
    _protect(out, formats, customers, customers.set_aside, lang, privacy)
    return out, formats


def _labelled(customers, data: pd.DataFrame, lang) -> tuple[pd.DataFrame, dict[str, str]]:
    """*data* (rows of the customer table) with the id, then contact details, then figures, under their labels."""
    contact = [c for c in data.columns if c != customers.key and customers.roles.get(c) in PERSONAL_ROLES]
    order = [customers.key, *contact, *(c for c in data.columns if c != customers.key and c not in contact)]
    data = data[order]
    out = pd.DataFrame({column_label(c, lang): data[c].to_numpy() for c in data.columns})
    formats = {column_label(c, lang): _FORMAT_OF[column_format(c)] for c in data.columns
               if column_format(c) in _FORMAT_OF}
    return out, formats


def _protect(out: pd.DataFrame, formats: dict, customers, data: pd.DataFrame, lang, privacy) -> None:
    """Mask or code the names, phones and e-mails of *out* in place when *privacy* asks for it."""
    if privacy is None or not privacy.active:
        return

    for column, kind in personal_columns(data, customers.roles, customers.key).items():
        label = column_label(column, lang)
        out[label] = protect(out[label], kind, privacy)
        formats.pop(label, None)  # a masked value is text


def _protect_first_column(table: pd.DataFrame, a: Analysis, privacy: "Privacy | None") -> pd.DataFrame:
    """*table* (recommendations, predictions: the customer key first) with the key protected if it is personal."""
    customers = a.inspection.customers
    if privacy is None or not privacy.active or customers is None or table.empty:
        return table

    kind = key_kind(customers.data[customers.key], customers.roles.get(customers.key))
    if kind is None:
        return table
    table = table.copy()
    table[table.columns[0]] = protect(table[table.columns[0]], kind, privacy)
    return table


def _summary_rows(a: Analysis, lang) -> tuple[list, list[Chart]]:
    ins = a.inspection
    doc = inspection_to_json(ins, lang)
    t = lambda key, **kw: _t(key, lang, **kw)
    read = a.step("step.read")
    rows: list = [[f"# {t('wb.title', file=a.source.name)}"],
                  [t("wb.source"), str(a.source)],
                  [t("wb.written"), a.created.to_pydatetime()],
                  [t("wb.version"), __version__],
                  [t("wb.kind"), Message(f"kind.{ins.kind.value}").text(lang)],
                  [t("wb.rows"), Fmt(len(ins.table.data), "int")]]
    if read is not None:
        rows.append([t("wb.rows_used"), Fmt(read.figures.get("rows_used"), "int")])
    if ins.customers is not None:
        rows.append([t("wb.customers"), Fmt(len(ins.customers.data), "int")])
        if ins.customers.set_aside is not None:
            rows.append([t(f"wb.{ins.customers.set_aside_kind}"), Fmt(len(ins.customers.set_aside), "int")])
    if ins.money is not None:
        rows.append([t("wb.money_from"), ins.money.describe().text(lang)])
        rows.append([t("wb.paid"), Fmt(ins.paid, "money")])
    rows += [[], [f"# {t('wb.cleaning')}"], Head([t("wb.step"), t("wb.rows_affected"), t("wb.action")])]
    rows += [[s["label"], Fmt(s["rows"], "int"), t(f"clean.action.{s['action']}")] for s in doc["cleaning"]]
    charts: list[Chart] = []
    if a.segments is not None:
        seg = a.segments.segmentation
        q = seg.quality
        rows += [[], [f"# {t('wb.segments')}"],
                 [t("wb.method"), seg.method], [t("wb.features"), ", ".join(map(str, getattr(seg.features, "names", [])))],
                 [t("wb.seed"), a.options.get("seed", 0)],
                 [t("wb.silhouette"), Fmt(q.silhouette, "ratio")], [t("wb.ch"), Fmt(q.calinski_harabasz, "number")],
                 [t("wb.db"), Fmt(q.davies_bouldin, "ratio")],
                 [t("wb.stability"), Fmt(None if seg.stability is None else seg.stability.mean_ari, "ratio")]]
        if seg.set_apart is not None and len(seg.set_apart):
            rows.append([t("wb.outlying"), Fmt(len(seg.set_apart), "int")])
        sizes = t("wb.chart.sizes")
        rows += [[], [f"# {sizes}"], Head([t("wb.segment"), t("wb.size"), t("wb.share"), t("wb.revenue_share"),
                                          t("wb.churn_risk")])]
        rows += [[p.display_name(lang), Fmt(p.size, "int"), Fmt(p.share, "percent"),
                  Fmt(p.revenue_share, "percent"), t(f"risk.{p.churn_risk}")] for p in a.segments.personas]
        charts.append(Chart("bar", sizes, t("wb.segment"), t("wb.size"), block=sizes))
        if any(p.revenue_share is not None for p in a.segments.personas):
            charts.append(Chart("pie", t("wb.chart.revenue"), t("wb.segment"), t("wb.revenue_share"), block=sizes))
    if a.rules is not None:
        r = a.rules
        rows += [[], [f"# {t('wb.rules')}"], [t("wb.baskets"), Fmt(r.baskets.n_baskets, "int")],
                 [t("wb.items"), Fmt(r.baskets.n_items, "int")],
                 [t("wb.min_support"), Fmt(r.mining.min_support, "ratio")],
                 [t("wb.min_confidence"), Fmt(r.min_confidence, "percent")],
                 [t("wb.rule_count"), Fmt(len(r.rules), "int")]]
        rows += [[n.text(lang)] for n in r.notes]
    c = a.model
    if c is not None:
        rows += [[], [f"# {t('wb.churn' if c is a.churn else 'wb.prediction')}"], [t("wb.churn_target"), c.target.name],
                 [t("wb.model"), Message(f"model.{c.chosen.name}").text(lang)],
                 [t("wb.roc_auc"), Fmt(c.chosen.cv.roc_auc, "ratio")],
                 [t("wb.accuracy"), Fmt(c.chosen.cv.accuracy, "percent")],
                 [t("wb.baseline"), Fmt(c.baseline_accuracy, "percent")]]
        if c.verdict is not None:
            rows.append([c.verdict.message().text(lang)])
        rows += [[n.text(lang)] for n in c.target.notes]
    rows += value_summary_rows(a, lang)
    rows += [[], [f"# {t('wb.timing')}"], Head([t("wb.step"), t("wb.seconds"), t("wb.skipped")])]
    rows += [[Message(s.key).text(lang), Fmt(round(s.seconds, 2), "number"),
              s.skipped.text(lang) if s.skipped is not None else ""] for s in a.steps]
    return rows, charts


def _persona_rows(a: Analysis, lang) -> list:
    t = lambda key, **kw: _t(key, lang, **kw)
    rows: list = []
    for p in a.segments.personas:
        rows += [[f"# {p.display_name(lang)}"],
                 [t("wb.size"), Fmt(p.size, "int")], [t("wb.share"), Fmt(p.share, "percent")]]
        if p.revenue_share is not None:
            rows.append([t("wb.revenue_share"), Fmt(p.revenue_share, "percent")])
        unit = f" ({p.currency})" if p.currency else ""
        for field, label in (("avg_spend", "wb.avg_spend"), ("avg_order_value", "wb.avg_order")):
            if p.money.get(field) is not None:
                rows.append([t(label) + unit, Fmt(p.money[field], "money")])
        rows += value_card_rows(p, lang)
        rows.append([t("wb.churn_risk"), t(f"risk.{p.churn_risk}")])
        for label, lines in ((t("wb.traits"), p.traits), (t("wb.actions"), p.actions)):
            rows += [[label if i == 0 else "", x.text(lang)] for i, x in enumerate(lines)]  # a line each
        rows.append([t("wb.rule"), p.rule_text(lang)])
        if p.top_products:
            rows.append([t("wb.top_products"), ", ".join(str(x["product"]) for x in p.top_products[:5])])
        rows.append([t("wb.note"), p.note])
        rows.append(Head([t("wb.feature"), t("wb.median"), t("wb.overall")]))
        rows += [[p._label(x["feature"], lang), Fmt(x["median"], "number"), Fmt(x["overall_median"], "number")]
                 for x in p.typical]
        rows.append([])
    return rows


# the sheets every owner's workbook may hold, whatever the segments are called
_FIXED_SHEETS = ("wb.sheet.summary", "wb.sheet.personas", "wb.sheet.customers", "wb.sheet.no_purchase", "wb.sheet.prospects",
                 "wb.sheet.outlying", "wb.sheet.value",
                 "wb.sheet.rules", "wb.sheet.recommendations", "wb.sheet.segment_rules", "wb.sheet.predictions",
                 "wb.sheet.model")


def owner_sheets(a: Analysis, lang: str | None = None, privacy: "Privacy | None" = None) -> dict[str, Sheet]:
    """The sheets of the owner's workbook, in order (*privacy*: personal data masked or coded)."""
    t = lambda key: _t(key, lang)
    summary, charts = _summary_rows(a, lang)
    sheets: dict[str, Sheet] = {t("wb.sheet.summary"): Sheet(summary, charts=charts)}
    if a.segments is not None:
        sheets[t("wb.sheet.personas")] = Sheet(_persona_rows(a, lang))
    if a.inspection.customers is not None:
        table, formats = customers_table(a, lang, privacy)
        sheets[t("wb.sheet.customers")] = Sheet(table, formats)
        if a.value is not None:
            value, value_formats = value_table(a, lang)
            sheets[t("wb.sheet.value")] = Sheet(_protect_first_column(value, a, privacy), value_formats)
        if a.segments is not None:
            column = _t("wb.col.segment", lang)
            # a segment the owner named "Summary" or "Rules" must not take that sheet's place
            taken = {t(key).lower() for key in _FIXED_SHEETS}
            names = [p.display_name(lang) for p in a.segments.personas]
            for name, short in zip(names, short_names(names)):  # sheet names told apart by their own words
                sheets[sheet_title(short, taken)] = Sheet(table[table[column] == name].reset_index(drop=True), formats)
            rows = a.segments.segmentation.set_apart
            if rows is not None and len(rows):  # the largest accounts: listed, not a persona
                sheets[t("wb.sheet.outlying")] = Sheet(table.iloc[rows].reset_index(drop=True), formats)
        nothing = no_purchase_table(a, lang, privacy)
        if nothing is not None:
            sheets[t(f"wb.sheet.{a.inspection.customers.set_aside_kind}")] = Sheet(*nothing)
    if a.rules is not None:
        rule_formats = {"support": "percent", "confidence": "percent", "lift": "ratio", "leverage": "ratio",
                        "conviction": "ratio", "zhangs_metric": "ratio"}
        sheets[t("wb.sheet.rules")] = Sheet(a.rules.rules_table(lang), rule_formats)
        recommendations = a.rules.recommendations_table(lang)
        if recommendations is not None:
            sheets[t("wb.sheet.recommendations")] = Sheet(_protect_first_column(recommendations, a, privacy),
                                                          {"confidence": "percent", "lift": "ratio"})
        by_segment = a.rules.segment_rules_table(lang)
        if by_segment is not None:
            sheets[t("wb.sheet.segment_rules")] = Sheet(by_segment, rule_formats)
    model = a.model
    if model is not None and model is a.prediction:  # a target the owner chose: every customer's prediction
        sheets[t("wb.sheet.predictions")] = Sheet(_protect_first_column(model.scored_table(lang=lang), a, privacy))
    if model is not None:
        importance = Message("sheet.model.importance").text(lang)
        sheets[t("wb.sheet.model")] = Sheet(model_rows(model, lang), charts=[
            Chart("bar", t("wb.chart.importance"), Message("sheet.model.column").text(lang),
                  Message("sheet.model.drop").text(lang), block=importance, max_rows=15)])
    return sheets


def write_owner_workbook(path: str | os.PathLike, analysis: Analysis, lang: str | None = None,
                         progress: Progress = NULL_PROGRESS, privacy: "Privacy | None" = None) -> Path:
    """Write the owner's workbook for *analysis* (atomically; never over the source file)."""
    return write_workbook(path, owner_sheets(analysis, lang, privacy), source=analysis.source, progress=progress)
