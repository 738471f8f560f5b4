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
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import Role
from persona_desktop.core.segments.feature_columns import (CATEGORICAL_ROLES, NEVER_FEATURE_ROLES, NUMERIC_ROLES, Column,
                                                          Imputed, Joined, column_list, fill_numbers, joined_reasons,
                                                          one_hot_encode, pick_columns, unwrap)

__all__ = [
    "FeatureSpec", "FeatureMatrix", "prepare_features", "SCALINGS",
    "NEVER_FEATURE_ROLES", "NUMERIC_ROLES", "CATEGORICAL_ROLES",
]

SCALINGS = ("standard", "robust", "minmax")

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

SKEW_THRESHOLD = 1.0
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
    "features.error.none_usable": (
        "None of the columns can be used to segment customers: {reasons}. "
        "Choose numeric or category columns that differ between customers.",
        "没有可用于客户分群的列：{reasons}。请选择在客户之间有差异的数值列或分类列。"),
    "features.error.bad_scaling": (
        "Unknown scaling “{scaling}”; use standard, robust or minmax.",
        "未知的缩放方式“{scaling}”，请使用 standard、robust 或 minmax。"),
    "features.note.log": (
        "Skewed money and count columns were log-transformed (log1p): {columns}.",
        "偏态明显的金额和次数列已做对数变换（log1p）：{columns}。"),
    "features.note.imputed": (
        "Missing values were filled with the median (categories: none of the levels): {details}.",
        "缺失值已用中位数填补（分类列：不属于任何类别）：{details}。"),
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


# ------------------------------------------------------------------ log scale
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



# ------------------------------------------------------------------ main
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
    df, roles = unwrap(customers, roles)
    progress.report(0.0, Message("progress.features").text())
    if len(df) == 0:
        raise DataError("features.error.no_customers")
    if len(df) < 2:
        raise DataError("features.error.too_few", n=len(df))

    found = pick_columns(df, roles, spec)
    candidates, numeric, categorical = found.names, found.numeric, found.categorical
    col_roles, dropped = found.roles, found.dropped
    progress.report(0.3)

    # fill in, drop constants, log
    imputed: dict[str, int] = {}
    num_cols = fill_numbers(numeric, dropped, imputed)
    log_applied: list[str] = []
    clipped: dict[str, int] = {}
    notes: list[Message] = []
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
                    notes.append(Message("features.note.log_negative", {"column": Column(col)}))
                wanted = False
        if wanted:
            log_applied.append(col)

    one_hot, cat_cols = one_hot_encode(categorical, spec.max_levels, dropped, imputed)
    progress.report(0.6)

    if not num_cols and not cat_cols:
        raise DataError("features.error.none_usable",
                        reasons=joined_reasons(dropped) if dropped else Message("features.none_selected"))

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
        notes.insert(0, Message("features.note.log", {"columns": column_list(log_applied)}))
    for col, n in clipped.items():
        notes.insert(1, Message("features.note.log_clipped", {"column": Column(col), "n": f"{n:,}"}))
    if imputed:
        notes.append(Message("features.note.imputed",
                             {"details": Joined(tuple(Imputed(c, n) for c, n in imputed.items()))}))
    if dropped:
        notes.append(Message("features.note.dropped", {"reasons": joined_reasons(dropped)}))
    progress.report(1.0)
    return FeatureMatrix(
        X=np.ascontiguousarray(X), names=names, columns_used=columns_used, log_applied=log_applied,
        one_hot=one_hot, imputed=imputed, dropped=dropped, index=df.index,
        original=pd.DataFrame(originals, index=df.index)[names], center=center, scale=scale,
        notes=notes, spec=spec,
    )


register({"features.none_selected": ("no column was selected", "未选择任何列")})
