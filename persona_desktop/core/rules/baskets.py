"""Baskets: what was bought together, as a sparse basket × item matrix.

Built from order lines (one basket per order), from a basket file (one per
line), from a column holding several values ("a;b;c"), or from customer
attributes (categorical columns and numeric columns cut into low/mid/high,
as items such as ``gender=F`` or ``net spend=high``), so rules can describe
customers as well as products.

Item names are tidied: surrounding and repeated spaces removed, and spellings
that differ only in case ("Whole Milk", "whole milk") counted as one item,
shown as its most frequent spelling. Postage, fees and other non-product
lines, cancellations and duplicates are never items: order lines are taken
from the cleaning step (its sales, with or without a customer id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.schema import Role, TableKind, column_with
from persona_desktop.core.table import clean_rules
from persona_desktop.core.table.customers import column_label, customer_keys
from persona_desktop.core.table.implicit_orders import ORDER_COLUMNS
from persona_desktop.core.table.roles import customer_key
from persona_desktop.core.textops import as_category

if TYPE_CHECKING:

    from persona_desktop.core.table.clean_options import CleanResult
    from persona_desktop.core.table.customers import CustomerTable


__all__ = ["Baskets", "baskets_from_lines", "baskets_from_cleaning", "baskets_from_column",
           "baskets_from_attributes", "normalise_items"]

register({
    "baskets.error.no_product": ("{file} has no product column, so there is nothing to find bought together; "
                                 "mark a column as product (in the window's Data screen, or --role COLUMN=product) "
                                 "or use a basket file",
                                 "{file} 中没有商品列，无法分析哪些商品一起购买；请将某列设为商品"
                                 "（在窗口的数据页，或用 --role 列名=product），或使用购物篮文件"),
    "baskets.note.customer_time": ("No order number in the file: a basket is one customer's (“{customer}”) lines at "
                                   "one time (“{time}”)",
                                   "文件没有订单编号：一个购物篮是同一客户（“{customer}”）在同一时间（“{time}”）的各行"),
    "baskets.error.no_order": ("No column tells the orders apart; mark a column as order id "
                               "(in the Data screen, or --role COLUMN=order_id)",
                               "没有区分订单的列；请将某列设为订单编号（在数据页，或用 --role 列名=order_id）"),
    "baskets.error.empty": ("There are no baskets with any item", "没有任何包含商品的购物篮"),
    "baskets.error.no_attributes": ("No customer attribute can be used as an item", "没有可作为项目的客户属性"),
    "baskets.level.low": ("low", "低"),
    "baskets.level.mid": ("mid", "中"),
    "baskets.level.high": ("high", "高"),
})


@dataclass
class Baskets:
    """Baskets as a sparse boolean matrix.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of bool, shape (baskets, items)
    items : list of str
        Item names, column by column.
    basket_ids : ndarray
        The order id (or line number) of each basket.
    customers : ndarray or None
        The customer of each basket, when known (for segments and recommendations).
    kind : str
        "orders" (products bought together) or "customers" (attributes held together).
    """

    matrix: "sparse.csr_matrix"
    items: list[str]
    basket_ids: np.ndarray
    customers: np.ndarray | None = None
    kind: str = "orders"
    notes: list[Message] = field(default_factory=list)

    @property
    def n_baskets(self) -> int:
        return self.matrix.shape[0]

    @property
    def n_items(self) -> int:
        return self.matrix.shape[1]

    def item_support(self) -> np.ndarray:
        """Share of baskets holding each item."""
        return np.asarray(self.matrix.sum(axis=0)).ravel() / max(self.n_baskets, 1)

    def subset(self, rows: np.ndarray) -> "Baskets":
        """The baskets at *rows* (a boolean mask or positions), items unchanged."""
        rows = np.asarray(rows)
        customers = None if self.customers is None else self.customers[rows]
        return Baskets(self.matrix[rows], self.items, self.basket_ids[rows], customers, self.kind, list(self.notes))

    def as_lists(self) -> list[list[str]]:
        """Each basket as a list of item names (for other libraries)."""
        indptr, indices = self.matrix.indptr, self.matrix.indices
        return [[self.items[j] for j in indices[indptr[i]:indptr[i + 1]]] for i in range(self.n_baskets)]


def normalise_items(values: pd.Series) -> pd.Series:
    """Trimmed item names; spellings differing only in case become the most frequent one.

    Worked out once per distinct name (Online Retail repeats 4,000 names over
    400,000 lines), then spread back over the rows as a categorical.
    """
    codes, uniques = pd.factorize(values)
    if not len(uniques):
        return pd.Series([None] * len(values), index=values.index, dtype="object")
    text = pd.Series(uniques).astype("str").str.strip().str.replace(r"\s+", " ", regex=True)
    text = text.mask(text == "")
    weight = np.bincount(codes[codes >= 0], minlength=len(uniques))
    table = pd.DataFrame({"fold": text.str.casefold(), "text": text, "n": weight}).dropna()
    spelling = table.groupby(["fold", "text"], sort=False)["n"].sum().reset_index()
    best = spelling.sort_values("n", ascending=False, kind="stable").drop_duplicates("fold").set_index("fold")["text"]
    mapped = text.str.casefold().map(best)

    return as_category(codes, mapped, values.index, values.name)


def _build(basket_keys: pd.Series, items: pd.Series, customers: pd.Series | None, kind: str) -> Baskets:
    keep = basket_keys.notna().to_numpy() & items.notna().to_numpy()
    basket_keys, items = basket_keys[keep], items[keep]
    if not len(items):
        raise DataError("baskets.error.empty")
    b_codes, b_uniques = pd.factorize(basket_keys, sort=False)
    i_codes, i_uniques = pd.factorize(items, sort=True)
    matrix = sparse.csr_matrix((np.ones(len(b_codes), dtype=bool), (b_codes, i_codes)),
                               shape=(len(b_uniques), len(i_uniques)))
    matrix.sum_duplicates()  # an item twice in a basket counts once
    matrix.data[:] = True
    cust = None
    if customers is not None:
        per_basket = pd.Series(customers[keep].to_numpy()).groupby(b_codes).first()
        cust = per_basket.reindex(range(len(b_uniques))).to_numpy()
    return Baskets(matrix.astype(bool), [str(v) for v in i_uniques], np.asarray(b_uniques), cust, kind)


def baskets_from_lines(lines: pd.DataFrame, order: str, product: str, customer: str | None = None) -> Baskets:
    """One basket per order: the distinct products on its lines."""
    items = normalise_items(lines[product])
    customers = lines[customer] if customer is not None and customer in lines.columns else None
    return _build(lines[order], items, customers, "orders")


def baskets_from_column(frame: pd.DataFrame, column: str, separators: str = ";|,/、，；") -> Baskets:
    """One basket per row from a column holding several values ("a;b;c")."""
    pattern = "[" + re.escape(separators) + "]"
    split = frame[column].astype("str").mask(frame[column].isna()).str.split(pattern, regex=True)
    long = split.explode()
    return _build(pd.Series(long.index, index=long.index), normalise_items(long), None, "orders")


def _sales_rows(cleaned: "CleanResult", roles: Mapping[str, Role]) -> np.ndarray:
    """Lines that are sales: kept, or set aside only for lacking a customer id.

    Lines without a customer were set aside before the refund and non-product
    steps looked at them, so those tests are applied to them here: postage
    paid by a guest is no more a product than postage paid by a customer.
    """
    anonymous = cleaned.mask("missing_customer")
    if anonymous.any():
        frame = cleaned.frame
        options_off = {s.key for s in cleaned.steps if not s.enabled}
        if "refunds" not in options_off:
            anonymous &= ~clean_rules.refund_mask(frame, roles).to_numpy()
        if "non_product" not in options_off:
            anonymous &= ~clean_rules.non_product_mask(frame, roles).to_numpy()
        if "impossible" not in options_off:
            anonymous &= ~clean_rules.negative_price_mask(frame, roles).to_numpy()
    return cleaned.kept | anonymous


def baskets_from_cleaning(cleaned: "CleanResult", kind: TableKind, roles: Mapping[str, Role],
                          file: str = "") -> Baskets:
    """The baskets of an opened file: its orders' products, or the baskets of a basket file."""
    roles = dict(cleaned.roles or roles)
    frame = cleaned.frame
    if kind is TableKind.BASKETS:
        return _build(frame["basket"], normalise_items(frame["item"]), None, "orders")
    product = column_with(roles, Role.PRODUCT, frame) or column_with(roles, Role.PRODUCT_CODE, frame)
    if product is None:
        raise DataError("baskets.error.no_product", file=file)
    order = column_with(roles, Role.ORDER_ID, frame)
    if order is None:
        raise DataError("baskets.error.no_order")
    lines = frame.loc[_sales_rows(cleaned, roles)]
    key = customer_key(roles)
    baskets = baskets_from_lines(lines, order, product, key)

    if order in ORDER_COLUMNS.values():  # the file had no order number: say how baskets were formed
        date = column_with(roles, Role.ORDER_DATE, frame)
        baskets.notes.append(Message("baskets.note.customer_time", {"customer": key, "time": date}))
    if key is not None and roles.get(key) is Role.EMAIL and baskets.customers is not None:
        # matched as the customer table writes them
        baskets.customers = customer_keys(pd.Series(baskets.customers), Role.EMAIL).to_numpy()
    return baskets


def baskets_from_attributes(customers: "CustomerTable", columns: Sequence[str] | None = None,
                            lang: str | None = None, max_levels: int = 12) -> Baskets:
    """One basket per customer holding their attributes as items: ``gender=F``, ``net spend=high``.

    Categorical columns with 2–``max_levels`` values become one item per value;
    numeric columns are cut at their tertiles into low, mid and high.
    """
    data = customers.data
    skip = {Role.CUSTOMER_ID, Role.CUSTOMER_NAME, Role.EMAIL, Role.PHONE, Role.ID, Role.FLAG, Role.IGNORE,
            Role.TEXT, Role.DATE, Role.ORDER_DATE, Role.PRODUCT, Role.PRODUCT_CODE}
    if columns is None:
        columns = [c for c in data.columns if customers.roles.get(c) not in skip and c != customers.key]
    parts = []
    for column in columns:
        s = data[column]
        name = column_label(column, lang)
        if pd.api.types.is_bool_dtype(s):
            continue
        if pd.api.types.is_numeric_dtype(s):
            values = s.astype("float64")
            if values.nunique() <= max_levels and values.nunique() >= 2 and np.all(np.mod(values.dropna(), 1) == 0) \
                    and values.nunique() <= 3:
                labels = values.map(lambda v: f"{name}={int(v)}" if v == v else None)
            else:
                q = values.quantile([1 / 3, 2 / 3]).to_numpy()
                if not np.isfinite(q).all() or q[0] == q[1] == values.min() == values.max():
                    continue
                level = np.where(values <= q[0], "low", np.where(values <= q[1], "mid", "high"))
                words = {k: Message(f"baskets.level.{k}").text(lang) for k in ("low", "mid", "high")}
                labels = pd.Series([f"{name}={words[lv]}" for lv in level], index=s.index).mask(values.isna())
        else:
            text = s.astype("str").str.strip().mask(s.isna())
            if not 2 <= text.nunique() <= max_levels:
                continue
            labels = name + "=" + text
        parts.append(pd.DataFrame({"row": np.arange(len(s)), "item": labels.to_numpy()}))
    if not parts:
        raise DataError("baskets.error.no_attributes")
    long = pd.concat(parts, ignore_index=True)
    keys = data[customers.key].to_numpy()
    baskets = _build(long["row"], long["item"], pd.Series(keys[long["row"].to_numpy()]), "customers")
    baskets.basket_ids = keys[baskets.basket_ids.astype(int)]
    return baskets
