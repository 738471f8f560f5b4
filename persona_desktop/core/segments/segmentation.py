"""Customer segmentation: the public entry points.

The analysers live in :mod:`~persona_desktop.core.segments.methods` (K-Means,
DBSCAN, hierarchical), :mod:`~persona_desktop.core.segments.rfm` (RFM scores and
groups) and :mod:`~persona_desktop.core.segments.quality` (scores and stability); this
module re-exports them and adds

- :func:`choose_method` — the sensible default for a table (``--method auto``);
- :func:`make_segmenter` — a segmenter from a method name and parameters;
- :func:`run_segmentation` — features → fit → quality in one call, the plain
  function a GUI worker or the command line runs (Orange's ``run`` pattern),
  returning a :class:`Segmentation`.

Example::

    from persona_desktop.core.segments.segmentation import run_segmentation
    result = run_segmentation(inspection.customers, kind=inspection.kind)
    result.labels, result.quality.silhouette, result.segmenter.k_scores_
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import pandas as pd
from sklearn.base import clone

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import Role, TableKind
from persona_desktop.core.segments.features import (
    CATEGORICAL_ROLES,
    NEVER_FEATURE_ROLES,
    FeatureMatrix,
    FeatureSpec,
    prepare_features,
)
from persona_desktop.core.segments.methods import (
    LINKAGES,
    METRICS,
    DBSCANSegmenter,
    HierarchicalSegmenter,
    KMeansSegmenter,
)
from persona_desktop.core.segments.quality import QualityReport, StabilityReport, quality, stability
from persona_desktop.core.segments.rfm import RFM_GROUPS, RFMScorer
from persona_desktop.core.table.rfm_columns import find_rfm_columns

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "KMeansSegmenter", "DBSCANSegmenter", "HierarchicalSegmenter", "RFMScorer",
    "quality", "stability", "QualityReport", "StabilityReport",
    "MethodChoice", "choose_method", "make_segmenter", "Segmentation", "run_segmentation",
    "METHODS", "METRICS", "LINKAGES", "RFM_GROUPS",
]

from persona_desktop.core.segments.method_names import METHODS  # noqa: E402  (the names live there, for the GUI)

register({
    "segment.choice.rfm_orders": (
        "K-Means with an automatic number of segments on recency (days) and log-scaled frequency and monetary value.",
        "基于最近消费天数及对数变换后的消费频率和消费金额（RFM）做 K-Means，自动确定分组数。"),
    "segment.choice.numeric": (
        "K-Means with an automatic number of segments on the numeric attributes.",
        "基于数值属性做 K-Means，自动确定分组数。"),
    "segment.choice.all": (
        "K-Means with an automatic number of segments on the customers' attributes.",
        "基于客户属性做 K-Means，自动确定分组数。"),
    "segment.error.baskets": (
        "A basket file has no customers to segment; use it for product associations.",
        "购物篮文件中没有客户信息，无法分群，可用于商品关联分析。"),
    "segment.error.method": (
        "Unknown method “{method}”; use auto, kmeans, dbscan, hierarchical or rfm.",
        "未知的方法“{method}”，请使用 auto、kmeans、dbscan、hierarchical 或 rfm。"),
    "segment.noise": ("Noise", "噪声"),
    "segment.note.unused": ("{method} does not use {options}; those settings were left aside "
                            "(K-Means measures Euclidean distance; DBSCAN and RFM find the number of groups themselves).",
                            "{method} 不使用 {options}，这些设置未生效（K-Means 使用欧氏距离；DBSCAN 和 RFM 自行确定分组数）。"),
    "progress.quality": ("Measuring segment quality…", "正在评估分组质量…"),
})


def _frame_and_roles(customers, roles):
    if hasattr(customers, "data") and not hasattr(customers, "columns"):
        df = customers.data
        merged = dict(getattr(customers, "roles", None) or {})
        merged.update(roles or {})
        key = getattr(customers, "key", None)
        if key is not None:
            merged[key] = Role.CUSTOMER_ID
        return df, {c: Role(r) for c, r in merged.items()}
    return customers, {c: Role(r) for c, r in (roles or {}).items()}


@dataclass(frozen=True)
class MethodChoice:
    """A method with its features and parameters, and why it was chosen."""

    method: str
    features: tuple[str, ...] | None
    scaling: str = "standard"
    log: Any = "auto"
    params: Mapping[str, Any] = field(default_factory=dict)
    reason: Message | None = None

    def feature_spec(self) -> FeatureSpec:
        return FeatureSpec(self.features, self.scaling, self.log)

    def make_segmenter(self, random_state=0):
        return make_segmenter(self.method, random_state=random_state, **dict(self.params))


def choose_method(customers, roles: Mapping[str, Role | str] | None = None,
                  kind: TableKind | str | None = None) -> MethodChoice:
    """The default segmentation for a table (``--method auto``).

    Order data (customers built from order lines, with recency, frequency and
    monetary columns): K-Means with automatic k on R in days and log1p-scaled
    F and M.
    A customer file: K-Means with automatic k on its numeric attributes (all
    usable attributes when it has no numeric one).

    Raises
    ------
    DataError
        For a basket file.
    """
    kind = TableKind(kind) if kind is not None else None
    if kind is TableKind.BASKETS:
        raise DataError("segment.error.baskets")
    df, roles = _frame_and_roles(customers, roles)
    rfm = find_rfm_columns(df)
    # order lines, or a customer file with its own recency, frequency and spend columns (the
    # textbook's R, F, M; 累计消费次数…): segments by behaviour, attributes describe them on the cards
    if len(rfm) == 3 and all(pd.api.types.is_numeric_dtype(df[c]) for c in rfm.values()):
        cols = (rfm["recency"], rfm["frequency"], rfm["monetary"])
        # days since the last order are bounded by the file's span and not heavy-tailed: a log scale
        # would stretch "3 or 30 days ago" apart and squeeze "300 or 700 days ago" together
        return MethodChoice("kmeans", cols, "standard", cols[1:], {}, Message("segment.choice.rfm_orders"))
    numeric = tuple(
        c for c in df.columns
        if roles.get(c) not in NEVER_FEATURE_ROLES and roles.get(c) not in CATEGORICAL_ROLES
        and pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    )
    if numeric:
        return MethodChoice("kmeans", numeric, "standard", "auto", {}, Message("segment.choice.numeric"))
    return MethodChoice("kmeans", None, "standard", "auto", {}, Message("segment.choice.all"))


def make_segmenter(method: str, *, k: int | None = None, random_state=0, metric: str = "euclidean",
                   linkage: str = "ward", eps: float | None = None, min_samples: int | None = None,
                   **params):
    """A segmenter for ``method`` ("kmeans", "dbscan", "hierarchical", "rfm")."""
    if method == "kmeans":
        return KMeansSegmenter(n_clusters=k, random_state=random_state, **params)
    if method == "hierarchical":
        return HierarchicalSegmenter(n_clusters=k, linkage=linkage, metric=metric,
                                     random_state=random_state, **params)
    if method == "dbscan":
        return DBSCANSegmenter(eps=eps, min_samples=min_samples, metric=metric,
                               random_state=random_state, **params)
    if method == "rfm":
        return RFMScorer(**params)
    raise DataError("segment.error.method", method=method)


@dataclass(frozen=True)
class Segmentation:
    """The result of :func:`run_segmentation`.

    Attributes
    ----------
    method : str
        The method actually run ("kmeans", "dbscan", "hierarchical", "rfm").
    segmenter : fitted segmenter (its attributes: ``k_scores_``, ``eps_``…)
    features : FeatureMatrix
        The matrix the segments were found in (RFM: log-scaled R, F, M, used
        for the quality scores).
    labels : ndarray of int
        Segment of each customer, row for row with the table; -1 = noise.
    n_segments : int
        Segments, noise not counted.
    segment_names : list of Message or None
        Fixed names (RFM groups); None for clusters (the personas name them).
    quality : QualityReport
    stability : StabilityReport or None
    notes : list of Message
        Everything the user should be told, features first.
    choice : MethodChoice or None
        Set when the method was chosen automatically.
    """

    method: str
    segmenter: Any
    features: FeatureMatrix
    labels: "np.ndarray"
    n_segments: int
    segment_names: list[Message] | None
    quality: QualityReport
    stability: StabilityReport | None = None
    notes: list[Message] = field(default_factory=list)
    choice: MethodChoice | None = None
    # rows of a handful of customers too unlike the rest to be a persona, yet a segment of their own at
    # the k passed over for it (the largest accounts): they sit in their nearest segment and are listed apart
    set_apart: "np.ndarray | None" = None

    @property
    def has_noise(self) -> bool:
        return bool((self.labels < 0).any())

    def metrics_json(self) -> dict:
        q = self.quality
        return {"silhouette": q.silhouette, "calinski_harabasz": q.calinski_harabasz,
                "davies_bouldin": q.davies_bouldin,
                "stability": None if self.stability is None else self.stability.mean_ari,
                "silhouette_per_segment": {str(k): v for k, v in q.silhouette_per_segment.items()}}


def _ignored_options(method: str, *, k, metric, linkage, eps, min_samples) -> list[Message]:
    """Notes for options the chosen method does not use, so none is ignored silently."""
    unused = []
    if k is not None and method in ("dbscan", "rfm"):
        unused.append("k")
    if metric != "euclidean" and method in ("kmeans", "rfm"):
        unused.append(f"metric={metric}")
    if linkage != "ward" and method != "hierarchical":
        unused.append(f"linkage={linkage}")
    if (eps is not None or min_samples is not None) and method != "dbscan":
        unused.append("eps/min_samples")
    if not unused:
        return []
    return [Message("segment.note.unused", {"method": method, "options": ", ".join(unused)})]


def run_segmentation(
    customers,
    roles: Mapping[str, Role | str] | None = None,
    kind: TableKind | str | None = None,
    *,
    method: str = "auto",
    k: int | None = None,
    features: Sequence[str] | None = None,
    scaling: str = "standard",
    log: Any = "auto",
    metric: str = "euclidean",
    linkage: str = "ward",
    eps: float | None = None,
    min_samples: int | None = None,
    random_state=0,
    stability_runs: int = 0,
    progress: Progress = NULL_PROGRESS,
) -> Segmentation:
    """Prepare features, fit the segmenter, measure quality (and stability).

    Parameters
    ----------
    customers : CustomerTable or DataFrame
    roles : mapping, optional
    kind : TableKind, optional
        ORDERS (customers built from order lines) or CUSTOMERS; used by "auto".
    method : {"auto", "kmeans", "dbscan", "hierarchical", "rfm"}
    k : int, optional
        Number of segments (K-Means, hierarchical); None chooses it.
    features, scaling, log
        See :func:`~persona_desktop.core.segments.features.prepare_features`. With
        "auto" and no features given, the choice's features are used.
    metric, linkage, eps, min_samples
        Passed to the segmenter where it has them.
    random_state : int
    stability_runs : int
        0: skip; else resamples for :func:`stability` (k fixed to the result's).
    progress : Progress
    """
    if method not in METHODS:
        raise DataError("segment.error.method", method=method)
    choice = None
    spec = FeatureSpec(None if features is None else tuple(features), scaling,
                       log if isinstance(log, (bool, str)) else tuple(log))
    if method == "auto":
        choice = choose_method(customers, roles, kind)
        method = choice.method
        if features is None:  # chosen, not named: treated as the defaults are (a mostly empty one left out)
            spec = FeatureSpec(choice.features, scaling, choice.log if log == "auto" else log, chosen=True)
    df, all_roles = _frame_and_roles(customers, roles)
    notes: list[Message] = []
    if method == "rfm":
        scorer = RFMScorer()
        scorer.fit(df, progress=progress.sub(0.0, 0.3))
        cols = scorer.columns_
        fm = prepare_features(df, all_roles, [cols["recency"], cols["frequency"], cols["monetary"]],
                              scaling, log=True, progress=progress.sub(0.3, 0.4))
        segmenter, labels, names = scorer, scorer.labels_, list(scorer.group_names_)
        metric_q = "euclidean"
    else:
        fm = prepare_features(df, all_roles, spec=spec, progress=progress.sub(0.0, 0.1))
        segmenter = make_segmenter(method, k=k, random_state=random_state, metric=metric,
                                   linkage=linkage, eps=eps, min_samples=min_samples)
        segmenter.fit(fm, progress=progress.sub(0.1, 0.85))
        labels, names = segmenter.labels_, None
        metric_q = getattr(segmenter, "metric", "euclidean")
    notes.extend(_ignored_options(method, k=k, metric=metric, linkage=linkage, eps=eps, min_samples=min_samples))
    notes.extend(fm.notes)
    notes.extend(segmenter.notes_)
    progress.report(0.85, Message("progress.quality").text())
    q = quality(fm, labels, random_state=random_state, metric=metric_q)
    stab = None
    if stability_runs and method != "rfm":
        fixed = clone(segmenter)
        if hasattr(fixed, "n_clusters") and segmenter.n_clusters_ >= 2:
            fixed.set_params(n_clusters=segmenter.n_clusters_)
        if hasattr(fixed, "eps") and getattr(segmenter, "eps_", None) is not None:
            fixed.set_params(eps=segmenter.eps_)
        stab = stability(fixed, fm, n_runs=stability_runs, random_state=random_state,
                         progress=progress.sub(0.9, 1.0))
    progress.report(1.0)
    n_seg = int(labels.max()) + 1 if (labels >= 0).any() else 0
    return Segmentation(method, segmenter, fm, labels, n_seg, names, q, stab, notes, choice,
                        set_apart=getattr(segmenter, "set_apart_", None))
