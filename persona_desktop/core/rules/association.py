"""Association rules from frequent itemsets, with mlxtend's metrics, filters and words.

``association_rules(mining, min_confidence=…)`` gives one row per rule
``antecedents → consequents`` with support, confidence, lift, leverage,
conviction and Zhang's metric — defined exactly as in
``mlxtend.frequent_patterns.association_rules`` (a test compares them).
Rules whose antecedent only adds items without raising the confidence of a
shorter rule with the same consequent are pruned as redundant, and so are the
rules of itemsets that only join two separate findings (see ``productive_only``). Each rule can
be said in plain words, in English or Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, normalize_lang, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from persona_desktop.core.rules.itemsets import MiningResult

__all__ = ["association_rules", "filter_rules", "rule_sentence", "RULE_COLUMNS", "MAX_RULES", "items_text",
           "group_findings", "by_finding"]

RULE_COLUMNS = ["antecedents", "consequents", "support", "confidence", "lift", "leverage", "conviction",
                "zhangs_metric", "antecedent_support", "consequent_support"]
MAX_RULES = 1_000_000
# An itemset of three or more items must be this many times more frequent than its parts are
# together by chance: on the generated shops two unrelated pairs in one basket reach 0.9–1.4
# (big baskets hold more of everything), a planted three-product bundle 14.
MIN_SYNERGY = 1.5
# ... and the excess over chance must stand out from the noise of counting: this many standard
# deviations (Poisson), enough for the hundreds of itemsets tested at once (p ≈ 3e-5 each). On a
# 400-customer shop a chance pairing came out 34 baskets where 21 were expected (1.6×, 2.8 sd).
SYNERGY_Z = 4.0

register({
    # confidence is counted per order, so the sentence speaks of orders, not of customers
    "rules.sentence.orders": (
        "Orders with {a} also contain {c} in {conf}% of cases — {lift}× more often than average",
        "含有{a}的订单中，{conf}% 同时含有{c}——是平均水平的 {lift} 倍"),
    "rules.sentence.customers": (
        "Customers with {a} also have {c} in {conf}% of cases — {lift}× more often than average",
        "具有{a}的客户中，有 {conf}% 同时具有{c}——是平均水平的 {lift} 倍"),
    "rules.error.too_many": ("These itemsets give more than {limit} rules; raise the minimum support or confidence",
                             "这些项集产生的规则超过 {limit} 条；请提高最小支持度或置信度"),
    "progress.rules": ("Building rules…", "正在生成规则…"),
})


def items_text(items: Iterable[str], lang: str | None = None, quote: bool = True) -> str:
    """{a, b} as the words of a sentence: "A and B" / "A和B" (quoted in English when asked)."""
    items = sorted(items)
    if normalize_lang(lang) == "zh":
        shown = [f"“{i}”" if quote else i for i in items]
        return "和".join(["、".join(shown[:-1]), shown[-1]]) if len(shown) > 1 else shown[0]
    shown = [f"“{i}”" if quote else i for i in items]
    return " and ".join([", ".join(shown[:-1]), shown[-1]]) if len(shown) > 1 else shown[0]


def rule_sentence(rule, lang: str | None = None, kind: str = "orders") -> str:
    """"Orders with “A” also contain “B” in 60% of cases — 3.6× more often than average"."""
    conf = 100 * float(rule["confidence"])
    lift = float(rule["lift"])
    return Message(f"rules.sentence.{kind}", {
        "a": items_text(rule["antecedents"], lang), "c": items_text(rule["consequents"], lang),
        "conf": f"{conf:.0f}" if conf >= 10 else f"{conf:.1f}", "lift": f"{lift:.1f}",
    }).text(lang)


@dataclass
class _Index:
    """Support of every frequent itemset by its sorted tuple of item positions."""

    support: dict[tuple, float]
    names: list[str]


def _metrics(s_ac: np.ndarray, s_a: np.ndarray, s_c: np.ndarray) -> dict[str, np.ndarray]:
    """mlxtend's rule metrics, vectorised."""
    confidence = s_ac / s_a
    lift = confidence / s_c
    leverage = s_ac - s_a * s_c
    with np.errstate(divide="ignore", invalid="ignore"):
        conviction = np.where(confidence >= 1.0, np.inf, (1.0 - s_c) / (1.0 - confidence))
        denominator = np.maximum(s_ac * (1.0 - s_a), s_a * (s_c - s_ac))
        zhang = np.where(denominator == 0, 0.0, leverage / denominator)
    return {"confidence": confidence, "lift": lift, "leverage": leverage, "conviction": conviction,
            "zhangs_metric": zhang}


def association_rules(
    mining: "MiningResult",
    *,
    min_confidence: float = 0.0,
    min_lift: float = 0.0,
    prune_redundant: bool = True,
    productive_only: bool = True,
    max_rules: int = MAX_RULES,
    progress: Progress = NULL_PROGRESS,
) -> pd.DataFrame:
    """Every rule A → C of the frequent itemsets, with its metrics.

    Parameters
    ----------
    mining : MiningResult
    min_confidence, min_lift : float
    prune_redundant : bool
        Drop a rule when a rule with the same consequent and a smaller
        antecedent has at least its confidence (the extra items add nothing).
    productive_only : bool
        With ``prune_redundant``, only rules of itemsets that hold together:
        an itemset of three or more items must be in at least
        :data:`MIN_SYNERGY` times as many baskets as its best split into two
        independent parts predicts, by more than :data:`SYNERGY_Z` standard
        deviations (Webb's "productive" itemsets). Otherwise its rules join
        two separate findings, and their lift is the product of the parts'
        lifts: "Blue mug + Tea cups → White mug + Teapot" (lift 17) would
        outrank the teapot-and-cups bundle itself (lift 14) only because mugs
        also go together.
    max_rules : int

    Returns
    -------
    DataFrame
        Columns :data:`RULE_COLUMNS`; ``antecedents`` and ``consequents`` are
        frozensets of item names. Sorted by lift, then confidence (highest first).
    """
    frame = mining.itemsets
    support = {tuple(sorted(s)): float(v) for s, v in zip(frame["itemsets"], frame["support"])}
    progress.report(0.0, Message("progress.rules").text())
    antecedents, consequents, s_ac, s_a, s_c = [], [], [], [], []
    for i, (itemset, sup) in enumerate(support.items()):
        if len(itemset) < 2 or (prune_redundant and productive_only and len(itemset) >= 3
                                and not _productive(itemset, sup, support, mining.n_baskets)):
            continue
        if i % 2000 == 0:
            progress.report(0.8 * i / max(len(support), 1))
        for size in range(1, len(itemset)):
            for a in combinations(itemset, size):
                c = tuple(x for x in itemset if x not in a)
                antecedents.append(a)
                consequents.append(c)
                s_ac.append(sup)
                s_a.append(support[a])
                s_c.append(support[c])
        if len(antecedents) > max_rules:
            raise DataError("rules.error.too_many", limit=f"{max_rules:,}")
    s_ac_a, s_a_a, s_c_a = np.array(s_ac), np.array(s_a), np.array(s_c)
    metrics = _metrics(s_ac_a, s_a_a, s_c_a) if len(s_ac_a) else {k: np.array([]) for k in
                                                                  ("confidence", "lift", "leverage", "conviction",
                                                                   "zhangs_metric")}
    keep = (metrics["confidence"] >= min_confidence) & (metrics["lift"] >= min_lift)
    rules = pd.DataFrame({
        "antecedents": [frozenset(a) for a, k in zip(antecedents, keep) if k],
        "consequents": [frozenset(c) for c, k in zip(consequents, keep) if k],
        "support": s_ac_a[keep], **{name: values[keep] for name, values in metrics.items()},
        "antecedent_support": s_a_a[keep], "consequent_support": s_c_a[keep],
    })
    progress.report(0.85)
    if prune_redundant and len(rules):
        rules = _prune(rules)
    rules = rules.sort_values(["lift", "confidence", "support"], ascending=False, kind="stable").reset_index(drop=True)
    progress.report(1.0)
    return rules[RULE_COLUMNS]


def _productive(itemset: tuple, sup: float, support: dict[tuple, float], n_baskets: int) -> bool:
    """Every split of the itemset into two parts: MIN_SYNERGY times the baskets chance gives, by SYNERGY_Z."""
    observed = sup * n_baskets
    for size in range(1, len(itemset) // 2 + 1):
        for part in combinations(itemset, size):
            rest = tuple(x for x in itemset if x not in part)
            expected = support[part] * support[rest] * n_baskets
            if observed < MIN_SYNERGY * expected or observed - expected < SYNERGY_Z * np.sqrt(expected):
                return False
    return True


def _prune(rules: pd.DataFrame) -> pd.DataFrame:
    """Drop A → C when some B ⊂ A has a rule B → C with confidence ≥ that of A → C."""
    best: dict[tuple[frozenset, frozenset], float] = {
        (a, c): conf for a, c, conf in zip(rules["antecedents"], rules["consequents"], rules["confidence"])}
    keep = np.ones(len(rules), dtype=bool)
    for i, (a, c, conf) in enumerate(zip(rules["antecedents"], rules["consequents"], rules["confidence"])):
        if len(a) < 2:
            continue
        for size in range(1, len(a)):
            if any(best.get((frozenset(b), c), -1.0) >= conf - 1e-12 for b in combinations(sorted(a), size)):
                keep[i] = False
                break
    return rules.loc[keep]


def filter_rules(
    rules: pd.DataFrame,
    *,
    contains: Sequence[str] | None = None,
    where: str = "any",
    min_support: float | None = None,
    min_confidence: float | None = None,
    min_lift: float | None = None,
    top: int | None = None,
    by: str = "lift",
) -> pd.DataFrame:
    """Rules holding an item (in the antecedent, the consequent or either) and passing thresholds.

    Parameters
    ----------
    contains : list of str, optional
        Item names (matched case-insensitively); a rule must hold one of them.
    where : {"any", "antecedents", "consequents"}
    top : int, optional
        Keep the best *top* rules by *by*.
    """
    out = rules
    if contains:
        wanted = {w.casefold() for w in contains}

        def holds(items: frozenset) -> bool:
            return any(i.casefold() in wanted for i in items)

        if where == "antecedents":
            mask = out["antecedents"].map(holds)
        elif where == "consequents":
            mask = out["consequents"].map(holds)
        else:
            mask = out["antecedents"].map(holds) | out["consequents"].map(holds)
        out = out[mask.to_numpy(dtype=bool)]
    for column, threshold in (("support", min_support), ("confidence", min_confidence), ("lift", min_lift)):
        if threshold is not None:
            out = out[out[column] >= threshold]
    if top is not None:
        out = out.sort_values(by, ascending=False, kind="stable").head(top)
    return out.reset_index(drop=True)


def group_findings(rules: pd.DataFrame, support: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which rules say the same thing: (finding number of each rule, whether it leads its finding).

    "A → B" and "B → A" (mirrors), and the rules of {A, B, C} beside those of
    {A, B} (one product family seen from every side) are one finding: a rule
    joins the finding of an itemset that contains its items or that its items
    contain. With *support* (frozenset of items → support, the frequent
    itemsets), the pairs of a family whose triple was pruned join too: {A, B}
    and {A, C} are one finding when B and C are mostly bought together (see
    :func:`_same_family`).
    Findings are numbered from 1 by their strongest rule (lift, then
    confidence), which leads them. On a real shop's rules 330 of 553 were the
    mirror of another and 12 of the top 14 covered one three-product family.
    """
    n = len(rules)
    finding = np.zeros(n, dtype=np.int64)
    lead = np.zeros(n, dtype=bool)
    if not n:
        return finding, lead
    order = np.lexsort((-rules["confidence"].to_numpy(dtype=float), -rules["lift"].to_numpy(dtype=float)))
    member_of: dict[frozenset, int] = {}
    union: dict[int, frozenset] = {}  # each finding's items
    by_item: dict[str, set[int]] = {}
    count = 0
    for i in order:
        items = frozenset(rules["antecedents"].iat[i]) | frozenset(rules["consequents"].iat[i])
        found = member_of.get(items)
        if found is None:
            found = next((member_of[p] for p in _parts(items) if p in member_of), None)
        if found is None and support:
            found = _same_family(items, union, by_item, support)
        if found is None:
            count += 1
            found = count
            lead[i] = True
        finding[i] = found
        union[found] = union.get(found, frozenset()) | items
        for item in items:
            by_item.setdefault(item, set()).add(found)
        for part in [items, *_parts(items)]:
            member_of.setdefault(part, found)
    return finding, lead


def _same_family(items: frozenset, union: dict, by_item: dict, support: dict) -> int | None:
    """A finding sharing an item with *items* whose products are mostly bought with theirs: each new product
    is bought with at least half of the family's others in at least half the orders of the rarer of the two
    (the herb markers of a shop: six products, mined three at a time, are one finding)."""

    def strong(x, y) -> bool:
        both = support.get(frozenset((x, y)))
        one, other = support.get(frozenset((x,))), support.get(frozenset((y,)))
        return both is not None and one is not None and other is not None and both >= 0.5 * min(one, other)

    own = support.get(items)
    for f in sorted({f for item in items for f in by_item.get(item, ())}):
        new, others = items - union[f], union[f] - items
        together, theirs = support.get(items | union[f]), support.get(union[f])
        if own is not None and together is not None and theirs is not None and together >= 0.5 * min(own, theirs):
            return f  # the whole family is mostly bought together
        if new and others and all(sum(strong(x, y) for y in others) * 2 >= len(others) for x in new):
            return f
    return None


def _parts(items: frozenset) -> list[frozenset]:
    """The sub-itemsets of two or more items (only one item fewer for long itemsets)."""
    if len(items) <= 2:
        return []
    if len(items) > 6:
        return [items - {i} for i in items]

    return [frozenset(c) for size in range(len(items) - 1, 1, -1) for c in combinations(sorted(items), size)]


def by_finding(rules: pd.DataFrame, support: dict | None = None) -> pd.DataFrame:
    """*rules* with their ``finding`` number, the strongest rule of each finding first (by lift), then the
    others of each finding in turn: the first rows are as many different findings. *support*: see
    :func:`group_findings`."""
    if rules.empty:
        return rules.assign(finding=pd.Series(dtype="int64"))
    finding, lead = group_findings(rules, support)
    out = rules.assign(finding=finding, _lead=lead, _lift=-rules["lift"].astype(float),
                       _conf=-rules["confidence"].astype(float))
    leads = out[out["_lead"]].sort_values(["_lift", "_conf"], kind="stable")
    rest = out[~out["_lead"]].sort_values(["finding", "_lift", "_conf"], kind="stable")
    return pd.concat([leads, rest]).drop(columns=["_lead", "_lift", "_conf"])
