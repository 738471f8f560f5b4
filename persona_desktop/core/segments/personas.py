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

from persona_desktop.core.i18n import Message, tr
from persona_desktop.core.schema import PERSONAL_ROLES
from persona_desktop.core.segments import rfm as _rfm  # noqa: F401  (registers the RFM group names cards may take)
from persona_desktop.core.segments import traits as _traits
from persona_desktop.core.segments import words as _text  # noqa: F401  (registers the words)
from persona_desktop.core.segments.advice import (
    PLAYBOOK,
    SPEND_WORDS,
    generic_actions,
    products_bought_more,
    supported_actions,
)
from persona_desktop.core.segments.compare import number_duplicates, tell_apart

# the computed columns of persona_desktop.core.table.customers, named once
from persona_desktop.core.segments.names import FREQUENCY, MONETARY, RECENCY, TENURE
from persona_desktop.core.segments.traits import NOISE, feature_label
from persona_desktop.core.segments.value_cards import card_value
from persona_desktop.core.table.rfm_columns import find_rfm_columns

__all__ = ["Persona", "build_personas", "feature_label"]

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
    # customer value (segments/value_cards.py): value per customer, its share, orders expected, at risk
    value: dict = field(default_factory=dict)

    def money_text(self, lang: str | None = None) -> str:
        """"average spend ¥1,234 · average order ¥86", in the file's currency; "" without money."""
        return _text.card_money(self.money, self.currency, lang)

    def value_text(self, lang: str | None = None) -> str:
        """"predicted 12-month value ¥310 a customer (41% of all) · 7 valuable customers at risk", or ""."""
        return card_value(self.value, self.currency, lang)

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
                                low=_traits.fmt_number(lows[f]), high=_traits.fmt_number(v)))
            else:
                parts.append(tr(f"rule.{op}", lang, feature=self._label(f, lang), value=_traits.fmt_number(v)))
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
            "value": dict(self.value),
            "currency": self.currency,
            "traits": [t.text(lang) for t in self.traits],
            "typical": self.typical,
            "top_products": self.top_products,
            "churn_risk": self.churn_risk,
            "actions": [a.text(lang) for a in self.actions],
            "rule": self.rule_text(lang),
            "note": self.note,
        }


def _money(seg: pd.DataFrame) -> dict[str, float]:
    """Average spend and average order value of a segment, in the file's money."""
    out = {}
    if MONETARY in seg and len(seg):
        out["avg_spend"] = round(float(seg[MONETARY].mean()), 2)
        if FREQUENCY in seg and float(seg[FREQUENCY].sum()) > 0:
            out["avg_order_value"] = round(float(seg[MONETARY].clip(lower=0).sum() / seg[FREQUENCY].sum()), 2)
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
        SPEND_WORDS.search(str(c)) for c in numeric)
    product_table = products_bought_more(lines, key, product, customers, labels) if lines is not None else None

    segment_ids = sorted(set(labels.tolist()), key=lambda s: (s == NOISE, s))
    masks = {s: labels == s for s in segment_ids}
    effects = {s: _traits.effects(num, m) if len(num.columns) else pd.Series(dtype="float64") for s, m in masks.items()}
    churn = {s: _traits.churn_risk(num[m], num) for s, m in masks.items()}
    archetypes = _traits.archetypes(num, masks, effects, churn, groups)
    personas: list[Persona] = []
    for seg_id in segment_ids:
        mask = masks[seg_id]
        seg = num[mask]
        eff = effects[seg_id]
        cat_traits = _traits.categorical_traits(cats, mask, self_explaining)
        archetype = archetypes[seg_id]
        if groups is not None and seg_id != NOISE:
            name = {lang: tr(archetype, lang) for lang in ("en", "zh")}
        elif archetype is not None:
            name = {lang: tr(f"persona.{archetype}", lang) for lang in ("en", "zh")}
        else:
            archetype = "generic"
            shown = [(v, s) for v, s, _ in cat_traits]
            name = _traits.generic_name(eff, shown, names, ages)  # segments alike in it are told apart below
        revenue_share = (float(seg[MONETARY].clip(lower=0).sum()) / total_revenue) if total_revenue else None
        churn_level, churn_share = churn[seg_id]
        actions = [Message(k) for k in supported_actions(PLAYBOOK.get(archetype, []) if archetype != "generic"
                                                         else generic_actions(eff), purchases, product is not None)]
        personas.append(Persona(
            segment=int(seg_id),
            name=name,
            archetype=archetype,
            size=int(mask.sum()),
            share=float(mask.mean()),
            revenue_share=revenue_share,
            typical=[{"feature": original.get(f, f), "median": _traits.number_or_none(seg[f].median()),
                      "overall_median": _traits.number_or_none(num[f].median())}
                     for f in numeric],
            traits=_traits.traits(eff, seg, num, cat_traits, names),
            top_products=product_table.get(int(seg_id), []) if product_table else [],
            churn_risk=churn_level,
            churn_share=churn_share,
            actions=actions[:3],
            rule=_traits.membership_rule(num, mask, random_state) if seg_id != NOISE else [],
            feature_names=names,
            money=_money(seg),
            currency=currency,
        ))
    tell_apart([p for p in personas if p.archetype == "generic"], effects, names, ages)
    number_duplicates(personas)
    return personas
