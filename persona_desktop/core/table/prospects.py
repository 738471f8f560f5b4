"""People in a customer list who never bought: prospects, not a segment.

A Shopify customer export (1,511 rows, 1,198 of them newsletter sign-ups who
never ordered) became a "Typical customers" segment of 1,187 people with 0
orders and 0 spend, advised to "cross-sell with what they already buy". In a
customer table with an order-count column, the rows with 0 orders are set
apart: counted, kept out of segments and models, and listed on their own
sheet with their contact details, so the owner can write to them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from persona_desktop.core.i18n import Message, register

if TYPE_CHECKING:
    from persona_desktop.core.table.customers import CustomerTable

__all__ = ["split_prospects", "ORDERS_COLUMN"]

register({
    "customers.warn.prospects": ("{n} people in this list never ordered (“{column}” is 0): they are prospects, "
                                 "kept out of the segments and predictions and listed apart",
                                 "名单中有 {n} 人从未下单（“{column}”为 0）：他们是潜在客户，不参与分群和预测，单独列出"),
})

# the number of orders a customer list gives each person (Shopify's "Total Orders", 累计消费次数…)
ORDERS_COLUMN = re.compile(
    r"(?i)^(?:total[ _]?orders|orders(?:[ _]?count)?|order[ _]?count|number[ _]of[ _]orders|n_orders|frequency"
    r"|累计消费次数|消费次数|购买次数|下单次数|订单数|累计订单数)$")


def split_prospects(table: "CustomerTable") -> "CustomerTable":
    """*table* without the people whose order count is 0, who go to ``set_aside`` (with a warning)."""
    data = table.data
    column = next((c for c in data.columns if ORDERS_COLUMN.match(str(c).strip())
                   and pd.api.types.is_numeric_dtype(data[c])), None)
    if column is None:
        return table
    never = (data[column] == 0).to_numpy()
    if not never.any() or never.all():  # nobody bought: nothing to segment either way, say nothing new
        return table
    table.set_aside = data.loc[never].reset_index(drop=True)
    table.data = data.loc[~never].reset_index(drop=True)
    table.filled = {c: np.asarray(m)[~never] for c, m in table.filled.items()}
    table.set_aside_kind = "prospects"
    table.warnings.append(Message("customers.warn.prospects", {"n": f"{int(never.sum()):,}", "column": column}))
    return table
