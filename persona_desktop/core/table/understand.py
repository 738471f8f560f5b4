"""Open a file and understand it: read → roles → kind → cleaning → customers.

This is what ``persona-desktop inspect`` prints and what the GUI's load job
runs. Each stage is a plain function in its own module; this module only
strings them together, shares out the progress range and keeps the user's
corrections (column roles, cleaning choices) so a stage can be re-run from
the raw table without reading the file again.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.io import load_table
from persona_desktop.core.io.currency import currency_of
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import LoadedTable, Role, TableKind
from persona_desktop.core.table import cleaning as _cleaning
from persona_desktop.core.table import customers as _customers
from persona_desktop.core.table import roles as _roles
from persona_desktop.core.table.clean_options import CleanOptions
from persona_desktop.core.table.implicit_orders import orders_from_customer_time
from persona_desktop.core.table.money import paid_in_file
from persona_desktop.core.table.rfm_columns import find_rfm_columns
from persona_desktop.core.table.role_values import roles_from_values
from persona_desktop.core.table.roles import customer_key

if TYPE_CHECKING:
    from persona_desktop.core.table.clean_options import CleanResult
    from persona_desktop.core.table.customers import CustomerTable
    from persona_desktop.core.table.money import MoneySource


__all__ = ["Inspection", "inspect_file", "understand", "inspection_to_json", "nothing_to_analyse", "money_symbol"]

register({
    "analysis.nothing": (
        "{file} has nothing to analyse: {rows} rows with the columns {columns}, but no column tells customers "
        "apart (a customer id, e-mail, phone or name), the rows are not order lines (a date or order number "
        "with a product or an amount), and fewer than two columns describe a customer. A customer list needs "
        "an id and a few attributes (age, city, orders, spend…); an order export needs a customer, a date, "
        "a product and an amount on each line. If a column has one of these meanings under another name, "
        "set its meaning in the Data screen.",
        "{file} 中没有可分析的内容：共 {rows} 行，列为 {columns}，但没有能区分客户的列（客户编号、邮箱、电话或姓名），"
        "各行也不是订单明细（下单时间或订单号，加上商品或金额），能描述客户的列不足两个。客户表需要客户编号和若干属性"
        "（年龄、城市、订单数、消费额……）；订单导出需要每行有客户、日期、商品和金额。如果某列其实就是其中之一，"
        "只是名称不同，请在“数据”页面设置该列的含义。"),
    "progress.roles": ("Recognising what each column means…", "正在识别各列含义…"),
    "roles.error.no_column": ("There is no column “{column}” to give a role (columns: {columns})",
                              "没有“{column}”列，无法设定其含义（现有列：{columns}）"),
    "progress.cleaning": ("Cleaning…", "正在清洗数据…"),
    "progress.customers": ("Building one row per customer…", "正在汇总为每位客户一行…"),
})


@dataclass
class Inspection:
    """Everything known about an opened file, stage by stage."""

    table: LoadedTable
    roles: dict[str, Role]
    kind: TableKind
    cleaning: "CleanResult"
    customers: "CustomerTable | None"
    clean_options: "CleanOptions"
    timings: dict[str, float] = field(default_factory=dict)
    # set when nothing can be learnt from the table (see nothing_to_analyse): the CLI exits with it,
    # the window shows the rows so the owner can set the columns' meanings, and no step runs
    problem: "DataError | None" = None
    # columns whose meaning was found from their values, not their header: said, so the owner can check
    role_notes: list[Message] = field(default_factory=list)
    # order data: the columns money was counted from, and the money paid in the file net of refunds
    money: "MoneySource | None" = None
    paid: float | None = None

    def notes(self) -> list[Message]:
        """Everything worth saying about the file, as the Data screen and ``inspect`` list it: how it was
        read, the column meanings found from values, the cleaning's remarks, the customers'."""
        money = [self.money.describe()] if self.money is not None and self.money.chosen else []
        return [*self.table.warnings, *self.role_notes, *self.cleaning.warnings, *money,
                *(self.customers.warnings if self.customers is not None else [])]

    @property
    def column_roles(self) -> dict[str, Role]:
        """The role of every column after cleaning: the detected ones, and the flags cleaning added
        (outlier, value was missing). What the analyses read; ``roles`` is what the owner corrects."""
        return self.cleaning.roles or self.roles

    def check(self) -> None:
        """Raise :attr:`problem` when the table has nothing to analyse."""
        if self.problem is not None:
            raise self.problem


def understand(
    table: LoadedTable,
    *,
    roles: Mapping[str, Role | str] | None = None,
    clean_options: "CleanOptions | None" = None,
    as_of=None,
    progress: Progress = NULL_PROGRESS,
) -> Inspection:
    """Roles, kind, cleaning and customers for a table already read.

    Parameters
    ----------
    table : LoadedTable
    roles : mapping, optional
        Corrections by the user: ``{column: role}``; other columns keep
        their detected role. Unknown column names are ignored.
    clean_options : CleanOptions, optional
    as_of : date-like, optional
        Recency is counted to this date instead of the last date in the file.
    progress : Progress
    """

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    progress.report(0.0, Message("progress.roles").text())
    detected = _roles.detect_roles(table.data, table.kind_hint)
    role_notes: list[Message] = []
    if table.kind_hint is not TableKind.BASKETS:
        guessed, role_notes = roles_from_values(table.data, detected)
        detected = guessed
    detected = _roles.override_roles(table.data, detected, roles or {})
    # a guess the owner overruled is no longer said
    role_notes = [n for n in role_notes if n.params["column"] not in (roles or {})]
    data = _roles.apply_roles(table.data, detected)
    kind = _roles.detect_kind(data, detected, table.kind_hint)
    # no order number: a customer's lines at one time are one order (a Taobao seller's export)
    data, detected, formed = orders_from_customer_time(data, detected, kind)
    role_notes += [formed] if formed is not None else []
    problem = nothing_to_analyse(table, detected, kind)
    timings["roles"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    progress.report(0.1, Message("progress.cleaning").text())
    options = clean_options if clean_options is not None else CleanOptions()
    cleaned = _cleaning.clean(data, detected, kind, options, progress=progress.sub(0.1, 0.6))
    timings["cleaning"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    progress.report(0.6, Message("progress.customers").text())
    customers = None if problem is not None else \
        _customers.build_customers(cleaned, detected, kind, as_of=as_of, progress=progress.sub(0.6, 1.0))
    if customers is not None:
        customers.currency = money_symbol(table, detected)
    timings["customers"] = time.perf_counter() - t0
    progress.report(1.0)
    money, paid = _money_paid(cleaned, detected, kind, customers) if problem is None else (None, None)
    return Inspection(table, detected, kind, cleaned, customers, options, timings, problem, role_notes, money, paid)


def _money_paid(cleaned: "CleanResult", roles: Mapping[str, Role], kind: TableKind, customers: "CustomerTable | None"):
    if kind is not TableKind.ORDERS:
        return None, None
    partial = cleaned.step("partial_refunds")
    # one decision on which columns hold the money: the customer table's, when there is one
    return paid_in_file(cleaned.frame, cleaned.roles or roles, cleaned.kept, cleaned.mask("refunds"),
                        net_refunds=partial is None or partial.enabled,
                        source=customers.money if customers is not None else None)


_MONEY_ROLES = (Role.LINE_AMOUNT, Role.ORDER_TOTAL, Role.UNIT_PRICE)


def money_symbol(table: LoadedTable, roles: Mapping[str, Role]) -> str | None:
    """The currency the file's money is in, as a symbol ("¥", "$", "€"…), or None when it does not say.

    From the cells of its money columns ("¥1,234.50"), else from their
    headers ("实付金额(元)", "Total (USD)"). Never guessed from the language
    of the headers: a Chinese header does not make the money yuan.
    """

    money = [c for c, r in roles.items() if r in _MONEY_ROLES]
    spend = find_rfm_columns(table.data).get("monetary")
    money += [spend] if spend is not None and spend not in money else []
    marked = [table.source.currencies[str(c)] for c in money if str(c) in table.source.currencies]
    if marked:
        return max(set(marked), key=marked.count)
    return currency_of(pd.Series([str(c) for c in money], dtype="object")) if money else None


# what a row of a table without customers or orders must carry to describe someone
_NOT_DESCRIBING = {Role.IGNORE, Role.ID, Role.TEXT, Role.DATE, Role.FLAG}


def nothing_to_analyse(table: LoadedTable, roles: Mapping[str, Role], kind: TableKind) -> "DataError | None":
    """The error for a table nothing can be learnt from (what it lacks, what would do), or None.

    A table is usable when it is a basket list, when a column tells customers
    apart (an id, e-mail, phone or name), when its rows are order lines (an
    order id or date with a product or an amount), or when each row carries
    at least two columns that could describe a customer (attributes with two
    or more values). A lone column of numbers ("x") is none of these: it
    would otherwise be reported as that many "customers".
    """
    if kind is TableKind.BASKETS or customer_key(roles) is not None:
        return None
    have = set(roles.values())
    if kind is TableKind.ORDERS and have & {Role.PRODUCT, Role.PRODUCT_CODE, Role.LINE_AMOUNT, Role.ORDER_TOTAL,
                                            Role.QUANTITY, Role.UNIT_PRICE}:
        return None
    data = table.data
    describing = [c for c, r in roles.items()
                  if r not in _NOT_DESCRIBING and c in data.columns and data[c].nunique(dropna=True) >= 2]
    if len(describing) >= 2:
        return None
    shown = [str(c) for c in data.columns[:8]]
    columns = ", ".join(f"“{c}”" for c in shown) + (" …" if len(data.columns) > 8 else "")
    return DataError("analysis.nothing", file=Path(table.source.path).name, columns=columns or "–",
                     rows=f"{len(data):,}")


def inspect_file(
    path: str | os.PathLike,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    dayfirst: bool | None = None,
    roles: Mapping[str, Role | str] | None = None,
    clean_options: "CleanOptions | None" = None,
    as_of=None,
    strict_roles: bool = False,
    progress: Progress = NULL_PROGRESS,
) -> Inspection:
    """Read *path* and understand it (see :func:`understand`).

    With *strict_roles*, a column named in *roles* that the file does not have
    is an error (the command line); without, it is passed over (a project
    reopened on a file whose columns changed).

    Raises
    ------
    ReadError
        The file cannot be read as a table.
    DataError
        *strict_roles* and a column of *roles* is not in the file.
    Cancelled
        The progress was cancelled.
    """

    t0 = time.perf_counter()
    table = load_table(path, sheet=sheet, encoding=encoding, dayfirst=dayfirst, progress=progress.sub(0.0, 0.6))
    read_time = time.perf_counter() - t0
    missing = [c for c in (roles or {}) if c not in table.data.columns] if strict_roles else []
    if missing:
        shown = ", ".join(map(str, table.data.columns[:20])) + (" …" if table.data.shape[1] > 20 else "")
        raise DataError("roles.error.no_column", column=missing[0], columns=shown)
    result = understand(table, roles=roles, clean_options=clean_options, as_of=as_of, progress=progress.sub(0.6, 1.0))
    result.timings = {"read": read_time, **result.timings}
    return result


def _set_aside(inspection: Inspection, kind: str) -> int | None:
    customers = inspection.customers
    if customers is None or customers.set_aside is None or customers.set_aside_kind != kind:
        return None
    return int(len(customers.set_aside))


def _dtype_name(series) -> str:
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "float"
    return "text"


def inspection_to_json(inspection: Inspection, lang: str | None = None) -> dict:
    """The JSON document of ``persona-desktop inspect --json``."""
    table = inspection.table
    src = table.source
    data = table.data
    doc = {
        "file": str(Path(src.path)),
        "format": src.format,
        "encoding": src.encoding,
        "sheet": src.sheet,
        "sheets": list(src.sheets),
        "rows": int(src.rows_in_file if table.kind_hint is TableKind.BASKETS else len(data)),
        "kind": inspection.kind.value,
        # the file's columns, and any the app formed (an order number from customer and time)
        "columns": [
            {"name": str(c), "dtype": _dtype_name(frame[c]), "role": inspection.roles.get(c, Role.IGNORE).value}
            for frame in (data, inspection.cleaning.frame)
            for c in frame.columns if frame is data or (c in inspection.roles and c not in data.columns)
        ],
        "cleaning": inspection.cleaning.to_json(lang),
        "customers": None if inspection.customers is None else int(len(inspection.customers.data)),
        # order data: customers who bought nothing in the file (only refunds, fees…), listed apart
        "customers_no_purchase": _set_aside(inspection, "no_purchase"),
        # a customer list: the people who never ordered (prospects), listed apart
        "prospects": _set_aside(inspection, "prospects"),
        # which columns the money was counted from, and the money paid in the file net of refunds
        "money": None if inspection.money is None else {**inspection.money.to_json(), "paid": inspection.paid},
        "warnings": [w.text(lang) for w in inspection.notes()],
    }
    if table.kind_hint is TableKind.BASKETS:
        doc["baskets"] = int(src.rows_in_file)
        doc["items"] = int(data["item"].nunique())
    return doc
