"""From a customer table to the numeric matrix the segmenters cluster.

``prepare_features(customers, roles)`` picks the columns that describe a
customer's behaviour and attributes (RFM, tenure, average order value, age,
income…, and categorical attributes with few levels), never identifiers,
names, contact details, dates or free text; fills missing values with the
median (and counts them), applies ``log1p`` to skewed money and count
columns (and says so; the few customers refunded more than they bought in
the file sit at 0 on that scale), drops columns that carry no information (and
says why), and scales what is left. The result, :class:`FeatureMatrix`, keeps
everything the user should be told and what is needed to map cluster centres
back to the original units.

Order of the steps: impute → log1p → scale. One-hot columns stay 0/1 (they
are not scaled): after standard or min-max scaling a numeric column spans a
few units, so a category counts about as much as one numeric attribute,
whereas scaling 0/1 columns would give rare levels a huge weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, normalize_lang, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import Role
from persona_desktop.core.table.customers import column_label
from persona_desktop.core.table.roles import AFTER_THE_FACT

__all__ = [
    "FeatureSpec", "FeatureMatrix", "prepare_features", "SCALINGS",
    "NEVER_FEATURE_ROLES", "NUMERIC_ROLES", "CATEGORICAL_ROLES",
]

SCALINGS = ("standard", "robust", "minmax")

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
_MONEY_COUNT_ROLES = frozenset({
    Role.INCOME, Role.UNIT_PRICE, Role.LINE_AMOUNT, Role.ORDER_TOTAL, Role.REFUND_AMOUNT, Role.QUANTITY,
})
# Names of money and count columns (computed customer columns have no role).
_MONEY_COUNT_NAME = re.compile(
    r"monetary|revenue|spend|spent|amount|value|sales|price|income|charge|total|"
    r"payment|balance|frequency|order|count|qty|quantity|number|visit|purchase|"
    r"days|金额|消费|收入|价格|次数|数量|频|天数|间隔|^[fm]$",
    re.IGNORECASE,
)
# days since the last or first order: bounded by the file's span, not heavy-tailed, never logged by "auto"
_DAYS_SINCE_NAME = re.compile(r"recency|days.since|tenure|^r$|距今|最近|距上次", re.IGNORECASE)
_AGE_NAME = re.compile(r"(^|[^a-z])age([^a-z]|$)|年龄", re.IGNORECASE)
_ID_NAME = re.compile(r"id$|^id[^a-z]|编号|号码|^no\.?$", re.IGNORECASE)

SKEW_THRESHOLD = 1.0
MOSTLY_EMPTY = 0.5  # a column empty for more of the customers than this is not a default feature
# Up to this share of customers below zero (refunds of orders from before the file), a money
# column is still log-scaled, with those customers at 0; beyond it the column is kept as it is.
NEGATIVE_SHARE = 0.1

register({
    "features.error.no_customers": (
        "There are no customers to segment.",
        "没有可供分群的客户。"),
    "features.error.too_few": (
        "Segmenting needs at least 2 customers; this table has {n}.",
        "分群至少需要 2 位客户，此表只有 {n} 位。"),
    "features.error.unknown_column": (
        "There is no column named “{column}”.",
        "没有名为“{column}”的列。"),
    "features.error.not_a_feature": (
        "“{column}” is a {role} column and cannot be used to segment customers.",
        "“{column}”是{role}列，不能用于客户分群。"),
    "features.error.none_usable": (
        "None of the columns can be used to segment customers: {reasons}. "
        "Choose numeric or category columns that differ between customers.",
        "没有可用于客户分群的列：{reasons}。请选择在客户之间有差异的数值列或分类列。"),
    "features.error.bad_scaling": (
        "Unknown scaling “{scaling}”; use standard, robust or minmax.",
        "未知的缩放方式“{scaling}”，请使用 standard、robust 或 minmax。"),
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
    "features.note.log": (
        "Skewed money and count columns were log-transformed (log1p): {columns}.",
        "偏态明显的金额和次数列已做对数变换（log1p）：{columns}。"),
    "features.note.imputed": (
        "Missing values were filled with the median (categories: none of the levels): {details}.",
        "缺失值已用中位数填补（分类列：不属于任何类别）：{details}。"),
    "features.drop.after_the_fact": ("“{column}” describes an event known only after its outcome (a call's "
                                     "duration), not the customer (name it with --features to use it)",
                                     "“{column}”描述的是结果出来后才知道的事件（如通话时长），而不是客户本身"
                                     "（如需使用，请用 --features 指定）"),
    "features.note.dropped": ("Columns not used: {reasons}.", "未使用的列：{reasons}。"),
    "features.note.log_clipped": (
        "{n} customers with more refunded than bought in this file count as 0 in “{column}” for segmenting "
        "(their own figure is kept everywhere else).",
        "{n} 位客户在本文件中的退款多于购买，分群时其“{column}”按 0 计算（其他地方仍显示实际数值）。"),
    "features.note.log_negative": (
        "“{column}” has negative values, so it was not log-transformed.",
        "“{column}”含有负值，因此未做对数变换。"),
    "progress.features": ("Preparing features…", "正在准备特征…"),
})


@dataclass(frozen=True)
class FeatureSpec:
    """What the user asked for; stored in the analysis project as JSON.

    Parameters
    ----------
    features : sequence of str, optional
        Columns to use; ``None`` picks the defaults from the roles.
    scaling : {"standard", "robust", "minmax"}
    log : "auto", bool or sequence of str
        ``"auto"``: log1p on money and count columns with skewness above 1
        (a column with a few negative values, up to :data:`NEGATIVE_SHARE` of
        the customers, is log-scaled with those values at 0); ``True``: on every
        numeric column (the same way); ``False``: never; a list: exactly those
        columns.
    max_levels : int
        A category with more levels than this is not one-hot encoded.
    """

    features: tuple[str, ...] | None = None
    scaling: str = "standard"
    log: Any = "auto"
    max_levels: int = 10
    # the features were chosen by the app (method "auto"), not named by the user: like the defaults,
    # a column among them empty for most customers is left out
    chosen: bool = False

    def to_json(self) -> dict:
        log = self.log if isinstance(self.log, (bool, str)) else list(self.log)
        return {"features": None if self.features is None else list(self.features),
                "scaling": self.scaling, "log": log, "max_levels": self.max_levels, "chosen": self.chosen}

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> "FeatureSpec":
        feats = doc.get("features")
        log = doc.get("log", "auto")
        return cls(None if feats is None else tuple(feats), doc.get("scaling", "standard"),
                   log if isinstance(log, (bool, str)) else tuple(log), int(doc.get("max_levels", 10)),
                   bool(doc.get("chosen", False)))


@dataclass
class FeatureMatrix:
    """The scaled matrix and everything to report about how it was made.

    Attributes
    ----------
    X : ndarray of shape (n_customers, n_features), float64
    names : list of str
        Output column names; one-hot columns are named ``"column=level"``.
    columns_used : list of str
        Source columns that made it into ``X``.
    log_applied : list of str
        Source columns that were log1p-transformed.
    one_hot : dict
        ``{source column: [output names]}`` for categorical columns.
    imputed : dict
        ``{source column: number of missing values filled}`` (only columns with some).
    dropped : dict
        ``{source column: Message}``: why a candidate column was not used.
    index : pandas.Index
        The customers' index in the input table, row for row with ``X``.
    original : pandas.DataFrame
        The same columns as ``X`` after imputation but before log and scaling
        (one-hot as 0/1): for typical values in the user's units.
    center, scale : ndarray
        ``X = (transformed - center) / scale`` column by column.
    notes : list of Message
        What the user should be told (log applied, imputation, dropped columns).
    spec : FeatureSpec
    """

    X: "np.ndarray"
    names: list[str]
    columns_used: list[str]
    log_applied: list[str]
    one_hot: dict[str, list[str]]
    imputed: dict[str, int]
    dropped: dict[str, Message]
    index: "pd.Index"
    original: "pd.DataFrame"
    center: "np.ndarray"
    scale: "np.ndarray"
    notes: list[Message] = field(default_factory=list)
    spec: FeatureSpec = field(default_factory=FeatureSpec)

    @property
    def n_customers(self) -> int:
        return int(self.X.shape[0])

    def frame(self) -> "pd.DataFrame":
        """``X`` as a DataFrame with ``names`` as columns and ``index``."""
        return pd.DataFrame(self.X, columns=self.names, index=self.index)

    def inverse_transform(self, Z: "np.ndarray") -> "np.ndarray":
        """Map rows in the scaled space (e.g. cluster centres) back to original units.

        One-hot columns come back as shares in [0, 1].
        """
        Z = np.atleast_2d(np.asarray(Z, dtype=float)) * self.scale + self.center
        for j, name in enumerate(self.names):
            if name in self.log_applied:
                Z[:, j] = np.expm1(Z[:, j])
        return Z


# ------------------------------------------------------------------ helpers
def _unwrap(customers, roles):
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


def _guess_role(series) -> Role:
    """A role for a column the role detection did not cover (computed columns)."""
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_timedelta64_dtype(series):
        return Role.DATE
    if pd.api.types.is_bool_dtype(series):
        return Role.CATEGORICAL
    if pd.api.types.is_numeric_dtype(series):
        return Role.NUMERIC
    return Role.CATEGORICAL


def _looks_like_id(name: str, values: "pd.Series", max_levels: int) -> bool:
    """A column without a role that holds one distinct value per customer and is
    named like an identifier, or is text (then it is an id, a name or a note)."""
    n_values = int(values.notna().sum())
    if n_values <= max_levels or values.nunique(dropna=True) != n_values:
        return False
    return bool(_ID_NAME.search(str(name))) or not pd.api.types.is_numeric_dtype(values)


def _as_float(series) -> "np.ndarray":
    if pd.api.types.is_bool_dtype(series):
        series = series.astype("float64")
    if not pd.api.types.is_numeric_dtype(series):
        series = pd.to_numeric(series, errors="coerce")
    return series.to_numpy(dtype=float, na_value=np.nan)


def _skew(x: "np.ndarray") -> float:
    sd = x.std()
    if sd == 0:
        return 0.0
    return float(np.mean(((x - x.mean()) / sd) ** 3))


def _is_log_candidate(name: str, role: Role, x: "np.ndarray") -> bool:
    if role is Role.AGE or _AGE_NAME.search(name) or _DAYS_SINCE_NAME.search(name):
        return False
    if len(np.unique(x)) <= 2:  # a 0/1 flag is not skewed in any useful sense
        return False
    return (role in _MONEY_COUNT_ROLES or bool(_MONEY_COUNT_NAME.search(name))
            or bool(np.all(x == np.round(x))))


class _Column(Message):
    """A column's name as the user reads it, rendered in the language of the message
    it is a parameter of: computed columns ("recency_days") by their label."""

    def __init__(self, column: str):
        object.__setattr__(self, "key", "")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "column", column)

    def text(self, lang: str | None = None) -> str:
        return column_label(self.column, lang)


class _ColumnList(Message):
    """Several column names joined, rendered like :class:`_Column`."""

    def __init__(self, items: Iterable[str]):
        object.__setattr__(self, "key", "")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "items", tuple(items))

    def text(self, lang: str | None = None) -> str:
        sep = "、" if normalize_lang(lang) == "zh" else ", "
        return sep.join(_Column(c).text(lang) if isinstance(c, str) else c for c in self.items)


def _fmt_list(items: Iterable[str]) -> "_ColumnList":
    return _ColumnList(items)


def _reasons_text(dropped: Mapping[str, Message]):
    """A Message-like joiner: rendered in the language of the enclosing message."""
    return _Joined(tuple(dropped.values()))


class _Joined(Message):
    """Several messages joined with '; ', rendered in the language of the message
    they are a parameter of (``tr`` renders Message parameters in its language)."""

    def __init__(self, parts: Sequence[Message]):
        object.__setattr__(self, "key", "")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "parts", tuple(parts))

    def text(self, lang: str | None = None) -> str:
        sep = "；" if normalize_lang(lang) == "zh" else "; "
        return sep.join(p.text(lang) for p in self.parts)


class _Imputed(_Column):
    """"Age (3)": a column and how many of its values were filled in."""

    def __init__(self, column: str, n: int):
        super().__init__(column)
        object.__setattr__(self, "n", n)

    def text(self, lang: str | None = None) -> str:
        return f"{super().text(lang)} ({self.n})"


# ------------------------------------------------------------------ main
def _leave_out_mostly_empty(numeric: dict, categorical: dict, dropped: dict) -> None:
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
        dropped[col] = Message("features.drop.mostly_missing", {"column": _Column(col), "share": f"{shares[col]:.0%}"})


def prepare_features(
    customers,
    roles: Mapping[str, Role | str] | None = None,
    features: Sequence[str] | None = None,
    scaling: str = "standard",
    log: Any = "auto",
    *,
    max_levels: int = 10,
    spec: FeatureSpec | None = None,
    progress: Progress = NULL_PROGRESS,
) -> FeatureMatrix:
    """Build the scaled feature matrix of a customer table.

    Parameters
    ----------
    customers : pandas.DataFrame or CustomerTable
        One row per customer. A ``CustomerTable`` brings its own roles and key.
    roles : mapping, optional
        ``{column: Role}``; columns without a role get one from their dtype.
    features : sequence of str, optional
        The columns to use; by default every numeric attribute and every
        category with at most ``max_levels`` levels.
    scaling : {"standard", "robust", "minmax"}
    log : "auto", bool or sequence of str
        See :class:`FeatureSpec`.
    max_levels : int
    spec : FeatureSpec, optional
        Overrides ``features``, ``scaling``, ``log`` and ``max_levels``.
    progress : Progress

    Raises
    ------
    DataError
        Fewer than 2 customers, an unknown or unusable column was named, or
        no usable column is left.
    """
    if spec is None:
        spec = FeatureSpec(None if features is None else tuple(features), scaling,
                           log if isinstance(log, (bool, str)) else tuple(log), max_levels)
    if spec.scaling not in SCALINGS:
        raise DataError("features.error.bad_scaling", scaling=spec.scaling)
    df, roles = _unwrap(customers, roles)
    progress.report(0.0, Message("progress.features").text())
    if len(df) == 0:
        raise DataError("features.error.no_customers")
    if len(df) < 2:
        raise DataError("features.error.too_few", n=len(df))

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
        role = roles.get(col) or _guess_role(series)
        col_roles[col] = role
        if role in NEVER_FEATURE_ROLES:  # a guessed date column
            if explicit:
                raise DataError("features.error.not_a_feature", column=col, role=Message(f"role.{role.value}"))
            continue
        if (not explicit or spec.chosen) and AFTER_THE_FACT.search(str(col)):
            dropped[col] = Message("features.drop.after_the_fact", {"column": _Column(col)})
            continue
        if not explicit and col not in roles and _looks_like_id(col, series, spec.max_levels):
            dropped[col] = Message("features.drop.identifier", {"column": _Column(col)})
            continue
        if series.isna().all():
            dropped[col] = Message("features.drop.all_missing", {"column": _Column(col)})
            continue
        if role in CATEGORICAL_ROLES:
            categorical[col] = series
        elif role in NUMERIC_ROLES:
            x = _as_float(series)
            if np.isnan(x).all():
                dropped[col] = Message("features.drop.not_numeric", {"column": _Column(col)})
            else:
                numeric[col] = x
        else:
            dropped[col] = Message("features.drop.not_numeric", {"column": _Column(col)})
    progress.report(0.3)
    if not explicit or spec.chosen:
        _leave_out_mostly_empty(numeric, categorical, dropped)

    # impute, drop constants, log
    imputed: dict[str, int] = {}
    fill_values: dict[str, float] = {}
    log_applied: list[str] = []
    clipped: dict[str, int] = {}
    notes: list[Message] = []
    num_cols: dict[str, np.ndarray] = {}
    for col, x in numeric.items():
        x = np.where(np.isfinite(x), x, np.nan)
        missing = int(np.isnan(x).sum())
        if missing == len(x):
            dropped[col] = Message("features.drop.all_missing", {"column": _Column(col)})
            continue
        if missing:
            fill = float(np.nanmedian(x))
            x = np.where(np.isnan(x), fill, x)
            imputed[col] = missing
            fill_values[col] = fill
        if np.ptp(x) == 0:
            dropped[col] = Message("features.drop.constant", {"column": _Column(col)})
            continue
        num_cols[col] = x
    for col, x in num_cols.items():
        if spec.log is True or spec.log == "all":
            wanted = True
        elif spec.log in (False, "none", None):
            wanted = False
        elif isinstance(spec.log, str):  # "auto"
            wanted = _is_log_candidate(str(col), col_roles[col], x) and _skew(x) > SKEW_THRESHOLD
        else:
            wanted = col in spec.log
        if wanted and x.min() < 0:
            negative = int((x < 0).sum())
            if negative <= NEGATIVE_SHARE * len(x):
                # a few customers whose refunds exceed what they bought in the file: they sit at
                # 0 for the clustering, so one refund does not stretch the scale for everyone
                clipped[col] = negative
            else:
                if not isinstance(spec.log, str):
                    notes.append(Message("features.note.log_negative", {"column": _Column(col)}))
                wanted = False
        if wanted:
            log_applied.append(col)

    one_hot: dict[str, list[str]] = {}
    cat_cols: dict[str, np.ndarray] = {}
    for col, series in categorical.items():
        values = series.astype("string").str.strip()
        values = values.where(values != "", pd.NA)
        counts = values.value_counts(dropna=True)
        missing = int(values.isna().sum())
        if len(counts) == 0:
            dropped[col] = Message("features.drop.all_missing", {"column": _Column(col)})
            continue
        if len(counts) == 1 and missing == 0:
            dropped[col] = Message("features.drop.constant", {"column": _Column(col)})
            continue
        if len(counts) > spec.max_levels:
            dropped[col] = Message("features.drop.too_many_levels", {"column": _Column(col), "levels": len(counts)})
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
    progress.report(0.6)

    if not num_cols and not cat_cols:
        raise DataError("features.error.none_usable",
                        reasons=_reasons_text(dropped) if dropped else Message("features.none_selected"))

    # assemble in the order of the table
    names: list[str] = []
    columns_used: list[str] = []
    blocks: list[np.ndarray] = []
    originals: dict[str, np.ndarray] = {}
    for col in candidates:
        if col in num_cols:
            names.append(col)
            columns_used.append(col)
            originals[col] = num_cols[col]
            blocks.append(np.log1p(np.maximum(num_cols[col], 0.0)) if col in log_applied else num_cols[col])
        elif col in one_hot:
            columns_used.append(col)
            for name in one_hot[col]:
                names.append(name)
                originals[name] = cat_cols[name]
                blocks.append(cat_cols[name])
    T = np.column_stack(blocks).astype(float)
    # numeric yes/no flags (0/1, 1/2…) are treated like one-hot columns: mapped to 0/1, not scaled
    flags = {n for n in num_cols if len(np.unique(num_cols[n])) == 2}
    for j, n in enumerate(names):
        if n in flags:
            lo = T[:, j].min()
            T[:, j] = (T[:, j] > lo).astype(float)
    is_num = np.array([n in num_cols and n not in flags for n in names])
    center = np.zeros(T.shape[1])
    scale = np.ones(T.shape[1])
    Tn = T[:, is_num]
    if Tn.shape[1]:
        if spec.scaling == "standard":
            c, s = Tn.mean(axis=0), Tn.std(axis=0)
        elif spec.scaling == "robust":
            q1, med, q3 = np.percentile(Tn, [25, 50, 75], axis=0)
            c, s = med, q3 - q1
            s = np.where(s > 0, s, Tn.std(axis=0))  # a column that is mostly one value
        else:
            c, s = Tn.min(axis=0), np.ptp(Tn, axis=0)
        center[is_num] = c
        scale[is_num] = np.where(s > 0, s, 1.0)
    X = (T - center) / scale

    if log_applied:
        notes.insert(0, Message("features.note.log", {"columns": _fmt_list(log_applied)}))
    for col, n in clipped.items():
        notes.insert(1, Message("features.note.log_clipped", {"column": _Column(col), "n": f"{n:,}"}))
    if imputed:
        notes.append(Message("features.note.imputed",
                             {"details": _Joined(tuple(_Imputed(c, n) for c, n in imputed.items()))}))
    if dropped:
        notes.append(Message("features.note.dropped", {"reasons": _reasons_text(dropped)}))
    progress.report(1.0)
    return FeatureMatrix(
        X=np.ascontiguousarray(X), names=names, columns_used=columns_used, log_applied=log_applied,
        one_hot=one_hot, imputed=imputed, dropped=dropped, index=df.index,
        original=pd.DataFrame(originals, index=df.index)[names], center=center, scale=scale,
        notes=notes, spec=spec,
    )


register({"features.none_selected": ("no column was selected", "未选择任何列")})
