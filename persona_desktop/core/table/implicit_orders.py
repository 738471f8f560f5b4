"""Orders in an export without an order number: a customer's lines at one moment are one order.

A Taobao seller's line export (买家会员名, 宝贝标题, 宝贝总数量, 买家实际支付金额,
订单付款时间) has no order number, yet the lines a buyer paid for at the
same second are one order, bought together. Without this, every line is an
order of its own: a buyer's one basket of three items counts as three orders,
and no rule or bundle can be found. The order is only formed from a time
with a clock (most values not at midnight): lines of one customer on one day
of a purchase log may be two purchases (the same customer buying the same
again), so day-only dates leave each line a purchase of its own.

The derived order number is a column of its own, visible in the Data screen
with the role "order id", so the owner sees how orders were formed and can
set another column instead.
"""

from __future__ import annotations

import re
from typing import Mapping

import numpy as np
import pandas as pd

from persona_desktop.core.schema import column_with
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.table.roles import customer_key
from persona_desktop.core.schema import Role, TableKind

__all__ = ["orders_from_customer_time", "ORDER_COLUMNS"]

register({
    "orders.from_customer_time": (
        "The file has no order number: the lines of one customer (“{customer}”) at one time (“{time}”) were taken "
        "as one order — {orders} orders from {lines} lines, in the column “{column}”",
        "文件没有订单编号：同一客户（“{customer}”）在同一时间（“{time}”）的各行视为一个订单——"
        "{lines} 行组成 {orders} 个订单，见“{column}”列"),
})

# the derived column, named in the language of the file's headers
ORDER_COLUMNS = {"en": "Order (customer + time)", "zh": "订单（客户+时间）"}


def orders_from_customer_time(df: pd.DataFrame, roles: Mapping[str, Role], kind: TableKind,
                              ) -> tuple[pd.DataFrame, dict[str, Role], Message | None]:
    """*df* and *roles* with an order-number column formed from customer and time, when the file
    has none and some customer has several lines at one time; otherwise as they are, and no note."""
    roles = dict(roles)
    if kind is not TableKind.ORDERS or Role.ORDER_ID in roles.values():
        return df, roles, None
    key = customer_key(roles)
    date = column_with(roles, Role.ORDER_DATE, df)
    if key is None or date is None or not pd.api.types.is_datetime64_any_dtype(df[date]):
        return df, roles, None
    stamps = df[date]
    known = stamps.notna().to_numpy() & df[key].notna().to_numpy()
    if not known.any() or (stamps[known] != stamps[known].dt.normalize()).mean() < 0.5:
        return df, roles, None  # day-only dates: each line stays a purchase of its own
    pairs = pd.MultiIndex.from_arrays([df[key][known], stamps[known]])
    codes = pd.factorize(pairs)[0]
    if not pd.Series(codes).duplicated().any():
        return df, roles, None  # no one has two lines at one time: nothing to join
    numbers = np.empty(len(df), dtype=object)
    numbers[known] = codes + 1
    # a line without a time or customer is an order of its own
    numbers[~known] = int(codes.max()) + 2 + np.arange(int((~known).sum()))
    headers = " ".join(map(str, df.columns))
    name = ORDER_COLUMNS["zh" if re.search(r"[\u4e00-\u9fff]", headers) else "en"]
    out = df.copy(deep=False)
    out[name] = pd.Series(numbers, index=df.index).astype("str")
    roles[name] = Role.ORDER_ID
    note = Message("orders.from_customer_time", {"customer": key, "time": date, "orders": f"{int(codes.max()) + 1:,}",
                                                 "lines": f"{int(known.sum()):,}", "column": name})
    return out, roles, note
