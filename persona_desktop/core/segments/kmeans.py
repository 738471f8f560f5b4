"""K-Means: k chosen by the silhouette, a segment of a handful of accounts passed over.

See :mod:`persona_desktop.core.segments.segmenter` for what every segmenter sets and shares.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.exceptions import ConvergenceWarning

from persona_desktop.core.i18n import Message
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.segments.quality import SILHOUETTE_SAMPLE, check_matrix
from persona_desktop.core.segments.segmenter import (
    MANY_STARTS,
    MANY_STARTS_UP_TO,
    Segmenter,
    k_candidates,
    seed_for,
    try_each_k,
)

__all__ = ["KMeansSegmenter"]


class KMeansSegmenter(Segmenter):
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
        best = None
        starts = self.n_init if self.n_init != "auto" else (MANY_STARTS if len(X) <= MANY_STARTS_UP_TO else 4)
        for i in range(max(1, int(starts))):
            progress.check()
            seed = seed_for(self.random_state, k, i)
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

    def fit(self, X, y=None, *, progress: Progress = NULL_PROGRESS):
        """Fit on ``X`` (FeatureMatrix or array); returns self."""
        X = check_matrix(X)
        n = X.shape[0]
        notes: list[Message] = []
        ks = k_candidates(X, self.n_clusters, self.k_range, notes)
        minibatch = n >= self.minibatch_threshold
        if minibatch:
            notes.append(Message("segment.note.minibatch", {"n": n}))

        def fit_k(k):
            model = self._fit_k(X, k, minibatch, progress)
            return model.labels_, float(model.inertia_), model, {}

        k, scores, model, self.set_apart_ = try_each_k(
            X, ks, fit_k, sample_size=self.sample_size, random_state=self.random_state, notes=notes,
            progress=progress, message="progress.kmeans_k")
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
