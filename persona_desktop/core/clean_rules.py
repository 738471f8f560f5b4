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

from persona_desktop.core.schema import Role
from persona_desktop.core.textops import distinct_mask, is_text

__all__ = ["refund_mask", "non_product_mask", "impossible_cells", "negative_price_mask", "column_with", "sentinel_code"]

# Statuses that mean the order or line was refunded, returned or cancelled
# (a partial refund is still a sale: the customer kept something) …
_REFUND_STATUS = re.compile(
    r"(?i)refund|return|cancel|void|chargeback|reversed|退款|退货|取消|交易关闭|已关闭|作废|撤销"
)
# … unless the status says the refund did not happen: Taobao's 没有申请退款
# ("no refund requested") and 退款关闭 ("refund request closed") are sales.
_NOT_REFUNDED = re.compile(
    r"(?i)partial|部分|没有|无退款|未退款|未申请|退款关闭|退款失败|拒绝|驳回|撤销退款|取消退款|"
    r"\bno\b|\bnot\b|\bnone\b|declined|rejected|denied|refund (?:closed|failed)"
)
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


def column_with(roles: Mapping[str, Role], role: Role, df: pd.DataFrame | None = None) -> str | None:
    """The first column holding *role* (and present in *df* when given)."""
    for column, r in roles.items():
        if r is role and (df is None or column in df.columns):
            return column
    return None


def _numeric(df: pd.DataFrame, column: str | None) -> pd.Series | None:
    if column is None or not pd.api.types.is_numeric_dtype(df[column]):
        return None
    return df[column]


def refund_mask(df: pd.DataFrame, roles: Mapping[str, Role]) -> pd.Series:
    """Rows that are refunds, returns or cancellations.

    A cancellation invoice (``C536379``), a negative quantity or line amount,
    or a status such as 退款成功 / refunded / cancelled.
    """
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
    for column, role in roles.items():
        if role is Role.STATUS and column in df.columns and is_text(df[column]):
            mask |= distinct_mask(df[column], lambda d: d.str.contains(_REFUND_STATUS) & ~d.str.contains(_NOT_REFUNDED))
    return pd.Series(mask, index=df.index)


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
