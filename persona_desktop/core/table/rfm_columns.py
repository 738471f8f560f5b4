"""A customer file's own recency, frequency and monetary columns, found by their names.

A customer list exported by a shop often carries its own R, F and M
(最近一次消费距今天数, 累计消费次数, 累计消费金额; ``Recency``, ``Orders``, ``Spend``).
Reading a table needs them (the money column tells the currency), and so do
the RFM scores and the persona cards above it: the names live here, at the
table stage, once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["find_rfm_columns"]

_NAMES = {
    "recency": re.compile(r"^(r|recency.*|days_since.*|last_order_days|最近.*|间隔.*|距上次.*)$", re.IGNORECASE),
    # Chinese exports qualify the figure (累计消费次数, 历史购买次数, 累计消费金额)
    "frequency": re.compile(r"^(f|frequency|orders|n_orders|order_count|频率|.{0,4}(?:消费|购买|下单)次数|订单数)$",
                            re.IGNORECASE),
    "monetary": re.compile(r"^(m|monetary.*|revenue|total_spent|spend|.{0,4}消费(?:金)?额|总金额|累计金额|金额)$",
                           re.IGNORECASE),
}


def find_rfm_columns(df: "pd.DataFrame") -> dict[str, str]:
    """``{"recency": col, "frequency": col, "monetary": col}`` found by name (those found)."""
    found: dict[str, str] = {}
    for what, pattern in _NAMES.items():
        exact = [c for c in df.columns if str(c).lower() == what]
        matches = exact or [c for c in df.columns if pattern.match(str(c).strip())]
        if matches:
            found[what] = matches[0]
    return found
