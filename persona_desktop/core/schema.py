"""Shared vocabulary of the core: column roles, table kinds, loaded tables.

These are plain data; the modules that compute them are
:mod:`persona_desktop.core.io` (reading), :mod:`persona_desktop.core.table.roles`
(what each column means), :mod:`persona_desktop.core.table.cleaning` and
:mod:`persona_desktop.core.table.customers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Mapping

from persona_desktop.core.i18n import Message, register

if TYPE_CHECKING:  # pandas is imported lazily by the modules that need it
    import pandas as pd

__all__ = ["Role", "TableKind", "SourceInfo", "LoadedTable", "SINGLE_ROLES", "COMPUTED_COLUMNS", "column_with"]


class Role(str, Enum):
    """What a column means. The value is the stable id used in JSON and projects."""

    CUSTOMER_ID = "customer_id"
    CUSTOMER_NAME = "customer_name"
    EMAIL = "email"
    PHONE = "phone"
    ORDER_ID = "order_id"
    ORDER_DATE = "order_date"
    PRODUCT = "product"
    PRODUCT_CODE = "product_code"
    CATEGORY = "category"
    QUANTITY = "quantity"
    UNIT_PRICE = "unit_price"
    LINE_AMOUNT = "line_amount"
    ORDER_TOTAL = "order_total"
    STATUS = "status"
    REFUND_AMOUNT = "refund_amount"  # money given back on an order or line (退款金额, Refunded Amount)
    GENDER = "gender"
    AGE = "age"
    INCOME = "income"
    REGION = "region"
    CITY = "city"
    COUNTRY = "country"
    # generic roles for everything else
    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    TEXT = "text"
    DATE = "date"
    ID = "id"
    FLAG = "flag"  # a yes/no mark added by cleaning (outlier, value was missing)
    IGNORE = "ignore"

    def label(self, lang: str | None = None) -> str:
        return Message(f"role.{self.value}").text(lang)


# Roles that at most one column of a table may hold. Contact details may
# appear several times (billing and shipping name, phone…): all are personal
# data, and the first in column order is the one used to tell customers apart.
SINGLE_ROLES = frozenset(
    {
        Role.CUSTOMER_ID,
        Role.ORDER_ID, Role.ORDER_DATE, Role.PRODUCT, Role.PRODUCT_CODE,
        Role.CATEGORY, Role.QUANTITY, Role.UNIT_PRICE, Role.LINE_AMOUNT,
        Role.ORDER_TOTAL, Role.STATUS, Role.REFUND_AMOUNT, Role.GENDER, Role.AGE, Role.INCOME,
    }
)

# who a customer is, not what they do: masked in exports (core.privacy), never a persona trait
PERSONAL_ROLES = frozenset({Role.CUSTOMER_NAME, Role.EMAIL, Role.PHONE})


class TableKind(str, Enum):
    """What one row of the table is."""

    CUSTOMERS = "customers"  # one row per customer
    ORDERS = "orders"  # one row per order line, or per order
    BASKETS = "baskets"  # one basket (a list of items) per row, no customer

    def label(self, lang: str | None = None) -> str:
        return Message(f"kind.{self.value}").text(lang)


register({
    "role.customer_id": ("Customer ID", "客户编号"),
    "role.customer_name": ("Customer name", "客户名称"),
    "role.email": ("Email", "邮箱"),
    "role.phone": ("Phone", "电话"),
    "role.order_id": ("Order ID", "订单编号"),
    "role.order_date": ("Order date", "下单时间"),
    "role.product": ("Product", "商品"),
    "role.product_code": ("Product code", "商品编码"),
    "role.category": ("Category", "品类"),
    "role.quantity": ("Quantity", "数量"),
    "role.unit_price": ("Unit price", "单价"),
    "role.line_amount": ("Line amount", "行金额"),
    "role.order_total": ("Order total", "订单总额"),
    "role.status": ("Status / refund", "状态/退款"),
    "role.refund_amount": ("Refund amount", "退款金额"),
    "role.gender": ("Gender", "性别"),
    "role.age": ("Age", "年龄"),
    "role.income": ("Income", "收入"),
    "role.region": ("Region", "地区"),
    "role.city": ("City", "城市"),
    "role.country": ("Country", "国家"),
    "role.numeric": ("Number", "数值"),
    "role.categorical": ("Category (other)", "分类"),
    "role.text": ("Text", "文本"),
    "role.date": ("Date", "日期"),
    "role.id": ("Identifier", "标识符"),
    "role.flag": ("Flag", "标记"),
    "role.ignore": ("Ignored", "忽略"),
    "kind.customers": ("customers (one row per customer)", "客户表（每行一位客户）"),
    "kind.orders": ("orders (one row per order or order line)", "订单表（每行一个订单或一条订单明细）"),
    "kind.baskets": ("baskets (one basket per line)", "购物篮（每行一个购物篮）"),
})


@dataclass
class SourceInfo:
    """Where a table came from and how it was read."""

    path: str
    format: str  # "csv", "tsv", "txt", "fixed", "baskets", "xlsx", "xlsm", "xls", "ods"
    encoding: str | None = None  # text files only, e.g. "utf-8", "utf-8-sig", "gbk"
    sheet: str | None = None  # spreadsheet files only
    sheets: list[str] = field(default_factory=list)
    delimiter: str | None = None
    header_row: int | None = None  # 0-based row of the header in the file/sheet; None: no header
    rows_in_file: int = 0  # data rows read (baskets: lines), before dropping empty/total rows
    dayfirst: bool | None = None  # how ambiguous dates like 05/03/2024 were read
    currencies: dict[str, str] = field(default_factory=dict)  # column → money symbol its cells carried


@dataclass
class LoadedTable:
    """A table as read from a file: typed columns, where it came from, what we noticed.

    ``data`` has numbers as numeric dtypes, dates as ``datetime64``, identifiers,
    phone numbers and postcodes as strings (leading zeros and ``+`` kept).
    For a basket file, ``data`` is long: one row per (basket, item), with the
    columns ``basket`` and ``item``.
    """

    data: "pd.DataFrame"
    source: SourceInfo
    warnings: list[Message] = field(default_factory=list)
    # rows left out while reading (totals rows), kept so nothing is silently lost
    dropped: "pd.DataFrame | None" = None
    kind_hint: TableKind | None = None  # the reader already knows (basket files)


# computed column → (role, English label, Chinese label, how to show it)
COMPUTED_COLUMNS: dict[str, tuple[Role, str, str, str]] = {
    "recency_days": (Role.NUMERIC, "Days since last order", "距上次购买天数", "count"),
    "frequency": (Role.NUMERIC, "Orders", "订单数", "count"),
    "monetary": (Role.NUMERIC, "Net spend", "净消费额", "money"),
    "tenure_days": (Role.NUMERIC, "Days since first order", "首次购买至今天数", "count"),
    "avg_order_value": (Role.NUMERIC, "Average order value", "平均订单金额", "money"),
    "items_per_order": (Role.NUMERIC, "Items per order", "每单件数", "decimal"),
    "distinct_products": (Role.NUMERIC, "Distinct products", "购买商品种类数", "count"),
    "refund_rate": (Role.NUMERIC, "Refund rate", "退款率", "percent"),
    "first_order": (Role.DATE, "First order", "首次购买", "date"),
    "last_order": (Role.DATE, "Last order", "最近购买", "date"),
    "favourite_product": (Role.PRODUCT, "Favourite product", "最常购买商品", "text"),
    "favourite_category": (Role.CATEGORY, "Favourite category", "最常购买品类", "text"),
}

register({f"customer.{k}": (en, zh) for k, (_, en, zh, _) in COMPUTED_COLUMNS.items()})


def column_with(roles: Mapping[str, Role], role: Role, df: "pd.DataFrame | None" = None) -> str | None:
    """The first column holding *role* (and present in *df* when given)."""
    for column, r in roles.items():
        if r is role and (df is None or column in df.columns):
            return column
    return None
