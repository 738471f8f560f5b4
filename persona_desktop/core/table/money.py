"""What a customer paid: which columns decide it, and the money of each order line.

Shop exports carry several amounts: Tmall's 总金额 (the order's total) beside
买家实际支付金额 (what the buyer actually paid) and 退款金额 (what was given
back); Shopify's Total beside Lineitem price × quantity and Refunded Amount.
The spend counted for a customer is what they actually paid, net of partial
refunds (full refunds and never-paid orders are set aside by cleaning), and
:func:`money_source` says which columns decided it, so the Summary can too.

Which amount decides, first found:

1. an amount whose header says it was actually paid (实付, 实际支付, 实收,
   amount paid…);
2. the order total, when every order has one;
3. the line amount;
4. quantity × unit price;
5. the order total where orders have one.

An amount held once per order (repeated on its lines, or on its first line
only) is counted once per order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Mapping

import numpy as np
import pandas as pd

from persona_desktop.core.i18n import Message, register
from persona_desktop.core.schema import Role, column_with
from persona_desktop.core.table.order_lines import order_level_columns

__all__ = ["MoneySource", "money_source", "line_money", "paid_in_file", "order_codes", "paid_column", "refund_column", "PAID_HEADER"]

register({
    "money.from": ("Spend counted from {columns}", "消费额取自 {columns}"),
    "money.less_refunds": ("{columns}, less {refund}", "{columns}，减去 {refund}"),
    "money.times": ("{a} × {b}", "{a} × {b}"),
})

# an amount the customer actually paid, as opposed to a list price or an order's face total
PAID_HEADER = re.compile(r"实际支付|实付|实收|付款金额|支付金额|(?:^|\b)(?:amount paid|paid amount|total paid|net paid)\b",
                         re.IGNORECASE)
_MONEY_ROLES = (Role.LINE_AMOUNT, Role.ORDER_TOTAL)


@dataclass(frozen=True)
class MoneySource:
    """The columns a customer's spend is counted from."""

    columns: tuple[str, ...]  # one amount, or quantity and unit price
    per_order: bool  # the amount is held once per order
    refund: str | None = None  # a refund-amount column taken off (partial refunds)
    refund_per_order: bool = False
    chosen: bool = False  # other columns could have been the money (an order total beside what was paid)

    def describe(self) -> Message:
        if len(self.columns) == 2:
            shown = Message("money.times", {"a": f"“{self.columns[0]}”", "b": f"“{self.columns[1]}”"})
        else:
            shown = f"“{self.columns[0]}”"
        if self.refund is not None:
            shown = Message("money.less_refunds", {"columns": shown, "refund": f"“{self.refund}”"})
        return Message("money.from", {"columns": shown})

    def to_json(self) -> dict:
        return {"columns": list(self.columns), "per_order": self.per_order, "refund": self.refund}

    def values(self, frame: pd.DataFrame) -> np.ndarray:
        """The amount of each row as written (quantity × price for two columns), before any counting."""
        if len(self.columns) == 2:
            qty, price = self.columns
            return (frame[qty].astype("float64") * frame[price].astype("float64")).to_numpy()
        return frame[self.columns[0]].to_numpy(dtype="float64", na_value=np.nan)


def paid_column(frame: pd.DataFrame, roles: Mapping[str, Role]) -> str | None:
    """The amount whose header says the customer actually paid it (实付金额, Amount paid), if any."""
    for column, role in roles.items():
        if role in _MONEY_ROLES and column in frame.columns and PAID_HEADER.search(str(column)):
            return column
    return None


def refund_column(frame: pd.DataFrame, roles: Mapping[str, Role]) -> str | None:
    column = column_with(roles, Role.REFUND_AMOUNT, frame)
    if column is None or not pd.api.types.is_numeric_dtype(frame[column]):
        return None
    return column


def money_source(frame: pd.DataFrame, roles: Mapping[str, Role], orders: np.ndarray | None = None,
                 sale: np.ndarray | None = None) -> MoneySource | None:
    """Which columns decide what was paid (see the module docstring); None when no column holds money.

    *orders* (an order code per row of *frame*) and *sale* (the rows that are sales) let an order
    total count only when every sale order has one.
    """
    order = column_with(roles, Role.ORDER_ID, frame)
    candidates = _money_columns(frame, roles)
    held_per_order = set(order_level_columns(frame, order, candidates)) if order and candidates else set()
    refund = refund_column(frame, roles)
    found = _deciding(frame, roles, orders, sale)
    if found is None:
        return None
    columns, per_order = found
    per_order = per_order or (len(columns) == 1 and columns[0] in held_per_order)
    others = [c for c, r in roles.items() if r in _MONEY_ROLES and c in frame.columns and c not in columns]
    return MoneySource(columns, per_order, refund, refund in held_per_order, chosen=bool(others) or refund is not None)


def _money_columns(frame: pd.DataFrame, roles: Mapping[str, Role]) -> list[str]:
    return [c for c, r in roles.items() if r in (*_MONEY_ROLES, Role.REFUND_AMOUNT) and c in frame.columns]


def _deciding(frame, roles, orders, sale) -> tuple[tuple[str, ...], bool] | None:
    paid = paid_column(frame, roles)
    if paid is not None:
        return (paid,), roles[paid] is Role.ORDER_TOTAL
    total = column_with(roles, Role.ORDER_TOTAL, frame)
    if total is not None and orders is not None:
        rows = sale if sale is not None else np.ones(len(frame), dtype=bool)
        if rows.any() and pd.Series(frame[total].to_numpy()[rows]).groupby(orders[rows]).max().notna().all():
            return (total,), True
    amount = column_with(roles, Role.LINE_AMOUNT, frame)
    if amount is not None:
        return (amount,), False
    qty, price = column_with(roles, Role.QUANTITY, frame), column_with(roles, Role.UNIT_PRICE, frame)
    if qty is not None and price is not None:
        return (qty, price), False
    if total is not None:
        return (total,), True
    return None


def _once_per_order(values: np.ndarray, orders: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """An order-level value on the first of each order's *rows*, 0 on its other lines."""
    out = np.zeros(len(values))
    idx = np.flatnonzero(rows)
    if not len(idx):
        return out
    per_order = pd.Series(values[idx]).groupby(orders[idx]).max()
    first = idx[~pd.Series(orders[idx]).duplicated().to_numpy()]
    out[first] = per_order.loc[orders[first]].to_numpy()
    return out


def line_money(frame: pd.DataFrame, source: MoneySource, orders: np.ndarray, sale: np.ndarray) -> np.ndarray:
    """The money of each sale line (0 elsewhere): an order-level amount on one line per order, partial
    refunds taken off per order and never below 0."""
    values = source.values(frame)
    money = _once_per_order(values, orders, sale) if source.per_order else np.where(sale, np.nan_to_num(values), 0.0)
    if source.refund is None:
        return money
    refund = np.nan_to_num(frame[source.refund].to_numpy(dtype="float64", na_value=np.nan)).clip(min=0)
    refund = _once_per_order(refund, orders, sale) if source.refund_per_order else np.where(sale, refund, 0.0)
    if not refund.any():
        return money
    # net per order: an order-level refund may sit on another line than the money it is taken from
    idx = np.flatnonzero(sale)
    net = pd.Series(money[idx] - refund[idx]).groupby(orders[idx]).transform("sum").to_numpy()
    first = ~pd.Series(orders[idx]).duplicated().to_numpy()
    out = np.zeros(len(money))
    out[idx[first]] = np.maximum(net[first], 0.0)
    return out


def paid_in_file(frame: pd.DataFrame, roles: Mapping[str, Role], sale: np.ndarray, refund: np.ndarray,
                 net_refunds: bool = True, source: MoneySource | None = None) -> tuple[MoneySource | None, float | None]:
    """The columns money is counted from and the money paid in the whole file, net of refunds:
    what the Summary says for any order export, with or without customers. *source*: the columns the
    customer table already counted its money from (the Summary then names the same), else found here."""
    order = column_with(roles, Role.ORDER_ID, frame)
    orders = order_codes(frame[order]) if order else np.arange(len(frame))
    if source is None:
        source = money_source(frame, roles, orders, sale)
    if source is None:
        return None, None
    if not net_refunds:
        source = replace(source, refund=None, refund_per_order=False)
    paid = line_money(frame, source, orders, sale).sum()
    given_back = np.minimum(line_money(frame, replace(source, refund=None), orders, refund), 0).sum()
    return source, round(float(paid + given_back), 2)


def order_codes(orders: pd.Series) -> np.ndarray:
    """An integer per order; a line without an order number is an order of its own."""
    codes = pd.factorize(orders)[0]
    missing = codes < 0
    if missing.any():
        codes = codes.copy()
        codes[missing] = codes.max() + 1 + np.arange(int(missing.sum()))
    return codes
