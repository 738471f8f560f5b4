"""Hierarchical clustering (ward, average, complete), fitted on a sample of large files.

See :mod:`persona_desktop.core.segments.segmenter` for what every segmenter sets and shares.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import linkage as scipy_linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.metrics import pairwise_distances_argmin

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.segments.quality import (
    SILHOUETTE_SAMPLE,
    canonical_labels,
    centres_of,
    check_matrix,
    sample_indices,
)
from persona_desktop.core.segments.segmenter import LINKAGES, Segmenter, check_metric, k_candidates, try_each_k

__all__ = ["HierarchicalSegmenter"]


# ------------------------------------------------------------------ hierarchical
def _cut_tree(Z: "np.ndarray", m: int, k: int) -> "np.ndarray":
    """Labels of the ``m`` leaves when the tree ``Z`` is cut into exactly ``k`` groups
    (scipy's ``fcluster(maxclust)`` can return fewer when merge heights tie)."""
    i = np.arange(m - k)
    rows = np.concatenate([m + i, m + i])
    cols = np.concatenate([Z[i, 0], Z[i, 1]]).astype(np.intp)
    g = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(2 * m - 1, 2 * m - 1))
    _, comp = connected_components(g, directed=False)
    return comp[:m]


class HierarchicalSegmenter(Segmenter):
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

    def fit(self, X, y=None, *, progress: Progress = NULL_PROGRESS):
        """Fit on ``X`` (FeatureMatrix or array); returns self."""
        metric = check_metric(self.metric)
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
        ks = k_candidates(S, self.n_clusters, self.k_range, notes)
        progress.report(0.0, Message("progress.tree").text())
        # one uninterruptible call, bounded in size by max_samples (about 1 s at 10,000)
        Z = scipy_linkage(S, method=self.linkage, metric="cityblock" if metric == "manhattan" else metric)
        progress.check()

        def fit_k(k):
            lab = _cut_tree(Z, m, k)
            inertia = float(((S - centres_of(S, lab, k)[lab]) ** 2).sum())
            return lab, inertia, lab, {"height": float(Z[m - k, 2])}

        k, scores, cut, tiny = try_each_k(
            S, ks, fit_k, sample_size=self.sample_size, random_state=self.random_state, notes=notes,
            progress=progress, message="progress.tree_k", metric=metric, span=(0.6, 0.9))
        self.set_apart_ = tiny if idx is None else idx[tiny]  # rows of the sample → rows of the table
        labels = canonical_labels(cut)
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
        X = check_matrix(X, min_distinct=0)
        return pairwise_distances_argmin(X, self.cluster_centers_, metric=self.metric)
