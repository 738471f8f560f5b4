"""Association rules for an opened file, in one call: what the CLI and the GUI run.

``find_rules(inspection, min_support=…)`` builds the baskets (orders'
products, a basket file, or customers' attributes), mines the frequent
itemsets, derives the rules, and — for order data with customers — each
customer's next products and, when asked, the rules special to each segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.rules.association import association_rules, by_finding, rule_sentence
from persona_desktop.core.rules.baskets import baskets_from_attributes, baskets_from_cleaning
from persona_desktop.core.rules.itemsets import frequent_itemsets
from persona_desktop.core.rules.recommend import recommend, rules_by_segment
from persona_desktop.core.schema import TableKind
from persona_desktop.core.segments.run import no_customers_reason, segment_inspection

if TYPE_CHECKING:
    from persona_desktop.core.rules.baskets import Baskets
    from persona_desktop.core.rules.itemsets import MiningResult
    from persona_desktop.core.segments.run import SegmentAnalysis


__all__ = ["RulesAnalysis", "find_rules", "SOURCES"]

SOURCES = ("auto", "orders", "attributes")

register({
    "rules.col.antecedents": ("antecedents", "前项"),
    "rules.col.consequents": ("consequents", "后项"),
    "rules.col.sentence": ("in words", "说明"),
    "rules.col.finding": ("finding", "发现编号"),
    "rules.note.support_lowered": ("No rule reached the minimum support of {asked} ({asked_count} orders); it was "
                                   "lowered to {used} ({count} orders) to find the strongest rules there are",
                                   "没有规则达到最小支持度 {asked}（{asked_count} 个订单）；已降至 {used}（{count} 个订单），"
                                   "以找出现有最强的规则"),
    "rules.note.none_single": ("No rules: {share} of the {n} orders hold a single product, so little is bought "
                               "together", "没有规则：{n} 个订单中有 {share} 只含一种商品，很少有商品被一起购买"),
    "rules.note.none": ("No rules: no products are bought together in at least {count} orders with a confidence of "
                        "{conf} or more", "没有规则：没有任何商品组合在至少 {count} 个订单中一起出现且置信度达到 {conf}"),
    "rules.col.segment": ("segment", "分组"),
    "rules.col.customer": ("customer", "客户"),
    "rules.col.rank": ("rank", "排名"),
    "rules.col.product": ("product", "推荐商品"),
    "rules.col.because": ("because they bought", "依据（已购买）"),
    "progress.baskets": ("Gathering the baskets…", "正在整理购物篮…"),
    "rules.error.no_attributes": (
        "Rules among customers' attributes need one row per customer, and {file} has none: {reason}. "
        "Leave out --from attributes to find what is bought together.",
        "客户属性之间的规则需要每位客户一行，而 {file} 中没有客户：{reason}。去掉 --from attributes 即可分析哪些商品常被一起购买。"),
})


@dataclass
class RulesAnalysis:
    """Baskets, itemsets, rules, and what follows from them for customers and segments."""

    baskets: "Baskets"
    mining: "MiningResult"
    rules: pd.DataFrame
    min_confidence: float
    recommendations: pd.DataFrame | None = None
    segment_rules: pd.DataFrame | None = None
    notes: list[Message] = field(default_factory=list)
    # the rules grouped into findings, worked out once per rules table (the JSON, the sheet and the
    # window all ask for them)
    _findings: tuple = field(default=(None, None), repr=False, compare=False)

    def to_json(self, lang: str | None = None, top: int = 50) -> dict:
        """The document of ``persona-desktop rules --json``: the *top* rules, one per finding first (by lift)."""
        def rule_doc(r) -> dict:
            return {"antecedents": sorted(r["antecedents"]), "consequents": sorted(r["consequents"]),
                    "support": float(r["support"]), "confidence": float(r["confidence"]), "lift": float(r["lift"]),
                    "leverage": float(r["leverage"]),
                    "conviction": None if r["conviction"] == float("inf") else float(r["conviction"]),
                    "zhangs_metric": float(r["zhangs_metric"]), "sentence": rule_sentence(r, lang, self.baskets.kind)}

        ordered = self.by_finding()
        top_rules = ordered.head(top)
        doc = {
            "algorithm": self.mining.algorithm,
            "backend": self.mining.backend,
            "transactions": self.baskets.n_baskets,
            "items": self.baskets.n_items,
            "min_support": self.mining.min_support,
            "min_confidence": self.min_confidence,
            "itemsets": len(self.mining.itemsets),
            "rule_count": len(self.rules),
            "finding_count": int(ordered["finding"].nunique()) if len(ordered) else 0,
            "rules": [dict(rule_doc(r), finding=int(r["finding"])) for _, r in top_rules.iterrows()],
            "notes": [n.text(lang) for n in self.notes],
        }
        if self.recommendations is not None:
            doc["customers_with_recommendations"] = int(self.recommendations["customer"].nunique())
        if self.segment_rules is not None and not self.segment_rules.empty:
            doc["segments"] = [
                {"segment": str(name), "rules": [dict(rule_doc(r), special=float(r["special"]),
                                                      lift_vs_all=float(r["lift_vs_all"])) for _, r in group.head(10).iterrows()]}
                for name, group in self.segment_rules.groupby("segment_name", sort=False)]
        return doc

    def by_finding(self) -> pd.DataFrame:
        """The rules grouped into findings, the strongest of each first (see :func:`.rules.by_finding`)."""
        rules, grouped = self._findings
        if rules is not self.rules:  # first asked, or the rules were replaced since
            frame = self.mining.itemsets
            support = dict(zip(frame["itemsets"], frame["support"].astype(float)))
            grouped = by_finding(self.rules, support)
            self._findings = (self.rules, grouped)
        return grouped

    def rules_table(self, lang: str | None = None) -> pd.DataFrame:
        """Every rule for a sheet: items comma-separated, the metrics, the finding it belongs to, and the rule
        in words; the strongest rule of each finding first, so the first rows are different findings."""
        ordered = self.by_finding()
        table = self._as_table(ordered, lang)
        table.insert(table.shape[1] - 1, Message("rules.col.finding").text(lang), ordered["finding"].to_numpy())
        return table

    def recommendations_table(self, lang: str | None = None) -> pd.DataFrame | None:
        if self.recommendations is None:
            return None
        r = self.recommendations
        t = Message
        return pd.DataFrame({
            t("rules.col.customer").text(lang): r["customer"].to_numpy(),
            t("rules.col.rank").text(lang): r["rank"].to_numpy(),
            t("rules.col.product").text(lang): r["product"].to_numpy(),
            "confidence": r["confidence"].to_numpy(),
            "lift": r["lift"].to_numpy(),
            t("rules.col.because").text(lang): [", ".join(sorted(b)) for b in r["because"]],
        })

    def segment_rules_table(self, lang: str | None = None) -> pd.DataFrame | None:
        if self.segment_rules is None or self.segment_rules.empty:
            return None
        s = self.segment_rules
        table = self._as_table(s, lang)
        table.insert(0, Message("rules.col.segment").text(lang), s["segment_name"].to_numpy())
        table["confidence_all"] = s["confidence_all"].to_numpy()
        table["lift_vs_all"] = s["lift_vs_all"].to_numpy()
        table["special"] = s["special"].to_numpy()
        return table

    def _as_table(self, rules: pd.DataFrame, lang: str | None) -> pd.DataFrame:
        # the rule columns keep their standard names in every language (other tools read them)
        out = pd.DataFrame({
            "antecedents": [", ".join(sorted(a)) for a in rules["antecedents"]],
            "consequents": [", ".join(sorted(c)) for c in rules["consequents"]],
        })
        for column in ("support", "confidence", "lift", "leverage", "conviction", "zhangs_metric"):
            out[column] = rules[column].replace(float("inf"), None).to_numpy()
        words = rules[["antecedents", "consequents", "confidence", "lift"]].to_dict("records")
        out[Message("rules.col.sentence").text(lang)] = [rule_sentence(r, lang, self.baskets.kind) for r in words]
        return out


def find_rules(
    inspection,
    *,
    min_support: float = 0.01,
    min_confidence: float = 0.3,
    min_lift: float = 0.0,
    max_len: int | None = None,
    algorithm: str = "auto",
    backend: str = "auto",
    source: str = "auto",
    recommend_top: int = 3,
    by_segment: bool = False,
    segments: "SegmentAnalysis | None" = None,
    segment_min_support: float | None = None,
    lang: str | None = None,
    progress: Progress = NULL_PROGRESS,
) -> RulesAnalysis:
    """Rules of an opened file (a :class:`~persona_desktop.core.table.understand.Inspection`).

    Parameters
    ----------
    source : {"auto", "orders", "attributes"}
        What a basket is: an order's products (order data and basket files),
        or a customer's attributes (the default for a customer file).
    by_segment : bool
        Also mine within each segment (segmenting first with the defaults
        unless *segments* is given).
    Other parameters: see :func:`persona_desktop.core.rules.itemsets.frequent_itemsets`
    and :func:`persona_desktop.core.rules.association.association_rules`.
    """
    inspection.check()
    progress.report(0.0, Message("progress.baskets").text())
    if source == "auto":
        source = "attributes" if inspection.kind is TableKind.CUSTOMERS else "orders"
    if source == "attributes":
        if inspection.customers is None:  # a basket list, or orders without customers: no attributes
            raise DataError("rules.error.no_attributes", file=Path(inspection.table.source.path).name,
                            reason=no_customers_reason(inspection))
        baskets = baskets_from_attributes(inspection.customers, lang=lang)
    else:
        baskets = baskets_from_cleaning(inspection.cleaning, inspection.kind, inspection.roles,
                                        Path(inspection.table.source.path).name)
    mining = frequent_itemsets(baskets, min_support, max_len=max_len, algorithm=algorithm, backend=backend,
                               progress=progress.sub(0.05, 0.45))
    rules = association_rules(mining, min_confidence=min_confidence, min_lift=min_lift, progress=progress.sub(0.45, 0.6))
    notes: list[Message] = list(baskets.notes)  # how the baskets were formed, when the file did not say
    if rules.empty:
        mining, rules, lowered = _lower_support(baskets, mining, min_confidence=min_confidence, min_lift=min_lift,
                                              max_len=max_len, algorithm=algorithm, backend=backend)
        notes += lowered
    result = RulesAnalysis(baskets, mining, rules, min_confidence, notes=notes)
    if source == "orders" and baskets.customers is not None and recommend_top:
        result.recommendations = recommend(baskets, rules, recommend_top, progress=progress.sub(0.6, 0.75))
    if by_segment and inspection.customers is not None and baskets.customers is not None:
        if segments is None:
            segments = segment_inspection(inspection, stability_runs=0, progress=progress.sub(0.75, 0.85))
        key = segments.customers.data[segments.customers.key].astype("str").to_numpy()
        segment_of = dict(zip(key, segments.labels))
        baskets_by_text = baskets
        if baskets.customers is not None:
            baskets_by_text.customers = pd.Series(baskets.customers).astype("str") \
                .where(pd.notna(baskets.customers)).to_numpy()
        names = segments.names_by_segment(lang)
        result.segment_rules = rules_by_segment(
            baskets_by_text, segment_of, names, min_support=segment_min_support or max(min_support, 0.02),
            min_confidence=min_confidence, progress=progress.sub(0.85, 1.0))
    progress.report(1.0)
    return result


LOWEST_COUNT = 5  # a rule seen in fewer orders than this is chance, not something to act on


def _lower_support(baskets: "Baskets", mining: "MiningResult", **options) -> tuple:
    """No rule at the support asked: lower it step by step (to :data:`LOWEST_COUNT` orders) until rules
    appear; return (mining, rules, notes), the notes saying to what, or why there are none."""

    n = baskets.n_baskets
    asked = {"asked": f"{mining.min_support:.2%}", "asked_count": f"{mining.min_count:,}"}
    count = mining.min_count
    rules = None
    while count > LOWEST_COUNT:
        count = max(LOWEST_COUNT, count // 3)
        try:
            lower = frequent_itemsets(baskets, count, max_len=options["max_len"], algorithm=options["algorithm"],
                                      backend=options["backend"])
        except DataError:  # too many itemsets this low: the rules found so far (none) stand
            break
        rules = association_rules(lower, min_confidence=options["min_confidence"], min_lift=options["min_lift"])
        if not rules.empty:
            return lower, rules, [Message("rules.note.support_lowered",
                                          {**asked, "used": f"{count / n:.2%}", "count": f"{count:,}"})]
    sizes = np.asarray(baskets.matrix.sum(axis=1)).ravel()
    single = float((sizes <= 1).mean()) if len(sizes) else 1.0
    empty = association_rules(mining, min_confidence=options["min_confidence"]) if rules is None else rules
    if single >= 0.8:
        return mining, empty, [Message("rules.note.none_single", {"share": f"{single:.0%}", "n": f"{n:,}"})]
    return mining, empty, [Message("rules.note.none", {"count": f"{min(count, mining.min_count):,}",
                                                      "conf": f"{options['min_confidence']:.0%}"})]
