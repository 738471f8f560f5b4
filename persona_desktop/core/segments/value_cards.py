"""Each persona card's customer value: what its customers are predicted to be worth, how much of the
shop's predicted value that is, and how many of its valuable customers are at risk of leaving.

The figures come from :mod:`persona_desktop.core.value` (an analysis of its own, below the segments);
the workflow attaches them when both have run. A card without them says nothing about value.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from persona_desktop.core.i18n import register, tr
from persona_desktop.core.segments.words import money_text, percent_text

__all__ = ["attach_value", "card_value"]

register({
    "card.value": ("predicted {months}-month value {value} a customer ({share} of all)",
                   "未来 {months} 个月预测价值每位客户 {value}（占全部的 {share}）"),
    "card.expected_orders": ("{orders} orders expected in the next {days} days", "未来 {days} 天预计 {orders} 单"),
    "card.at_risk": ("{n} valuable customers at risk", "{n} 位高价值客户有流失风险"),
})


def attach_value(personas: Sequence, labels: np.ndarray, keys: Sequence, value) -> None:
    """Give every card (``labels``: each customer's segment, row for row with ``keys``) its value figures.

    *value* is a :class:`~persona_desktop.core.value.run.ValueAnalysis`, or None to take them away.
    """
    for p in personas:
        p.value = {}
    if value is None:
        return
    table = value.table.set_index(value.table[value.key].astype("str"))
    rows = table.reindex(pd.Index(pd.Series(keys).astype("str")))
    labels = np.asarray(labels)
    has_value = value.spend is not None
    total = float(rows["clv"].sum()) if has_value else 0.0
    for p in personas:
        mine = rows[labels == p.segment]
        known = mine["expected_orders"].notna()
        if not known.any():
            continue
        alive = mine["p_alive"].mean() if value.shows_alive else np.nan  # one-time buyers may be blank (BG/NBD)
        figures = {"customers": int(known.sum()), "days": value.days, "months": value.months,
                   "expected_orders": round(float(mine["expected_orders"].sum()), 1),
                   "p_alive": None if pd.isna(alive) else round(float(alive), 4),
                   # None when the model sees no one leave: then no one can be said to be at risk, not even 0
                   "at_risk": int(mine["at_risk"].fillna(False).astype(bool).sum()) if value.shows_alive else None}
        if has_value:
            figures["value_per_customer"] = round(float(mine["clv"].mean()), 2)
            figures["value_share"] = round(float(mine["clv"].sum()) / total, 4) if total > 0 else None
        p.value = figures


def card_value(value: dict, currency: str | None, lang: str | None = None) -> str:
    """"predicted 12-month value ¥310 a customer (41% of all) · 7 valuable customers at risk", or ""."""
    if not value:
        return ""
    parts = []
    if value.get("value_per_customer") is not None:
        parts.append(tr("card.value", lang, months=value["months"], value=money_text(value["value_per_customer"], currency),
                        share=percent_text(value.get("value_share"))))
    else:
        parts.append(tr("card.expected_orders", lang, orders=f"{value['expected_orders']:,.0f}", days=value["days"]))
    if value.get("at_risk") is not None:
        parts.append(tr("card.at_risk", lang, n=f"{value['at_risk']:,}"))
    return " · ".join(parts)
