"""Persona names that claim only what the segment's own figures show.

A name is a claim: "one-time buyers" says most of them ordered once,
"lapsed" that their last order is long past compared with everyone's,
"regulars" that they order often, "high-spending" that they spend much more
than the typical customer. Each claim is a plain test on the segment's
medians against the whole table's (:data:`CLAIMS`); a segment may take a
name only when every claim of that name holds. Several segments may qualify
for the same name: the one it fits best (the biggest spenders for a spending
name, the longest gone for a lapsed one…) takes it, and the others take
their next true name, so two cards never say the same thing.

Thresholds (medians of the segment against the medians of all customers):

=============  =================================================================
one-time       at least 2/3 of the segment ordered exactly once
lapsed         days since the last order above everyone's, and at least 60 % of the
               segment overdue by their own buying rhythm (the churn risk is high)
recent         days since the last order ≤ everyone's
new            recent, and days since the first order ≤ half of everyone's
regulars       orders ≥ 3 and ≥ 2 × everyone's, and at most 1/3 ordered once
high spend     net spend ≥ 2 × everyone's
top spend      net spend ≥ 5 × everyone's
small spend    net spend ≤ half of everyone's, and orders ≤ everyone's
wholesale      at most 2 % of the customers (or 3), mean spend ≥ 10 × everyone's mean
returners      mean refund rate ≥ 25 %, clearly above everyone's
=============  =================================================================
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

__all__ = ["CLAIMS", "ARCHETYPES", "facts", "candidates", "assign"]

RECENCY, FREQUENCY, MONETARY, TENURE = "recency_days", "frequency", "monetary", "tenure_days"
# the churn risk is "high" from this overdue share on (traits.churn_risk): the same line for "lapsed"
LAPSED_OVERDUE = 0.6
REFUND_RATE = "refund_rate"


def _median(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].median()) if column in frame and frame[column].notna().any() else float("nan")


def facts(seg: pd.DataFrame, all_: pd.DataFrame, refund_effect: float = 0.0,
          overdue: float | None = None) -> dict[str, bool]:
    """The claims that hold for a segment (*seg*) among all customers (*all_*).

    *overdue* is the share of the segment past twice their own buying rhythm
    (the churn risk's figure): "lapsed" needs most of them overdue, so a
    lapsed name never sits beside a low churn risk.
    """
    out: dict[str, bool] = {}
    if FREQUENCY in seg:
        f, f_all = _median(seg, FREQUENCY), _median(all_, FREQUENCY)
        once = float((seg[FREQUENCY] == 1).mean())
        out["one_time"] = once >= 2 / 3
        out["regulars"] = f >= 3 and f >= 2 * f_all and once <= 1 / 3
        out["occasional"] = f <= f_all
    if RECENCY in seg:
        r, r_all = _median(seg, RECENCY), _median(all_, RECENCY)
        out["lapsed"] = r > r_all and overdue is not None and overdue >= LAPSED_OVERDUE
        out["recent"] = r <= r_all
        if TENURE in seg:
            out["new"] = out["recent"] and _median(seg, TENURE) <= 0.5 * _median(all_, TENURE)
    if MONETARY in seg:
        m, m_all = _median(seg, MONETARY), _median(all_, MONETARY)
        base = max(m_all, 0.0)
        out["high_spend"] = m > 0 and m >= 2 * base
        out["top_spend"] = m > 0 and m >= 5 * base
        out["small_spend"] = m <= 0.5 * base and out.get("occasional", True)
        mean_all = float(all_[MONETARY].mean())
        out["wholesale"] = (len(seg) <= max(3, 0.02 * len(all_)) and mean_all > 0
                            and float(seg[MONETARY].mean()) >= 10 * mean_all)
    if REFUND_RATE in seg:
        out["returners"] = float(seg[REFUND_RATE].mean()) >= 0.25 and refund_effect >= 1.0
    return out


# archetype → the claims its name makes; in order of preference (the first that holds is the name)
CLAIMS: dict[str, tuple[str, ...]] = {
    "wholesale": ("wholesale",),
    "frequent_returners": ("returners",),
    "top_customers": ("top_spend", "regulars", "not lapsed"),
    "vip_regulars": ("high_spend", "regulars", "not lapsed"),
    "slipping_big": ("high_spend", "lapsed"),
    "lapsed_one_time": ("one_time", "lapsed"),
    "new_first_time": ("one_time", "new"),
    "quiet_regulars": ("regulars", "lapsed"),
    "high_value": ("high_spend",),
    "one_time": ("one_time",),
    "loyal_regulars": ("regulars", "recent"),
    "lapsed": ("lapsed",),
    "new_customers": ("new",),
    "active": ("recent",),
    "small_spenders": ("small_spend",),
}
ARCHETYPES = tuple(CLAIMS) + ("typical",)


def _holds(claim: str, known: dict[str, bool]) -> bool:
    if claim.startswith("not "):
        return not known.get(claim[4:], False)
    return known.get(claim, False)


def candidates(known: dict[str, bool]) -> list[str]:
    """The archetypes whose every claim holds, most telling first; "typical" last."""
    return [a for a, claims in CLAIMS.items() if all(_holds(c, known) for c in claims)] + ["typical"]


def _strength(archetype: str, seg: pd.DataFrame) -> float:
    """How well a segment fits an archetype, to decide between segments that both qualify."""
    def med(column: str, sign: float = 1.0) -> float:
        return sign * _median(seg, column) if column in seg else 0.0

    by: dict[str, Callable[[], float]] = {
        "wholesale": lambda: med(MONETARY), "top_customers": lambda: med(MONETARY),
        "vip_regulars": lambda: med(MONETARY), "slipping_big": lambda: med(MONETARY),
        "high_value": lambda: med(MONETARY), "small_spenders": lambda: med(MONETARY, -1),
        "frequent_returners": lambda: float(seg[REFUND_RATE].mean()) if REFUND_RATE in seg else 0.0,
        "lapsed_one_time": lambda: med(RECENCY), "lapsed": lambda: med(RECENCY),
        "quiet_regulars": lambda: med(RECENCY),
        "new_first_time": lambda: med(TENURE, -1), "new_customers": lambda: med(TENURE, -1),
        "one_time": lambda: float((seg[FREQUENCY] == 1).mean()) if FREQUENCY in seg else 0.0,
        "loyal_regulars": lambda: med(FREQUENCY), "active": lambda: med(RECENCY, -1),
    }
    value = by.get(archetype, lambda: float(len(seg)))()
    return value if np.isfinite(value) else float("-inf")


def assign(options: dict[int, list[str]], segments: dict[int, pd.DataFrame]) -> dict[int, str | None]:
    """One archetype per segment, never the same twice (None: no true archetype name is left).

    Archetypes are handed out in order of preference; where several segments
    qualify for one, the one with the greatest strength takes it and the
    others keep waiting for their next true name. "typical" is given once.
    """
    chosen: dict[int, str | None] = {}
    for archetype in ARCHETYPES:
        takers = [s for s, opts in options.items() if s not in chosen and archetype in opts]
        if takers:
            chosen[max(takers, key=lambda s: (_strength(archetype, segments[s]), -s))] = archetype
    return {s: chosen.get(s) for s in options}
