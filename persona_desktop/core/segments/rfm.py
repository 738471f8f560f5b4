"""Classic RFM scoring: quintile scores 1–5 and the named customer groups.

Scores are quintiles of the customers' ranks: recency scores 5 for the most
recent fifth, frequency and monetary value score 5 for the highest fifth.
Customers with the same value always get the same score (a tied block takes
its lowest rank), so the score never depends on the order of the rows and
many tied values (most customers ordered once) cannot break the binning the
way ``pd.qcut`` on raw values does; a tied block can make one quintile
larger than 20 %.

The groups come from the widely used segment map on R and FM — FM being the
mean of the F and M scores rounded half up (the R×F regex map of the RFM
tutorials, e.g. ``'[1-2][1-2]': hibernating``, with F replaced by FM) — with
the least recent, low-value cells split off as "Lost" as in the 11-group
table (Putler), which gives every (R, FM) cell exactly one group:

=====  ==================  ==================  =================  =========  =========
R\\FM   1                   2                   3                  4          5
=====  ==================  ==================  =================  =========  =========
5      New customers       Potential loyalists Potential loyalists Champions  Champions
4      Promising           Potential loyalists Potential loyalists Loyal      Loyal
3      About to sleep      About to sleep      Need attention     Loyal      Loyal
2      Hibernating         Hibernating         At risk            At risk    Can't lose them
1      Lost                Lost                At risk            At risk    Can't lose them
=====  ==================  ==================  =================  =========  =========
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.table.rfm_columns import find_rfm_columns

__all__ = ["RFMScorer", "RFM_GROUPS", "RFM_GRID", "rfm_scores", "group_name"]

# Group ids in their usual order (best first); labels_ follow this order.
RFM_GROUPS = (
    "champions", "loyal", "potential_loyalists", "new_customers", "promising",
    "need_attention", "about_to_sleep", "at_risk", "cant_lose_them", "hibernating", "lost",
)

# RFM_GRID[r - 1][fm - 1] -> group id
RFM_GRID = (
    ("lost", "lost", "at_risk", "at_risk", "cant_lose_them"),  # R = 1
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"),  # R = 2
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),  # R = 3
    ("promising", "potential_loyalists", "potential_loyalists", "loyal", "loyal"),  # R = 4
    ("new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"),  # R = 5
)

register({
    "rfm.champions": ("Champions", "冠军客户"),
    "rfm.loyal": ("Loyal", "忠诚客户"),
    "rfm.potential_loyalists": ("Potential loyalists", "潜力客户"),
    "rfm.new_customers": ("New customers", "新客户"),
    "rfm.promising": ("Promising", "有望客户"),
    "rfm.need_attention": ("Need attention", "需要关注"),
    "rfm.about_to_sleep": ("About to sleep", "即将沉睡"),
    "rfm.at_risk": ("At risk", "有流失风险"),
    "rfm.cant_lose_them": ("Can't lose them", "不能失去"),
    "rfm.hibernating": ("Hibernating", "休眠客户"),
    "rfm.lost": ("Lost", "已流失"),
    "rfm.error.columns": (
        "RFM scoring needs recency, frequency and monetary columns; missing: {missing}.",
        "RFM 评分需要最近消费（R）、消费频率（F）和消费金额（M）列，缺少：{missing}。"),
    "rfm.error.empty": ("“{column}” has no numeric values.", "“{column}”没有数值。"),
    "rfm.note.missing": (
        "{n} customers without a value in {column} got the lowest {column} score.",
        "{n} 位客户的 {column} 缺失，按最低分计。"),
    "progress.rfm": ("Scoring recency, frequency and monetary value…", "正在计算 RFM 得分…"),
})

def rfm_scores(values: "np.ndarray", higher_is_better: bool = True, n_bins: int = 5) -> "np.ndarray":
    """Quantile scores 1..n_bins from ranks; missing values score 1.

    Tied customers share the lowest rank of their block (``method="min"``):
    when most customers ordered once, the one-time buyers all score 1 on
    frequency — with average ranks they would land in the middle of their
    block and score 2 or 3, so "New customers" and "Promising" (FM = 1) could
    never appear. Ranks never depend on the order of the rows.
    """
    s = pd.Series(values, dtype=float)
    if not higher_is_better:
        s = -s
    ranks = s.rank(method="min")  # NaN stays NaN
    n = int(s.notna().sum())
    pct = (ranks - 0.5) / max(n, 1)
    score = np.floor(pct.to_numpy(dtype=float, na_value=np.nan) * n_bins) + 1
    score = np.where(np.isnan(score), 1, np.clip(score, 1, n_bins))
    return score.astype(np.int8)


class RFMScorer(BaseEstimator):
    """Quintile RFM scores and the classic named groups.

    Parameters
    ----------
    recency, frequency, monetary : str or None
        Column names; None: found by name (``recency``/``R``/``最近…``, …).
        Recency is the time since the last order (smaller = more recent).

    Attributes
    ----------
    r_score_, f_score_, m_score_ : ndarray of int8 in 1..5
    fm_score_ : ndarray of float
        Mean of the F and M scores.
    rfm_code_ : ndarray of str
        ``"545"``-style codes.
    group_ids_ : list of str
        The groups present, in :data:`RFM_GROUPS` order; ``labels_`` indexes it.
    group_names_ : list of Message
        Their names (English and Chinese).
    labels_ : ndarray of int
    n_clusters_ : int
    sizes_ : ndarray of int
    columns_ : dict
        ``{"recency": column, "frequency": column, "monetary": column}``.
    score_ranges_ : dict
        ``{"recency": [(min, max) of the values scoring 1..5], …}`` (None if empty).
    notes_ : list of Message
    """

    def __init__(self, recency=None, frequency=None, monetary=None):
        self.recency = recency
        self.frequency = frequency
        self.monetary = monetary

    def fit(self, customers, y=None, *, progress: Progress = NULL_PROGRESS):
        """Score a customer table (DataFrame or CustomerTable); returns self."""
        df = customers.data if hasattr(customers, "data") and not hasattr(customers, "columns") else customers
        progress.report(0.0, Message("progress.rfm").text())
        found = find_rfm_columns(df)
        cols = {"recency": self.recency or found.get("recency"),
                "frequency": self.frequency or found.get("frequency"),
                "monetary": self.monetary or found.get("monetary")}
        missing = [k for k, c in cols.items() if c is None or c not in df.columns]
        if missing:
            raise DataError("rfm.error.columns", missing=", ".join(missing))
        n = len(df)
        if n < 2:
            raise DataError("segment.error.too_few", n=n)
        notes: list[Message] = []
        values, scores = {}, {}
        for what, col in cols.items():
            x = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            x = np.where(np.isfinite(x), x, np.nan)
            if np.isnan(x).all():
                raise DataError("rfm.error.empty", column=col)
            if np.isnan(x).any():
                notes.append(Message("rfm.note.missing", {"n": int(np.isnan(x).sum()), "column": col}))
            values[what] = x
            scores[what] = rfm_scores(x, higher_is_better=(what != "recency"))
        r, f, m = scores["recency"], scores["frequency"], scores["monetary"]
        fm = (f.astype(float) + m) / 2.0
        fm_bin = np.floor(fm + 0.5).astype(int)  # round half up: 1.5 → 2, 4.5 → 5
        grid = np.array(RFM_GRID, dtype=object)
        groups = grid[r - 1, fm_bin - 1]
        present = [g for g in RFM_GROUPS if (groups == g).any()]
        lookup = {g: i for i, g in enumerate(present)}
        self.r_score_, self.f_score_, self.m_score_ = r, f, m
        self.fm_score_ = fm
        self.rfm_code_ = np.char.add(np.char.add(r.astype(str), f.astype(str)), m.astype(str))
        self.group_ids_ = present
        self.group_names_ = [Message(f"rfm.{g}") for g in present]
        self.labels_ = np.array([lookup[g] for g in groups], dtype=np.intp)
        self.n_clusters_ = len(present)
        self.sizes_ = np.bincount(self.labels_, minlength=len(present))
        self.columns_ = cols
        self.score_ranges_ = {
            what: [self._range(values[what], scores[what], s) for s in range(1, 6)] for what in cols
        }
        self.notes_ = notes
        progress.report(1.0)
        return self

    @staticmethod
    def _range(x, score, s):
        sel = x[(score == s) & ~np.isnan(x)]
        return (float(sel.min()), float(sel.max())) if len(sel) else None

    def fit_predict(self, customers, y=None, *, progress: Progress = NULL_PROGRESS):
        return self.fit(customers, progress=progress).labels_

    def group_of(self) -> list[str]:
        """Group id of every customer."""
        return [self.group_ids_[i] for i in self.labels_]


def group_name(group_id: str, lang: str | None = None) -> str:
    """The display name of an RFM group id in ``lang``."""
    return Message(f"rfm.{group_id}").text(lang)
