"""The persona report: a PDF with a summary page, then one page per persona.

Each persona page holds its card (name, size, shares, churn risk, what sets
it apart, what to do, the rule that places a customer in it, top products,
the owner's note) and a chart of its typical values against all customers.
Drawn with matplotlib (our CJK font fallback applies) and written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from persona_desktop import __version__
from persona_desktop.core.charts import colour, configure_fonts
from persona_desktop.core.charts.segments import draw_segment_sizes
from persona_desktop.core.errors import DataError
from persona_desktop.core.export import workbook as _workbook  # noqa: F401  (the card's words: wb.traits, risk.*…)
from persona_desktop.core.export.sheet_text import text_width
from persona_desktop.core.i18n import Message, register, tr
from persona_desktop.core.io.safe_write import atomic_target
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.segments.words import money_text, percent_text

if TYPE_CHECKING:
    from persona_desktop.core.results import Analysis
    from persona_desktop.core.segments.personas import Persona

# matplotlib is imported inside the functions, never at module level: configure_fonts() (charts/__init__.py)
# must point MPLCONFIGDIR at our font cache before matplotlib is first imported.
__all__ = ["wrap_text", "write_persona_report"]

A4 = (8.27, 11.69)

register({
    "report.title": ("Customer personas", "客户画像"),
    "report.file": ("File: {file}", "文件：{file}"),
    "report.date": ("Written {date} by Persona Desktop {version}", "由 Persona Desktop {version} 生成于 {date}"),
    "report.counts": ("{customers} customers in {segments} segments ({method})",
                      "{customers} 位客户，分为 {segments} 组（{method}）"),
    "report.quality": ("Silhouette {silhouette}; stability across re-runs {stability}",
                       "轮廓系数 {silhouette}；重复运行稳定性 {stability}"),
    "report.churn": ("Churn within {days} days predicted with ROC AUC {auc} (baseline accuracy {baseline})",
                     "{days} 天内流失预测：ROC AUC {auc}（基线准确率 {baseline}）"),
    "report.value": ("Customer value ({model}): {orders} orders expected in the next {days} days; predicted {months}-month "
                     "value {value}",
                     "客户价值（{model}）：未来 {days} 天预计 {orders} 单；未来 {months} 个月预测价值 {value}"),
    "report.value_at_risk": ("{line}; {at_risk} valuable customers at risk", "{line}；{at_risk} 位高价值客户有流失风险"),
    "report.rules": ("{rules} product rules from {baskets} baskets", "从 {baskets} 个购物篮中发现 {rules} 条商品关联规则"),
    "report.card": ("{size} customers · {share} of customers · {revenue} of revenue · churn risk: {risk}",
                    "{size} 位客户 · 占客户 {share} · 占收入 {revenue} · 流失风险：{risk}"),
    "report.profile": ("Typical customer against all customers (median, × the overall median)",
                       "典型客户与全体客户对比（中位数，为全体中位数的倍数）"),
    "report.page": ("Page {n} of {total}", "第 {n} 页，共 {total} 页"),
    "report.no_segments": ("There are no segments to report (the file has no customers)",
                           "没有可生成报告的客户分组（文件中没有客户）"),
})


def wrap_text(text: str, width: int) -> list[str]:
    """Lines of at most *width* columns: words kept whole, CJK text broken anywhere (counted double)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0
        for token in _tokens(paragraph):
            w = text_width(token)
            if used + w > width and line.strip():
                lines.append(line.rstrip())
                line, used = "", 0
                token = token.lstrip()
                w = text_width(token)
            line += token
            used += w
        lines.append(line.rstrip())
    return lines


def _tokens(text: str):
    """Words with their following space; each wide character on its own."""
    word = ""
    for ch in text:
        if text_width(ch) == 2:
            if word:
                yield word
                word = ""
            yield ch
        elif ch == " ":
            yield word + " "
            word = ""
        else:
            word += ch
    if word:
        yield word


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _pct(value) -> str:
    return percent_text(value, 1)


def _lines(fig, items: list[tuple[str, str, dict]], top: float, left: float = 0.07, width: int = 92,
           step: float = 0.0165) -> float:
    """Write (kind, text, style) lines down the page from *top*; returns where it stopped."""
    y = top
    for kind, text, style in items:
        if kind == "gap":
            y -= step * 0.6
            continue
        for line in wrap_text(text, width if kind != "bullet" else width - 4):
            fig.text(left + (0.025 if kind == "bullet" else 0), y, line, va="top", **style)
            y -= step * (1.35 if kind == "heading" else 1.0)
            if kind == "bullet":
                kind = "cont"  # the bullet sign on the first line only
    return y


def _summary_page(fig, a: Analysis, lang) -> None:
    t = lambda key, **kw: Message(key, kw).text(lang)
    seg = a.segments.segmentation
    items = [("title", t("report.title"), {"fontsize": 22, "weight": "bold"}), ("gap", "", {}),
             ("text", t("report.file", file=a.source.name), {"fontsize": 11}),
             ("text", t("report.date", date=a.created.strftime("%Y-%m-%d %H:%M"), version=__version__),
              {"fontsize": 9, "color": "#555555"}), ("gap", "", {}),
             ("text", t("report.counts", customers=f"{len(a.segments.customers.data):,}", segments=seg.n_segments,
                        method=seg.method), {"fontsize": 11}),
             ("text", t("report.quality", silhouette=f"{seg.quality.silhouette:.2f}",
                        stability="—" if seg.stability is None else f"{seg.stability.mean_ari:.2f}"), {"fontsize": 11})]
    if a.rules is not None:
        items.append(("text", t("report.rules", rules=f"{len(a.rules.rules):,}", baskets=f"{a.rules.baskets.n_baskets:,}"),
                      {"fontsize": 11}))
    if a.churn is not None:
        c = a.churn
        items.append(("text", t("report.churn", days=c.target.horizon_days, auc=f"{c.chosen.cv.roc_auc:.2f}",
                                baseline=_pct(c.baseline_accuracy)), {"fontsize": 11}))
    if a.value is not None:
        items.append(("text", value_line(a, lang), {"fontsize": 11}))
    y = _lines(fig, items, 0.95)
    height = min(0.6, max(0.25, y - 0.08))
    _, below = fig.subfigures(2, 1, height_ratios=[1 - height, height])
    below.set_facecolor("none")
    draw_segment_sizes(below, a.segments.personas, lang)
    below.subplots_adjust(left=0.32, right=0.92, bottom=0.12, top=0.9)


def value_line(a: Analysis, lang) -> str:
    """The summary page's customer-value line: model, orders expected, value, and the valuable customers at
    risk only where the model sees customers leave (with no one seen leaving, no one is said to be at risk)."""
    v = a.value
    total = money_text(float(v.table["clv"].sum()), a.inspection.customers.currency) if v.spend is not None else "—"
    line = tr("report.value", lang, model=Message(f"value.model.{v.model_name}").text(lang),
              orders=f"{v.table['expected_orders'].sum():,.0f}", days=v.days, months=v.months, value=total)
    at_risk = v.at_risk_high_value()
    if at_risk is not None:
        line = tr("report.value_at_risk", lang, line=line, at_risk=f"{at_risk:,}")
    return line


def _persona_page(fig, p: Persona, index: int, lang) -> None:
    t = lambda key, **kw: Message(key, kw).text(lang)
    tint = colour(p.segment, index)
    from matplotlib.patches import Rectangle

    fig.add_artist(Rectangle((0, 0.9), 1, 0.1, transform=fig.transFigure, color=tint, alpha=0.9, zorder=0))
    fig.text(0.07, 0.955, p.display_name(lang), fontsize=22, weight="bold", color="white", va="center")
    fig.text(0.07, 0.915, t("report.card", size=f"{p.size:,}", share=_pct(p.share), revenue=_pct(p.revenue_share),
                            risk=Message(f"risk.{p.churn_risk}").text(lang)), fontsize=10.5, color="white", va="center")
    head = {"fontsize": 12, "weight": "bold", "color": tint}
    body = {"fontsize": 10}
    items: list = [("text", p.money_text(lang), body)] if p.money else []
    if p.value:
        items.append(("text", p.value_text(lang), body))
    if items:
        items.append(("gap", "", {}))
    items += [("heading", t("wb.traits"), head)] + [("bullet", "• " + x.text(lang), body) for x in p.traits]
    items += [("gap", "", {}), ("heading", t("wb.actions"), head)]
    items += [("bullet", "• " + x.text(lang), body) for x in p.actions]
    items += [("gap", "", {}), ("heading", t("wb.rule"), head), ("text", p.rule_text(lang), body)]
    if p.top_products:
        items += [("gap", "", {}), ("heading", t("wb.top_products"), head),
                  ("text", ", ".join(str(x["product"]) for x in p.top_products[:6]), body)]
    if p.note:
        items += [("gap", "", {}), ("heading", t("wb.note"), head), ("text", p.note, body)]
    y = _lines(fig, items, 0.87)
    _profile_chart(fig, p, tint, lang, top=min(y - 0.04, 0.5))


def _profile_chart(fig, p: Persona, tint: str, lang, top: float) -> None:
    """Horizontal bars: the segment's median as a multiple of the overall median, log scale."""
    rows = [(p._label(x["feature"], lang), x["median"], x["overall_median"]) for x in p.typical
            if x["median"] is not None and x["overall_median"] not in (None, 0)]
    if not rows or top < 0.15:
        return
    ax = fig.add_axes((0.32, 0.06, 0.6, top - 0.1))
    ratio = np.clip([m / o for _, m, o in rows], 1 / 16, 16)
    y = np.arange(len(rows))
    ax.barh(y, np.log2(ratio), color=[tint if r >= 1 else "#999999" for r in ratio])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [r[0] for r in rows])
    ax.invert_yaxis()
    limit = max(1.0, float(np.abs(np.log2(ratio)).max()) + 0.6)
    ax.set_xlim(-limit, limit)
    step = 2 if limit > 3 else 1
    ticks = [v for v in range(-4, 5, step) if abs(v) <= limit]
    ax.set_xticks(ticks, [f"{2 ** v}×" if v >= 0 else f"1/{2 ** -v}×" for v in ticks])
    for yi, r, (_, m, o) in zip(y, ratio, rows):
        ax.text(np.log2(r) + (0.08 if r >= 1 else -0.08), yi, f"{_num(m)} / {_num(o)}", va="center",
                ha="left" if r >= 1 else "right", fontsize=8)
    ax.set_title(Message("report.profile").text(lang), fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)


def write_persona_report(path: str | os.PathLike, analysis: Analysis, lang: str | None = None,
                         progress: Progress = NULL_PROGRESS) -> Path:
    """Write the persona report of *analysis* as a PDF at *path* (atomically)."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure


    if analysis.segments is None:
        raise DataError("report.no_segments")
    configure_fonts()
    personas = analysis.segments.personas
    total = len(personas) + 1
    import matplotlib

    with atomic_target(path, analysis.source, check=progress.check) as tmp, \
            matplotlib.rc_context({"pdf.fonttype": 42}):  # TrueType: Chinese text stays selectable
        with PdfPages(tmp, metadata={"Title": Message("report.title").text(lang), "Creator": "Persona Desktop"}) as pdf:
            for n in range(total):
                progress.check()
                fig = Figure(figsize=A4)
                if n == 0:
                    _summary_page(fig, analysis, lang)
                else:
                    _persona_page(fig, personas[n - 1], n - 1, lang)
                fig.text(0.93, 0.02, Message("report.page", {"n": n + 1, "total": total}).text(lang),
                         ha="right", fontsize=8, color="#777777")
                pdf.savefig(fig)
                progress.report((n + 1) / total)
    return Path(path)
