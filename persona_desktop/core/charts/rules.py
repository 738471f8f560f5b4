"""Charts of association rules: support × confidence, the top rules, a network of items."""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from persona_desktop.core.i18n import register, tr

# matplotlib is imported inside the functions, never at module level: configure_fonts() (charts/__init__.py)
# must point MPLCONFIGDIR at our font cache before matplotlib is first imported.
__all__ = ["draw_rule_scatter", "draw_top_rules", "draw_rule_network"]

register({
    "chart.rules.scatter.title": ("Rules: how common (support) and how reliable (confidence)",
                                  "规则：常见程度（支持度）与可靠程度（置信度）"),
    "chart.rules.support": ("support (share of baskets)", "支持度（购物篮占比）"),
    "chart.rules.confidence": ("confidence", "置信度"),
    "chart.rules.lift": ("lift", "提升度"),
    "chart.rules.top.title": ("The {n} strongest rules (by lift)", "最强的 {n} 条规则（按提升度）"),
    "chart.rules.network.title": ("Items bought together (the {n} strongest rules)", "一起购买的商品（最强的 {n} 条规则）"),
    "chart.rules.none": ("No rules to show", "没有可显示的规则"),
})


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(items, width: int = 28) -> str:
    return " + ".join(_short(i, width) for i in sorted(items))


def _one_per_itemset(rules: pd.DataFrame) -> pd.DataFrame:
    """The strongest direction of each set of items (A → B and B → A say the same thing twice)."""
    together = [frozenset(a | c) for a, c in zip(rules["antecedents"], rules["consequents"])]
    ranked = rules.assign(_set=together).sort_values(["lift", "confidence"], ascending=False, kind="stable")
    return ranked.drop_duplicates("_set").drop(columns="_set")


def _empty(fig, lang) -> None:
    ax = fig.add_subplot(111)
    ax.text(0.5, 0.5, tr("chart.rules.none", lang), ha="center", va="center")
    ax.set_axis_off()


def draw_rule_scatter(fig, rules: pd.DataFrame, lang: str | None = None, max_points: int = 5000) -> None:
    """Each rule at (support, confidence), coloured by lift."""
    if rules.empty:
        _empty(fig, lang)
        return
    shown = rules.sort_values("lift", ascending=False).head(max_points)
    ax = fig.add_subplot(111)
    points = ax.scatter(shown["support"], shown["confidence"], c=shown["lift"], cmap="viridis", s=14, alpha=0.8,
                        linewidths=0)
    ax.set_xlabel(tr("chart.rules.support", lang))
    ax.set_ylabel(tr("chart.rules.confidence", lang))
    ax.set_title(tr("chart.rules.scatter.title", lang))
    fig.colorbar(points, ax=ax).set_label(tr("chart.rules.lift", lang))
    ax.grid(alpha=0.2)


def draw_top_rules(fig, rules: pd.DataFrame, lang: str | None = None, n: int = 15) -> None:
    """Horizontal bars of the *n* rules with the highest lift, "A + B → C" (one direction per set of items)."""
    if rules.empty:
        _empty(fig, lang)
        return
    top = _one_per_itemset(rules).head(n)
    ax = fig.add_subplot(111)
    y = np.arange(len(top))
    bars = ax.barh(y, top["lift"], color="#0072B2", alpha=0.85)
    ax.set_yticks(y, [f"{_label(a, 34)} → {_label(c, 34)}" for a, c in zip(top["antecedents"], top["consequents"])],
                  fontsize="x-small")
    ax.invert_yaxis()
    for bar, conf in zip(bars, top["confidence"]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {conf:.0%}", va="center", fontsize="x-small")
    ax.set_xlabel(tr("chart.rules.lift", lang) + f"  ({tr('chart.rules.confidence', lang)} %)")
    ax.set_title(tr("chart.rules.top.title", lang, n=len(top)))
    ax.spines[["top", "right"]].set_visible(False)


def draw_rule_network(fig, rules: pd.DataFrame, lang: str | None = None, n: int = 30,
                      item_support: Mapping[str, float] | None = None) -> None:
    """Items as points on a circle, an arrow for each of the *n* strongest rules.

    Arrows run from each antecedent item to each consequent item; their width
    follows the confidence and their colour the lift. Items that appear
    together in many rules sit next to each other (ordered by their first rule).
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import FancyArrowPatch

    if rules.empty:
        _empty(fig, lang)
        return
    top = _one_per_itemset(rules).head(n)
    order: list[str] = []
    for a, c in zip(top["antecedents"], top["consequents"]):
        for item in sorted(a) + sorted(c):
            if item not in order:
                order.append(item)
    angle = np.linspace(0, 2 * np.pi, len(order), endpoint=False)
    pos = {item: (np.cos(t), np.sin(t)) for item, t in zip(order, angle)}
    ax = fig.add_subplot(111)
    norm = Normalize(float(top["lift"].min()), float(top["lift"].max()) + 1e-9)
    cmap = colormaps["viridis"]
    for a, c, conf, lift in zip(top["antecedents"], top["consequents"], top["confidence"], top["lift"]):
        for src in a:
            for dst in c:
                ax.add_patch(FancyArrowPatch(pos[src], pos[dst], arrowstyle="-|>", mutation_scale=10,
                                             linewidth=0.5 + 3 * float(conf), color=cmap(norm(lift)), alpha=0.7,
                                             connectionstyle="arc3,rad=0.15", shrinkA=6, shrinkB=6))
    sizes = np.array([40 + 400 * float((item_support or {}).get(i, 0.02)) ** 0.5 for i in order])
    xy = np.array([pos[i] for i in order])
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, color="#E69F00", zorder=3, edgecolors="white")
    for item, (x, y) in pos.items():
        ax.text(1.12 * x, 1.12 * y, _short(item, 26), ha="left" if x >= 0 else "right", va="center",
                fontsize="x-small")
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(tr("chart.rules.network.title", lang, n=len(top)))
    from matplotlib.cm import ScalarMappable

    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6).set_label(tr("chart.rules.lift", lang))
