"""What each column means, and what kind of table it is.

A column's role comes first from its header — English and Chinese words
that shop back ends, POS systems and hand-made sheets use (客户编号, 买家ID,
下单时间, 实付金额, InvoiceNo, Lineitem name…) — checked against its values
(a "date" header must hold dates, an "email" column must hold addresses);
columns no header rule claims are judged by their values alone (addresses,
phone numbers, gender words, dates). A role that only one column may hold
(customer id, order date…) goes to the best candidate; the others get a
generic role (number, category, text, date, identifier).

Every decision can be overridden: :func:`apply_roles` and the pipeline take
the user's ``{column: role}`` corrections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from persona_desktop.core.io.values import to_text
from persona_desktop.core.schema import COMPUTED_COLUMNS, SINGLE_ROLES, Role, TableKind
from persona_desktop.core.table.order_lines import order_level_columns

__all__ = ["detect_roles", "override_roles", "apply_roles", "detect_kind", "customer_key", "AFTER_THE_FACT"]


def _norm(header: str) -> str:
    """Lower-case header with separators as single spaces: 'Customer_ID' → 'customer id'."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header))  # CustomerID → Customer ID
    text = re.sub(r"[\s_\-./:：()（）\[\]]+", " ", text.lower())
    return text.strip()


# ---------------------------------------------------------------- value checks
def _is_number(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _is_date(s: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(s)


def _is_text(s: pd.Series) -> bool:
    return not _is_number(s) and not _is_date(s)


def _sample(s: pd.Series, n: int = 3000) -> pd.Series:
    values = s.dropna()
    return values.iloc[:n] if len(values) > n else values


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s\-()]{7,20}$")
_GENDER_WORDS = {"m", "f", "male", "female", "man", "woman", "men", "women", "男", "女", "男性", "女性", "先生", "女士"}
_GENDER_OTHER = {"unknown", "未知", "other", "其他", "保密", "u", "x", "diverse", "non-binary"}


def _share(sample: pd.Series, pattern: re.Pattern) -> float:
    if not len(sample):
        return 0.0
    return float(sample.astype("str").str.strip().str.match(pattern).mean())


def _looks_email(s: pd.Series) -> bool:
    return _is_text(s) and _share(_sample(s), _EMAIL) >= 0.8


def _looks_phone(s: pd.Series) -> bool:
    if _is_date(s):
        return False
    sample = _sample(s)
    if _is_number(s):
        sample = sample.astype("int64", errors="ignore") if pd.api.types.is_float_dtype(s) else sample
    digits = sample.astype("str").str.replace(r"\.0$", "", regex=True)
    return bool(len(digits)) and _share(digits, _PHONE) >= 0.8 and digits.str.count(r"\d").median() >= 7


def _looks_gender(s: pd.Series) -> bool:
    if not _is_text(s):
        return False
    values = set(_sample(s).astype("str").str.strip().str.lower().unique())
    return 2 <= len(values) <= 5 and len(values & _GENDER_WORDS) >= 2 and values <= _GENDER_WORDS | _GENDER_OTHER


def _looks_age(s: pd.Series) -> bool:
    if not _is_number(s):
        return False
    v = s.dropna()
    return bool(len(v)) and float(v.quantile(0.05)) >= 0 and float(v.quantile(0.95)) <= 120


def _id_like(s: pd.Series) -> bool:
    """Values that name things rather than measure them: no decimals, no long text."""
    if _is_date(s):
        return False
    if _is_number(s):
        v = s.dropna()
        return bool(len(v)) and bool(np.all(np.mod(v.to_numpy(dtype="float64"), 1) == 0))
    sample = _sample(s).astype("str")
    return (bool(len(sample)) and float(sample.str.len().median()) <= 40 and not sample.str.contains(r"\s{2,}").any()
            and not sample.str.contains(_SENTENCE).any())


# punctuation of a sentence (a readme's "本表由店铺后台导出，每行一位客户。"), never of an identifier
_SENTENCE = re.compile(r"[。，；！？、]|[,;:.!?]\s")


def _looks_order_number(s: pd.Series) -> bool:
    """Shopify's order 'Name' column: #1001, #1002…"""
    return _is_text(s) and _share(_sample(s), re.compile(r"^#\d+$")) >= 0.9


def _any(s: pd.Series) -> bool:
    return True


def _not_date(s: pd.Series) -> bool:
    return not _is_date(s)


def _short_text(s: pd.Series) -> bool:
    return _is_text(s)


# --------------------------------------------------------------- header rules
@dataclass(frozen=True)
class _Rule:
    role: Role
    pattern: re.Pattern
    check: Callable[[pd.Series], bool]
    score: int  # higher wins when two columns want the same single role


def _rule(role: Role, words: str, check: Callable[[pd.Series], bool], score: int = 2) -> _Rule:
    # English words match whole words of the normalised header; Chinese ones anywhere.
    return _Rule(role, re.compile(words, re.IGNORECASE), check, score)


_C = r"(?:customer|cust|client|member|buyer|user|consumer|shopper|account)"
RULES: list[_Rule] = [
    # identifiers of people
    _rule(Role.CUSTOMER_ID, rf"^{_C} ?(?:id|no|number|code|key|#)$|^(?:customer|client|member|buyer)$"
                            r"|客户(?:编号|编码|id|号|代码)|会员(?:编号|id|号|卡号)|买家(?:id|编号|账号)"
                            r"|用户(?:id|编号)|顾客(?:编号|id)|^(?:cid|uid|custid)$", _id_like, 5),
    _rule(Role.EMAIL, r"e ?mail|邮箱|电子邮件|邮件", _looks_email, 5),
    _rule(Role.PHONE, r"^(?:.* )?(?:phone|mobile|tel|telephone|cell)(?: .*)?$|手机|电话|联系方式", _looks_phone, 4),
    _rule(Role.CUSTOMER_NAME, rf"^{_C} ?name$|^(?:billing |shipping )?name$|^full ?name$|客户名|姓名|会员名|买家(?:昵称|名)"
                              r"|顾客(?:姓名|名)|收货人|联系人|^客户$|^(?:nick ?name|contact ?name|contact person)$", _short_text, 3),
    # orders
    _rule(Role.ORDER_ID, r"^(?:order|invoice|transaction|receipt|bill|purchase|sales ?order)s? ?(?:id|no|number|num|code|#)?$"
                         r"|^invoice ?no$|订单(?:编号|号|id|编码)|交易(?:号|编号)|流水号|^单号$|小票号|发票号",
          _id_like, 5),
    _rule(Role.ORDER_ID, r"^(?:order )?name$", _looks_order_number, 6),
    _rule(Role.ORDER_DATE, r"^(?:order|invoice|purchase|transaction|sale|created|creation|checkout)"
                           r"(?: ?(?:date|time|at|on|datetime|timestamp))?$|(?:^| )order ?(?:date|time|datetime)$"
                           r"|下单时间|下单日期|订单日期|订单时间|成交时间|交易时间|购买时间|消费时间|创建时间|购买日期",
          _is_date, 4),
    _rule(Role.ORDER_DATE, r"^(?:paid|payment)(?: ?(?:date|time|at|on))?$|付款时间|支付时间|付款日期", _is_date, 3),
    _rule(Role.ORDER_DATE, r"^(?:date|time|datetime|timestamp)$|^日期$|^时间$|start time", _is_date, 2),
    _rule(Role.PRODUCT, r"^(?:product|item|goods|article|lineitem|line item|sku)(?: ?(?:name|title|description))?$"
                        r"|^description$|^(?:product|item) ?desc|商品(?:名称|名|标题)?$|宝贝(?:名称|标题)|产品(?:名称|名)?$|品名|菜品(?:名称)?$",
          _short_text, 4),
    _rule(Role.PRODUCT_CODE, r"^(?:stock ?code|sku|item ?code|product ?(?:id|code)|article ?(?:no|number)|barcode|ean|upc"
                             r"|lineitem sku)$|商品(?:编码|编号|id|代码)|货号|商家编码|产品编号|条码", _id_like, 4),
    _rule(Role.CATEGORY, r"^(?:product |item )?(?:category|categories|type|department|class|group|product type)$|品类|类目|分类|类别",
          _short_text, 3),
    _rule(Role.QUANTITY, r"^(?:lineitem )?(?:quantity|quantities|qty|units|pieces|counts?|amount of items)$"
                         r"|^(?:number|no|num|count) of (?:items|units|pieces|articles|products|goods|cds|books|copies)$"
                         r"|数量|件数|购买量",
          _is_number, 4),
    _rule(Role.UNIT_PRICE, r"^(?:lineitem |unit |item )?price$|^unit ?price|单价|价格|售价", _is_number, 4),
    _rule(Role.LINE_AMOUNT, r"^(?:line ?(?:total|amount)|amounts?|sales|revenue|spend|spent|expenditure|sales amount|line item total"
                            r"|value|net amount|payment|paid amount|amount paid)$"
                            r"|^(?:dollars?|usd|eur|euros?|gbp|pounds?|rmb|cny|yuan) ?(?:value|amount|spent|paid)?$|金额|实付|实收|销售额|消费额|消费金额|小计|成交额",
          _is_number, 3),
    _rule(Role.ORDER_TOTAL, r"^(?:order )?(?:total|grand total|total amount|order amount|order value|total price|total paid|"
                            r"accounts payable)$|订单(?:金额|总额|总价)|总金额|应付|实付款|总价", _is_number, 4),
    # money given back: a number, so never the status (退款金额 was once taken for a status column)
    _rule(Role.REFUND_AMOUNT, r"退款金额|退款额|退款总额|^(?:refund(?:ed)?|return(?:ed)?) ?(?:amount|total|value|sum)$"
                              r"|^amount refunded$|^total refunded$", _is_number, 5),
    _rule(Role.STATUS, r"^(?:financial |order |payment |refund |return )?status$|^(?:refund|return|refunded)$|退款|退货|订单状态|交易状态|状态",
          _not_date, 3),
    # attributes
    _rule(Role.GENDER, r"^(?:gender|sex|genre)$|性别", _any, 5),
    _rule(Role.AGE, r"^age(?: ?years)?$|年龄|岁数", _looks_age, 5),
    _rule(Role.INCOME, r"income|salary|earnings|收入|薪资|工资|月薪|年薪", _is_number, 4),
    _rule(Role.COUNTRY, r"^(?:billing |shipping |customer )?country(?: code| name)?$|^nation$|国家|国别", _short_text, 4),
    _rule(Role.REGION, r"^(?:billing |shipping )?(?:region|province|state|area|district|county|prefecture)(?: name)?$"
                       r"|省份|^省$|地区|区域|所在地|大区", _short_text, 3),
    _rule(Role.CITY, r"^(?:billing |shipping )?city$|^town$|城市|^市$|所在城市", _short_text, 4),
    # personal details that are never features
    # an address is text: whole numbers under 地址 are "years at this address" (a credit table), a number
    _rule(Role.TEXT, r"street|address|addr|地址|街道|详细地址", lambda s: not _is_number(s), 2),
    _rule(Role.ID, r"(?:^| )(?:zip|postcode|postal code|post code|zip code)$|邮编|邮政编码", _any, 2),
]

# Columns that describe an event known only after its outcome, not the customer: Bank Marketing's call
# duration is the classic one. Never a default feature of a model (a leak) or of a segment (a trait of
# the call, not of who was called)
AFTER_THE_FACT = re.compile(r"(?i)^(?:call[ _]?)?duration$|last[ _]contact[ _]duration|通话时长|通话时间")

_GENERIC_ID_HEADER = re.compile(r"(?:^| )(?:id|no|number|code|key|uuid|guid|#)$|编号|序号|编码|代码|^id", re.IGNORECASE)


# -------------------------------------------------------------------- detect
def detect_roles(df: pd.DataFrame, kind_hint: TableKind | None = None) -> dict[str, Role]:
    """The role of every column of *df* (its columns already typed by the reader).

    Parameters
    ----------
    df : DataFrame
    kind_hint : TableKind, optional
        What the reader already knows: a basket file's long frame has the
        columns ``basket`` and ``item``.

    Returns
    -------
    dict
        ``{column: Role}`` for every column, in the frame's order.
    """
    if kind_hint is TableKind.BASKETS:
        return {c: {"basket": Role.ORDER_ID, "item": Role.PRODUCT}.get(str(c), Role.IGNORE) for c in df.columns}
    candidates: list[tuple[int, int, str, Role]] = []  # (score, -position, column, role)
    own = _own_headers()
    for position, column in enumerate(df.columns):
        if str(column).strip() in own:  # a column Persona Desktop computed and wrote (an exported workbook)
            candidates.append((9, -position, column, own[str(column).strip()]))
            continue
        header = _norm(column)
        raw = str(column).strip().lower()
        series = df[column]
        for rule in RULES:
            if (rule.pattern.search(header) or rule.pattern.search(raw)) and rule.check(series):
                candidates.append((rule.score, -position, column, rule.role))
        # values alone: a column whose header says nothing
        if _looks_email(series):
            candidates.append((1, -position, column, Role.EMAIL))
        elif _looks_gender(series):
            candidates.append((1, -position, column, Role.GENDER))
    roles: dict[str, Role] = {}
    taken: set[Role] = set()
    for score, _neg, column, role in sorted(candidates, key=lambda c: (-c[0], -c[1])):
        if column in roles or (role in SINGLE_ROLES and role in taken):
            continue
        roles[column] = role
        taken.add(role)
    for column in df.columns:
        if column not in roles:
            roles[column] = _generic_role(df[column], str(column), len(df))
    _fix_customer_table_id(df, roles)
    _fix_order_level_amount(df, roles)
    return {c: roles[c] for c in df.columns}


@lru_cache(maxsize=1)
def _own_headers() -> dict[str, Role]:
    """The headers of the customer columns we compute (id, English, Chinese) and their roles.

    Read back from an exported workbook, "Orders" (a count) is not an order id
    and "净消费额" not a line amount: they are the customer's own figures.
    """
    out: dict[str, Role] = {}
    for column, (role, en, zh, _) in COMPUTED_COLUMNS.items():
        role = Role.CATEGORY if role in (Role.PRODUCT, Role.CATEGORY) else role  # an attribute of the customer
        for header in (column, en, zh):
            out[header] = role
    return out


def override_roles(df: pd.DataFrame, detected: Mapping[str, Role], corrections: Mapping[str, Role | str]) -> dict[str, Role]:
    """*detected* with the user's *corrections* applied.

    A role only one column may hold (customer id, order date…) moves to the
    corrected column: the column that held it before falls back to a generic
    role. Unknown column names are ignored.
    """
    roles = dict(detected)
    for column, role in corrections.items():
        if column not in roles:
            continue
        role = Role(role)
        if role in SINGLE_ROLES:
            for other, held in roles.items():
                if other != column and held is role and other not in corrections:
                    roles[other] = _generic_role(df[other], str(other), len(df))
        roles[column] = role
    return roles


def _generic_role(s: pd.Series, name: str, n_rows: int) -> Role:
    values = s.dropna()
    if not len(values):
        return Role.IGNORE
    if _is_date(s):
        return Role.DATE
    distinct = values.nunique()
    if _is_number(s):
        unique_ints = distinct == len(values) and _id_like(s)
        if _GENERIC_ID_HEADER.search(_norm(name)) and _id_like(s) and (unique_ints or distinct > 20):
            return Role.ID
        if distinct == 2 and n_rows > 2 and set(values.unique()) <= {0, 1}:
            return Role.CATEGORICAL  # 0/1 flags such as SeniorCitizen
        return Role.NUMERIC
    sample = _sample(values).astype("str")
    if float(sample.str.len().mean()) > 40:
        return Role.TEXT
    if _looks_phone(s) and distinct > 0.5 * len(values):
        return Role.ID  # digits without a "phone" header: an identifier, never a feature
    if distinct <= max(30, int(0.05 * len(values))) and distinct < len(values):
        return Role.CATEGORICAL
    if distinct >= 0.9 * len(values) or _GENERIC_ID_HEADER.search(_norm(name)):
        return Role.ID
    return Role.TEXT


def _fix_customer_table_id(df: pd.DataFrame, roles: dict[str, Role]) -> None:
    """A customer table whose key column has a bare 'Id' header: it is the customer id."""
    if Role.CUSTOMER_ID in roles.values():
        return
    if Role.ORDER_ID in roles.values() or Role.ORDER_DATE in roles.values():
        return
    for column, role in roles.items():
        s = df[column].dropna()
        if role is Role.ID and len(s) == len(df) and s.nunique() == len(df) and _id_like(df[column]):
            roles[column] = Role.CUSTOMER_ID
            return


def _fix_order_level_amount(df: pd.DataFrame, roles: dict[str, Role]) -> None:
    """An amount that repeats on every line of an order (or sits only on its first) is the order total."""
    order = next((c for c, r in roles.items() if r is Role.ORDER_ID), None)
    amount = next((c for c, r in roles.items() if r is Role.LINE_AMOUNT), None)
    if order is None or amount is None or Role.ORDER_TOTAL in roles.values():
        return
    if amount in order_level_columns(df, order, [amount]):
        roles[amount] = Role.ORDER_TOTAL


def apply_roles(df: pd.DataFrame, roles: Mapping[str, Role]) -> pd.DataFrame:
    """*df* with values fitting their roles: identifiers as text (17850.0 → "17850").

    Returns a new frame; columns that need no change are shared, not copied.
    """
    out = df.copy(deep=False)
    for column, role in roles.items():
        if column not in out.columns:
            continue
        s = out[column]
        if role in (Role.CUSTOMER_ID, Role.ORDER_ID, Role.PRODUCT_CODE, Role.PHONE, Role.ID) and _is_number(s):
            out[column] = to_text(s)
        elif role in (Role.CUSTOMER_NAME, Role.EMAIL, Role.PRODUCT, Role.CATEGORY, Role.CITY, Role.REGION,
                      Role.COUNTRY, Role.GENDER, Role.STATUS) and _is_number(s) and role is not Role.GENDER:
            out[column] = to_text(s)
    return out


def detect_kind(df: pd.DataFrame, roles: Mapping[str, Role], hint: TableKind | None = None) -> TableKind:
    """Customers (one row each), orders (one row per order line or order) or baskets."""
    if hint is not None:
        return hint
    have = set(roles.values())
    if Role.ORDER_ID in have or Role.ORDER_DATE in have:
        return TableKind.ORDERS
    key = customer_key(roles)
    if key is not None and (Role.PRODUCT in have or Role.QUANTITY in have or Role.UNIT_PRICE in have):
        if df[key].dropna().duplicated().any():
            return TableKind.ORDERS
    return TableKind.CUSTOMERS


def customer_key(roles: Mapping[str, Role]) -> str | None:
    """The column that tells customers apart: the customer id, else email, phone or name."""
    for role in (Role.CUSTOMER_ID, Role.EMAIL, Role.PHONE, Role.CUSTOMER_NAME):
        for column, r in roles.items():
            if r is role:
                return column
    return None
