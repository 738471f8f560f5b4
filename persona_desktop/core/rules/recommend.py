"""What to offer each customer next, and which rules are special to a segment.

Recommendations: for each customer, the products they have not bought yet
that the rules their own purchases trigger point to — the top 3 by the
confidence of the best rule behind each, with that rule. A rule triggers when
the customer has bought every item of its antecedent (in any of their orders).

Rules per segment: the rules mined within one segment's baskets, each set
against the whole customer base: ``lift_vs_all`` (the segment's confidence
divided by how common the consequent is overall) and ``special`` (the
segment's confidence divided by the same rule's confidence overall — above 1
means this segment does it more than everyone else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

import numpy as np
import pandas as pd
from scipy import sparse

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.rules.association import association_rules
from persona_desktop.core.rules.itemsets import _packed, frequent_itemsets

if TYPE_CHECKING:
    from persona_desktop.core.rules.baskets import Baskets


__all__ = ["recommend", "rules_by_segment", "RECOMMENDATION_COLUMNS"]

RECOMMENDATION_COLUMNS = ["customer", "rank", "product", "confidence", "lift", "because"]
MIN_BASKETS = 5

register({
    "progress.recommend": ("Choosing what to offer each customer…", "正在为每位客户挑选推荐商品…"),
    "progress.segment_rules": ("Finding what each segment buys together…", "正在查找各分组一起购买的商品…"),
})


def _customer_items(baskets: "Baskets"):
    """(customer ids, customer × item boolean sparse matrix): everything each customer ever bought."""
    known = pd.notna(baskets.customers)
    codes, customers = pd.factorize(pd.Series(baskets.customers[known]), sort=True)
    rows = baskets.matrix[np.flatnonzero(known)].tocoo()
    matrix = sparse.csr_matrix((np.ones(len(rows.data), dtype=np.int32), (codes[rows.row], rows.col)),
                               shape=(len(customers), baskets.n_items))
    matrix.data[:] = 1
    return np.asarray(customers), matrix


def recommend(baskets: "Baskets", rules: pd.DataFrame, top_n: int = 3, chunk: int = 2000,
              progress: Progress = NULL_PROGRESS) -> pd.DataFrame:
    """The top *top_n* products each customer has not bought, from the rules they trigger.

    Returns
    -------
    DataFrame
        :data:`RECOMMENDATION_COLUMNS`: one row per (customer, rank); ``because``
        is the antecedent of the best rule for that product.
    """
    if baskets.customers is None or rules.empty:
        return pd.DataFrame(columns=RECOMMENDATION_COLUMNS)
    single = rules[rules["consequents"].map(len) == 1]
    if single.empty:
        return pd.DataFrame(columns=RECOMMENDATION_COLUMNS)
    position = {name: j for j, name in enumerate(baskets.items)}
    ante = [sorted(position[i] for i in a) for a in single["antecedents"]]
    cons = np.array([position[next(iter(c))] for c in single["consequents"]])
    conf = single["confidence"].to_numpy(dtype=float)
    lift = single["lift"].to_numpy(dtype=float)
    sizes = np.array([len(a) for a in ante])
    A = sparse.csr_matrix((np.ones(int(sizes.sum()), dtype=np.int32),
                           (np.repeat(np.arange(len(ante)), sizes), np.concatenate(ante))),
                          shape=(len(ante), baskets.n_items))
    customers, bought = _customer_items(baskets)
    # best rules first, so the first hit per (customer, product) is the reason to give
    order = np.lexsort((-lift, -conf))
    A, cons, conf, lift, sizes = A[order], cons[order], conf[order], lift[order], sizes[order]
    because = single["antecedents"].to_numpy(dtype=object)[order]
    rows = []
    for start in range(0, len(customers), chunk):
        progress.report(start / max(len(customers), 1), Message("progress.recommend").text())
        block = bought[start:start + chunk]
        hits = (block @ A.T).tocoo()  # items of each rule's antecedent the customer has
        fired = hits.data == sizes[hits.col]
        cust, rule = hits.row[fired], hits.col[fired]
        dense = block.toarray().astype(bool)  # a chunk of customers × items: a few MB
        new = ~dense[cust, cons[rule]]  # the product is not bought yet
        cust, rule = cust[new], rule[new]
        if not len(cust):
            continue
        frame = pd.DataFrame({"c": cust, "r": rule, "p": cons[rule]})
        frame = frame.sort_values(["c", "r"], kind="stable").drop_duplicates(["c", "p"])
        frame["rank"] = frame.groupby("c").cumcount() + 1
        frame = frame[frame["rank"] <= top_n]
        rows.append(pd.DataFrame({
            "customer": customers[start + frame["c"].to_numpy()],
            "rank": frame["rank"].to_numpy(),
            "product": np.asarray(baskets.items, dtype=object)[frame["p"].to_numpy()],
            "confidence": conf[frame["r"].to_numpy()],
            "lift": lift[frame["r"].to_numpy()],
            "because": because[frame["r"].to_numpy()],
        }))
    progress.report(1.0)
    if not rows:
        return pd.DataFrame(columns=RECOMMENDATION_COLUMNS)
    return pd.concat(rows, ignore_index=True)[RECOMMENDATION_COLUMNS]


class _Holding:
    """How many baskets hold every one of a set of items (bit-packed baskets, counted by popcount)."""

    def __init__(self, baskets: "Baskets") -> None:
        self.position = {name: j for j, name in enumerate(baskets.items)}
        self.bits = _packed(baskets.matrix, np.arange(baskets.n_items))

    def __call__(self, items: frozenset) -> int:
        rows = [self.position[i] for i in items]
        both = np.bitwise_and.reduce(self.bits[rows], axis=0)
        return int(np.bitwise_count(both).sum())


def rules_by_segment(
    baskets: "Baskets",
    segment_of: Mapping,
    names: Mapping[int, str],
    *,
    min_support: float = 0.02,
    min_confidence: float = 0.3,
    max_len: int | None = 3,
    top: int = 20,
    progress: Progress = NULL_PROGRESS,
) -> pd.DataFrame:
    """Rules mined within each segment's baskets, set against the whole customer base.

    Parameters
    ----------
    segment_of : mapping
        ``{customer id: segment label}``.
    names : mapping
        ``{segment label: name}``.
    min_support : float
        Relative to the segment's own baskets.

    Returns
    -------
    DataFrame
        The columns of :data:`persona_desktop.core.rules.association.RULE_COLUMNS` plus
        ``segment``, ``segment_name``, ``confidence_all``, ``lift_vs_all``,
        ``special``; at most *top* rules per segment, the most special first.
    """
    if baskets.customers is None:
        return pd.DataFrame()
    labels = pd.Series(baskets.customers).map(segment_of).to_numpy()
    position = {name: j for j, name in enumerate(baskets.items)}
    overall = baskets.item_support()
    holding = _Holding(baskets)
    parts = []
    segments = [s for s in sorted(names) if (labels == s).any()]
    for i, seg in enumerate(segments):
        sub = progress.sub(i / len(segments), (i + 1) / len(segments))
        sub.report(0.0, Message("progress.segment_rules").text())
        mask = labels == seg
        if mask.sum() < 2:
            continue
        part = baskets.subset(mask)
        # at least MIN_BASKETS baskets behind every itemset: a tiny segment's
        # one-off orders would otherwise read as certain rules (100 % confidence)
        support = max(min_support if min_support > 1 else np.ceil(min_support * part.n_baskets), MIN_BASKETS)
        if part.n_baskets < 2 * MIN_BASKETS:
            continue
        try:
            mined = frequent_itemsets(part, float(support), max_len=max_len, progress=sub.sub(0, 0.7))
        except DataError:  # too many itemsets in this segment at this support: skip it, not the rest
            continue
        rules = association_rules(mined, min_confidence=min_confidence, progress=sub.sub(0.7, 0.9))
        if rules.empty:
            continue
        conf_all = []
        for a, c in zip(rules["antecedents"], rules["consequents"]):
            has_a = holding(a)
            conf_all.append(holding(a | c) / has_a if has_a else np.nan)
        rules["confidence_all"] = conf_all
        n_all = max(baskets.n_baskets, 1)
        rules["lift_vs_all"] = rules["confidence"] / [
            overall[position[next(iter(c))]] if len(c) == 1 else holding(c) / n_all
            for c in rules["consequents"]]
        rules["special"] = rules["confidence"] / rules["confidence_all"]
        rules = rules.sort_values(["special", "lift"], ascending=False, kind="stable").head(top)
        rules.insert(0, "segment_name", names[seg])
        rules.insert(0, "segment", seg)
        parts.append(rules)
    progress.report(1.0)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
