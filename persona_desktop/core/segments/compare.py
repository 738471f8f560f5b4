"""Names that tell segments apart in meaning, not only in characters.

A name built from a segment's strongest traits against everyone ("High total
orders · High total spent") can fit several segments at once: three groups of
good customers all order and spend more than the rest. Numbering them "(2)",
"(3)" says nothing the owner can use. :func:`tell_apart` gives such segments
the column on which they differ most among themselves and says where each
stands on it ("… · lower e-mail opens", "… · higher e-mail opens"; three:
lowest, mid, highest), each word following the segments' own figures.
:func:`number_duplicates` is the last resort for names still alike (two
columns whose Chinese labels are the same word).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Mapping

import pandas as pd

from persona_desktop.core.i18n import register, tr

if TYPE_CHECKING:
    from persona_desktop.core.segments.personas import Persona

__all__ = ["tell_apart", "number_duplicates", "short_label", "short_names"]

register({
    "persona.compare.lower": ("{name} · lower {feature}", "{name} · {feature}较低"),
    "persona.compare.higher": ("{name} · higher {feature}", "{name} · {feature}较高"),
    "persona.compare.lowest": ("{name} · lowest {feature}", "{name} · {feature}最低"),
    "persona.compare.mid": ("{name} · mid {feature}", "{name} · {feature}居中"),
    "persona.compare.highest": ("{name} · highest {feature}", "{name} · {feature}最高"),
    "persona.compare.younger": ("{name} · younger", "{name} · 较年轻"),
    "persona.compare.older": ("{name} · older", "{name} · 较年长"),
})

_LANGS = ("en", "zh")
# segments are set apart on a column only when their means are this many standard deviations
# apart, neighbour from neighbour: as far as a trait must be from everyone's to be called high
MIN_GAP = 0.5


def short_label(names: Mapping[str, Mapping[str, str]], feature: str, lang: str) -> str:
    """A feature's words inside a name: "Annual Income (k$)" → "annual income"; "VIP level" stays."""
    label = re.sub(r"\s*\([^)]*\)", "", names[feature][lang]).strip() or str(feature)
    if lang != "en":
        return label
    words = label.split()
    if all(w[:1].isupper() and w[1:] == w[1:].lower() or w == w.lower() for w in words):
        return label.lower()
    return label


def _ranks(n: int) -> list[str]:
    if n == 2:
        return ["lower", "higher"]
    return ["lowest"] + ["mid"] * (n - 2) + ["highest"]


def tell_apart(personas: list["Persona"], effects: Mapping[int, pd.Series],
               names: Mapping[str, Mapping[str, str]], ages: set[str]) -> None:
    """Give segments that share a name the column they differ most on, and where each stands on it."""
    alike: dict[frozenset, list["Persona"]] = defaultdict(list)
    for p in personas:  # alike in meaning: the same traits, in whatever order
        alike[frozenset(p.name["en"].split(" · "))].append(p)
    for group in alike.values():
        if len(group) < 2:
            continue
        table = pd.DataFrame({p.segment: effects[p.segment] for p in group}).T.dropna(axis=1)
        if table.empty:
            continue
        feature = (table.max() - table.min()).idxmax()
        ordered = table[feature].sort_values(kind="stable")
        if ordered.diff().dropna().min() < MIN_GAP:
            continue  # no column sets them apart clearly: a word would claim more than the figures show
        order = ordered.index.tolist()
        ranks = _ranks(len(order))
        shared = dict(group[0].name)  # the traits they share, worded alike for all of them
        for persona in group:
            rank = ranks[order.index(persona.segment)]
            if feature in ages and rank in ("lower", "higher"):
                key = "persona.compare.younger" if rank == "lower" else "persona.compare.older"
                persona.name = {lang: tr(key, lang, name=shared[lang]) for lang in _LANGS}
                continue
            persona.name = {lang: tr(f"persona.compare.{rank}", lang, name=shared[lang],
                                     feature=short_label(names, feature, lang)) for lang in _LANGS}


def number_duplicates(personas: list["Persona"]) -> None:
    """Names still alike in a language get "(2)", "(3)"… in every language, so each stays unique."""
    seen: dict[str, int] = {}
    for persona in personas:
        count = max(seen.get(f"{lang}:{n}", 0) for lang, n in persona.name.items()) + 1
        for lang, n in persona.name.items():
            seen[f"{lang}:{n}"] = count
        if count > 1:
            persona.name = {lang: f"{n} ({count})" for lang, n in persona.name.items()}
            for lang, n in persona.name.items():
                seen[f"{lang}:{n}"] = 1


def short_names(names: list[str], limit: int = 31) -> list[str]:
    """Names for places that hold *limit* characters (Excel's sheet names): a long name whose start
    is shared with another's puts its own words first, so "High total spent · High total orders ·
    lowest email opens" is "Lowest email opens · High total…", not a third "High total spent · High…".
    Names that fit, or whose start is their own, stay as they are (the caller cuts them)."""
    parts = [n.split(" · ") for n in names]
    starts: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(names):
        if len(n) > limit:
            starts[n[: limit - 1]].append(i)
    out = list(names)
    for members in starts.values():
        if len(members) < 2:
            continue
        common = set.intersection(*(set(parts[i]) for i in members))
        for i in members:
            own = [p for p in parts[i] if p not in common]
            text = " · ".join(own + [p for p in parts[i] if p in common])
            out[i] = text[:1].upper() + text[1:]
    return out
