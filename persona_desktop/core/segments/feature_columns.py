"""Which columns of a customer table describe a customer, for :mod:`.features`.

Identifiers, names, contact details, dates and free text never do; a column named or shaped like an
identifier, one empty for most customers, one describing an event known only after its outcome (a call's
duration) or one with no values is left out by default, and each is said with its reason. Named columns
(``--features``) are used as asked, and an unknown or unusable one is an error that says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, normalize_lang, register
from persona_desktop.core.schema import Role
from persona_desktop.core.table.customers import column_label
from persona_desktop.core.table.roles import AFTER_THE_FACT

__all__ = ["NEVER_FEATURE_ROLES", "NUMERIC_ROLES", "CATEGORICAL_ROLES", "MOSTLY_EMPTY", "Candidates", "pick_columns",
           "unwrap", "fill_numbers", "one_hot_encode", "Column", "column_list", "joined_reasons", "Joined",
           "Imputed"]

# Columns that identify or contact a person, or are not attributes at all.
NEVER_FEATURE_ROLES = frozenset({
    Role.CUSTOMER_ID, Role.CUSTOMER_NAME, Role.EMAIL, Role.PHONE, Role.ORDER_ID,
    Role.ORDER_DATE, Role.PRODUCT, Role.PRODUCT_CODE, Role.TEXT, Role.DATE,
    Role.ID, Role.IGNORE, Role.FLAG,
})
NUMERIC_ROLES = frozenset({
    Role.AGE, Role.INCOME, Role.NUMERIC, Role.QUANTITY, Role.UNIT_PRICE,
    Role.LINE_AMOUNT, Role.ORDER_TOTAL, Role.REFUND_AMOUNT,
})
CATEGORICAL_ROLES = frozenset({
    Role.GENDER, Role.REGION, Role.CITY, Role.COUNTRY, Role.CATEGORICAL,
    Role.CATEGORY, Role.STATUS,
})
_ID_NAME = re.compile(r"id$|^id[^a-z]|编号|号码|^no\.?$", re.IGNORECASE)
MOSTLY_EMPTY = 0.5  # a column empty for more of the customers than this is not a default feature

register({
    "features.error.unknown_column": (
        "There is no column named “{column}”.",
        "没有名为“{column}”的列。"),
    "features.error.not_a_feature": (
        "“{column}” is a {role} column and cannot be used to segment customers.",
        "“{column}”是{role}列，不能用于客户分群。"),
    "features.drop.all_missing": ("“{column}” has no values", "“{column}”没有任何值"),
    "features.drop.mostly_missing": ("“{column}” is empty for {share} of the customers (name it with --features "
                                     "to use it)",
                                     "“{column}”在 {share} 的客户中为空（如需使用，请用 --features 指定）"),
    "features.drop.constant": ("“{column}” is the same for every customer", "“{column}”对所有客户都相同"),
    "features.drop.too_many_levels": (
        "“{column}” has too many different values ({levels}) to be a category",
        "“{column}”的取值太多（{levels} 种），无法作为分类"),
    "features.drop.identifier": ("“{column}” looks like an identifier", "“{column}”看起来是标识符"),
    "features.drop.not_numeric": ("“{column}” is not a number or a category", "“{column}”既不是数值也不是分类"),
    "features.drop.after_the_fact": ("“{column}” describes an event known only after its outcome (a call's "
                                     "duration), not the customer (name it with --features to use it)",
                                     "“{column}”描述的是结果出来后才知道的事件（如通话时长），而不是客户本身"
                                     "（如需使用，请用 --features 指定）"),
})


@dataclass
class Candidates:
    """The columns :func:`pick_columns` found usable, in the table's order, and the others' reasons."""

    names: list[str]                      # every column considered, in the table's order
    numeric: dict[str, np.ndarray]        # column → values as floats (NaN where missing)
    categorical: dict[str, pd.Series]     # column → values
    roles: dict[str, Role]                # column → its role (given, or guessed from the dtype)
    dropped: dict[str, Message]           # column → why it is not used


def unwrap(customers, roles):
    """Accept a DataFrame or a CustomerTable-like object (``.data``, ``.roles``, ``.key``)."""
    key = None
    if hasattr(customers, "data") and not hasattr(customers, "columns"):
        key = getattr(customers, "key", None)
        if roles is None:
            roles = getattr(customers, "roles", None)
        customers = customers.data
    roles = {c: Role(r) for c, r in (roles or {}).items()}
    if key is not None:
        roles[key] = Role.CUSTOMER_ID
    return customers, roles


def guess_role(series) -> Role:
    """A role for a column the role detection did not cover (computed columns)."""
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_timedelta64_dtype(series):
        return Role.DATE
    if pd.api.types.is_bool_dtype(series):
        return Role.CATEGORICAL
    if pd.api.types.is_numeric_dtype(series):
        return Role.NUMERIC
    return Role.CATEGORICAL


def looks_like_id(name: str, values: "pd.Series", max_levels: int) -> bool:
    """A column without a role that holds one distinct value per customer and is
    named like an identifier, or is text (then it is an id, a name or a note)."""
    n_values = int(values.notna().sum())
    if n_values <= max_levels or values.nunique(dropna=True) != n_values:
        return False
    return bool(_ID_NAME.search(str(name))) or not pd.api.types.is_numeric_dtype(values)


def as_float(series) -> "np.ndarray":
    if pd.api.types.is_bool_dtype(series):
        series = series.astype("float64")
    if not pd.api.types.is_numeric_dtype(series):
        series = pd.to_numeric(series, errors="coerce")
    return series.to_numpy(dtype=float, na_value=np.nan)


class Column(Message):
    """A column's name as the user reads it, rendered in the language of the message
    it is a parameter of: computed columns ("recency_days") by their label."""

    def __init__(self, column: str):
        object.__setattr__(self, "key", "")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "column", column)

    def text(self, lang: str | None = None) -> str:
        return column_label(self.column, lang)


class ColumnList(Message):
    """Several column names joined, rendered like :class:`Column`."""

    def __init__(self, items: Iterable[str]):
        object.__setattr__(self, "key", "")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "items", tuple(items))

    def text(self, lang: str | None = None) -> str:
        sep = "、" if normalize_lang(lang) == "zh" else ", "
        return sep.join(Column(c).text(lang) if isinstance(c, str) else c for c in self.items)


def column_list(items: Iterable[str]) -> "ColumnList":
    return ColumnList(items)


def joined_reasons(dropped: Mapping[str, Message]):
    """A Message-like joiner: rendered in the language of the enclosing message."""
    return Joined(tuple(dropped.values()))


class Joined(Message):
    """Several messages joined with '; ', rendered in the language of the message
    they are a parameter of (``tr`` renders Message parameters in its language)."""

    def __init__(self, parts: Sequence[Message]):
        object.__setattr__(self, "key", "")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "parts", tuple(parts))

    def text(self, lang: str | None = None) -> str:
        sep = "；" if normalize_lang(lang) == "zh" else "; "
        return sep.join(p.text(lang) for p in self.parts)


class Imputed(Column):
    """"Age (3)": a column and how many of its values were filled in."""

    def __init__(self, column: str, n: int):
        super().__init__(column)
        object.__setattr__(self, "n", n)

    def text(self, lang: str | None = None) -> str:
        return f"{super().text(lang)} ({self.n})"


def leave_out_mostly_empty(numeric: dict, categorical: dict, dropped: dict) -> None:
    """A column empty for more than :data:`MOSTLY_EMPTY` of the customers is no default feature: filled
    with the median, most customers would share one made-up value ("pdays" of a call list, empty for
    everyone never contacted). Kept when every column is so (nothing else to segment on)."""
    shares = {c: float((~np.isfinite(x)).mean()) for c, x in numeric.items()}
    shares.update({c: float(v.isna().mean()) for c, v in categorical.items()})
    empty = [c for c, share in shares.items() if share > MOSTLY_EMPTY]
    if not empty or len(empty) == len(shares):
        return
    for col in empty:
        numeric.pop(col, None)
        categorical.pop(col, None)
        dropped[col] = Message("features.drop.mostly_missing", {"column": Column(col), "share": f"{shares[col]:.0%}"})


def pick_columns(df: pd.DataFrame, roles: Mapping[str, Role], spec) -> Candidates:
    """The columns that can describe a customer, read as numbers or categories, and why each other
    candidate was left out. Raises :class:`DataError` for a named column that is unknown or no feature."""
    dropped: dict[str, Message] = {}
    explicit = spec.features is not None
    if explicit:
        candidates = list(dict.fromkeys(spec.features))
        for col in candidates:
            if col not in df.columns:
                raise DataError("features.error.unknown_column", column=col)
            role = roles.get(col)
            if role in NEVER_FEATURE_ROLES:
                raise DataError("features.error.not_a_feature", column=col, role=Message(f"role.{role.value}"))
    else:
        candidates = [c for c in df.columns if roles.get(c) not in NEVER_FEATURE_ROLES]

    numeric: dict[str, np.ndarray] = {}
    categorical: dict[str, pd.Series] = {}
    col_roles: dict[str, Role] = {}
    for col in candidates:
        series = df[col]
        role = roles.get(col) or guess_role(series)
        col_roles[col] = role
        if role in NEVER_FEATURE_ROLES:  # a guessed date column
            if explicit:
                raise DataError("features.error.not_a_feature", column=col, role=Message(f"role.{role.value}"))
            continue
        if (not explicit or spec.chosen) and AFTER_THE_FACT.search(str(col)):
            dropped[col] = Message("features.drop.after_the_fact", {"column": Column(col)})
            continue
        if not explicit and col not in roles and looks_like_id(col, series, spec.max_levels):
            dropped[col] = Message("features.drop.identifier", {"column": Column(col)})
            continue
        if series.isna().all():
            dropped[col] = Message("features.drop.all_missing", {"column": Column(col)})
            continue
        if role in CATEGORICAL_ROLES:
            categorical[col] = series
        elif role in NUMERIC_ROLES:
            x = as_float(series)
            if np.isnan(x).all():
                dropped[col] = Message("features.drop.not_numeric", {"column": Column(col)})
            else:
                numeric[col] = x
        else:
            dropped[col] = Message("features.drop.not_numeric", {"column": Column(col)})
    if not explicit or spec.chosen:
        leave_out_mostly_empty(numeric, categorical, dropped)
    return Candidates(candidates, numeric, categorical, col_roles, dropped)


def fill_numbers(numeric: dict[str, np.ndarray], dropped: dict[str, Message],
                 imputed: dict[str, int]) -> dict[str, np.ndarray]:
    """The numeric columns with missing values filled with the median (counted in *imputed*); a column
    with no value or one value for everyone is dropped with its reason."""
    num_cols: dict[str, np.ndarray] = {}
    for col, x in numeric.items():
        x = np.where(np.isfinite(x), x, np.nan)
        missing = int(np.isnan(x).sum())
        if missing == len(x):
            dropped[col] = Message("features.drop.all_missing", {"column": Column(col)})
            continue
        if missing:
            fill = float(np.nanmedian(x))
            x = np.where(np.isnan(x), fill, x)
            imputed[col] = missing
        if np.ptp(x) == 0:
            dropped[col] = Message("features.drop.constant", {"column": Column(col)})
            continue
        num_cols[col] = x
    return num_cols


def one_hot_encode(categorical: dict[str, pd.Series], max_levels: int, dropped: dict[str, Message],
                   imputed: dict[str, int]) -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
    """``({column: [output names]}, {output name: 0/1 values})`` for the category columns; a missing value
    belongs to no level (counted in *imputed*), a yes/no column gets one output, and a column with no
    value, one value or more than *max_levels* is dropped with its reason."""
    one_hot: dict[str, list[str]] = {}
    cat_cols: dict[str, np.ndarray] = {}
    for col, series in categorical.items():
        values = series.astype("string").str.strip()
        values = values.where(values != "", pd.NA)
        counts = values.value_counts(dropna=True)
        missing = int(values.isna().sum())
        if len(counts) == 0:
            dropped[col] = Message("features.drop.all_missing", {"column": Column(col)})
            continue
        if len(counts) == 1 and missing == 0:
            dropped[col] = Message("features.drop.constant", {"column": Column(col)})
            continue
        if len(counts) > max_levels:
            dropped[col] = Message("features.drop.too_many_levels", {"column": Column(col), "levels": len(counts)})
            continue
        levels = sorted(counts.index, key=str)
        if len(levels) == 2 and missing == 0:
            # one column for a yes/no attribute: two would count the difference twice
            levels = [min(levels, key=lambda lv: (counts[lv], str(lv)))]
        names = []
        for level in levels:
            name = f"{col}={level}"
            cat_cols[name] = (values == level).fillna(False).to_numpy(dtype=float)
            names.append(name)
        one_hot[col] = names
        if missing:
            imputed[col] = missing
    return one_hot, cat_cols
