"""What to predict, and from which columns: a column, churn from order history, or a segment.

A :class:`Target` holds the feature table ``X`` (one row per customer), the
labels ``y`` and everything the owner should be told about them. Features
are the customer table's attributes: never identifiers, names, contact
details, free text or dates, never the target itself, and never a category
with so many values that it names customers rather than groups them.

Churn from order history is built so that the future cannot leak into the
features: the features come from the orders up to a cut-off date only, the
label only from the orders after it ("did this customer buy again within N
days?"); customers who had not bought before the cut-off are not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np
import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.schema import COMPUTED_COLUMNS, Role, TableKind, column_with
from persona_desktop.core.table.customers import build_customers, customer_keys
from persona_desktop.core.table.roles import AFTER_THE_FACT

if TYPE_CHECKING:
    from persona_desktop.core.table.customers import CustomerTable


__all__ = ["Target", "target_from_column", "churn_target", "segment_target", "feature_columns", "target_candidates",
           "MAX_CLASSES", "MAX_LEVELS", "MISSING_WORDS"]

MAX_CLASSES = 20  # more classes than this is not something an owner predicts
MAX_LEVELS = 50  # a category with more values names customers rather than groups them
MISSING_WORDS = {"unknown", "未知", "n/a", "na", "none", "不详", "不明"}
_POSITIVE = {"yes", "y", "true", "1", "churn", "churned", "left", "lost", "default", "defaulted", "bad", "positive",
             "是", "有", "违约", "流失", "已流失", "1.0"}
_NEVER = {Role.CUSTOMER_ID, Role.CUSTOMER_NAME, Role.EMAIL, Role.PHONE, Role.ID, Role.TEXT, Role.DATE,
          Role.ORDER_DATE, Role.ORDER_ID, Role.PRODUCT, Role.PRODUCT_CODE, Role.FLAG, Role.IGNORE}

register({
    "target.error.missing": ("There is no column “{column}” (columns: {columns})", "没有“{column}”列（现有列：{columns}）"),
    "target.error.one_class": ("“{column}” has a single value ({value}) — there is nothing to predict",
                               "“{column}”只有一个取值（{value}），没有可预测的内容"),
    "target.error.too_many": ("“{column}” has {n} different values; predict a column with at most {max} "
                              "(a yes/no or a few groups)", "“{column}”有 {n} 种不同取值；请选择最多 {max} 种取值的列（是/否或少数几组）"),
    "target.error.identifier": ("“{column}” identifies customers ({role}); it cannot be predicted",
                                "“{column}”用于识别客户（{role}），无法作为预测目标"),
    "target.error.no_features": ("No column is left to predict “{column}” from", "没有可用于预测“{column}”的列"),
    "target.error.few_rows": ("Only {n} customers have a value of “{column}”; at least {min} are needed",
                              "只有 {n} 位客户有“{column}”的值；至少需要 {min} 位"),
    "target.error.rare_class": ("The value “{value}” of “{column}” occurs {n} time(s); every class needs at least {min} "
                                "customers for {folds}-fold cross-validation", "“{column}”的取值“{value}”只出现 {n} 次；"
                                "进行 {folds} 折交叉验证时每一类至少需要 {min} 位客户"),
    "target.error.churn_needs_orders": ("Churn can be derived from order lines with dates and customers only; "
                                        "{file} is {kind}", "只能从含日期和客户的订单明细推导流失；{file} 是{kind}"),
    "target.error.cutoff": ("The cut-off {cutoff} leaves no orders before it or no {days} days after it "
                            "(orders run from {first} to {last})", "截止日期 {cutoff} 之前没有订单，或其后不足 {days} 天"
                            "（订单日期从 {first} 到 {last}）"),
    "target.note.after_the_fact": ("“{column}” is known only after the outcome (e.g. a call's duration is known once "
                                   "the call is over): it makes the scores look better than they will be. "
                                   "Leave it out to see honest figures.",
                                   "“{column}”只有在结果发生后才能知道（例如通话时长要等通话结束才知道），"
                                   "会让评分显得比实际更好。去掉它可以看到真实的效果。"),
    "target.note.excluded": ("Left out on request: {columns}", "已按要求排除：{columns}"),
    "target.note.after_left_out": ("Left out because they are known only after the outcome (a call's duration is "
                                   "known once the call is over): {columns}. Include them with --include to see "
                                   "the scores they would give.",
                                   "以下列只有在结果发生后才能知道（例如通话时长要等通话结束才知道），已排除：{columns}。"
                                   "如需查看包含它们的评分，请使用 --include。"),
    "target.note.unknown_missing": ("“unknown” values were treated as missing in: {columns}",
                                    "以下列中的“unknown”按缺失值处理：{columns}"),
    "target.note.too_many_levels": ("Not used: “{column}” has {n} different values", "未使用：“{column}”有 {n} 种不同取值"),
    "target.note.dropped_rows": ("{n} customers without a value of “{column}” were left out",
                                 "{n} 位缺少“{column}”取值的客户未参与建模"),
    "target.note.churn": ("Churn: a customer who bought before {cutoff} and not in the {days} days after it. "
                          "Features use orders up to {cutoff} only; {n} customers, {rate} churned.",
                          "流失定义：在 {cutoff} 之前购买过、之后 {days} 天内未再购买的客户。"
                          "特征只使用 {cutoff} 及之前的订单；共 {n} 位客户，流失率 {rate}。"),
    "target.churned": ("churned", "流失"),
    "target.stayed": ("stayed", "留存"),
    "target.churn_name": ("churn within {days} days", "{days} 天内流失"),
    "target.segment_name": ("segment", "分组"),
})


@dataclass
class Target:
    """Features and labels for a prediction.

    Attributes
    ----------
    X : DataFrame
        Feature columns, one row per customer (numbers and categories as they are;
        the model pipelines impute, scale and encode them inside each fold).
    y : Series of str
    ids : Series
        The customer of each row.
    name : str
        The target column (or a description of a derived target).
    classes : list of str
    positive : str or None
        The class whose probability is reported, for a yes/no target.
    numeric, categorical : list of str
        The columns of X by type.
    """

    X: pd.DataFrame
    y: pd.Series
    ids: pd.Series
    name: str
    classes: list[str]
    positive: str | None
    numeric: list[str]
    categorical: list[str]
    kind: str = "column"  # "column", "churn", "segment"
    after_the_fact: list[str] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    cutoff: pd.Timestamp | None = None
    horizon_days: int | None = None


def _positive_class(classes: Sequence[str], counts: pd.Series | None = None) -> str | None:
    """The class to report the probability of: a "yes"-like word, else the rarer one (usually the event)."""
    if len(classes) != 2:
        return None
    for c in classes:
        if str(c).strip().lower() in _POSITIVE:
            return c
    if counts is not None:
        return str(counts.idxmin())
    return None


def feature_columns(data: pd.DataFrame, roles: dict, exclude: Iterable[str] = (),
                    notes: list[Message] | None = None) -> tuple[list[str], list[str]]:
    """(numeric, categorical) columns usable as features."""
    notes = notes if notes is not None else []
    numeric, categorical = [], []
    for column in data.columns:
        if column in exclude or roles.get(column) in _NEVER:
            continue
        s = data[column]
        if pd.api.types.is_bool_dtype(s):
            continue
        if pd.api.types.is_numeric_dtype(s):
            if s.nunique(dropna=True) > 1:
                numeric.append(column)
        elif pd.api.types.is_datetime64_any_dtype(s):
            continue
        else:
            n = s.nunique(dropna=True)
            if n > MAX_LEVELS:
                notes.append(Message("target.note.too_many_levels", {"column": column, "n": n}))
            elif n > 1:
                categorical.append(column)
    return numeric, categorical


def _clean_features(X: pd.DataFrame, categorical: list[str], notes: list[Message]) -> pd.DataFrame:
    """Categories as plain text, with "unknown"-like values as missing (they say nothing)."""
    X = X.copy()
    treated = []
    for column in categorical:
        text = X[column].astype("str").str.strip().mask(X[column].isna())
        unknown = text.str.lower().isin(MISSING_WORDS)
        if unknown.any():
            treated.append(column)
        X[column] = text.where(text.notna() & ~unknown).astype(object)
    if treated:
        notes.append(Message("target.note.unknown_missing", {"columns": ", ".join(treated)}))
    return X


def _finish(data: pd.DataFrame, y: pd.Series, ids: pd.Series, roles: dict, name: str, kind: str,
            exclude: Iterable[str], notes: list[Message], folds: int, target_column: str | None = None,
            filled: dict | None = None, include: Iterable[str] = ()) -> Target:
    exclude, include = list(exclude), list(include)
    unknown = [c for c in exclude + include if c not in data.columns]
    if unknown:  # a misspelt name must not pass silently
        raise DataError("target.error.missing", column=unknown[0], columns=", ".join(map(str, data.columns)))
    # known only after the outcome (a call's duration): left out unless the owner includes it
    after = [c for c in data.columns if AFTER_THE_FACT.search(str(c)) and c not in include
             and c not in exclude and c != target_column]
    if after:
        notes.append(Message("target.note.after_left_out", {"columns": ", ".join(map(str, after))}))
    never = exclude + after + ([target_column] if target_column is not None else [])
    numeric, categorical = feature_columns(data, roles, never, notes)
    if exclude:
        notes.append(Message("target.note.excluded", {"columns": ", ".join(map(str, exclude))}))
    if not numeric and not categorical:
        raise DataError("target.error.no_features", column=name)
    after = [c for c in numeric + categorical if AFTER_THE_FACT.search(str(c))]
    for column in after:
        notes.append(Message("target.note.after_the_fact", {"column": column}))
    counts = y.value_counts()
    if len(counts) < 2:
        raise DataError("target.error.one_class", column=name, value=str(counts.index[0]) if len(counts) else "—")
    if len(counts) > MAX_CLASSES:
        raise DataError("target.error.too_many", column=name, n=len(counts), max=MAX_CLASSES)
    minimum = max(2 * folds, 10)
    if len(y) < minimum:
        raise DataError("target.error.few_rows", column=name, n=len(y), min=minimum)
    # 20 % are kept aside, and the SVM's calibration splits each training fold in 3 again:
    # every class needs two customers per fold to survive both
    per_class = 2 * folds
    rare = counts[counts < per_class]
    if len(rare):
        raise DataError("target.error.rare_class", column=name, value=str(rare.index[0]), n=int(rare.iloc[0]),
                        min=per_class, folds=folds)
    X = _clean_features(data[numeric + categorical], categorical, notes)
    # cells the cleaning step filled from the whole file's median or mode go back to
    # missing: the model pipelines fill them from each training fold only
    for column, mask in (filled or {}).items():
        if column in X.columns:
            X[column] = X[column].mask(np.asarray(mask, dtype=bool))
    classes = sorted(counts.index.astype(str).tolist())
    return Target(X.reset_index(drop=True), y.astype(str).reset_index(drop=True), ids.reset_index(drop=True), name,
                  classes, _positive_class(classes, counts.rename(index=str)), numeric, categorical, kind, after, notes)


def target_from_column(customers: "CustomerTable", column: str, *, exclude: Iterable[str] = (),
                       folds: int = 5, include: Iterable[str] = ()) -> Target:
    """Predict a column of the customer table (Telco ``Churn``, Bank ``y``, a 违约 column)."""
    data = customers.data
    if column not in data.columns:
        raise DataError("target.error.missing", column=column, columns=", ".join(map(str, data.columns)))
    role = customers.roles.get(column)
    if role in (Role.CUSTOMER_ID, Role.ID, Role.EMAIL, Role.PHONE, Role.CUSTOMER_NAME) or column == customers.key:
        raise DataError("target.error.identifier", column=column, role=Message(f"role.{(role or Role.ID).value}"))
    values = data[column]
    text = values.astype("str").str.strip().mask(values.isna())
    if pd.api.types.is_float_dtype(values) and values.dropna().nunique() <= MAX_CLASSES:
        text = values.map(lambda v: None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
    notes: list[Message] = []
    known = text.notna() & ~text.astype("str").str.lower().isin(MISSING_WORDS)
    if (~known).any():
        notes.append(Message("target.note.dropped_rows", {"n": int((~known).sum()), "column": column}))
    kept = data.loc[known.to_numpy()]
    filled = {c: np.asarray(m)[known.to_numpy()] for c, m in getattr(customers, "filled", {}).items()}
    return _finish(kept, text[known], kept[customers.key], customers.roles, str(column), "column",
                   exclude, notes, folds, target_column=column, filled=filled, include=include)


def segment_target(customers: "CustomerTable", labels: Sequence[int], names: dict[int, str], *,
                   exclude: Iterable[str] = (), folds: int = 5, lang: str | None = None,
                   include: Iterable[str] = ()) -> Target:
    """Predict segment membership, to place new customers into an earlier analysis's segments."""
    y = pd.Series([names[int(label)] for label in labels], index=customers.data.index)
    name = Message("target.segment_name").text(lang)
    return _finish(customers.data, y, customers.data[customers.key], customers.roles, name, "segment",
                   exclude, [], folds, filled=getattr(customers, "filled", {}), include=include)


def churn_target(inspection, days: int = 90, cutoff=None, *, exclude: Iterable[str] = (), folds: int = 5,
                 lang: str | None = None) -> Target:
    """Churn from order history, with features strictly before the cut-off and the label strictly after.

    Parameters
    ----------
    inspection : Inspection
        An opened order file (lines with dates and a customer column).
    days : int
        A customer churned if they did not buy within this many days after the cut-off.
    cutoff : date-like, optional
        Default: *days* before the last date in the file.
    """

    cleaned, roles = inspection.cleaning, inspection.cleaning.roles
    date = column_with(roles, Role.ORDER_DATE, cleaned.frame)
    if inspection.kind is not TableKind.ORDERS or inspection.customers is None or date is None:
        raise DataError("target.error.churn_needs_orders", file=Path(inspection.table.source.path).name,
                        kind=Message(f"kind.{inspection.kind.value}"))
    dates = cleaned.frame.loc[cleaned.kept, date]
    first, last = dates.min(), dates.max()
    cut = pd.Timestamp(cutoff) if cutoff is not None else (last - pd.Timedelta(days=days)).normalize()
    if not (first < cut and cut + pd.Timedelta(days=days) <= last + pd.Timedelta(days=1)):
        raise DataError("target.error.cutoff", cutoff=cut.strftime("%Y-%m-%d"), days=days,
                        first=first.strftime("%Y-%m-%d"), last=last.strftime("%Y-%m-%d"))
    # features: the customer table as it stood at the cut-off (later lines are not counted)
    before = build_customers(cleaned, inspection.roles, inspection.kind, as_of=cut)
    active = before.data[before.data["frequency"] > 0] if "frequency" in before.data else before.data
    # label: did they buy in (cut-off, cut-off + days]?
    window = cleaned.frame.loc[cleaned.kept]
    in_window = window[(window[date] > cut) & (window[date] <= cut + pd.Timedelta(days=days))]
    buyers = set(_keys(in_window[before.key] if before.key in in_window.columns else pd.Series(dtype=str),
                       roles.get(before.key)))
    churned = ~active[before.key].astype("str").isin(buyers)
    words = {True: Message("target.churned").text(lang), False: Message("target.stayed").text(lang)}
    y = churned.map(words)
    notes = [Message("target.note.churn", {"cutoff": cut.strftime("%Y-%m-%d"), "days": days, "n": f"{len(y):,}",
                                           "rate": f"{churned.mean():.1%}"})]
    name = Message("target.churn_name", {"days": days}).text(lang)
    target = _finish(active, y, active[before.key], before.roles, name, "churn", list(exclude), notes, folds)
    target.positive = words[True]
    target.cutoff, target.horizon_days = cut, days
    return target


def _keys(values: pd.Series, role: Role | None) -> pd.Series:
    """Customer keys as text, written as the customer table writes them (e-mails in lower case)."""
    return customer_keys(values, role).astype("str").str.strip()


_LIKELY_TARGET = re.compile(r"(?i)churn|attrition|^y$|exited|outcome|target|label|流失")
_MAYBE_TARGET = re.compile(r"(?i)default|response|subscribed|^left$|违约|是否")


def target_candidates(customers: "CustomerTable") -> list[str]:
    """Columns of the customer table worth predicting: 2 to MAX_CLASSES values, not an identifier,
    not computed by us from the orders. Likely targets (Churn, y, 违约…) come first, then by fewer values."""
    data = customers.data
    found = []
    for column in data.columns:
        if column == customers.key or column in COMPUTED_COLUMNS or customers.roles.get(column) in _NEVER:
            continue
        n = data[column].dropna().nunique()
        if 2 <= n <= MAX_CLASSES and not pd.api.types.is_float_dtype(data[column]) or (
                pd.api.types.is_float_dtype(data[column]) and 2 <= n <= 5):
            rank = 0 if _LIKELY_TARGET.search(str(column)) else 1 if _MAYBE_TARGET.search(str(column)) else 2
            found.append((rank, n, str(column)))
    return [column for _, _, column in sorted(found)]
