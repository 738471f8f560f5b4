"""How good is a segmentation: internal scores and stability under resampling.

Also holds the checks and helpers every segmenter shares (input validation
with clear messages, canonical label order, fixed random samples), so that
:mod:`persona_desktop.core.segments.methods` and :mod:`persona_desktop.core.segments.rfm`
behave alike.

Scores (scikit-learn's definitions):

- silhouette, in [-1, 1], higher is better; on a fixed random sample of at
  most ``sample_size`` customers for large data (it is quadratic);
- Calinski–Harabasz, higher is better; Davies–Bouldin, lower is better
  (both linear, always on every customer);
- stability: mean adjusted Rand index between re-fits on random resamples,
  compared on the customers two resamples share; near 1 means the segments
  are real structure, near 0 means they are an artefact of the run.

DBSCAN noise (label -1) is left out of the scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from sklearn.base import clone
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    pairwise_distances,
    silhouette_samples,
    silhouette_score,
)
from sklearn.utils import check_random_state

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress

__all__ = [
    "QualityReport", "StabilityReport", "quality", "stability",
    "check_matrix", "canonical_labels", "sample_indices", "SILHOUETTE_SAMPLE",
]

SILHOUETTE_SAMPLE = 5000

register({
    "segment.error.too_few": (
        "Segmenting needs at least 2 customers; there are {n}.",
        "分群至少需要 2 位客户，当前只有 {n} 位。"),
    "segment.error.no_features": ("There are no features to segment on.", "没有可用于分群的特征。"),
    "segment.error.not_finite": (
        "The features contain missing or infinite values; prepare them with prepare_features first.",
        "特征中含有缺失值或无穷大，请先用 prepare_features 处理。"),
    "segment.error.identical": (
        "All {n} customers have exactly the same values, so there are no groups to find.",
        "全部 {n} 位客户的取值完全相同，无法分群。"),
    "segment.error.k_too_large": (
        "Cannot make {k} segments: there are only {n} customers with different values.",
        "无法分成 {k} 组：取值不同的客户只有 {n} 位。"),
    "segment.error.k_too_small": ("The number of segments must be at least 2 (got {k}).",
                                  "分组数至少为 2（当前为 {k}）。"),
    "segment.error.labels": ("The segment labels do not match the customers ({n} labels for {m} customers).",
                             "分组标签与客户数不一致（{n} 个标签，{m} 位客户）。"),
    "quality.note.sampled": (
        "Silhouette computed on a random sample of {n} of {total} customers.",
        "轮廓系数基于 {total} 位客户中随机抽取的 {n} 位计算。"),
    "quality.note.one_segment": (
        "Quality scores need at least 2 segments.", "质量指标至少需要 2 个分组。"),
    "quality.note.noise_left_out": (
        "{n} noise customers are left out of the scores.", "{n} 位噪声客户未计入指标。"),
    "progress.stability": ("Checking stability ({i} of {n})…", "正在检验稳定性（第 {i}/{n} 次）…"),
})


# ------------------------------------------------------------------ helpers
def check_matrix(X, *, min_distinct: int = 2) -> "np.ndarray":
    """The float matrix of ``X`` (a FeatureMatrix or array-like), checked.

    Raises
    ------
    DataError
        Fewer than 2 customers, no features, missing/infinite values, or all
        customers identical.
    """
    X = getattr(X, "X", X)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise DataError("segment.error.no_features")
    n = X.shape[0]
    if n < 2:
        raise DataError("segment.error.too_few", n=n)
    if X.shape[1] == 0:
        raise DataError("segment.error.no_features")
    if not np.isfinite(X).all():
        raise DataError("segment.error.not_finite")
    if min_distinct >= 2 and not (X != X[0]).any():
        raise DataError("segment.error.identical", n=n)
    return np.ascontiguousarray(X)


def n_distinct_rows(X: "np.ndarray", cap: int) -> int:
    """Number of distinct rows, counted up to ``cap`` (cheap when there are many)."""
    head = X[: max(cap * 20, 1000)]
    distinct = len(np.unique(head, axis=0))
    if distinct >= cap or len(head) == len(X):
        return distinct
    return len(np.unique(X, axis=0))


def canonical_labels(labels: "np.ndarray") -> "np.ndarray":
    """Renumber segments by size, largest first (ties: the one whose first member
    comes first); -1 (noise) stays -1. Makes results comparable across runs."""
    labels = np.asarray(labels)
    out = np.full(labels.shape, -1, dtype=np.intp)
    ids, first, counts = np.unique(labels[labels >= 0], return_index=True, return_counts=True)
    if len(ids) == 0:
        return out
    first_pos = np.flatnonzero(labels >= 0)[first]
    order = np.lexsort((first_pos, -counts))
    mapping = np.full(ids.max() + 1 if ids.min() >= 0 else 0, -1, dtype=np.intp)
    mapping[ids[order]] = np.arange(len(ids))
    mask = labels >= 0
    out[mask] = mapping[labels[mask]]
    return out


def sample_indices(n: int, size: int | None, random_state) -> "np.ndarray | None":
    """Sorted indices of a fixed random sample of ``size`` of ``n`` rows, or None
    when no sampling is needed. The same ``random_state`` gives the same sample."""
    if size is None or n <= size:
        return None
    rng = check_random_state(random_state)
    return np.sort(rng.choice(n, size=int(size), replace=False))


def centres_of(X: "np.ndarray", labels: "np.ndarray", k: int) -> "np.ndarray":
    """Mean of each segment 0..k-1 (noise ignored)."""
    mask = labels >= 0
    sums = np.zeros((k, X.shape[1]))
    np.add.at(sums, labels[mask], X[mask])
    counts = np.bincount(labels[mask], minlength=k).astype(float)
    return sums / np.maximum(counts, 1)[:, None]


def silhouette_on_sample(X, labels, idx, metric="euclidean") -> float | None:
    """Mean silhouette on rows ``idx`` (all rows when None); None if undefined."""
    Xs, ls = (X, labels) if idx is None else (X[idx], labels[idx])
    keep = ls >= 0
    Xs, ls = Xs[keep], ls[keep]
    n_labels = len(np.unique(ls))
    if n_labels < 2 or n_labels >= len(ls):
        return None
    return float(silhouette_score(Xs, ls, metric=metric))


def silhouettes_from_distances(D: "np.ndarray", labels: "np.ndarray") -> "np.ndarray":
    """Per-row silhouettes from a square distance matrix (scikit-learn's definition:
    0 for a row alone in its segment). All labels must be >= 0."""
    n = len(labels)
    codes, labels = np.unique(labels, return_inverse=True)
    onehot = np.zeros((n, len(codes)))
    onehot[np.arange(n), labels] = 1.0
    sums = D @ onehot  # distance of each row to all members of each segment
    counts = onehot.sum(axis=0)
    rows = np.arange(n)
    own = counts[labels]
    a = sums[rows, labels] / np.maximum(own - 1, 1)
    means = sums / counts
    means[rows, labels] = np.inf
    b = means.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (b - a) / np.maximum(a, b)
    s[(own <= 1) | ~np.isfinite(s)] = 0.0
    return s


class SampleDistances:
    """The distances between the customers of a fixed sample, computed once.

    Choosing k scores one labelling after another on the same sample; the
    pairwise distances are what costs (quadratic), the scoring itself is a
    matrix product. At the default 5,000 customers the matrix takes 200 MB.
    """

    def __init__(self, X: "np.ndarray", idx: "np.ndarray | None", metric: str = "euclidean") -> None:
        self.idx = idx
        Xs = X if idx is None else X[idx]
        self.D = pairwise_distances(Xs, metric=metric)

    def silhouette(self, labels: "np.ndarray") -> float | None:
        """Mean silhouette of *labels* (one per customer of the full table) on the sample."""
        ls = labels if self.idx is None else labels[self.idx]
        keep = ls >= 0
        D = self.D if keep.all() else self.D[np.ix_(keep, keep)]
        ls = ls[keep]
        n_labels = len(np.unique(ls))
        if n_labels < 2 or n_labels >= len(ls):
            return None
        return float(silhouettes_from_distances(D, ls).mean())


# ------------------------------------------------------------------ quality
@dataclass(frozen=True)
class QualityReport:
    """Internal quality of a segmentation.

    Attributes
    ----------
    silhouette : float or None
        Mean silhouette (noise left out); None with fewer than 2 segments.
    silhouette_per_segment : dict
        ``{label: mean silhouette of its sampled members}``.
    calinski_harabasz, davies_bouldin : float or None
    n_segments : int
    n_noise : int
    sample_size : int
        Customers the silhouette was computed on.
    sample_labels, sample_silhouettes : ndarray
        Per-customer silhouettes of the sample, for a silhouette plot.
    notes : list of Message
    """

    silhouette: float | None
    silhouette_per_segment: dict[int, float]
    calinski_harabasz: float | None
    davies_bouldin: float | None
    n_segments: int
    n_noise: int
    sample_size: int
    sample_labels: Any = None
    sample_silhouettes: Any = None
    notes: list[Message] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"silhouette": self.silhouette, "calinski_harabasz": self.calinski_harabasz,
                "davies_bouldin": self.davies_bouldin,
                "silhouette_per_segment": {str(k): v for k, v in self.silhouette_per_segment.items()},
                "sample_size": self.sample_size, "n_noise": self.n_noise}


def quality(X, labels, random_state=0, sample_size: int | None = SILHOUETTE_SAMPLE,
            metric: str = "euclidean") -> QualityReport:
    """Silhouette (overall and per segment), Calinski–Harabasz and Davies–Bouldin.

    Parameters
    ----------
    X : FeatureMatrix or array of shape (n, d)
    labels : array of int, noise = -1
    random_state : int, RandomState or None
        Chooses the silhouette sample.
    sample_size : int or None
        Silhouette on at most this many customers; None: on all of them.
    metric : str
        Distance for the silhouette (the segmenter's metric).
    """
    X = check_matrix(X, min_distinct=0)
    labels = np.asarray(labels, dtype=np.intp)
    if labels.shape != (X.shape[0],):
        raise DataError("segment.error.labels", n=len(labels), m=X.shape[0])
    notes: list[Message] = []
    keep = labels >= 0
    n_noise = int((~keep).sum())
    if n_noise:
        notes.append(Message("quality.note.noise_left_out", {"n": n_noise}))
    Xk, lk = X[keep], labels[keep]
    segs = np.unique(lk)
    if len(segs) < 2 or len(segs) >= len(lk):
        notes.append(Message("quality.note.one_segment"))
        return QualityReport(None, {}, None, None, len(segs), n_noise, 0, notes=notes)
    idx = sample_indices(len(lk), sample_size, random_state)
    Xs, ls = (Xk, lk) if idx is None else (Xk[idx], lk[idx])
    if idx is not None:
        notes.append(Message("quality.note.sampled", {"n": len(idx), "total": len(lk)}))
    if len(np.unique(ls)) >= 2:
        sil = silhouette_samples(Xs, ls, metric=metric)
        overall = float(sil.mean())
        per = {int(s): float(sil[ls == s].mean()) for s in np.unique(ls)}
    else:  # pragma: no cover - a sample of thousands always has 2 segments
        sil, overall, per = np.zeros(len(ls)), None, {}
    return QualityReport(
        silhouette=overall, silhouette_per_segment=per,
        calinski_harabasz=float(calinski_harabasz_score(Xk, lk)),
        davies_bouldin=float(davies_bouldin_score(Xk, lk)),
        n_segments=len(segs), n_noise=n_noise, sample_size=len(ls),
        sample_labels=ls, sample_silhouettes=sil, notes=notes,
    )


# ------------------------------------------------------------------ stability
@dataclass(frozen=True)
class StabilityReport:
    """Agreement of re-fits on resamples.

    Attributes
    ----------
    mean_ari : float
        Mean adjusted Rand index over all pairs of runs, on shared customers.
    pair_ari : list of float
    n_runs : int
    frac : float
    """

    mean_ari: float
    pair_ari: list[float]
    n_runs: int
    frac: float

    def to_json(self) -> dict:
        return {"mean_ari": self.mean_ari, "n_runs": self.n_runs, "frac": self.frac}


def _make(factory):
    """A fresh segmenter from a factory callable or an estimator to clone."""
    if hasattr(factory, "get_params") and hasattr(factory, "fit"):
        return clone(factory)
    return factory()


def stability(segmenter_factory: Callable[[], Any] | Any, X, n_runs: int = 5, frac: float = 0.8,
              random_state=0, max_rows: int | None = 20_000,
              progress: Progress = NULL_PROGRESS) -> StabilityReport:
    """Mean adjusted Rand index between segmentations of random resamples.

    Parameters
    ----------
    segmenter_factory : callable or segmenter
        ``factory()`` returns an unfitted segmenter; a segmenter is cloned.
        Fix ``n_clusters`` to the chosen k to measure the segments themselves
        rather than the choice of k as well.
    X : FeatureMatrix or array
    n_runs : int
        Resamples (each pair of runs is compared: ``n_runs*(n_runs-1)/2`` ARIs).
    frac : float
        Share of customers drawn (without replacement) for each run.
    random_state : int or None
    max_rows : int or None
        Each resample holds at most this many customers (keeps large data fast).
    progress : Progress
        Reported and checked once per run.
    """
    X = check_matrix(X)
    n = X.shape[0]
    m = max(2, int(round(frac * n)))
    if max_rows is not None:
        m = min(m, max_rows)
    rng = check_random_state(random_state)
    runs: list[tuple[np.ndarray, np.ndarray]] = []
    for i in range(n_runs):
        progress.report(i / n_runs, Message("progress.stability", {"i": i + 1, "n": n_runs}).text())
        idx = np.sort(rng.choice(n, size=m, replace=False))
        seg = _make(segmenter_factory)
        seg.fit(X[idx], progress=progress.sub(i / n_runs, (i + 1) / n_runs))
        runs.append((idx, np.asarray(seg.labels_)))
    aris = []
    for a in range(n_runs):
        for b in range(a + 1, n_runs):
            ia, la = runs[a]
            ib, lb = runs[b]
            _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
            if len(pa) >= 2:
                aris.append(float(adjusted_rand_score(la[pa], lb[pb])))
    progress.report(1.0)
    return StabilityReport(float(np.mean(aris)) if aris else float("nan"), aris, n_runs, frac)
