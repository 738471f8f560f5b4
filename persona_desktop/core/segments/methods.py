"""The clustering segmenters: K-Means, DBSCAN and hierarchical clustering.

scikit-learn conventions (``sklearn/base.py``): ``__init__`` only stores the
parameters, ``fit(X, progress)`` returns ``self``, learned attributes end in
``_``, ``random_state`` is kept as given, so the segmenters can be cloned,
compared and used from scripts. ``X`` is a :class:`~persona_desktop.core.segments.features.FeatureMatrix`
or a 2-D float array.

Every segmenter sets:

``labels_``            int array, one per customer; segments are numbered by size,
                       largest first; DBSCAN noise is -1
``n_clusters_``        number of segments (noise not counted)
``cluster_centers_``   centre of each segment in the feature space
``sizes_``             customers per segment
``notes_``             list of Message: what the user should be told (sampling…)
``sample_indices_``    the customers the clustering was fitted on when it was
                       fitted on a sample (the others were assigned), else None

Same data and ``random_state`` → the same labels.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from sklearn.base import BaseEstimator, ClusterMixin

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.segments.quality import (
    SILHOUETTE_SAMPLE, SampleDistances, canonical_labels, centres_of, check_matrix, n_distinct_rows,
    sample_indices, silhouette_on_sample,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["KMeansSegmenter", "DBSCANSegmenter", "HierarchicalSegmenter", "METRICS", "LINKAGES"]

METRICS = ("euclidean", "manhattan", "cosine")
LINKAGES = ("ward", "average", "complete")

register({
    "progress.kmeans_k": ("K-Means: trying {k} segments…", "K-Means：尝试分成 {k} 组…"),
    "progress.dbscan_eps": ("DBSCAN: choosing the radius…", "DBSCAN：正在选择邻域半径…"),
    "progress.dbscan": ("DBSCAN: finding dense groups…", "DBSCAN：正在寻找密集群组…"),
    "progress.assign": ("Assigning the other customers…", "正在分配其余客户…"),
    "progress.tree": ("Hierarchical clustering: building the tree…", "层次聚类：正在构建聚类树…"),
    "progress.tree_k": ("Hierarchical clustering: trying {k} segments…", "层次聚类：尝试分成 {k} 组…"),
    "segment.note.silhouette_sample": (
        "k was chosen by the silhouette on a fixed random sample of {n} of {total} customers.",
        "k 值依据从 {total} 位客户中固定随机抽取的 {n} 位的轮廓系数选定。"),
    "segment.note.minibatch": (
        "With {n} customers, Mini-Batch K-Means was used (much faster, nearly the same segments).",
        "客户数为 {n}，已改用 Mini-Batch K-Means（速度快得多，分组几乎相同）。"),
    "segment.note.k_few": (
        "With {n} customers, at most {k} segments were tried: a persona needs about ten customers or more",
        "客户只有 {n} 位，最多尝试 {k} 个分组：一个画像大约需要十位以上的客户"),
    "segment.note.k_capped": (
        "Only {n} customers have different values, so at most {n} segments were tried.",
        "只有 {n} 位客户的取值不同，因此最多尝试 {n} 组。"),
    "segment.note.k_chosen": (
        "{k} segments chosen automatically (best silhouette {score:.2f} among k = {lo}–{hi}).",
        "自动选定 {k} 组（k = {lo}–{hi} 中轮廓系数最高，为 {score:.2f}）。"),
    "segment.note.tiny_passed_over": (
        "k = {k} scored better but would give {n} customers a segment of their own (under 1 %): an outlier group "
        "is no persona, so they sit with their nearest segment and are listed apart as outlying accounts",
        "k = {k} 的得分更高，但会让 {n} 位客户单独成组（不足 1%）：离群的少数客户不构成画像，已归入最接近的分组，"
        "并作为离群客户单独列出"),
    "segment.note.k_chosen_not_two": (
        "{k} segments chosen automatically (silhouette {score:.2f}; two segments scored at most 0.03 more, "
        "too little to merge groups that differ).",
        "自动选定 {k} 组（轮廓系数 {score:.2f}；分成两组的得分至多高 0.03，不足以把不同的群体合并）。"),
    "segment.note.sample_fit": (
        "With {total} customers, the clustering was fitted on a random sample of {n}; "
        "the others were assigned to the nearest segment centre.",
        "客户数为 {total}，聚类在随机抽取的 {n} 位客户上完成，其余客户归入最近的分组中心。"),
    "segment.note.dbscan_sample": (
        "With {total} customers, DBSCAN was run on a random sample of {n}; each other customer "
        "joined the group of the nearest core customer within the radius, or the noise group.",
        "客户数为 {total}，DBSCAN 在随机抽取的 {n} 位客户上运行；其余客户归入半径内最近核心客户所在的组，否则归为噪声。"),
    "segment.note.eps": (
        "Neighbourhood radius eps = {eps:.3g}, read from the knee of the {k}-nearest-neighbour distance curve.",
        "邻域半径 eps = {eps:.3g}，取自第 {k} 近邻距离曲线的拐点。"),
    "segment.note.noise": (
        "{n} customers ({share:.0%}) fit no dense group; they are shown as their own group “Noise”.",
        "{n} 位客户（{share:.0%}）不属于任何密集群组，单独列为“噪声”组。"),
    "segment.note.no_clusters": (
        "DBSCAN found no dense group with this radius; try a larger eps or fewer minimum neighbours.",
        "在此半径下 DBSCAN 未找到密集群组，请尝试更大的 eps 或更少的最少邻居数。"),
    "segment.error.metric": ("Unknown distance “{metric}”; use euclidean, manhattan or cosine.",
                             "未知的距离“{metric}”，请使用 euclidean、manhattan 或 cosine。"),
    "segment.error.linkage": ("Unknown linkage “{linkage}”; use ward, average or complete.",
                              "未知的连接方式“{linkage}”，请使用 ward、average 或 complete。"),
    "segment.error.ward_metric": (
        "Ward linkage works with Euclidean distance only; choose average or complete linkage for {metric}.",
        "Ward 连接只能使用欧氏距离；若要使用 {metric}，请选择 average 或 complete 连接。"),
    "segment.error.cosine_zero": (
        "Cosine distance is undefined for {n} customers whose scaled values are all zero; use another distance.",
        "有 {n} 位客户缩放后的取值全为零，无法计算余弦距离，请换用其他距离。"),
    "segment.error.eps": ("eps must be a positive number (got {eps}).", "eps 必须为正数（当前为 {eps}）。"),
    "segment.error.min_samples": ("min_samples must be at least 2 (got {n}).", "min_samples 至少为 2（当前为 {n}）。"),
})


# ------------------------------------------------------------------ shared
class _Segmenter(ClusterMixin, BaseEstimator):
    """Common finishing of the segmenters (labels order, centres, sizes)."""

    def fit_predict(self, X, y=None, progress: Progress = NULL_PROGRESS):
        return self.fit(X, progress=progress).labels_

    def _finish(self, X: "np.ndarray", raw_labels: "np.ndarray", notes: list) -> None:
        import numpy as np

        labels = canonical_labels(raw_labels)
        k = int(labels.max()) + 1 if (labels >= 0).any() else 0
        self.labels_ = labels
        self.n_clusters_ = k
        self.sizes_ = np.bincount(labels[labels >= 0], minlength=k)
        self.cluster_centers_ = centres_of(X, labels, k)
        self.n_features_in_ = X.shape[1]
        self.notes_ = notes

    def predict(self, X) -> "np.ndarray":
        """Nearest segment centre of each row (DBSCAN: see its own ``predict``)."""
        from sklearn.metrics import pairwise_distances_argmin

        X = check_matrix(X, min_distinct=0)
        return pairwise_distances_argmin(X, self.cluster_centers_)


def _check_metric(metric: str) -> str:
    if metric not in METRICS:
        raise DataError("segment.error.metric", metric=metric)
    return metric


MIN_AVERAGE_SEGMENT = 10  # customers per segment, on average, that automatic k aims for at least


def _k_candidates(X, n_clusters, k_range, notes) -> list[int]:
    """The ks to try, checked against the number of distinct customers."""
    if n_clusters is not None:
        k = int(n_clusters)
        if k < 2:
            raise DataError("segment.error.k_too_small", k=k)
        distinct = n_distinct_rows(X, cap=k)
        if k > distinct:
            raise DataError("segment.error.k_too_large", k=k, n=distinct)
        return [k]
    lo, hi = (int(v) for v in k_range)
    lo = max(lo, 2)
    hi = max(hi, lo)
    few = max(2, X.shape[0] // MIN_AVERAGE_SEGMENT)  # 34 customers in 10 segments are not personas
    if few < hi:
        notes.append(Message("segment.note.k_few", {"n": X.shape[0], "k": few}))
        hi = few
        lo = min(lo, hi)
    distinct = n_distinct_rows(X, cap=hi)
    if distinct < hi:
        notes.append(Message("segment.note.k_capped", {"n": distinct}))
        hi = distinct
        lo = min(lo, hi)
    return list(range(lo, hi + 1))


# k-means++ starts per k for a shop of up to MANY_STARTS_UP_TO customers. Four starts left one
# generated shop (2,500 customers, four planted groups) in a local optimum at k = 4: inertia 1,411
# against 1,399, silhouette 0.48 against 0.56, so k = 2 won. Ten find the optimum there.
MANY_STARTS, MANY_STARTS_UP_TO = 10, 50_000
# How much better two segments must score than the best larger k to be chosen (see _pick_k).
TWO_SEGMENT_MARGIN = 0.03
TINY_SEGMENT = 0.01  # a segment under this share of the customers is an outlier group, not a persona


def passed_over(scores: list[dict]) -> dict | None:
    """The score of the k passed over for giving a handful of customers a segment of their own, when it
    scored better than every k without one; its ``tiny_rows`` are those customers (see _pick_k)."""
    valid = [s for s in scores if s["silhouette"] is not None]
    roomy = [s for s in valid if s.get("smallest", 1.0) >= TINY_SEGMENT]
    tiny = [s for s in valid if s.get("smallest", 1.0) < TINY_SEGMENT]
    if not roomy or not tiny:
        return None
    best_tiny = max(tiny, key=lambda s: (round(s["silhouette"], 12), -s["k"]))
    return best_tiny if best_tiny["silhouette"] > max(s["silhouette"] for s in roomy) else None


def _k_score(k: int, labels: "np.ndarray", silhouette, inertia: float, **more) -> dict:
    """What is kept of one k tried: its scores, its smallest segment, and the rows of its segments
    too small to be personas (under TINY_SEGMENT of the customers)."""
    import numpy as np

    counts = np.bincount(labels, minlength=k)
    n = len(labels)
    tiny = np.flatnonzero(counts < TINY_SEGMENT * n)
    return {"k": k, "silhouette": silhouette, "inertia": inertia, **more,
            "smallest": float(counts.min() / n), "smallest_n": int(counts.min()),
            "tiny_rows": np.flatnonzero(np.isin(labels, tiny)) if len(tiny) else np.empty(0, dtype=np.intp)}


def _pick_k(scores: list[dict], notes: list) -> int:
    """Best silhouette; the smaller k on a tie; the smallest k when none is defined.

    Two segments must beat the best larger k by :data:`TWO_SEGMENT_MARGIN`:
    the silhouette rewards one clean split even when each side holds groups
    of its own (one-time buyers against repeat buyers, with the new and the
    lapsed inside the first), so on the generated shops of the test suite a
    plain maximum chose 2 where 4 groups were planted, by 0.02 or less.
    """
    valid = [s for s in scores if s["silhouette"] is not None]
    if not valid:
        return scores[0]["k"]
    # a segment of a handful of accounts (5 of 4,383: the largest) is an outlier group, not a persona:
    # a k that needs one is passed over while another k has none
    roomy = [s for s in valid if s.get("smallest", 1.0) >= TINY_SEGMENT]
    if roomy and len(roomy) < len(valid):
        passed = passed_over(scores)
        if passed is not None:
            notes.append(Message("segment.note.tiny_passed_over", {"k": passed["k"], "n": len(passed["tiny_rows"])}))
        valid = roomy
    best = max(valid, key=lambda s: (round(s["silhouette"], 12), -s["k"]))
    larger = [s for s in valid if s["k"] > 2]
    two_margin = False
    if best["k"] == 2 and larger:
        runner = max(larger, key=lambda s: (round(s["silhouette"], 12), -s["k"]))
        if best["silhouette"] - runner["silhouette"] <= TWO_SEGMENT_MARGIN:
            best, two_margin = runner, True
    if len(scores) > 1:
        notes.append(Message("segment.note.k_chosen_not_two" if two_margin else "segment.note.k_chosen", {
            "k": best["k"], "score": best["silhouette"], "lo": scores[0]["k"], "hi": scores[-1]["k"]}))
    return best["k"]


def _seed(random_state, k: int, i: int) -> int:
    """A seed for run ``i`` of k: the same for a given k whether k was set or chosen."""
    from sklearn.utils import check_random_state

    base = int(check_random_state(random_state).randint(0, 2**31 - 1))
    return (base + 7919 * k + i) % (2**31 - 1)


# ------------------------------------------------------------------ K-Means
class KMeansSegmenter(_Segmenter):
    """K-Means with k set or chosen by the silhouette.

    Parameters
    ----------
    n_clusters : int or None
        None: try every k in ``k_range`` and keep the best silhouette.
    k_range : (int, int)
        Inclusive range of k to try.
    random_state : int, RandomState or None
    sample_size : int or None
        The silhouette of each k is computed on the same fixed random sample of
        at most this many customers (it is quadratic in the customers).
    n_init : int or "auto"
        k-means++ starts per k; the lowest inertia wins. Run one at a time so
        Cancel is honoured between them. "auto": :data:`MANY_STARTS` up to
        :data:`MANY_STARTS_UP_TO` customers, 4 beyond (where each start costs
        seconds and the many customers average the starts out anyway).
    max_iter : int
    minibatch_threshold : int
        From this many customers on, Mini-Batch K-Means is used. Full K-Means
        stays affordable well beyond what a small shop has: k = 2..10 × 4
        starts on 100,000 × 8 customers take about 8 s here (bench/bench_segment.py),
        and Mini-Batch still labels every customer at each start.

    Attributes
    ----------
    labels_, n_clusters_, cluster_centers_, sizes_, notes_, sample_indices_
    k_scores_ : list of dict
        ``{"k", "silhouette", "inertia"}`` for every k tried.
    silhouette_ : float or None
        Silhouette of the chosen k (on the sample).
    inertia_ : float
    """

    def __init__(self, n_clusters=None, k_range=(2, 10), random_state=0,
                 sample_size=SILHOUETTE_SAMPLE, n_init="auto", max_iter=300, minibatch_threshold=300_000):
        self.n_clusters = n_clusters
        self.k_range = k_range
        self.random_state = random_state
        self.sample_size = sample_size
        self.n_init = n_init
        self.max_iter = max_iter
        self.minibatch_threshold = minibatch_threshold

    def _fit_k(self, X, k, minibatch, progress):
        from sklearn.cluster import KMeans, MiniBatchKMeans
        from sklearn.exceptions import ConvergenceWarning

        best = None
        starts = self.n_init if self.n_init != "auto" else (MANY_STARTS if len(X) <= MANY_STARTS_UP_TO else 4)
        for i in range(max(1, int(starts))):
            progress.check()
            seed = _seed(self.random_state, k, i)
            if minibatch:
                model = MiniBatchKMeans(k, n_init=1, random_state=seed, batch_size=4096,
                                        max_iter=self.max_iter)
            else:
                model = KMeans(k, n_init=1, random_state=seed, max_iter=self.max_iter)
            with warnings.catch_warnings():
                # duplicated customers can leave fewer distinct centres; k is capped anyway
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X)
            if best is None or model.inertia_ < best.inertia_:
                best = model
        return best

    def fit(self, X, progress: Progress = NULL_PROGRESS):
        """Fit on ``X`` (FeatureMatrix or array); returns self."""
        import numpy as np

        X = check_matrix(X)
        n = X.shape[0]
        notes: list[Message] = []
        ks = _k_candidates(X, self.n_clusters, self.k_range, notes)
        minibatch = n >= self.minibatch_threshold
        if minibatch:
            notes.append(Message("segment.note.minibatch", {"n": n}))
        idx = sample_indices(n, self.sample_size, self.random_state)
        if idx is not None and len(ks) > 1:
            notes.append(Message("segment.note.silhouette_sample", {"n": len(idx), "total": n}))
        distances = SampleDistances(X, idx) if len(ks) > 1 else None
        scores, models = [], {}
        for j, k in enumerate(ks):
            progress.report(j / len(ks), Message("progress.kmeans_k", {"k": k}).text())
            model = self._fit_k(X, k, minibatch, progress)
            progress.check()
            sil = distances.silhouette(model.labels_) if distances is not None else silhouette_on_sample(X, model.labels_, idx)
            scores.append(_k_score(k, model.labels_, sil, float(model.inertia_)))
            models[k] = model
            # keep only the best model so far (and the current one) in memory
            best_k = _pick_k(scores, [])
            models = {kk: m for kk, m in models.items() if kk in (best_k, k)}
        k = _pick_k(scores, notes)
        passed = passed_over(scores)
        self.set_apart_ = passed["tiny_rows"] if passed is not None else np.empty(0, dtype=np.intp)
        model = models[k]
        raw = model.labels_
        self._finish(X, raw, notes)
        # the exact K-Means centres, in the canonical order
        order = np.empty(k, dtype=np.intp)
        order[self.labels_] = raw
        self.cluster_centers_ = np.asarray(model.cluster_centers_)[order]
        self.k_scores_ = scores
        self.silhouette_ = next(s["silhouette"] for s in scores if s["k"] == k)
        self.inertia_ = float(model.inertia_)
        self.sample_indices_ = None
        progress.report(1.0)
        return self


# ------------------------------------------------------------------ DBSCAN
def _knee(y: "np.ndarray") -> int:
    """Index of the knee of an increasing curve (Kneedle: farthest below the chord)."""
    import numpy as np

    if len(y) < 3 or y[-1] == y[0]:
        return len(y) // 2
    x = np.linspace(0.0, 1.0, len(y))
    yn = (y - y[0]) / (y[-1] - y[0])
    return int(np.argmax(x - yn))


class DBSCANSegmenter(_Segmenter):
    """Density-based groups; customers in no dense region form the noise group (-1).

    Parameters
    ----------
    eps : float or None
        Neighbourhood radius in the feature space (in the chosen metric); None:
        the knee of the sorted distances to the ``min_samples - 1``-th neighbour.
    min_samples : int or None
        Neighbours (the customer included) that make a core customer; None:
        ``max(4, 2 × features)`` (Sander et al., 1998).
    metric : {"euclidean", "manhattan", "cosine"}
    sample_size : int or None
        Above this many customers DBSCAN runs on a fixed random sample and the
        others join the group of their nearest core customer within eps (or
        the noise). Bounds time and memory.
    random_state : int, RandomState or None
    max_pairs : int
        Neighbour pairs held in memory at once (the work is done in chunks).

    Attributes
    ----------
    labels_, n_clusters_, cluster_centers_, sizes_, notes_, sample_indices_
    eps_ : float
    min_samples_ : int
    n_noise_ : int
    k_distances_ : ndarray
        The sorted k-distance curve (at most 500 points), for a chart.
    knee_fraction_ : float or None
        Where on that curve eps was read (None when eps was given).

    Notes
    -----
    Core customers and their groups are exactly DBSCAN's; a border customer
    (within eps of several groups) joins the group of its nearest core
    customer, where scikit-learn's DBSCAN takes whichever group reaches it first.
    """

    def __init__(self, eps=None, min_samples=None, metric="euclidean", sample_size=20_000,
                 random_state=0, max_pairs=5_000_000):
        self.eps = eps
        self.min_samples = min_samples
        self.metric = metric
        self.sample_size = sample_size
        self.random_state = random_state
        self.max_pairs = max_pairs

    # cosine distance on unit vectors is half the squared Euclidean distance
    def _to_tree_units(self, eps):
        return float(eps) if self.metric != "cosine" else float((2.0 * eps) ** 0.5)

    def _to_user_units(self, r):
        return float(r) if self.metric != "cosine" else float(r * r / 2.0)

    def _space(self, X):
        import numpy as np

        if self.metric != "cosine":
            return X
        norms = np.linalg.norm(X, axis=1)
        if (norms == 0).any():
            raise DataError("segment.error.cosine_zero", n=int((norms == 0).sum()))
        return X / norms[:, None]

    def fit(self, X, progress: Progress = NULL_PROGRESS):
        """Fit on ``X`` (FeatureMatrix or array); returns self."""
        import numpy as np
        from sklearn.neighbors import KDTree

        metric = _check_metric(self.metric)
        X = check_matrix(X)
        n, d = X.shape
        notes: list[Message] = []
        ms = self.min_samples if self.min_samples is not None else max(4, 2 * d)
        if int(ms) < 2:
            raise DataError("segment.error.min_samples", n=ms)
        if self.eps is not None and not float(self.eps) > 0:
            raise DataError("segment.error.eps", eps=self.eps)
        Z = self._space(X)
        idx = sample_indices(n, self.sample_size, self.random_state)
        S = Z if idx is None else Z[idx]
        m = S.shape[0]
        ms = int(min(ms, m))
        tree_metric = "manhattan" if metric == "manhattan" else "euclidean"
        progress.report(0.02, Message("progress.dbscan_eps").text())
        tree = KDTree(S, metric=tree_metric)

        # the k-distance curve (on at most 5,000 query points of the fitted set)
        q = sample_indices(m, 5000, self.random_state)
        dist, _ = tree.query(S if q is None else S[q], k=ms)
        kd = np.sort(dist[:, -1])
        self.k_distances_ = np.array([self._to_user_units(v) for v in kd[np.linspace(0, len(kd) - 1, min(500, len(kd))).astype(int)]])
        if self.eps is None:
            knee = _knee(kd)
            r = float(kd[knee])
            if r <= 0:  # many duplicates: take the smallest positive distance
                pos = kd[kd > 0]
                r = float(pos[0]) if len(pos) else 1e-9
            self.knee_fraction_ = knee / max(len(kd) - 1, 1)
            self.eps_ = self._to_user_units(r)
            notes.append(Message("segment.note.eps", {"eps": self.eps_, "k": ms - 1}))
        else:
            r = self._to_tree_units(self.eps)
            self.knee_fraction_ = None
            self.eps_ = float(self.eps)
        self.min_samples_ = ms
        progress.check()

        # pass 1: core customers (counts only: no neighbour lists in memory)
        progress.report(0.1, Message("progress.dbscan").text())
        counts = np.empty(m, dtype=np.intp)
        step = 2048
        for start in range(0, m, step):
            progress.report(0.1 + 0.3 * start / m)
            counts[start:start + step] = tree.query_radius(S[start:start + step], r, count_only=True)
        core = np.flatnonzero(counts >= ms)
        labels_s = np.full(m, -1, dtype=np.intp)
        if len(core):
            ctree = KDTree(S[core], metric=tree_metric)
            labels_s[core] = self._core_components(ctree, S[core], r, counts[core], progress.sub(0.4, 0.8))
            border = np.flatnonzero((counts < ms) & (counts > 1))
            if len(border):
                dd, ii = ctree.query(S[border], k=1)
                near = dd[:, 0] <= r
                labels_s[border[near]] = labels_s[core[ii[near, 0]]]
        if idx is None:
            labels = labels_s
        else:
            labels = np.full(n, -1, dtype=np.intp)
            labels[idx] = labels_s
            rest = np.setdiff1d(np.arange(n), idx, assume_unique=True)
            if len(core):
                progress.report(0.8, Message("progress.assign").text())
                for start in range(0, len(rest), 20_000):
                    progress.report(0.8 + 0.2 * start / len(rest))
                    chunk = rest[start:start + 20_000]
                    dd, ii = ctree.query(Z[chunk], k=1)
                    near = dd[:, 0] <= r
                    labels[chunk[near]] = labels_s[core[ii[near, 0]]]
            notes.append(Message("segment.note.dbscan_sample", {"n": m, "total": n}))
        self._finish(X, labels, notes)
        self.n_noise_ = int((self.labels_ < 0).sum())
        if self.n_clusters_ == 0:
            notes.append(Message("segment.note.no_clusters"))
        elif self.n_noise_:
            notes.append(Message("segment.note.noise", {"n": self.n_noise_, "share": self.n_noise_ / n}))
        self.sample_indices_ = idx
        # for predict(): the core customers' tree and their (canonical) segments
        self._core_tree = ctree if len(core) else None
        core_pos = core if idx is None else idx[core]
        self._core_segments = self.labels_[core_pos]
        self._radius = r
        progress.report(1.0)
        return self

    def _core_components(self, ctree, C, r, counts, progress):
        """Connected components of the core customers (edges: within r), chunk by chunk.

        After each chunk the edges found so far are replaced by one edge from each
        core customer to its component's representative, so memory stays at
        O(core customers + one chunk of neighbour pairs) whatever eps is.
        """
        import numpy as np
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        nc = len(C)
        rep = np.arange(nc)
        mean_nb = max(float(counts.mean()), 1.0)
        step = int(min(max(self.max_pairs / mean_nb, 32), 8192))
        for start in range(0, nc, step):
            progress.report(start / nc)
            neigh = ctree.query_radius(C[start:start + step], r)
            lens = np.fromiter((len(a) for a in neigh), dtype=np.intp, count=len(neigh))
            rows = np.concatenate([np.repeat(np.arange(start, start + len(neigh)), lens), np.arange(nc)])
            cols = np.concatenate([np.concatenate(neigh) if len(neigh) else np.empty(0, np.intp), rep])
            graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(nc, nc)).tocsr()
            _, comp = connected_components(graph, directed=False)
            first = np.full(comp.max() + 1, nc, dtype=np.intp)
            np.minimum.at(first, comp, np.arange(nc))
            rep = first[comp]
        return rep

    def predict(self, X) -> "np.ndarray":
        """Group of the nearest core customer within eps, else -1 (noise)."""
        import numpy as np

        X = self._space(check_matrix(X, min_distinct=0))
        out = np.full(X.shape[0], -1, dtype=np.intp)
        if self._core_tree is None:
            return out
        dd, ii = self._core_tree.query(X, k=1)
        near = dd[:, 0] <= self._radius
        out[near] = self._core_segments[ii[near, 0]]
        return out


# ------------------------------------------------------------------ hierarchical
def _cut_tree(Z: "np.ndarray", m: int, k: int) -> "np.ndarray":
    """Labels of the ``m`` leaves when the tree ``Z`` is cut into exactly ``k`` groups
    (scipy's ``fcluster(maxclust)`` can return fewer when merge heights tie)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    i = np.arange(m - k)
    rows = np.concatenate([m + i, m + i])
    cols = np.concatenate([Z[i, 0], Z[i, 1]]).astype(np.intp)
    g = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(2 * m - 1, 2 * m - 1))
    _, comp = connected_components(g, directed=False)
    return comp[:m]


class HierarchicalSegmenter(_Segmenter):
    """Agglomerative clustering (ward, average or complete linkage).

    Parameters
    ----------
    n_clusters : int or None
        None: cut the tree at every k in ``k_range`` and keep the best silhouette
        (one tree serves every k).
    linkage : {"ward", "average", "complete"}
    metric : {"euclidean", "manhattan", "cosine"}
        Ward needs Euclidean.
    k_range : (int, int)
    max_samples : int
        The tree needs all pairwise distances (8 bytes × n²/2, and scipy copies
        them once): 10,000 customers take about 0.8 GB, 20,000 would take 3.2 GB.
        Above this many customers the tree is built on a fixed random sample and
        the others are assigned to the nearest segment centre.
    random_state : int, RandomState or None
    sample_size : int or None
        Customers the silhouette of each k is computed on.

    Attributes
    ----------
    labels_, n_clusters_, cluster_centers_, sizes_, notes_, sample_indices_
    k_scores_ : list of dict
        ``{"k", "silhouette", "inertia", "height"}`` (inertia: within-segment sum
        of squares on the fitted customers; height: merge distance of the cut).
    silhouette_ : float or None
    linkage_matrix_ : ndarray
        scipy linkage matrix of the fitted customers (for a dendrogram).
    """

    def __init__(self, n_clusters=None, linkage="ward", metric="euclidean", k_range=(2, 10),
                 max_samples=10_000, random_state=0, sample_size=SILHOUETTE_SAMPLE):
        self.n_clusters = n_clusters
        self.linkage = linkage
        self.metric = metric
        self.k_range = k_range
        self.max_samples = max_samples
        self.random_state = random_state
        self.sample_size = sample_size

    def fit(self, X, progress: Progress = NULL_PROGRESS):
        """Fit on ``X`` (FeatureMatrix or array); returns self."""
        import numpy as np
        from scipy.cluster.hierarchy import linkage as scipy_linkage
        from sklearn.metrics import pairwise_distances_argmin

        metric = _check_metric(self.metric)
        if self.linkage not in LINKAGES:
            raise DataError("segment.error.linkage", linkage=self.linkage)
        if self.linkage == "ward" and metric != "euclidean":
            raise DataError("segment.error.ward_metric", metric=metric)
        X = check_matrix(X)
        n = X.shape[0]
        notes: list[Message] = []
        idx = sample_indices(n, self.max_samples, self.random_state)
        S = X if idx is None else X[idx]
        m = S.shape[0]
        if metric == "cosine" and (np.linalg.norm(S, axis=1) == 0).any():
            raise DataError("segment.error.cosine_zero", n=int((np.linalg.norm(S, axis=1) == 0).sum()))
        ks = _k_candidates(S, self.n_clusters, self.k_range, notes)
        progress.report(0.0, Message("progress.tree").text())
        # one uninterruptible call, bounded in size by max_samples (about 1 s at 10,000)
        Z = scipy_linkage(S, method=self.linkage, metric="cityblock" if metric == "manhattan" else metric)
        progress.check()
        sil_idx = sample_indices(m, self.sample_size, self.random_state)
        if sil_idx is not None and len(ks) > 1:
            notes.append(Message("segment.note.silhouette_sample", {"n": len(sil_idx), "total": m}))
        distances = SampleDistances(S, sil_idx, metric=metric) if len(ks) > 1 else None
        scores, cuts = [], {}
        for j, k in enumerate(ks):
            progress.report(0.6 + 0.3 * j / len(ks), Message("progress.tree_k", {"k": k}).text())
            lab = _cut_tree(Z, m, k)
            sil = (distances.silhouette(lab) if distances is not None
                   else silhouette_on_sample(S, lab, sil_idx, metric=metric))
            cent = centres_of(S, lab, k)
            inertia = float(((S - cent[lab]) ** 2).sum())
            scores.append(_k_score(k, lab, sil, inertia, height=float(Z[m - k, 2])))
            cuts[k] = lab
        k = _pick_k(scores, notes)
        passed = passed_over(scores)
        tiny = passed["tiny_rows"] if passed is not None else np.empty(0, dtype=np.intp)
        self.set_apart_ = tiny if idx is None else idx[tiny]  # rows of the sample → rows of the table
        labels = canonical_labels(cuts[k])
        if idx is not None:
            progress.report(0.9, Message("progress.assign").text())
            cent = centres_of(S, labels, k)
            full = np.empty(n, dtype=np.intp)
            full[idx] = labels
            rest = np.setdiff1d(np.arange(n), idx, assume_unique=True)
            for start in range(0, len(rest), 50_000):
                progress.check()
                chunk = rest[start:start + 50_000]
                full[chunk] = pairwise_distances_argmin(X[chunk], cent, metric=metric)
            labels = full
            notes.append(Message("segment.note.sample_fit", {"n": m, "total": n}))
        self._finish(X, labels, notes)
        self.k_scores_ = scores
        self.silhouette_ = next(s["silhouette"] for s in scores if s["k"] == k)
        self.linkage_matrix_ = Z
        self.sample_indices_ = idx
        progress.report(1.0)
        return self

    def predict(self, X) -> "np.ndarray":
        """Nearest segment centre (in the segmenter's metric)."""
        from sklearn.metrics import pairwise_distances_argmin

        X = check_matrix(X, min_distinct=0)
        return pairwise_distances_argmin(X, self.cluster_centers_, metric=self.metric)
