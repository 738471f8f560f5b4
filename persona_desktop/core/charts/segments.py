"""Charts of a segmentation: customer map, sizes and revenue, profile heat map."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.decomposition import PCA

from persona_desktop.core.charts import colour
from persona_desktop.core.i18n import register, tr
from persona_desktop.core.segments.personas import feature_label

# matplotlib is imported inside the functions, never at module level: configure_fonts() (charts/__init__.py)
# must point MPLCONFIGDIR at our font cache before matplotlib is first imported.
__all__ = ["map_points", "draw_customer_map", "draw_segment_sizes", "draw_profile_heatmap"]

register({
    "chart.map.title": ("Customers on a map of their features (PCA)", "客户特征分布图（主成分）"),
    "chart.map.x": ("Component 1 ({pct}% of variation)", "主成分 1（{pct}% 的差异）"),
    "chart.map.y": ("Component 2 ({pct}% of variation)", "主成分 2（{pct}% 的差异）"),
    "chart.map.outside": ("{n} far-out customers lie outside this view (zoom out to see them)",
                          "{n} 位差异极大的客户在视图之外（缩小可见）"),
    "chart.sizes.title": ("Share of customers and of revenue", "客户占比与收入占比"),
    "chart.sizes.customers": ("customers", "客户"),
    "chart.sizes.revenue": ("revenue", "收入"),
    "chart.heat.title": ("How each segment differs from the average customer", "各分组与平均客户的差异"),
    "chart.heat.note": ("segment median ÷ overall median", "分组中位数 ÷ 整体中位数"),
})


def map_points(X: np.ndarray, labels: Sequence[int], max_points: int = 5000,
               random_state: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The customer map's points: (xy on the first two principal components, their labels, variance shares).

    The computation behind :func:`draw_customer_map`, apart so that a worker
    thread can do it before the chart is drawn on screen.
    """
    labels = np.asarray(labels)
    if X.shape[1] >= 2:
        pca = PCA(n_components=2, random_state=random_state).fit(X)
        xy = pca.transform(X)
        ratio = pca.explained_variance_ratio_
    else:
        xy = np.column_stack([X[:, 0], np.zeros(len(X))])
        ratio = np.array([1.0, 0.0])
    if len(xy) > max_points:
        keep = np.random.default_rng(random_state).choice(len(xy), max_points, replace=False)
        xy, labels = xy[keep], labels[keep]
    return xy, labels, ratio


def draw_customer_map(fig, X: np.ndarray, labels: Sequence[int], names: dict[int, str], lang: str | None = None,
                      max_points: int = 5000, random_state: int = 0,
                      points: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
    """Scatter of the customers on the first two principal components, coloured by segment.

    *points*, from :func:`map_points`, skips the computation (*X* and *labels* are then not read).
    """
    xy, labels, ratio = points if points is not None else map_points(X, labels, max_points, random_state)
    ax = fig.add_subplot(111)
    for i, seg in enumerate(sorted(names, key=lambda s: (s == -1, s))):
        m = labels == seg
        ax.scatter(xy[m, 0], xy[m, 1], s=12, alpha=0.7, color=colour(seg, i), label=names[seg], linewidths=0)
    ax.set_title(tr("chart.map.title", lang))
    _zoom_to_most(ax, xy, lang)
    ax.set_xlabel(tr("chart.map.x", lang, pct=f"{100 * ratio[0]:.0f}"))
    ax.set_ylabel(tr("chart.map.y", lang, pct=f"{100 * ratio[1]:.0f}"))
    ax.legend(loc="best", fontsize="small", markerscale=1.5, frameon=False)
    ax.grid(alpha=0.2)


def _zoom_to_most(ax, xy: np.ndarray, lang: str | None, share: float = 0.99) -> None:
    """Frame the bulk of the customers when a few far-out ones would squeeze them into a corner."""
    if len(xy) < 50:
        return
    tail = 100 * (1 - share) / 2
    low, high = np.percentile(xy, [tail, 100 - tail], axis=0)
    span = np.maximum(high - low, 1e-9)
    full = xy.max(axis=0) - xy.min(axis=0)
    if np.all(full <= 1.6 * span):
        return  # no far-out points: matplotlib's own limits are right
    low, high = low - 0.08 * span, high + 0.08 * span
    outside = int(np.sum(np.any((xy < low) | (xy > high), axis=1)))
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    if outside:
        ax.annotate(tr("chart.map.outside", lang, n=f"{outside:,}"), xy=(0.01, 0.01), xycoords="axes fraction",
                    fontsize="x-small", color="#555555")


def draw_segment_sizes(fig, personas, lang: str | None = None) -> None:
    """Paired horizontal bars: each segment's share of customers and of revenue."""
    ax = fig.add_subplot(111)
    names = [p.display_name(lang) for p in personas]
    y = np.arange(len(personas))
    cust = [100 * p.share for p in personas]
    ax.barh(y - 0.2, cust, height=0.4, color=[colour(p.segment, i) for i, p in enumerate(personas)],
            label=tr("chart.sizes.customers", lang))
    if all(p.revenue_share is not None for p in personas):
        rev = [100 * p.revenue_share for p in personas]
        ax.barh(y + 0.2, rev, height=0.4, color="#555555", alpha=0.55, label=tr("chart.sizes.revenue", lang))
        for yi, v in zip(y, rev):
            ax.text(v + 0.5, yi + 0.2, f"{v:.0f}%", va="center", fontsize="small")
    for yi, v in zip(y, cust):
        ax.text(v + 0.5, yi - 0.2, f"{v:.0f}%", va="center", fontsize="small")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("%")
    ax.set_title(tr("chart.sizes.title", lang))
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def draw_profile_heatmap(fig, personas, feature_names: dict[str, str] | None = None, lang: str | None = None) -> None:
    """Segment medians against the overall median, as a diverging heat map (log2 scale)."""
    from matplotlib.colors import TwoSlopeNorm


    features = [t["feature"] for t in personas[0].typical] if personas else []
    ratio = np.full((len(personas), len(features)), np.nan)
    for i, p in enumerate(personas):
        for j, t in enumerate(p.typical):
            med, overall = t["median"], t["overall_median"]
            if med is not None and overall not in (None, 0):
                ratio[i, j] = med / overall
    ax = fig.add_subplot(111)
    with np.errstate(divide="ignore", invalid="ignore"):
        shown = np.log2(np.clip(ratio, 1 / 16, 16))
    finite = np.nan_to_num(shown, nan=0.0)
    limit = max(1.0, float(np.abs(finite).max()) if finite.size else 1.0)
    image = ax.imshow(np.ma.masked_invalid(shown), cmap="RdBu_r", norm=TwoSlopeNorm(0, -limit, limit), aspect="auto")
    def label(f: str) -> str:
        if feature_names and f in feature_names:
            return feature_names[f]
        own = personas[0].feature_names.get(f) if personas else None
        return own["zh" if (lang or "").startswith("zh") else "en"] if own else feature_label(f, lang)

    ax.set_xticks(range(len(features)), [label(f) for f in features], rotation=30, ha="right")
    ax.set_yticks(range(len(personas)), [p.display_name(lang) for p in personas])
    for i in range(ratio.shape[0]):
        for j in range(ratio.shape[1]):
            if np.isfinite(ratio[i, j]):
                ax.text(j, i, f"{ratio[i, j]:.1f}×", ha="center", va="center", fontsize="small",
                        color="white" if abs(finite[i, j]) > 0.6 * limit else "black")
    ax.set_title(tr("chart.heat.title", lang))
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(tr("chart.heat.note", lang) + " (log₂)")
