"""Which columns of order lines hold one value per order.

Shop exports repeat an order's total, date or customer on every line of the
order, or write it on the order's first line only (Shopify's order export).
Roles (an amount repeated per order is the order total), the fill-down
cleaning step and the money counted all ask the same two questions, answered
here once, judged on the orders with more than one line.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["order_level_columns", "first_line_only_columns"]


def _multi_line_sample(df: pd.DataFrame, order: str, limit: int = 50_000) -> pd.DataFrame:
    """The lines of orders with more than one line, from the first *limit* rows."""
    head = df.iloc[:limit]
    keys = head[order]
    multi = keys.duplicated(keep=False).to_numpy() & keys.notna().to_numpy()
    return head.loc[multi]


def order_level_columns(df: pd.DataFrame, order: str, columns: list[str] | None = None) -> list[str]:
    """Columns that hold one value per order: constant over an order's lines, or
    filled on its first line only (Shopify's exports). Judged on multi-line orders;
    an empty list when no order has more than one line."""
    multi = _multi_line_sample(df, order)
    if multi.empty:
        return []
    first = ~multi[order].duplicated().to_numpy()
    found = []
    for column in columns if columns is not None else [c for c in df.columns if c != order]:
        s = multi[column]
        if not s.notna().any():
            continue
        filled_first_only = bool(s[~first].isna().all()) and s[first].notna().mean() >= 0.5
        if filled_first_only or bool((s.groupby(multi[order], sort=False).nunique(dropna=True) <= 1).all()):
            found.append(column)
    return found


def first_line_only_columns(df: pd.DataFrame, order: str) -> list[str]:
    """Columns filled on the first line of each order and empty on its other lines
    (Shopify writes email, dates and totals once per order)."""
    multi = _multi_line_sample(df, order)
    later = multi[order].duplicated().to_numpy()
    if int((~later).sum()) < 3:  # too few multi-line orders to tell a pattern from chance
        return []
    found = []
    for column in df.columns:
        if column == order:
            continue
        s = multi[column]
        if int(s.iloc[~later].notna().sum()) >= 2 and s.iloc[later].isna().all():
            whole = df[column]
            if whole[df[order].duplicated().to_numpy()].isna().all():
                found.append(column)
    return found
