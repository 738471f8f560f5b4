"""Persona cards: each segment explained in plain words, in English and Chinese.

A card says who the group is (a name built from what sets it apart), how big
it is and how much of the revenue it brings, its typical values next to the
overall ones, the 3–5 traits that distinguish it most, its top products, its
churn risk measured against each customer's own buying rhythm, 2–3 actions
from a playbook, and a short membership rule from a shallow decision tree.

Traits are ranked by a standardised difference on a log scale for skewed
features (so one wholesale buyer does not dominate), but spoken as plain
ratios of averages ("spends 3.4× the average customer").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

from persona_desktop.core.i18n import Message, tr
from persona_desktop.core.schema import PERSONAL_ROLES
from persona_desktop.core.segments import names as _names
from persona_desktop.core.segments import rfm as _rfm  # noqa: F401  (registers the RFM group names cards may take)
from persona_desktop.core.segments import words as _text  # noqa: F401  (registers the words)
from persona_desktop.core.segments.compare import number_duplicates, short_label, tell_apart

# the computed columns of persona_desktop.core.table.customers, named once
from persona_desktop.core.segments.names import FREQUENCY, MONETARY, RECENCY, REFUND_RATE, TENURE
from persona_desktop.core.table.rfm_columns import find_rfm_columns

__all__ = ["Persona", "build_personas", "feature_label"]

NOISE = -1
# a customer file's own "days since the first order" column
_TENURE_NAME = re.compile(r"^tenure|days.since.first|first.order.days|首次.*(?:距今|天数)|距首次", re.IGNORECASE)


@dataclass
class Persona:
    """One segment as a card. ``name``/``note`` are editable; the rest is computed."""

    segment: int
    name: dict[str, str]  # {"en": ..., "zh": ...}
    archetype: str
    size: int
    share: float
    revenue_share: float | None
    typical: list[dict]  # {feature, median, overall_median}
    traits: list[Message]
    top_products: list[dict] = field(default_factory=list)  # {product, customers_share, lift}
    churn_risk: str = "unknown"  # low | medium | high | unknown
    churn_share: float | None = None
    actions: list[Message] = field(default_factory=list)
    rule: list[tuple[str, str, float]] = field(default_factory=list)  # (feature, "le"|"gt"|"ge", value)
    note: str = ""
    own_name: str | None = None  # the owner's name for the segment (every language); None: the computed one
    feature_names: dict[str, dict[str, str]] = field(default_factory=dict)  # {column: {"en": …, "zh": …}}
    money: dict[str, float] = field(default_factory=dict)  # avg_spend, avg_order_value (order data)
    currency: str | None = None  # the file's money symbol, when it has one

    def money_text(self, lang: str | None = None) -> str:
        """"average spend ¥1,234 · average order ¥86", in the file's currency; "" without money."""
        return _text.card_money(self.money, self.currency, lang)

    def display_name(self, lang: str | None = None) -> str:
        if self.own_name:
            return self.own_name
        return self.name.get("zh" if (lang or "").startswith("zh") else "en") or self.name["en"]

    def _label(self, feature: str, lang: str | None) -> str:
        names = self.feature_names.get(feature)
        return names["zh" if (lang or "").startswith("zh") else "en"] if names else feature_label(feature, lang)

    def rule_text(self, lang: str | None = None) -> str:
        if not self.rule:
            return tr("rule.none", lang)
        lows = {f: v for f, op, v in self.rule if op in ("gt", "ge")}
        parts = []
        for f, op, v in self.rule:
            if op in ("gt", "ge") and any(g == f and o == "le" for g, o, _ in self.rule):
                continue  # said once as a range below
            if op == "le" and f in lows:
                low_op = next(o for g, o, _ in self.rule if g == f and o in ("gt", "ge"))
                parts.append(tr(f"rule.between_{low_op}", lang, feature=self._label(f, lang),
                                low=_fmt(lows[f]), high=_fmt(v)))
            else:
                parts.append(tr(f"rule.{op}", lang, feature=self._label(f, lang), value=_fmt(v)))
        return tr("rule.and", lang).join(parts)

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "id": self.segment,
            "name": self.display_name(lang),
            "names": dict(self.name),
            "size": self.size,
            "share": round(self.share, 4),
            "revenue_share": None if self.revenue_share is None else round(self.revenue_share, 4),
            "money": dict(self.money),
            "currency": self.currency,
            "traits": [t.text(lang) for t in self.traits],
            "typical": self.typical,
            "top_products": self.top_products,
            "churn_risk": self.churn_risk,
            "actions": [a.text(lang) for a in self.actions],
            "rule": self.rule_text(lang),
            "note": self.note,
        }


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


def _fmt(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _transformed(frame: pd.DataFrame) -> pd.DataFrame:
    """log1p for skewed non-negative columns, so ranking is not driven by a few giants."""
    out = {}
    for col in frame.columns:
        v = frame[col].astype("float64")
        if v.min(skipna=True) >= 0 and abs(v.skew(skipna=True) or 0) > 1:
            v = np.log1p(v)
        out[col] = v
    return pd.DataFrame(out, index=frame.index)


def _effects(numeric: pd.DataFrame, mask: np.ndarray) -> pd.Series:
    t = _transformed(numeric)
    std = t.std(ddof=0).replace(0, np.nan)
    return ((t[mask].mean() - t.mean()) / std).fillna(0.0)


def _level(effect: float) -> str:
    return "high" if effect >= 0.5 else "low" if effect <= -0.5 else "mid"


def _archetypes(num: pd.DataFrame, masks: dict[int, np.ndarray], effects: dict[int, pd.Series],
                churn: dict[int, tuple[str, float | None]], groups: Sequence[str] | None) -> dict[int, str | None]:
    """Each segment's archetype: a name its own figures bear out (see :mod:`persona_names`), the
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


def _money(seg: pd.DataFrame) -> dict[str, float]:
    """Average spend and average order value of a segment, in the file's money."""
    out = {}
    if MONETARY in seg and len(seg):
        out["avg_spend"] = round(float(seg[MONETARY].mean()), 2)
        if FREQUENCY in seg and float(seg[FREQUENCY].sum()) > 0:
            out["avg_order_value"] = round(float(seg[MONETARY].clip(lower=0).sum() / seg[FREQUENCY].sum()), 2)
    return out


PLAYBOOK = {
    "wholesale": ["action.wholesale", "action.vip"],
    "top_customers": ["action.vip", "action.personal_thanks", "action.referral"],
    "vip_regulars": ["action.vip", "action.referral", "action.cross_sell"],
    "slipping_big": ["action.personal_winback", "action.survey"],
    "high_value": ["action.vip", "action.cross_sell"],
    "lapsed_one_time": ["action.winback_discount", "action.low_cost"],
    "new_first_time": ["action.onboarding", "action.second_purchase"],
    "new_customers": ["action.onboarding", "action.loyalty"],
    "one_time": ["action.second_purchase", "action.newsletter"],
    "loyal_regulars": ["action.loyalty", "action.cross_sell", "action.referral"],
    "active": ["action.cross_sell", "action.newsletter"],
    "quiet_regulars": ["action.winback_discount", "action.survey"],
    "lapsed": ["action.winback_discount", "action.low_cost"],
    "small_spenders": ["action.basket_size", "action.newsletter"],
    "typical": ["action.newsletter", "action.cross_sell"],
    "noise": ["action.review_noise", "action.newsletter"],
    "frequent_returners": ["action.returns_review", "action.product_info"],
    # the named RFM groups
    "rfm.champions": ["action.vip", "action.referral", "action.cross_sell"],
    "rfm.loyal": ["action.loyalty", "action.cross_sell", "action.referral"],
    "rfm.potential_loyalists": ["action.loyalty", "action.cross_sell"],
    "rfm.new_customers": ["action.onboarding", "action.second_purchase"],
    "rfm.promising": ["action.second_purchase", "action.newsletter"],
    "rfm.need_attention": ["action.winback_discount", "action.cross_sell"],
    "rfm.about_to_sleep": ["action.winback_discount", "action.newsletter"],
    "rfm.at_risk": ["action.personal_winback", "action.winback_discount"],
    "rfm.cant_lose_them": ["action.personal_winback", "action.survey", "action.vip"],
    "rfm.hibernating": ["action.winback_discount", "action.low_cost"],
    "rfm.lost": ["action.low_cost", "action.survey"],
}


def _generic_name(eff: pd.Series, categorical_traits: list[tuple[str, str]],
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


def _traits(eff: pd.Series, seg: pd.DataFrame, all_: pd.DataFrame, cat_traits: list[tuple[str, float, float]],
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
                msg = Message("trait.spend_typical", {"ratio": _fmt(s_med / a_med), "value": _fmt(s_med),
                                                      "overall": _fmt(a_med)})
            else:
                msg = (Message("trait.spend_ratio", {"ratio": _fmt(ratio)}) if ratio >= 1
                       else Message("trait.spend_low", {"pct": _fmt(100 * (1 - ratio))}))
        elif feature == RECENCY:
            msg = Message("trait.recency", {"days": _fmt(s_mean), "overall": _fmt(a_mean)})
        elif feature == TENURE:
            msg = Message("trait.tenure", {"days": _fmt(s_mean), "overall": _fmt(a_mean)})
        elif feature == FREQUENCY:
            once = float((seg[feature] <= 1).mean())
            msg = (Message("trait.one_time", {"pct": _fmt(100 * once)}) if once >= 0.6
                   else Message("trait.frequency", {"value": _fmt(s_mean), "overall": _fmt(a_mean)}))
        elif a_mean <= 0 or s_mean < 0:  # a ratio of a negative mean means nothing: say the values
            msg = Message("trait.differs", {"feature": _LabelOf(feature, names.get(feature)),
                                             "value": _fmt(s_mean), "overall": _fmt(a_mean)})
        elif s_mean / a_mean >= 1:
            msg = Message("trait.higher", {"feature": _LabelOf(feature, names.get(feature)), "ratio": _fmt(s_mean / a_mean),
                                            "value": _fmt(s_mean), "overall": _fmt(a_mean)})
        else:
            pct = 100 * (1 - s_mean / a_mean) if a_mean else 0.0
            msg = Message("trait.lower", {"feature": _LabelOf(feature, names.get(feature)), "pct": _fmt(pct),
                                           "value": _fmt(s_mean), "overall": _fmt(a_mean)})
        traits.append((abs(e), msg))
    for value, share, overall in cat_traits:
        traits.append((abs(share - overall) * 3, Message("trait.share", {
            "pct": _fmt(100 * share), "value": value, "overall": _fmt(100 * overall)})))
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
            said.append(Message("trait.near", {"feature": _LabelOf(feature, names.get(feature)),
                                               "value": _fmt(float(seg[feature].mean())),
                                               "overall": _fmt(float(all_[feature].mean()))}))
    return said


class _LabelOf(Message):
    """A Message parameter that renders a feature's name in the message's language."""

    def __init__(self, feature: str, names: dict[str, str] | None = None) -> None:
        super().__init__(f"feature.{feature}", {})
        object.__setattr__(self, "_feature", feature)
        object.__setattr__(self, "_names", names)

    def text(self, lang: str | None = None) -> str:
        if self._names:
            return self._names["zh" if (lang or "").startswith("zh") else "en"]
        return feature_label(self._feature, lang)


_PLACEHOLDER_VALUES = {"unknown", "未知", "n/a", "na", "none", "other", "其他", "nan", ""}


def _categorical_traits(cats: pd.DataFrame, mask: np.ndarray, self_explaining: set[str]) -> list[tuple[str, float, float]]:
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
            if str(value).strip().lower() in _PLACEHOLDER_VALUES:
                continue
            if share >= 0.6 and share - base >= 0.15:
                shown = str(value) if col in self_explaining else f"{col}: {value}"
                out.append((shown, float(share), base))
    out.sort(key=lambda x: -(x[1] - x[2]))
    return out


def _churn(seg: pd.DataFrame, all_: pd.DataFrame) -> tuple[str, float | None]:
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


def _rule(numeric: pd.DataFrame, mask: np.ndarray, random_state: int) -> list[tuple[str, str, float]]:
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


def build_personas(
    customers: pd.DataFrame,
    labels: Sequence[int],
    *,
    numeric: list[str] | None = None,
    categorical: list[str] | None = None,
    lines: pd.DataFrame | None = None,
    key: str | None = None,
    product: str | None = None,
    groups: Sequence[str] | None = None,
    roles: dict | None = None,
    random_state: int = 0,
    currency: str | None = None,
) -> list[Persona]:
    """One :class:`Persona` per segment label (``-1`` is DBSCAN noise).

    Parameters
    ----------
    customers : DataFrame
        One row per customer, aligned with *labels*.
    labels : sequence of int
    numeric, categorical : list of str, optional
        Columns to describe the segments by; default: every numeric column
        but identifiers / every text column with 2–12 values.
    lines : DataFrame, optional
        Cleaned order lines, for top products; needs the *key* and *product*
        columns.
    groups : sequence of str, optional
        Fixed group ids by label (RFM: ``groups[label]`` is "champions"…):
        the card takes the group's name and playbook instead of a name
        built from its traits.
    roles : dict, optional
        ``{column: Role}``: known roles name the features in Chinese cards.
    currency : str, optional
        The file's money symbol ("¥"), for the cards' average spend and order value.
    """
    labels = np.asarray(labels)
    if len(labels) != len(customers):
        raise ValueError("labels must align with customers")
    if numeric is None:
        numeric = [c for c in customers.columns if pd.api.types.is_numeric_dtype(customers[c])
                   and not pd.api.types.is_bool_dtype(customers[c]) and c != key]
    roles = roles or {}
    if categorical is None:
        # who a customer is (name, phone, e-mail) describes no group: a small shop's 3 customers would
        # otherwise give a card "100% Shipping Name: Karine Ruby"
        categorical = [c for c in customers.columns if c != key and not pd.api.types.is_numeric_dtype(customers[c])
                       and not pd.api.types.is_datetime64_any_dtype(customers[c])
                       and roles.get(c) not in PERSONAL_ROLES
                       and 2 <= customers[c].nunique(dropna=True) <= 12]
    num = customers[numeric].astype("float64")
    cats = customers[categorical]
    names = {c: {lang: feature_label(c, lang, roles.get(c)) for lang in ("en", "zh")} for c in numeric}
    ages = {c for c in numeric if getattr(roles.get(c), "value", None) == "age" or str(c).lower() == "age"}
    self_explaining = {c for c in categorical
                       if getattr(roles.get(c), "value", None) in ("gender", "country", "region", "city")
                       or str(c).strip().lower() in ("gender", "sex", "genre", "性别", "country", "国家")}
    # a customer file's own R, F, M columns (the textbook's "R", "F", "M") speak as recency,
    # frequency and monetary value: the archetypes and the churn rhythm apply to them too
    original: dict[str, str] = {}
    if not {RECENCY, FREQUENCY, MONETARY} & set(numeric):
        rfm = {col: canonical for canonical, col in
               zip((RECENCY, FREQUENCY, MONETARY), (find_rfm_columns(customers[numeric]).get(w)
                                                     for w in ("recency", "frequency", "monetary"))) if col}
        tenure = next((c for c in numeric if c not in rfm and _TENURE_NAME.search(str(c))), None)
        if len(rfm) == 3 and tenure is not None:  # with it, the churn risk by each one's rhythm
            rfm[tenure] = TENURE
        if len(rfm) >= 3:
            original = {canonical: col for col, canonical in rfm.items()}
            num = num.rename(columns=rfm)
            names = {rfm.get(c, c): v for c, v in names.items()}
            numeric = [rfm.get(c, c) for c in numeric]
    total_revenue = float(num[MONETARY].clip(lower=0).sum()) if MONETARY in num else None
    # shop advice needs purchases in the file (a bank's call list has none), bundles need products
    purchases = bool({MONETARY, FREQUENCY, RECENCY} & set(num.columns)) or any(
        _SPEND_WORDS.search(str(c)) for c in numeric)
    product_table = _product_table(lines, key, product, customers, labels) if lines is not None else None

    segment_ids = sorted(set(labels.tolist()), key=lambda s: (s == NOISE, s))
    masks = {s: labels == s for s in segment_ids}
    effects = {s: _effects(num, m) if len(num.columns) else pd.Series(dtype="float64") for s, m in masks.items()}
    churn = {s: _churn(num[m], num) for s, m in masks.items()}
    archetypes = _archetypes(num, masks, effects, churn, groups)
    personas: list[Persona] = []
    for seg_id in segment_ids:
        mask = masks[seg_id]
        seg = num[mask]
        eff = effects[seg_id]
        cat_traits = _categorical_traits(cats, mask, self_explaining)
        archetype = archetypes[seg_id]
        if groups is not None and seg_id != NOISE:
            name = {lang: tr(archetype, lang) for lang in ("en", "zh")}
        elif archetype is not None:
            name = {lang: tr(f"persona.{archetype}", lang) for lang in ("en", "zh")}
        else:
            archetype = "generic"
            shown = [(v, s) for v, s, _ in cat_traits]
            name = _generic_name(eff, shown, names, ages)  # segments alike in it are told apart below
        revenue_share = (float(seg[MONETARY].clip(lower=0).sum()) / total_revenue) if total_revenue else None
        churn_level, churn_share = churn[seg_id]
        actions = [Message(k) for k in _supported(PLAYBOOK.get(archetype, []) if archetype != "generic"
                                                  else _generic_actions(eff), purchases, product is not None)]
        personas.append(Persona(
            segment=int(seg_id),
            name=name,
            archetype=archetype,
            size=int(mask.sum()),
            share=float(mask.mean()),
            revenue_share=revenue_share,
            typical=[{"feature": original.get(f, f), "median": _num(seg[f].median()), "overall_median": _num(num[f].median())}
                     for f in numeric],
            traits=_traits(eff, seg, num, cat_traits, names),
            top_products=product_table.get(int(seg_id), []) if product_table else [],
            churn_risk=churn_level,
            churn_share=churn_share,
            actions=actions[:3],
            rule=_rule(num, mask, random_state) if seg_id != NOISE else [],
            feature_names=names,
            money=_money(seg),
            currency=currency,
        ))
    tell_apart([p for p in personas if p.archetype == "generic"], effects, names, ages)
    number_duplicates(personas)
    return personas


MIN_BUYERS = 5  # a product is a segment's own only when at least this many of its customers bought it

# what a customer pays or buys: a shop's spend, a subscription's charges (Telco's MonthlyCharges)
_SPEND_WORDS = re.compile(r"(?i)spend|spent|score|purchase|order|revenue|sales|charge|bill|paid|payment|amount|price"
                          r"|消费|购买|订单|金额|销售|费|付款|支付|实付")


def _supported(actions: list[str], purchases: bool, products: bool) -> list[str]:
    """The actions the file's data supports: none without purchases, no cross-selling without products."""
    if not purchases:
        return []
    kept = [a for a in actions if products or a != "action.cross_sell"]
    for extra in ("action.newsletter", "action.ask_next"):  # advice that needs no product list
        if len(kept) < len(actions) and len(kept) < 2 and extra not in kept:
            kept.append(extra)
    return kept


def _generic_actions(eff: pd.Series) -> list[str]:
    actions = []
    high = [f for f in eff.index if eff[f] >= 0.5]
    low = [f for f in eff.index if eff[f] <= -0.5]
    if any("income" in f.lower() for f in high) and any("spend" in f.lower() or "score" in f.lower() for f in low):
        actions.append("action.premium")
    if any("income" in f.lower() for f in low) and any("spend" in f.lower() or "score" in f.lower() for f in high):
        actions.append("action.budget")
    if any("spend" in f.lower() or "score" in f.lower() or f == MONETARY for f in high):
        actions += ["action.vip", "action.loyalty"]
    if any("spend" in f.lower() or "score" in f.lower() or f == MONETARY for f in low):
        actions += ["action.basket_size"]
    actions += ["action.cross_sell", "action.newsletter"]
    return list(dict.fromkeys(actions))


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _product_table(lines: pd.DataFrame, key: str | None, product: str | None,
                   customers: pd.DataFrame, labels: np.ndarray) -> dict[int, list[dict]]:
    """Per segment, the products its customers buy more often than the other customers do.

    The best-sellers of a shop top every segment's list alike (the owner saw the same five
    products on every card): a product is listed for a segment when at least a few of its
    customers bought it (:data:`MIN_BUYERS`, or 2 % of the segment) and a larger share of them
    than of the other segments' customers, ranked by that difference. A segment buying nothing
    more than the others lists nothing: the card would otherwise claim what its figures do not show.
    """
    if not key or not product or key not in lines or product not in lines or key not in customers:
        return {}
    seg_of = pd.Series(labels, index=customers[key].astype("str").to_numpy())
    # duplicates dropped before the text conversion, and the conversion done in slices: each
    # pandas call holds the GIL, and a desktop window must not wait long for it
    pairs = lines[[key, product]].dropna().drop_duplicates()
    pairs = pd.concat([pairs.iloc[i:i + 50_000].astype("str") for i in range(0, len(pairs), 50_000)]
                      or [pairs.astype("str")]).drop_duplicates()
    at = pd.Index(seg_of.index).get_indexer(pairs[key])  # hashed in one call, not a Python lookup per row
    pairs = pairs[at >= 0].assign(segment=np.asarray(labels)[at[at >= 0]])
    n_all = max(len(seg_of), 1)
    buyers = pairs.groupby(["segment", product])[key].nunique()
    everyone = buyers.groupby(level=product).sum()
    overall = everyone / n_all
    sizes = seg_of.value_counts()
    out: dict[int, list[dict]] = {}
    for seg_id, counts in buyers.groupby(level="segment"):
        counts = counts.droplevel("segment")
        size = max(int(sizes.get(seg_id, 1)), 1)
        share = counts / size
        others = max(n_all - size, 1)
        rest = (everyone.reindex(counts.index) - counts) / others  # the other customers' share
        enough = counts >= max(MIN_BUYERS, 0.02 * size)
        more = (share - rest)[enough & (share > rest)].sort_values(ascending=False, kind="stable")
        picked = list(more.index[:5])  # none when it buys nothing more than the others: nothing is claimed
        out[int(seg_id)] = [{"product": str(p).strip(), "customers_share": round(float(share[p]), 4),
                             "lift": round(float(share[p] / overall[p]), 2) if overall[p] else None} for p in picked]
    return out
