"""The words the ``persona-desktop`` verbs print: one renderer per verb, in English or Chinese.

Each renderer turns a verb's JSON document into the plain text printed when
``--json`` is not given, so the two outputs always say the same thing.
"""

from __future__ import annotations

from persona_desktop.core.i18n import register, tr
from persona_desktop.core.segments.words import card_money, percent_text

__all__ = ["analyze_text", "inspect_text", "predict_text", "rules_text", "segment_text", "value_text"]

register({
    "cli.internal": ("internal error: {reason} (run again with --debug for details)",
                     "内部错误：{reason}（加 --debug 重新运行可查看详情）"),
    "cli.cancelled": ("cancelled", "已取消"),
    "cli.error.role": ("--role {given}: give COLUMN=ROLE, where ROLE is one of: {roles}",
                       "--role {given}：请写成 列名=含义，含义可选：{roles}"),
    "cli.step.workbook": ("Workbook written", "写入工作簿"),
    "cli.step.report": ("Persona report written", "写入画像报告"),
    "cli.analyze.total": ("Done in {seconds} s", "完成，用时 {seconds} 秒"),
    "cli.analyze.wrote": ("Wrote {file}", "已写入 {file}"),
    "cli.file": ("File", "文件"),
    "cli.format": ("Format", "格式"),
    "cli.encoding": ("Encoding", "编码"),
    "cli.sheet": ("Sheet", "工作表"),
    "cli.rows": ("Rows", "行数"),
    "cli.kind": ("Table", "表类型"),
    "cli.customers": ("Customers", "客户数"),
    "cli.columns": ("Columns", "列"),
    "cli.cleaning": ("Cleaning", "清洗"),
    "cli.warnings": ("Warnings", "提示"),
    "cli.rows_affected": ("{rows} rows", "{rows} 行"),
    "cli.sheet.customers": ("Customers", "客户"),
    "cli.segment.head": ("{k} segments of {customers} customers ({method})", "{customers} 位客户分为 {k} 组（{method}）"),
    "cli.segment.outlying": ("Outlying accounts ({n}), listed apart: {ids}", "离群客户（{n} 位），单独列出：{ids}"),
    "cli.segment.metrics": ("Quality: silhouette {sil}, Calinski–Harabasz {ch}, Davies–Bouldin {db}, stability {stab}",
                            "质量：轮廓系数 {sil}，Calinski–Harabasz {ch}，Davies–Bouldin {db}，稳定性 {stab}"),
    "cli.segment.card": ("{name} — {size} customers ({share}), {revenue} of revenue",
                         "{name} — {size} 位客户（{share}），贡献 {revenue} 的收入"),
    "cli.segment.card_no_revenue": ("{name} — {size} customers ({share})", "{name} — {size} 位客户（{share}）"),
    "cli.segment.products": ("Buys more than other customers", "比其他客户买得多的商品"),
    "cli.segment.churn": ("Churn risk", "流失风险"),
    "cli.segment.actions": ("Actions", "建议"),
    "cli.colon": (": ", "："),
    "cli.sheet.rules": ("Rules", "关联规则"),
    "cli.sheet.recommendations": ("Recommendations", "推荐"),
    "cli.sheet.segment_rules": ("Rules by segment", "分组规则"),
    "cli.rules.head": ("{rules} rules from {baskets} baskets of {items} items ({itemsets} frequent itemsets, {backend})",
                       "从 {baskets} 个购物篮、{items} 种商品中得到 {rules} 条规则（{itemsets} 个频繁项集，{backend}）"),
    "cli.rules.thresholds": ("minimum support {support}, minimum confidence {confidence}",
                             "最小支持度 {support}，最小置信度 {confidence}"),
    "cli.rules.figures": ("support {support} · confidence {confidence} · lift {lift}",
                          "支持度 {support} · 置信度 {confidence} · 提升度 {lift}"),
    "cli.rules.none": ("No rule reaches these thresholds; try a lower minimum support or confidence.",
                       "没有规则达到这些阈值；请尝试降低最小支持度或置信度。"),
    "cli.rules.recommended": ("Next products chosen for {n} customers (see --out).",
                              "已为 {n} 位客户挑选了下一步推荐的商品（见 --out）。"),
    "cli.sheet.model": ("Model", "模型"),
    "cli.sheet.scored": ("Scored customers", "客户评分"),
    "cli.sheet.applied": ("New customers", "新客户评分"),
    "cli.predict.head": ("Predicting “{target}” for {customers} customers — best: {model} ({folds}-fold cross-validation)",
                         "预测“{target}”（{customers} 位客户）— 最佳模型：{model}（{folds} 折交叉验证）"),
    "cli.predict.scores": ("ROC AUC {auc}, accuracy {acc} (always guessing the most common answer: {baseline}), F1 {f1}",
                           "ROC AUC {auc}，准确率 {acc}（总是猜最常见结果：{baseline}），F1 {f1}"),
    "cli.predict.holdout": ("On customers kept aside: ROC AUC {auc}, accuracy {acc}", "在留出的客户上：ROC AUC {auc}，准确率 {acc}"),
    "cli.predict.leaderboard": ("Models compared:", "模型比较："),
    "cli.predict.accuracy": ("accuracy", "准确率"),
    "cli.predict.importance": ("Columns that matter most:", "最重要的列："),
    "cli.predict.applied": ("Scored {n} customers of {file}", "已为 {file} 中的 {n} 位客户评分"),
    "cli.predict.model_file": ("Model kept in {file}", "模型已保存到 {file}"),
    "cli.predict.out": ("Written: {file}", "已写入：{file}"),
    "cli.rules.special": ("{x}× as often as all customers", "是全部客户的 {x} 倍"),
    "cli.semicolon": ("; ", "；"),
    "cli.segment.rule": ("Rule", "规则"),
    "cli.segment.written": ("Written: {file}", "已写入：{file}"),
    "cli.sheet.value": ("Customer value", "客户价值"),
    "cli.value.head": ("{customers} customers, {repeat} of them bought again — {model}, history up to {end}",
                       "{customers} 位客户，其中 {repeat} 再次购买 — {model}，历史截至 {end}"),
    "cli.value.totals": ("Expected orders in the next {days} days: {orders}; mean chance of still being a customer: {alive}",
                         "未来 {days} 天预计订单：{orders}；仍是客户的平均概率：{alive}"),
    "cli.value.worth": ("Predicted value over the next {months} months: {value}", "未来 {months} 个月的预测价值：{value}"),
    "cli.value.at_risk": ("Valuable customers at risk: {at_risk}", "高价值但有流失风险的客户：{at_risk}"),
    "cli.value.top": ("Most valuable customers:", "最有价值的客户："),
    "cli.value.row": ("{customer}: {value} (P(still a customer) {alive}, {orders} orders expected)",
                      "{customer}：{value}（仍是客户的概率 {alive}，预计 {orders} 单）"),
    "cli.value.row_no_value": ("{customer}: {orders} orders expected (P(still a customer) {alive})",
                               "{customer}：预计 {orders} 单（仍是客户的概率 {alive}）"),
    "cli.value.backtest": (
        "Check on the last third: fitted up to {cutoff}, {predicted} purchase days predicted for the next {holdout} "
        "{unit}, {actual} made; error per customer {mae}; who bought again told apart at ROC AUC {auc} "
        "(expected orders) and {auc_alive} (P(still a customer))",
        "用最后三分之一检验：拟合至 {cutoff}，预测之后 {holdout} {unit}内购买 {predicted} 天次，实际 {actual}；"
        "每位客户的误差 {mae}；区分谁再次购买的 ROC AUC 为 {auc}（预计订单数）和 {auc_alive}（仍是客户的概率）"),
})


def inspect_text(doc: dict, lang: str) -> str:
    def t(key: str) -> str:
        return tr(key, lang)

    lines = [
        f"{t('cli.file')}: {doc['file']}",
        f"{t('cli.format')}: {doc['format']}"
        + (f"   {t('cli.encoding')}: {doc['encoding']}" if doc.get("encoding") else "")
        + (f"   {t('cli.sheet')}: {doc['sheet']}" if doc.get("sheet") else ""),
        f"{t('cli.rows')}: {doc['rows']:,}   {t('cli.kind')}: {tr('kind.' + doc['kind'], lang)}"
        + (f"   {t('cli.customers')}: {doc['customers']:,}" if doc.get("customers") is not None else ""),
        f"{t('cli.columns')}:",
    ]
    width = max((len(c["name"]) for c in doc["columns"]), default=0)
    for c in doc["columns"]:
        lines.append(f"  {c['name']:<{width}}  {tr('role.' + c['role'], lang)} ({c['dtype']})")
    if doc.get("cleaning"):
        lines.append(f"{t('cli.cleaning')}:")
        for step in doc["cleaning"]:
            rows = tr("cli.rows_affected", lang, rows=f"{step['rows']:,}")
            lines.append(f"  {step.get('label', step['step'])}: {rows}")
    if doc.get("warnings"):
        lines.append(f"{t('cli.warnings')}:")
        lines.extend(f"  - {w}" for w in doc["warnings"])
    return "\n".join(lines)


def segment_text(doc: dict, lang: str) -> str:
    def t(key: str, **kw) -> str:
        return tr(key, lang, **kw)

    m = doc["metrics"]

    def num(v, fmt=".2f"):
        return "–" if v is None else format(v, fmt)

    lines = [t("cli.segment.head", method=doc["method"], k=doc["k"], customers=f"{doc['customers']:,}"),
             t("cli.segment.metrics", sil=num(m["silhouette"]), ch=num(m["calinski_harabasz"], ".0f"),
               db=num(m["davies_bouldin"]), stab=num(m["stability"]))]
    for note in doc.get("notes", []):
        lines.append(f"  · {note}")
    outlying = doc.get("outlying_accounts") or []
    if outlying:
        shown = ", ".join(outlying[:20]) + (" …" if len(outlying) > 20 else "")
        lines.append(t("cli.segment.outlying", n=f"{len(outlying):,}", ids=shown))
    for s in doc["segments"]:
        lines.append("")
        if s["revenue_share"] is None:
            lines.append(t("cli.segment.card_no_revenue", name=s["name"], size=f"{s['size']:,}",
                           share=percent_text(s["share"])))
        else:
            lines.append(t("cli.segment.card", name=s["name"], size=f"{s['size']:,}", share=percent_text(s["share"]),
                           revenue=percent_text(s["revenue_share"])))
        if s.get("money"):
            lines.append("  " + card_money(s["money"], s.get("currency"), lang))
        lines.extend(f"    - {trait}" for trait in s["traits"])
        if s.get("top_products"):
            products = ", ".join(p["product"] for p in s["top_products"][:3])
            lines.append(f"    {t('cli.segment.products')}{t('cli.colon')}{products}")
        if s.get("churn_risk") and s["churn_risk"] != "unknown":
            lines.append(f"    {t('cli.segment.churn')}{t('cli.colon')}{t('churn.' + s['churn_risk'])}")
        if s.get("actions"):
            lines.append(f"    {t('cli.segment.actions')}{t('cli.colon')}" + t("cli.semicolon").join(s["actions"]))
        if s.get("rule"):
            lines.append(f"    {t('cli.segment.rule')}{t('cli.colon')}{s['rule']}")
    if doc.get("out"):
        lines += ["", t("cli.segment.written", file=doc["out"])]
    return "\n".join(lines)


def rules_text(doc: dict, lang: str) -> str:
    def t(key: str, **kw) -> str:
        return tr(key, lang, **kw)

    lines = [t("cli.rules.head", rules=f"{doc['rule_count']:,}", baskets=f"{doc['transactions']:,}",
               items=f"{doc['items']:,}", itemsets=f"{doc['itemsets']:,}", backend=doc["backend"]),
             t("cli.rules.thresholds", support=f"{doc['min_support']:g}", confidence=f"{doc['min_confidence']:g}"), ""]
    for rule in doc["rules"]:
        lines.append(f"  • {rule['sentence']}")
        lines.append("    " + t("cli.rules.figures", support=f"{rule['support']:.3f}", confidence=f"{rule['confidence']:.2f}",
                                 lift=f"{rule['lift']:.2f}"))
    if not doc["rules"]:
        lines.append("  " + t("cli.rules.none"))
    lines += [f"  · {n}" for n in doc.get("notes", [])]
    if doc.get("customers_with_recommendations") is not None:
        lines += ["", t("cli.rules.recommended", n=f"{doc['customers_with_recommendations']:,}")]
    for segment in doc.get("segments", []):
        lines += ["", f"{segment['segment']}{t('cli.colon').rstrip()}"]
        for r in segment["rules"][:5]:
            special = t("cli.rules.special", x=format(r["special"], ".1f"))
            lines.append(f"  • {r['sentence']} ({special})")
    if doc.get("out"):
        lines += ["", t("cli.segment.written", file=doc["out"])]
    return "\n".join(lines)


def predict_text(doc: dict, prediction, lang: str) -> str:
    from persona_desktop.core.predict.models import model_label

    def t(key: str, **kw) -> str:
        return tr(key, lang, **kw)

    def pct(v) -> str:
        return "–" if v is None else f"{v:.1%}"

    m, h = doc["metrics"], doc.get("holdout") or {}
    lines = [t("cli.predict.head", target=doc["target"], model=model_label(doc["model"], lang),
               customers=f"{doc['customers']:,}", folds=doc["folds"]),
             t("cli.predict.scores", auc=f"{m['roc_auc']:.3f}" if m["roc_auc"] is not None else "–",
               acc=pct(m["accuracy"]), baseline=pct(doc["baseline_accuracy"]), f1=f"{m['f1']:.3f}"),
             t("cli.predict.holdout", auc=f"{h['roc_auc']:.3f}" if h.get("roc_auc") is not None else "–",
               acc=pct(h.get("accuracy"))), ""]
    lines.append(t("cli.predict.leaderboard"))
    for row in doc["leaderboard"]:
        auc = "–" if row["roc_auc"] is None else f"{row['roc_auc']:.3f}"
        lines.append(f"  {model_label(row['model'], lang):28} AUC {auc}  F1 {row['f1']:.3f}  "
                     f"{t('cli.predict.accuracy')} {pct(row['accuracy'])}  ({row['seconds']:.1f} s)")
    lines += ["", t("cli.predict.importance")]
    lines += [f"  {f['feature']:28} {f['importance']:+.3f}" for f in doc["feature_importance"][:8]]
    lines += ["", *[f"  · {n}" for n in doc["notes"]]]
    for key in ("applied", "model_file", "out"):
        if doc.get(key):
            value = doc[key]["file"] if key == "applied" else doc[key]
            lines.append(t(f"cli.predict.{key}", file=value,
                           n=f"{doc['applied']['customers']:,}" if key == "applied" else ""))
    return "\n".join(lines)


def analyze_text(doc: dict, lang: str) -> str:
    """``persona-desktop analyze``: each step with its time and main figures, then the files written."""
    def figure(step: dict) -> str:
        shown = {k: v for k, v in step.items() if k not in ("step", "name", "seconds", "skipped") and v is not None}
        parts = [f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in shown.items()]
        return step.get("skipped") or ", ".join(parts)

    lines = [f"{tr('cli.file', lang)}: {doc['file']}"]
    from persona_desktop.core.export.sheet_text import text_width

    width = max(text_width(s["name"]) for s in doc["steps"]) if doc["steps"] else 0
    for step in doc["steps"]:
        pad = " " * (width - text_width(step["name"]))  # Chinese characters take two columns
        lines.append(f"  {step['name']}{pad}  {step['seconds']:>6.2f} s   {figure(step)}".rstrip())
    for key in ("out", "report"):
        if doc.get(key):
            lines.append(tr("cli.analyze.wrote", lang, file=doc[key]))
    lines.append(tr("cli.analyze.total", lang, seconds=f"{doc['seconds']:.1f}"))
    return "\n".join(lines)


def _two(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def value_text(doc: dict, lang: str) -> str:
    def t(key: str, **kw) -> str:
        return tr(key, lang, **kw)

    model = {"bgnbd": "BG/NBD", "paretonbd": "Pareto/NBD"}[doc["model"]]
    lines = [t("cli.value.head", customers=f"{doc['customers']:,}", repeat=percent_text(doc["repeat_share"]),
               model=model, end=doc["end"]),
             t("cli.value.totals", days=doc["days"], orders=f"{doc['expected_orders_total']:,.0f}",
               alive="–" if doc["mean_p_alive"] is None else f"{doc['mean_p_alive']:.2f}")]
    if doc["value_total"] is not None:
        lines.append(t("cli.value.worth", months=doc["months"], value=f"{doc['value_total']:,.0f}"))
    if doc["at_risk_high_value"] is not None:
        lines.append(t("cli.value.at_risk", at_risk=f"{doc['at_risk_high_value']:,}"))
    lines += [f"  · {n}" for n in doc["notes"]]
    if doc["top"]:
        lines += ["", t("cli.value.top")]
    for row in doc["top"]:
        if row["value"] is None:
            lines.append("  " + t("cli.value.row_no_value", customer=row["customer"], orders=f"{row['expected_orders']:.1f}",
                                  alive=_two(row["p_alive"])))
        else:
            lines.append("  " + t("cli.value.row", customer=row["customer"], value=f"{row['value']:,.0f}",
                                  alive=_two(row["p_alive"]), orders=f"{row['expected_orders']:.1f}"))
    test = doc.get("backtest")
    if test:
        lines += ["", t("cli.value.backtest", cutoff=test["cutoff"], predicted=f"{test['predicted_total']:,.0f}",
                        holdout=f"{test['holdout']:g}", unit=tr(f"value.unit.{test['unit']}", lang),
                        actual=f"{test['actual_total']:,.0f}", mae=f"{test['mae']:.2f}",
                        auc="–" if test["auc_expected"] is None else f"{test['auc_expected']:.2f}",
                        auc_alive="–" if test["auc_p_alive"] is None else f"{test['auc_p_alive']:.2f}")]
    if doc.get("out"):
        lines += ["", t("cli.segment.written", file=doc["out"])]
    return "\n".join(lines)
