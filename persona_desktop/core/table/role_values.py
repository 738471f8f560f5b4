"""Products, customers and order dates found from the values when the headers say nothing.

A restaurant's export (``order_id, dishes_name, counts, amounts,
place_order_time, emp_id``) names none of its columns the way
:mod:`persona_desktop.core.table.roles` knows, yet its values say what they are:

- **product**: a text column that changes from line to line inside an order
  and whose values recur across many orders (157 dishes over 942 orders);
- **order date**: the one date column of a table that has orders;
- **customer**: a column constant within each order whose values come back in
  other orders on other days (471 diners), with few orders each (a table
  number or a till, which every order passes through, has many).

In a table of customers with a month (a call list: ``month`` and the
economy's rates of that month), a number column with one value per month
describes the period, not the customer: it is left out of segments, cards and
predictions (role "ignore"), or every customer called in May would share a
"segment" of May's interest rate.

Each guess is said in a note naming the column and the figures that decided
it, so the owner can set another column in the Data screen or with
``--role COLUMN=ROLE``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from persona_desktop.core.i18n import Message, register
from persona_desktop.core.io.values import DATE_HEADER
from persona_desktop.core.schema import Role

__all__ = ["roles_from_values"]

register({
    "roles.note.product_from_values": ("“{column}” taken as the product: its {n} values change within orders and "
                                       "recur across {orders} orders (mark another column if this is wrong)",
                                       "已将“{column}”作为商品：其 {n} 种取值在同一订单内各不相同，并在 {orders} 个订单中反复出现"
                                       "（如有误，请改设其他列）"),
    "roles.note.customer_from_values": ("“{column}” taken as the customer: each order has one value, and {share} of its "
                                        "{n} values come back in orders on other days (mark another column if this "
                                        "is wrong)",
                                        "已将“{column}”作为客户：每个订单只有一个取值，其 {n} 种取值中有 {share} 在其他日期的订单中"
                                        "再次出现（如有误，请改设其他列）"),
    "roles.note.period": ("“{column}” has one value per month ({months} months): it describes the period, not the "
                           "customer, and is left out of segments and predictions (mark it as numeric to use it)",
                           "“{column}”每个月只有一个取值（共 {months} 个月）：它描述的是时期而不是客户，已不用于分组和预测"
                           "（如需使用，请将其标为数值）"),
    "roles.note.date_from_values": ("“{column}” taken as the order date: it is the only date column",
                                    "已将“{column}”作为下单时间：它是唯一的日期列"),
})

_GENERIC = (Role.CATEGORICAL, Role.TEXT, Role.ID, Role.NUMERIC)
_MAX_ORDERS_PER_CUSTOMER = 10  # median orders per value above this: a table, a till or a shop, not a person
_MIN_RETURNING = 0.1  # share of the values seen again on another day


def _column(roles: dict, role: Role) -> str | None:
    return next((c for c, r in roles.items() if r is role), None)


def _order_keys(df: pd.DataFrame, roles: dict) -> np.ndarray | None:
    order = _column(roles, Role.ORDER_ID)
    if order is None:
        return None
    return pd.factorize(df[order])[0]


def _product(df: pd.DataFrame, roles: dict, orders: np.ndarray) -> tuple[str, Message] | None:
    n_orders = int(orders.max()) + 1 if len(orders) else 0
    multi = pd.Series(orders).duplicated(keep=False).to_numpy() & (orders >= 0)
    if n_orders < 20 or multi.sum() < 20:
        return None
    best = None
    for column, role in roles.items():
        if role not in (Role.CATEGORICAL, Role.TEXT) or pd.api.types.is_numeric_dtype(df[column]):
            continue
        s = df[column].astype("object")
        if s.isna().mean() > 0.2 or s.dropna().astype(str).str.len().mean() > 60:
            continue
        distinct = s.nunique()
        if distinct < 5:
            continue
        inside = pd.DataFrame({"o": orders[multi], "v": s.to_numpy()[multi]}).dropna()
        varies = float((inside.groupby("o")["v"].nunique() > 1).mean())
        per_value = pd.DataFrame({"o": orders, "v": s.to_numpy()}).dropna().groupby("v")["o"].nunique()
        if varies < 0.5 or float((per_value >= 2).mean()) < 0.5:
            continue
        if best is None or distinct > best[1]:
            best = (column, distinct)
    if best is None:
        return None
    return best[0], Message("roles.note.product_from_values", {"column": best[0], "n": f"{best[1]:,}",
                                                                "orders": f"{n_orders:,}"})


def _order_date(df: pd.DataFrame, roles: dict) -> tuple[str, Message] | None:
    dates = [c for c, r in roles.items() if r is Role.DATE and pd.api.types.is_datetime64_any_dtype(df[c])]
    if len(dates) != 1:
        return None
    return dates[0], Message("roles.note.date_from_values", {"column": dates[0]})


def _customer(df: pd.DataFrame, roles: dict, orders: np.ndarray) -> tuple[str, Message] | None:
    date = _column(roles, Role.ORDER_DATE)
    if date is None:
        return None
    days = df[date].dt.normalize()
    valid = orders >= 0
    best = None
    for column, role in roles.items():
        s = df[column]
        if role not in _GENERIC or pd.api.types.is_float_dtype(s) and not (s.dropna() % 1 == 0).all():
            continue
        if DATE_HEADER.search(str(column)):  # a till's "Time" of each sale is no customer
            continue
        if s.isna().mean() > 0.2:
            continue
        frame = pd.DataFrame({"o": orders[valid], "v": s.to_numpy()[valid], "d": days.to_numpy()[valid]}).dropna()
        per_order = frame.groupby("o")["v"].nunique()
        if float((per_order <= 1).mean()) < 0.99:  # one customer per order
            continue
        visits = frame.drop_duplicates(["o"]).groupby("v").agg(orders=("o", "nunique"), days=("d", "nunique"))
        n = len(visits)
        if n < 20 or n > 0.9 * len(per_order) or float(visits["orders"].median()) > _MAX_ORDERS_PER_CUSTOMER:
            continue
        returning = float((visits["days"] >= 2).mean())
        if returning < _MIN_RETURNING:
            continue
        if best is None or returning > best[1]:
            best = (column, returning, n)
    if best is None:
        return None
    column, returning, n = best
    return column, Message("roles.note.customer_from_values", {"column": column, "share": f"{returning:.0%}",
                                                                "n": f"{n:,}"})


_MONTH_HEADER = re.compile(r"(?i)^(?:month|mon|period|yyyymm|月份|月|账期|期间)$")


def _month_key(df: pd.DataFrame, roles: dict) -> pd.Series | None:
    """The month of each row: a column named like a month, else the one date column's month."""
    named = next((c for c in df.columns if _MONTH_HEADER.match(str(c).strip())), None)
    if named is not None:
        return df[named].astype("object")
    dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    if len(dates) == 1:
        return df[dates[0]].dt.to_period("M").astype("object")
    return None


def _period_columns(df: pd.DataFrame, roles: dict) -> list[tuple[str, Message]]:
    """Number columns with one value per month: the economy's rates in a call list."""
    month = _month_key(df, roles)
    if month is None or len(df) < 50:
        return []
    months = month.nunique(dropna=True)
    if months < 3 or months > len(df) / 10:
        return []
    found = []
    for column, role in roles.items():
        s = df[column]
        if role is not Role.NUMERIC or not pd.api.types.is_numeric_dtype(s) or s.nunique(dropna=True) < 2:
            continue
        if s.nunique(dropna=True) > 2 * months:
            continue
        per_month = s.groupby(month, dropna=True).nunique(dropna=True)
        weight = month.value_counts()
        constant = float(weight[per_month[per_month <= 1].index].sum() / weight.sum())
        if constant >= 0.95:
            found.append((column, Message("roles.note.period", {"column": column, "months": months})))
    return found


def roles_from_values(df: pd.DataFrame, roles: dict[str, Role]) -> tuple[dict[str, Role], list[Message]]:
    """*roles* with the product, order date and customer found from the values where no header named them,
    and, in a customer table with months, the columns that describe the month set aside."""
    roles = dict(roles)
    notes: list[Message] = []
    orders = _order_keys(df, roles)
    if orders is None:
        if not {Role.ORDER_DATE} & set(roles.values()):
            for column, note in _period_columns(df, roles):
                roles[column] = Role.IGNORE
                notes.append(note)
        return roles, notes
    have = set(roles.values())
    if Role.PRODUCT not in have and Role.PRODUCT_CODE not in have:
        found = _product(df, roles, orders)
        if found:
            roles[found[0]] = Role.PRODUCT
            notes.append(found[1])
    if Role.ORDER_DATE not in have:
        found = _order_date(df, roles)
        if found:
            roles[found[0]] = Role.ORDER_DATE
            notes.append(found[1])
    if not {Role.CUSTOMER_ID, Role.EMAIL, Role.PHONE, Role.CUSTOMER_NAME} & have:
        found = _customer(df, roles, orders)
        if found:
            roles[found[0]] = Role.CUSTOMER_ID
            notes.append(found[1])
    return roles, notes
