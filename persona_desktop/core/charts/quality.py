"""Charts of segment quality: the silhouette plot, choosing k, and the RFM grid."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from scipy.cluster.hierarchy import dendrogram

from persona_desktop.core.charts import colour
from persona_desktop.core.i18n import register, tr
from persona_desktop.core.segments.rfm import RFM_GROUPS, group_name

# matplotlib is imported inside the functions, never at module level: configure_fonts() (charts/__init__.py)
# must point MPLCONFIGDIR at our font cache before matplotlib is first imported.
__all__ = ["draw_silhouette", "draw_k_selection", "draw_rfm_grid", "draw_k_distances", "draw_dendrogram"]

register({
    "chart.sil.title": ("Silhouette of each customer (sample of {n})", "每位客户的轮廓系数（样本 {n} 位）"),
    "chart.sil.x": ("silhouette: how much closer to its own segment than to the next (−1 … 1)",
                    "轮廓系数：与本组的接近程度相对最近的其他组（−1 … 1）"),
    "chart.sil.mean": ("mean {value}", "平均 {value}"),
    "chart.k.title": ("Choosing the number of segments", "选择分组数"),
    "chart.k.x": ("number of segments k", "分组数 k"),
    "chart.k.sil": ("silhouette (higher is better)", "轮廓系数（越高越好）"),
    "chart.k.inertia": ("inertia (within-segment spread)", "组内离散度（惯性）"),
    "chart.k.chosen": ("chosen: {k}", "选定：{k}"),
    "chart.kdist.title": ("DBSCAN: distance to the {k}-th nearest neighbour", "DBSCAN：到第 {k} 近邻的距离"),
    "chart.kdist.x": ("customers, sorted", "客户（排序后）"),
    "chart.kdist.y": ("distance", "距离"),
    "chart.kdist.eps": ("radius eps = {eps}", "半径 eps = {eps}"),
    "chart.tree.title": ("Hierarchical clustering: the merge tree (top {n} merges)", "层次聚类：合并树（最后 {n} 次合并）"),
    "chart.tree.y": ("merge distance", "合并距离"),
    "chart.tree.cut": ("cut into {k} segments", "切分为 {k} 组"),
    "chart.rfm.title": ("RFM groups: recency score × average of frequency and monetary scores",
                        "RFM 分组：最近消费得分 × 频率与金额平均得分"),
    "chart.rfm.x": ("frequency & monetary score (1 = lowest, 5 = highest)", "频率与金额得分（1 最低，5 最高）"),
    "chart.rfm.y": ("recency score (5 = bought most recently)", "最近消费得分（5 = 最近购买）"),
})


def draw_silhouette(fig, sample_labels: Sequence[int], sample_silhouettes: Sequence[float],
                    names: Mapping[int, str], lang: str | None = None) -> None:
    """The classic silhouette plot: each segment's customers sorted by their silhouette."""
    labels = np.asarray(sample_labels)
    values = np.asarray(sample_silhouettes, dtype=float)
    ax = fig.add_subplot(111)
    y = 0
    ticks, tick_names = [], []
    for i, seg in enumerate(sorted(set(labels.tolist()))):
        v = np.sort(values[labels == seg])
        ax.fill_betweenx(np.arange(y, y + len(v)), 0, v, color=colour(seg, i), alpha=0.85, linewidth=0)
        ticks.append(y + len(v) / 2)
        tick_names.append(names.get(seg, str(seg)))
        y += len(v) + max(5, len(labels) // 100)
    mean = float(values.mean()) if len(values) else 0.0
    ax.axvline(mean, color="#333333", linestyle="--", linewidth=1)
    ax.text(mean, y, " " + tr("chart.sil.mean", lang, value=f"{mean:.2f}"), va="top", fontsize="small")
    ax.set_yticks(ticks, tick_names)
    ax.set_xlim(min(-0.1, float(values.min()) if len(values) else 0), 1)
    ax.set_xlabel(tr("chart.sil.x", lang))
    ax.set_title(tr("chart.sil.title", lang, n=f"{len(values):,}"))
    ax.spines[["top", "right"]].set_visible(False)


def draw_k_selection(fig, k_scores: Sequence[Mapping], chosen: int, lang: str | None = None) -> None:
    """Silhouette (left axis) and inertia (right axis) against k, the chosen k marked."""
    ks = [s["k"] for s in k_scores]
    sil = [np.nan if s.get("silhouette") is None else s["silhouette"] for s in k_scores]
    ax = fig.add_subplot(111)
    ax.plot(ks, sil, marker="o", color="#0072B2", label=tr("chart.k.sil", lang))
    ax.set_xlabel(tr("chart.k.x", lang))
    ax.set_ylabel(tr("chart.k.sil", lang), color="#0072B2")
    ax.set_xticks(ks)
    if all("inertia" in s for s in k_scores):
        twin = ax.twinx()
        twin.plot(ks, [s["inertia"] for s in k_scores], marker="s", color="#E69F00", alpha=0.8,
                  label=tr("chart.k.inertia", lang))
        twin.set_ylabel(tr("chart.k.inertia", lang), color="#E69F00")
    ax.axvline(chosen, color="#009E73", linestyle="--")
    ax.annotate(tr("chart.k.chosen", lang, k=chosen), xy=(chosen, np.nanmax(sil) if len(sil) else 0),
                xytext=(6, 6), textcoords="offset points", color="#009E73")
    ax.set_title(tr("chart.k.title", lang))
    ax.grid(alpha=0.2)


def draw_rfm_grid(fig, r_scores: Sequence[int], fm_scores: Sequence[float], group_of_cell: Sequence[Sequence[str]],
                  lang: str | None = None) -> None:
    """The 5 × 5 grid of recency against frequency & monetary scores: customers per cell, groups named."""
    r = np.asarray(r_scores, dtype=int)
    fm = np.floor(np.asarray(fm_scores, dtype=float) + 0.5).astype(int)
    counts = np.zeros((5, 5), dtype=int)
    np.add.at(counts, (r - 1, fm - 1), 1)
    groups = np.array(group_of_cell, dtype=object)
    index = {g: i for i, g in enumerate(RFM_GROUPS)}
    codes = np.vectorize(lambda g: index[g])(groups)
    ax = fig.add_subplot(111)
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap([colour(i, i) for i in range(len(RFM_GROUPS))])
    ax.imshow(codes, cmap=cmap, vmin=-0.5, vmax=len(RFM_GROUPS) - 0.5, origin="lower", alpha=0.35, aspect="auto")
    for ri in range(5):
        for fi in range(5):
            ax.text(fi, ri, f"{group_name(groups[ri, fi], lang)}\n{counts[ri, fi]:,}", ha="center", va="center",
                    fontsize="x-small")
    ax.set_xticks(range(5), [str(i) for i in range(1, 6)])
    ax.set_yticks(range(5), [str(i) for i in range(1, 6)])
    ax.set_xlabel(tr("chart.rfm.x", lang))
    ax.set_ylabel(tr("chart.rfm.y", lang))
    ax.set_title(tr("chart.rfm.title", lang))


def draw_k_distances(fig, k_distances: Sequence[float], eps: float, k: int, lang: str | None = None) -> None:
    """The sorted k-distance curve DBSCAN's radius is read from, with the radius marked."""
    values = np.asarray(k_distances, dtype=float)
    ax = fig.add_subplot(111)
    ax.plot(np.linspace(0, 100, len(values)), values, color="#0072B2")
    ax.axhline(eps, color="#D55E00", linestyle="--")
    ax.text(1, eps, " " + tr("chart.kdist.eps", lang, eps=f"{eps:.3g}"), va="bottom", color="#D55E00")
    ax.set_xlabel(tr("chart.kdist.x", lang) + " (%)")
    ax.set_ylabel(tr("chart.kdist.y", lang))
    ax.set_title(tr("chart.kdist.title", lang, k=k))
    ax.grid(alpha=0.2)


def draw_dendrogram(fig, linkage_matrix, k: int, lang: str | None = None, top: int = 30) -> None:
    """The top of the merge tree, with the height where it is cut into *k* segments."""
    Z = np.asarray(linkage_matrix, dtype=float)
    ax = fig.add_subplot(111)
    dendrogram(Z, p=top, truncate_mode="lastp", ax=ax, no_labels=True, color_threshold=0,
               above_threshold_color="#555555")
    if 1 <= k <= len(Z):
        cut = (Z[-k, 2] + Z[-k + 1, 2]) / 2 if k > 1 else Z[-1, 2]
        ax.axhline(cut, color="#D55E00", linestyle="--")
        ax.text(ax.get_xlim()[1], cut, tr("chart.tree.cut", lang, k=k) + " ", ha="right", va="bottom",
                color="#D55E00")
    ax.set_ylabel(tr("chart.tree.y", lang))
    ax.set_title(tr("chart.tree.title", lang, n=top))
    ax.spines[["top", "right"]].set_visible(False)
