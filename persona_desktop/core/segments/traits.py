"""What a persona card says about its segment: how it differs from everyone (standardised effects on a
log scale for skewed figures), its archetype, the name built from its traits when no archetype is true, the
traits as sentences, the categories that set it apart, its churn risk by each customer's own rhythm, and
the membership rule of a shallow decision tree. :mod:`.personas` assembles the cards from these."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

from persona_desktop.core.i18n import Message, tr
from persona_desktop.core.segments import names as _names
from persona_desktop.core.segments.compare import short_label
from persona_desktop.core.segments.names import FREQUENCY, MONETARY, RECENCY, REFUND_RATE, TENURE

__all__ = ["feature_label", "fmt_number", "effects", "archetypes", "generic_name", "traits", "LabelOf",
           "categorical_traits", "churn_risk", "membership_rule", "number_or_none", "NOISE"]

NOISE = -1


def feature_label(name: str, lang: str | None = None, role=None) -> str:
    """A readable name for a feature column.

    Computed features are translated ("days since last order"); in Chinese a
    column whose role is known (age, income, gender…) takes the role's name,
    so a card does not mix "Annual Income (k$)" into a Chinese sentence. In
    English the owner's own column name is kept.
    """
    key = f"feature.{name}"
    text = tr(key, lang)
    if text != key:
        return text
    if role is not None and (lang or "").startswith("zh") and getattr(role, "value", role) in _ROLE_NAMED:
        return role.label(lang)
    return name


_ROLE_NAMED = {"age", "income", "gender", "region", "city", "country", "category"}


def fmt_number(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def transformed(frame: pd.DataFrame) -> pd.DataFrame:
    """log1p for skewed non-negative columns, so ranking is not driven by a few giants."""
    out = {}
    for col in frame.columns:
        v = frame[col].astype("float64")
        if v.min(skipna=True) >= 0 and abs(v.skew(skipna=True) or 0) > 1:
            v = np.log1p(v)
        out[col] = v
    return pd.DataFrame(out, index=frame.index)


def effects(numeric: pd.DataFrame, mask: np.ndarray) -> pd.Series:
    t = transformed(numeric)
    std = t.std(ddof=0).replace(0, np.nan)
    return ((t[mask].mean() - t.mean()) / std).fillna(0.0)


def archetypes(num: pd.DataFrame, masks: dict[int, np.ndarray], effects: dict[int, pd.Series],
                churn: dict[int, tuple[str, float | None]], groups: Sequence[str] | None) -> dict[int, str | None]:
    """Each segment's archetype: a name its own figures bear out (see :mod:`.names`), the
    noise card's, an RFM group's; None where no archetype is true (a name from its traits then)."""
    out: dict[int, str | None] = {s: "noise" for s in masks if s == NOISE}
    if groups is not None:
        return {**out, **{s: f"rfm.{groups[s]}" for s in masks if s != NOISE}}
    clusters = [s for s in masks if s != NOISE]
    if not {RECENCY, FREQUENCY, MONETARY} <= set(num.columns):
        return {**out, **{s: None for s in clusters}}
    options = {s: _names.candidates(_names.facts(num[masks[s]], num, float(effects[s].get(REFUND_RATE, 0.0)),
                                                 churn[s][1]))
               for s in clusters}
    return {**out, **_names.assign(options, {s: num[masks[s]] for s in clusters})}


def generic_name(eff: pd.Series, categorical_traits: list[tuple[str, str]],
                  names: dict[str, dict[str, str]], ages: set[str], depth: int = 2) -> dict[str, str]:
    """'High income · Low spending score' from the *depth* most distinguishing features."""
    parts: dict[str, list[str]] = {"en": [], "zh": []}
    for feature in eff.abs().sort_values(ascending=False).index[:depth]:
        e = eff[feature]
        if abs(e) < 0.5:
            break
        for lang in ("en", "zh"):
            if feature in ages:
                parts[lang].append(tr("persona.level.older" if e > 0 else "persona.level.younger", lang))
            else:
                level = "persona.level.high" if e > 0 else "persona.level.low"
                parts[lang].append(tr(level, lang, feature=short_label(names, feature, lang)))
    for value, _ in categorical_traits[: max(0, depth - len(parts["en"]))]:
        for lang in ("en", "zh"):
            parts[lang].append(tr("persona.level.share", lang, value=value))
    if not parts["en"]:
        return {lang: tr("persona.typical", lang) for lang in ("en", "zh")}
    joined = {}
    for lang, p in parts.items():
        text = p[0]
        for more in p[1:]:
            text = tr("persona.join", lang, a=text, b=more)
        joined[lang] = text
    return joined


def traits(eff: pd.Series, seg: pd.DataFrame, all_: pd.DataFrame, cat_traits: list[tuple[str, float, float]],
            names: dict[str, dict[str, str]]) -> list[Message]:
    traits: list[tuple[float, Message]] = []
    for feature in eff.index:
        e = float(eff[feature])
        if abs(e) < 0.3:
            continue
        s_mean, a_mean = float(seg[feature].mean()), float(all_[feature].mean())
        if feature == MONETARY and a_mean > 0:
            ratio = s_mean / a_mean
            s_med, a_med = float(seg[feature].median()), float(all_[feature].median())
            if a_med > 0 and (ratio >= 1) != (s_med >= a_med):
                # a few big spenders pull the average up (or down) past this group's typical customer: say
                # it by the median, as the name does, so "high-spending" never sits beside "spends less"
                msg = Message("trait.spend_typical", {"ratio": fmt_number(s_med / a_med), "value": fmt_number(s_med),
                                                      "overall": fmt_number(a_med)})
            else:
                msg = (Message("trait.spend_ratio", {"ratio": fmt_number(ratio)}) if ratio >= 1
                       else Message("trait.spend_low", {"pct": fmt_number(100 * (1 - ratio))}))
        elif feature == RECENCY:
            msg = Message("trait.recency", {"days": fmt_number(s_mean), "overall": fmt_number(a_mean)})
        elif feature == TENURE:
            msg = Message("trait.tenure", {"days": fmt_number(s_mean), "overall": fmt_number(a_mean)})
        elif feature == FREQUENCY:
            once = float((seg[feature] <= 1).mean())
            msg = (Message("trait.one_time", {"pct": fmt_number(100 * once)}) if once >= 0.6
                   else Message("trait.frequency", {"value": fmt_number(s_mean), "overall": fmt_number(a_mean)}))
        elif a_mean <= 0 or s_mean < 0:  # a ratio of a negative mean means nothing: say the values
            msg = Message("trait.differs", {"feature": LabelOf(feature, names.get(feature)),
                                             "value": fmt_number(s_mean), "overall": fmt_number(a_mean)})
        elif s_mean / a_mean >= 1:
            msg = Message("trait.higher", {"feature": LabelOf(feature, names.get(feature)), "ratio": fmt_number(s_mean / a_mean),
                                            "value": fmt_number(s_mean), "overall": fmt_number(a_mean)})
        else:
            pct = 100 * (1 - s_mean / a_mean) if a_mean else 0.0
            msg = Message("trait.lower", {"feature": LabelOf(feature, names.get(feature)), "pct": fmt_number(pct),
                                           "value": fmt_number(s_mean), "overall": fmt_number(a_mean)})
        traits.append((abs(e), msg))
    for value, share, overall in cat_traits:
        traits.append((abs(share - overall) * 3, Message("trait.share", {
            "pct": fmt_number(100 * share), "value": value, "overall": fmt_number(100 * overall)})))
    traits.sort(key=lambda x: -x[0])
    if not traits:
        return [Message("trait.average")]
    said = [m for _, m in traits[:5]]
    # fewer than three things set the group apart: say how it compares on the next measures too,
    # so every card shows at least three of its figures
    for feature in eff.abs().sort_values(ascending=False).index:
        if len(said) >= 3:
            break
        if abs(float(eff[feature])) < 0.3:
            said.append(Message("trait.near", {"feature": LabelOf(feature, names.get(feature)),
                                               "value": fmt_number(float(seg[feature].mean())),
                                               "overall": fmt_number(float(all_[feature].mean()))}))
    return said


class LabelOf(Message):
    """A Message parameter that renders a feature's name in the message's language."""

    def __init__(self, feature: str, names: dict[str, str] | None = None) -> None:
        super().__init__(f"feature.{feature}", {})
        object.__setattr__(self, "_feature", feature)
        object.__setattr__(self, "_names", names)

    def text(self, lang: str | None = None) -> str:
        if self._names:
            return self._names["zh" if (lang or "").startswith("zh") else "en"]
        return feature_label(self._feature, lang)


PLACEHOLDER_VALUES = {"unknown", "未知", "n/a", "na", "none", "other", "其他", "nan", ""}


def categorical_traits(cats: pd.DataFrame, mask: np.ndarray, self_explaining: set[str]) -> list[tuple[str, float, float]]:
    """(shown value, share in the segment, share overall) for values that set the segment apart.

    A value is shown with its column ("poutcome: success") unless the column's
    values speak for themselves (gender: "Female"). Placeholders such as
    "unknown" are never a trait.
    """
    out = []
    for col in cats.columns:
        values = cats[col].astype("str")
        overall = values.value_counts(normalize=True)
        seg = values[mask].value_counts(normalize=True)
        for value, share in seg.items():
            base = float(overall.get(value, 0.0))
            if str(value).strip().lower() in PLACEHOLDER_VALUES:
                continue
            if share >= 0.6 and share - base >= 0.15:
                shown = str(value) if col in self_explaining else f"{col}: {value}"
                out.append((shown, float(share), base))
    out.sort(key=lambda x: -(x[1] - x[2]))
    return out


def churn_risk(seg: pd.DataFrame, all_: pd.DataFrame) -> tuple[str, float | None]:
    if not {RECENCY, FREQUENCY, TENURE} <= set(all_.columns):
        return "unknown", None
    repeat = all_[all_[FREQUENCY] >= 2]
    gap_all = (repeat[TENURE] - repeat[RECENCY]) / (repeat[FREQUENCY] - 1)
    typical_gap = float(gap_all.median()) if len(gap_all) else 90.0
    typical_gap = max(typical_gap, 7.0)
    gaps = ((seg[TENURE] - seg[RECENCY]) / (seg[FREQUENCY] - 1)).where(seg[FREQUENCY] >= 2, typical_gap)
    gaps = gaps.clip(lower=7.0)
    overdue = float((seg[RECENCY] > 2 * gaps).mean())
    level = "high" if overdue >= _names.LAPSED_OVERDUE else "medium" if overdue >= 0.25 else "low"
    return level, overdue


def membership_rule(numeric: pd.DataFrame, mask: np.ndarray, random_state: int) -> list[tuple[str, str, float]]:
    """The conditions leading to the leaf of a depth-2 tree that best isolates the segment."""
    if mask.all() or not mask.any() or numeric.shape[1] == 0:
        return []
    X = numeric.fillna(numeric.median()).fillna(0.0).to_numpy(dtype="float64")
    # leaves of at least 1 % of the customers, but small enough to hold a tiny
    # segment (seven wholesale buyers among 4,372)
    leaf = max(2, min(int(0.01 * len(X)), int(mask.sum()) // 2))
    tree = DecisionTreeClassifier(max_depth=2, min_samples_leaf=leaf, random_state=random_state).fit(X, mask)
    t = tree.tree_
    leaves = tree.apply(X)
    paths: dict[int, list[tuple[str, str, float]]] = {}
    stack: list[tuple[int, list]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        if t.children_left[node] == -1:
            paths[node] = path
            continue
        name, thr = numeric.columns[int(t.feature[node])], float(t.threshold[node])
        stack.append((int(t.children_left[node]), path + [(name, "le", thr)]))
        stack.append((int(t.children_right[node]), path + [(name, "gt", thr)]))
    best, best_f1 = [], 0.0
    for leaf, path in paths.items():
        inside = leaves == leaf
        if not inside.any() or not path:
            continue
        precision = float(mask[inside].mean())
        recall = float(mask[inside].sum() / mask.sum())
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if precision >= 0.5 and f1 > best_f1:
            best, best_f1 = path, f1
    # merge repeated conditions on one feature ("x > 3 and x > 5" → "x > 5")
    merged: dict[tuple[str, str], float] = {}
    for name, op, thr in best:
        k = (name, op)
        merged[k] = min(merged.get(k, thr), thr) if op == "le" else max(merged.get(k, thr), thr)
    # whole-number features (orders, days) read better as whole numbers: "orders ≤ 2.5" → "orders ≤ 2"
    out = []
    for (name, op), thr in merged.items():
        values = numeric[name].dropna().to_numpy(dtype="float64")
        if len(values) and np.all(np.mod(values, 1) == 0):
            op, thr = ("le", float(np.floor(thr))) if op == "le" else ("ge", float(np.floor(thr)) + 1)
        out.append((name, op, thr))
    return out


def number_or_none(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)
