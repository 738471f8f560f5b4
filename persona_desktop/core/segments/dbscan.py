"""DBSCAN: dense groups and noise, eps found from the k-distance knee.

See :mod:`persona_desktop.core.segments.segmenter` for what every segmenter sets and shares.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.neighbors import KDTree

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.segments.quality import check_matrix, sample_indices
from persona_desktop.core.segments.segmenter import Segmenter, check_metric

__all__ = ["DBSCANSegmenter"]


# ------------------------------------------------------------------ DBSCAN
def _knee(y: "np.ndarray") -> int:
    """Index of the knee of an increasing curve (Kneedle: farthest below the chord)."""
    if len(y) < 3 or y[-1] == y[0]:
        return len(y) // 2
    x = np.linspace(0.0, 1.0, len(y))
    yn = (y - y[0]) / (y[-1] - y[0])
    return int(np.argmax(x - yn))


class DBSCANSegmenter(Segmenter):
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
        if self.metric != "cosine":
            return X
        norms = np.linalg.norm(X, axis=1)
        if (norms == 0).any():
            raise DataError("segment.error.cosine_zero", n=int((norms == 0).sum()))
        return X / norms[:, None]

    def fit(self, X, y=None, *, progress: Progress = NULL_PROGRESS):
        """Fit on ``X`` (FeatureMatrix or array); returns self."""
        metric = check_metric(self.metric)
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
        X = self._space(check_matrix(X, min_distinct=0))
        out = np.full(X.shape[0], -1, dtype=np.intp)
        if self._core_tree is None:
            return out
        dd, ii = self._core_tree.query(X, k=1)
        near = dd[:, 0] <= self._radius
        out[near] = self._core_segments[ii[near, 0]]
        return out
