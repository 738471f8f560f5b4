"""What counts as a refund, a non-product line or an impossible value.

Kept apart from :mod:`.cleaning` (which applies the steps and counts them) so
the vocabulary of shop exports — Online Retail's ``C`` invoices and ``POST``
lines, Taobao's 退款 statuses, Shopify's ``refunded`` — sits in one place.
Each function returns a boolean mask over the rows.
"""

from __future__ import annotations

import re
from typing import Mapping

import numpy as np
import pandas as pd

from persona_desktop.core.schema import Role, column_with
from persona_desktop.core.table.money import money_source, paid_column, refund_column
from persona_desktop.core.textops import distinct_mask, is_text

__all__ = ["refund_mask", "refund_masks", "unpaid_mask", "partial_refund_mask", "non_product_mask", "impossible_cells", "negative_price_mask", "sentinel_code"]

# Statuses that mean the order or line was refunded, returned or cancelled after it was bought
# (a partial refund is still a sale: the customer kept something) …
_REFUND_STATUS = re.compile(r"(?i)refund|return|cancel|chargeback|reversed|退款|退货|取消|作废|撤销")
# … unless the status says the refund did not happen: Taobao's 没有申请退款
# ("no refund requested") and 退款关闭 ("refund request closed") are sales.
_NOT_REFUNDED = re.compile(
    r"(?i)partial|部分|没有|无退款|未退款|未申请|退款关闭|退款失败|拒绝|驳回|撤销退款|取消退款|"
    r"\bno\b|\bnot\b|\bnone\b|declined|rejected|denied|refund (?:closed|failed)"
)
# Statuses of an order that was never paid, or closed without a sale: Taobao's 等待买家付款
# and 交易关闭, Shopify's pending, voided (an authorisation released) and expired.
_UNPAID_STATUS = re.compile(
    r"(?i)等待买家付款|待付款|待支付|未付款|未支付|交易关闭|订单关闭|已关闭|^\s*(?:pending|unpaid|voided?|expired|"
    r"abandoned|awaiting payment|authori[sz]ed|payment pending|not paid)\s*$"
)
# … and statuses that say it was paid, which a missing payment time does not overrule
_PAID_STATUS = re.compile(r"(?i)交易成功|已付款|买家已付款|等待卖家发货|卖家已发货|已发货|已完成|已签收|"
                          r"^\s*(?:paid|partially[_ ]refunded|completed?|success(?:ful)?|fulfilled|shipped)\s*$")
# a date column that says when the order was paid: empty, the order was never paid
_PAYMENT_TIME = re.compile(r"(?i)付款时间|支付时间|付款日期|支付日期|^\s*(?:paid[ _]?(?:at|on|date|time)|payment[ _]?(?:date|time))\s*$")
# Online Retail marks a cancellation with an invoice number "C" + digits.
_CANCEL_INVOICE = re.compile(r"^[Cc]\d+$")

# Stock codes and item names that are fees, postage, adjustments — not products.
NON_PRODUCT_CODES = frozenset({
    "POST", "DOT", "M", "D", "S", "C2", "CRUK", "B", "BANK CHARGES", "AMAZONFEE",
    "ADJUST", "FEE", "SHIPPING", "POSTAGE", "CARRIAGE", "DISCOUNT", "TIP",
})
_NON_PRODUCT_NAME = re.compile(
    r"(?i)^\s*(?:postage|dotcom postage|carriage|manual|discount|samples?|bank charges?|amazon fee|"
    r"adjust(?:ment)? bad debt|bad debt|cruk commission|shipping(?: fee| cost)?|delivery(?: charge| fee)?|"
    r"service (?:fee|charge)|handling fee|gift wrap(?:ping)?|tip|"
    r"运费|邮费|快递费|配送费|手续费|服务费|包装费|打包费|优惠|折扣|红包|调整|坏账)\s*$"
)


def _numeric(df: pd.DataFrame, column: str | None) -> pd.Series | None:
    if column is None or not pd.api.types.is_numeric_dtype(df[column]):
        return None
    return df[column]


def refund_mask(df: pd.DataFrame, roles: Mapping[str, Role]) -> pd.Series:
    """Rows that are refunds, returns or cancellations.

    A cancellation invoice (``C536379``), a negative quantity or line amount,
    or a status such as 退款成功 / refunded / cancelled.
    """
    return refund_masks(df, roles)[0]


def refund_masks(df: pd.DataFrame, roles: Mapping[str, Role]) -> tuple[pd.Series, pd.Series]:
    """``(refund rows, partial-refund rows)``: the refund and the amount paid of each row are worked out
    once for both (see :func:`refund_mask` and :func:`partial_refund_mask`)."""
    mask = np.zeros(len(df), dtype=bool)
    order = column_with(roles, Role.ORDER_ID, df)
    if order is not None and is_text(df[order]):
        cancel = distinct_mask(df[order], lambda d: d.str.match(_CANCEL_INVOICE))
        if cancel.any() and not cancel.all():
            mask |= cancel
    for role in (Role.QUANTITY, Role.LINE_AMOUNT, Role.ORDER_TOTAL):
        values = _numeric(df, column_with(roles, role, df))
        if values is not None:
            mask |= (values < 0).fillna(False).to_numpy(dtype=bool)
    for column in _status_columns(df, roles):
        mask |= distinct_mask(df[column], lambda d: d.str.contains(_REFUND_STATUS) & ~d.str.contains(_NOT_REFUNDED))
    refund, paid = _refund_and_paid(df, roles)
    if refund is None:
        return pd.Series(mask, index=df.index), pd.Series(False, index=df.index)
    # given back in full: the refund amount reaches what was paid (Tmall's 退款金额 = 买家实际支付金额)
    mask |= ((refund > 0) & (refund >= paid - 0.005)).to_numpy(dtype=bool)
    return pd.Series(mask, index=df.index), (refund > 0) & (refund < paid - 0.005)


def _status_columns(df: pd.DataFrame, roles: Mapping[str, Role]) -> list[str]:
    return [c for c, r in roles.items() if r is Role.STATUS and c in df.columns and is_text(df[c])]


def _refund_and_paid(df: pd.DataFrame, roles: Mapping[str, Role]) -> tuple[pd.Series | None, pd.Series | None]:
    """The refund amount and the amount paid of each row, when the file has both."""
    refund = refund_column(df, roles)
    if refund is None:
        return None, None
    source = money_source(df, roles)
    if source is None:
        return None, None
    paid = pd.Series(source.values(df), index=df.index).fillna(0.0)
    given = df[refund].fillna(0.0)
    order = column_with(roles, Role.ORDER_ID, df)
    if order is not None and (source.per_order or source.refund_per_order):
        # compare an order's refund with the order's money, each counted once per order
        groups = df[order]
        paid = paid.groupby(groups, dropna=False).transform("max" if source.per_order else "sum")
        given = given.groupby(groups, dropna=False).transform("max" if source.refund_per_order else "sum")
    return given, paid


def unpaid_mask(df: pd.DataFrame, roles: Mapping[str, Role]) -> pd.Series:
    """Rows of orders that were never bought: a status such as 等待买家付款, 交易关闭, pending or voided;
    a payment time left empty (unless the status says paid); an amount actually paid of 0."""
    mask = np.zeros(len(df), dtype=bool)
    paid_status = np.zeros(len(df), dtype=bool)
    for column in _status_columns(df, roles):
        mask |= distinct_mask(df[column], lambda d: d.str.contains(_UNPAID_STATUS))
        paid_status |= distinct_mask(df[column], lambda d: d.str.contains(_PAID_STATUS))
    for column, role in roles.items():
        if role in (Role.ORDER_DATE, Role.DATE) and column in df.columns and _PAYMENT_TIME.search(str(column)) \
                and pd.api.types.is_datetime64_any_dtype(df[column]):
            missing = df[column].isna().to_numpy()
            if missing.any() and not missing.all():
                mask |= missing & ~paid_status
    paid = paid_column(df, roles)
    if paid is not None and pd.api.types.is_numeric_dtype(df[paid]):
        values = df[paid]
        if (values > 0).any():
            mask |= (values == 0).to_numpy(dtype=bool) & ~paid_status
    return pd.Series(mask & ~_refund_given(df, roles), index=df.index)


def _refund_given(df: pd.DataFrame, roles: Mapping[str, Role]) -> np.ndarray:
    refund = refund_column(df, roles)
    if refund is None:
        return np.zeros(len(df), dtype=bool)
    return (df[refund] > 0).fillna(False).to_numpy(dtype=bool)


def partial_refund_mask(df: pd.DataFrame, roles: Mapping[str, Role]) -> pd.Series:
    """Sale rows with part of the money given back: kept, the refund taken off what was paid."""
    return refund_masks(df, roles)[1]


def non_product_mask(df: pd.DataFrame, roles: Mapping[str, Role]) -> pd.Series:
    """Lines that are not a product sold: postage, fees, bad-debt adjustments, price 0."""
    mask = np.zeros(len(df), dtype=bool)
    code = column_with(roles, Role.PRODUCT_CODE, df)
    if code is not None:
        mask |= distinct_mask(df[code], lambda d: d.str.strip().str.upper().isin(NON_PRODUCT_CODES))
    product = column_with(roles, Role.PRODUCT, df)
    if product is not None:
        mask |= distinct_mask(df[product], lambda d: d.str.match(_NON_PRODUCT_NAME))
    price = _numeric(df, column_with(roles, Role.UNIT_PRICE, df))
    if price is not None:
        mask |= (price == 0).fillna(False).to_numpy(dtype=bool)
    return pd.Series(mask, index=df.index)


def negative_price_mask(df: pd.DataFrame, roles: Mapping[str, Role]) -> pd.Series:
    """Order lines whose unit price is below zero: impossible for a sale."""
    price = _numeric(df, column_with(roles, Role.UNIT_PRICE, df))
    if price is None:
        return pd.Series(False, index=df.index)
    return (price < 0).fillna(False)


def impossible_cells(df: pd.DataFrame, roles: Mapping[str, Role]) -> dict[str, pd.Series]:
    """Per column, the cells whose value cannot be true (age ≤ 0 or > 110, negative income)."""
    found: dict[str, pd.Series] = {}
    for column, role in roles.items():
        if column not in df.columns or not pd.api.types.is_numeric_dtype(df[column]):
            continue
        s = df[column]
        if role is Role.AGE:
            bad = (s <= 0) | (s > 110)
        elif role is Role.INCOME:
            bad = s < 0
        else:
            continue
        bad = bad.fillna(False)
        if bad.any():
            found[column] = bad
    return found


# Codes that exports write for "none" in a number column: pdays = 999 (never contacted), -1 …
SENTINELS = (-1, -9, -99, -999, -9999, 99, 999, 9999, 99999)
SENTINEL_MIN_SHARE = 0.05


def sentinel_code(s: pd.Series) -> int | None:
    """The code standing for "none" in a whole-number column, or ``None``.

    A code of :data:`SENTINELS` that is at least 5 % of the values and stands
    apart from the rest, which are real measurements (ten or more different
    values): -1 below values that are never negative, or 99…99999 more than
    three times the largest other value. "Days since the last contact: 999"
    is not a customer contacted 999 days ago, and a mean over it (962 days)
    says nothing.
    """
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return None
    v = s.dropna()
    if len(v) < 20 or (v % 1 != 0).any():
        return None
    for code in SENTINELS:
        hit = v == code
        if float(hit.mean()) < SENTINEL_MIN_SHARE:
            continue
        rest = v[~hit]
        if rest.nunique() < 10:
            continue
        if (code < 0 and rest.min() >= 0) or (code > 0 and code > 3 * rest.max()):
            return code
    return None
