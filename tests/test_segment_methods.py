"""The segmenters (K-Means, DBSCAN, hierarchical) and the RFM scorer, on synthetic data.

Checked against scikit-learn and SciPy computed independently here: K-Means
finds the four centres of ``make_blobs``, the silhouette used to choose k is
``sklearn.metrics.silhouette_score`` on the same customers, our DBSCAN has the
core customers and noise of ``sklearn.cluster.DBSCAN``, our hierarchical cut is
``AgglomerativeClustering``'s. RFM scores are checked against the quintile
definition and the segment map of the module docstring written out by hand.
Also the scikit-learn conventions (clone, get_params, fit returns self,
learned attributes end in ``_``), determinism, progress and Cancel.
"""

from __future__ import annotations

import inspect
import itertools
import threading
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.cluster import DBSCAN, AgglomerativeClustering
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score, pairwise_distances, silhouette_samples, silhouette_score
from sklearn.neighbors import NearestNeighbors
from sklearn.utils.validation import check_is_fitted

from persona_desktop.core.errors import DataError
from persona_desktop.core.progress import Cancelled, Progress
from persona_desktop.core.segments.quality import SampleDistances, sample_indices, silhouettes_from_distances
from persona_desktop.core.segments.rfm import RFM_GROUPS, RFMScorer, group_name, rfm_scores
from persona_desktop.core.segments.methods import DBSCANSegmenter, HierarchicalSegmenter, KMeansSegmenter

ALL = (KMeansSegmenter, DBSCANSegmenter, HierarchicalSegmenter, RFMScorer)
CLUSTERERS = (KMeansSegmenter, DBSCANSegmenter, HierarchicalSegmenter)


# ----------------------------------------------------------- data
@pytest.fixture(scope="module")
def blobs():
    """Four well-separated groups of 100 customers in 3 features, and the true groups."""
    X, y = make_blobs(n_samples=400, centers=4, n_features=3, cluster_std=0.6, random_state=11)
    return X, y


def rfm_table(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Customers with recency in days, order counts (many ties) and spend."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "customer": [f"c{i:05d}" for i in range(n)],
        "recency": rng.integers(0, 365, n),
        "frequency": rng.integers(1, 12, n),
        "monetary": rng.gamma(2.0, 150.0, n).round(2),
    })


def fit_any(est, X, table, **kw):
    """RFM scores a customer table; the clusterers take a matrix."""
    return est.fit(table if isinstance(est, RFMScorer) else X, **kw)


# ----------------------------------------------------------- scikit-learn conventions
@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_get_params_is_exactly_the_init_parameters(cls):
    signature = inspect.signature(cls.__init__)
    init_names = {name for name in signature.parameters if name != "self"}
    est = cls()
    assert set(est.get_params()) == init_names
    # __init__ stores the parameters and nothing else
    assert set(vars(est)) == init_names
    assert est.get_params() == {name: p.default for name, p in signature.parameters.items() if name != "self"}


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_clone_gives_an_unfitted_copy_with_the_same_params(cls, blobs):
    params = {"recency": "recency"} if cls is RFMScorer else {"random_state": 42}
    est = cls(**params)
    fit_any(est, blobs[0], rfm_table(300))
    copy = clone(est)
    assert copy is not est
    assert copy.get_params() == est.get_params()
    assert not hasattr(copy, "labels_")
    with pytest.raises(NotFittedError):
        check_is_fitted(copy)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_fit_returns_self_and_learned_attributes_end_in_underscore(cls, blobs):
    est = cls()
    params = set(est.get_params())
    assert fit_any(est, blobs[0], rfm_table(300)) is est
    check_is_fitted(est)
    learned = set(vars(est)) - params
    assert {"labels_", "n_clusters_", "sizes_", "notes_"} <= learned
    assert all(name.endswith("_") or name.startswith("_") for name in learned), learned
    # the parameters are untouched by fit
    assert est.get_params() == cls().get_params()


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_fit_takes_x_and_y_and_progress_only_by_keyword(cls, blobs):
    """scikit-learn's fit(X, y=None): a y (ignored) fits the same; progress is a fit-time keyword, never a
    parameter (get_params and clone do not carry it), and cannot be given in y's place."""
    parameters = list(inspect.signature(cls.fit).parameters.values())
    assert [p.name for p in parameters[:3]] == ["self", parameters[1].name, "y"] and parameters[2].default is None
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[3:])
    assert [p.name for p in parameters[3:]] == ["progress"]
    assert "progress" not in cls().get_params()
    table = rfm_table(300)
    data = table if cls is RFMScorer else blobs[0]
    params = {"recency": "recency"} if cls is RFMScorer else {}
    plain = cls(**params).fit(data).labels_
    with_y = cls(**params).fit(data, np.zeros(len(plain))).labels_
    assert np.array_equal(plain, with_y)
    reports: list[float] = []
    cls(**params).fit(data, progress=Progress(lambda fraction, text: reports.append(fraction)))
    assert reports and reports[-1] == 1.0
    with pytest.raises(TypeError):
        cls(**params).fit(data, None, Progress(lambda fraction, text: None))


@pytest.mark.parametrize("cls", CLUSTERERS, ids=lambda c: c.__name__)
def test_random_state_is_kept_as_given(cls, blobs):
    rs = np.random.RandomState(5)
    est = cls(random_state=rs)
    est.fit(blobs[0])
    assert est.random_state is rs
    assert est.get_params()["random_state"] is rs


def test_set_params_round_trip():
    est = KMeansSegmenter().set_params(n_clusters=3, k_range=(2, 5))
    assert est.n_clusters == 3 and est.k_range == (2, 5)


# ----------------------------------------------------------- determinism
@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_same_data_and_seed_give_identical_labels(cls, blobs):
    X, _ = blobs
    table = rfm_table(500)
    params = {} if cls is RFMScorer else {"random_state": 3}
    a = fit_any(cls(**params), X, table).labels_
    b = fit_any(cls(**params), X, table).labels_
    c = fit_any(clone(cls(**params)), X, table).labels_
    assert np.array_equal(a, b) and np.array_equal(a, c)


@pytest.mark.parametrize("cls", CLUSTERERS, ids=lambda c: c.__name__)
def test_segments_are_numbered_by_size_largest_first(cls):
    X, _ = make_blobs(n_samples=[300, 60, 150], n_features=2, cluster_std=0.5, random_state=4)
    # DBSCAN: a fixed radius (its automatic eps suits the densest blob and splits the sparse one)
    est = cls(eps=0.8, min_samples=5) if cls is DBSCANSegmenter else cls(n_clusters=3)
    est.fit(X)
    counts = np.bincount(est.labels_[est.labels_ >= 0])
    assert np.array_equal(est.sizes_, counts)
    assert list(est.sizes_) == sorted(est.sizes_, reverse=True)
    assert est.n_clusters_ == len(est.sizes_) == 3


# ----------------------------------------------------------- K-Means
def test_kmeans_finds_the_four_blobs(blobs):
    X, y = blobs
    km = KMeansSegmenter(random_state=0).fit(X)
    assert km.n_clusters_ == 4
    assert adjusted_rand_score(y, km.labels_) == pytest.approx(1.0)
    assert km.cluster_centers_.shape == (4, 3)
    # the centres are the means of the segments' members
    for s in range(4):
        np.testing.assert_allclose(km.cluster_centers_[s], X[km.labels_ == s].mean(axis=0), atol=1e-6)
    assert any(n.key == "segment.note.k_chosen" and n.params["k"] == 4 for n in km.notes_)


def test_kmeans_k_scores_cover_2_to_10_and_the_best_silhouette_wins(blobs):
    X, _ = blobs
    km = KMeansSegmenter(random_state=0).fit(X)
    assert [s["k"] for s in km.k_scores_] == list(range(2, 11))
    for s in km.k_scores_:
        assert set(s) >= {"k", "silhouette", "inertia"}
        assert -1.0 <= s["silhouette"] <= 1.0
        assert s["inertia"] > 0
    inertia = [s["inertia"] for s in km.k_scores_]
    assert all(b < a for a, b in itertools.pairwise(inertia))  # more centres, less spread
    best = max(km.k_scores_, key=lambda s: s["silhouette"])
    assert best["k"] == km.n_clusters_
    assert km.silhouette_ == best["silhouette"]
    # the score is sklearn's silhouette of the labels it chose (400 customers: no sampling)
    assert km.silhouette_ == pytest.approx(silhouette_score(X, km.labels_), abs=1e-9)
    # and the inertia is the within-segment sum of squares
    wss = sum(((X[km.labels_ == s] - X[km.labels_ == s].mean(axis=0)) ** 2).sum() for s in range(4))
    assert km.inertia_ == pytest.approx(wss, rel=1e-6)


@pytest.mark.parametrize("k", [2, 3, 6])
def test_kmeans_fixed_k_is_honoured(blobs, k):
    km = KMeansSegmenter(n_clusters=k).fit(blobs[0])
    assert km.n_clusters_ == k == len(np.unique(km.labels_))
    assert [s["k"] for s in km.k_scores_] == [k]


def test_kmeans_k_range_is_honoured(blobs):
    km = KMeansSegmenter(k_range=(5, 7)).fit(blobs[0])
    assert [s["k"] for s in km.k_scores_] == [5, 6, 7]
    assert 5 <= km.n_clusters_ <= 7


def test_kmeans_k_is_capped_by_the_distinct_customers():
    X = np.repeat(np.array([[0.0, 0.0], [5.0, 5.0], [10.0, 0.0]]), 20, axis=0)
    km = KMeansSegmenter().fit(X)
    assert [s["k"] for s in km.k_scores_] == [2, 3]
    assert km.n_clusters_ == 3
    assert any(n.key == "segment.note.k_capped" and n.params["n"] == 3 for n in km.notes_)


def test_kmeans_silhouette_for_k_is_sklearns_on_the_same_sample():
    X, _ = make_blobs(n_samples=1500, centers=4, n_features=2, random_state=3)
    km = KMeansSegmenter(sample_size=400, random_state=7).fit(X)
    idx = sample_indices(len(X), 400, 7)
    assert len(idx) == 400 and len(np.unique(idx)) == 400
    assert km.silhouette_ == pytest.approx(silhouette_score(X[idx], km.labels_[idx]), abs=1e-9)
    assert any(n.key == "segment.note.silhouette_sample" and n.params == {"n": 400, "total": 1500}
               for n in km.notes_)


@pytest.mark.parametrize("k, bad", [(1, "at least 2"), (30, "only 20 customers")])
def test_kmeans_impossible_k_is_a_data_error(k, bad):
    X = np.arange(40, dtype=float).reshape(20, 2)
    with pytest.raises(DataError) as err:
        KMeansSegmenter(n_clusters=k).fit(X)
    assert bad in err.value.text("en")
    assert err.value.text("zh") != err.value.text("en")


@pytest.mark.parametrize("X, key", [
    (np.ones((10, 2)), "segment.error.identical"),
    (np.array([[1.0, np.nan], [2.0, 3.0], [4.0, 5.0]]), "segment.error.not_finite"),
    (np.array([[1.0, 2.0]]), "segment.error.too_few"),
    (np.empty((5, 0)), "segment.error.no_features"),
])
@pytest.mark.parametrize("cls", CLUSTERERS, ids=lambda c: c.__name__)
def test_degenerate_matrices_are_data_errors(cls, X, key):
    with pytest.raises(DataError) as err:
        cls().fit(X)
    assert err.value.code == key


# ----------------------------------------------------------- silhouettes
def test_silhouettes_from_distances_match_sklearn_with_a_singleton():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(300, 4))
    labels = rng.integers(0, 4, 300)
    labels[17] = 9  # a segment of one customer: silhouette 0 by sklearn's definition
    ours = silhouettes_from_distances(pairwise_distances(Z), labels)
    theirs = silhouette_samples(Z, labels)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)
    assert ours[17] == 0.0


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
def test_sample_distances_silhouette_matches_sklearn(metric):
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(500, 3))
    labels = rng.integers(0, 3, 500)
    labels[3] = 3  # singleton
    assert SampleDistances(Z, None, metric).silhouette(labels) == pytest.approx(
        silhouette_score(Z, labels, metric=metric), abs=1e-12)
    idx = sample_indices(500, 150, 4)
    assert SampleDistances(Z, idx, metric).silhouette(labels) == pytest.approx(
        silhouette_score(Z[idx], labels[idx], metric=metric), abs=1e-12)


def test_sample_distances_leave_noise_out_and_undefined_is_none():
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(200, 2))
    labels = rng.integers(0, 3, 200)
    labels[:25] = -1
    keep = labels >= 0
    d = SampleDistances(Z, None)
    assert d.silhouette(labels) == pytest.approx(silhouette_score(Z[keep], labels[keep]), abs=1e-12)
    assert d.silhouette(np.zeros(200, dtype=int)) is None  # one segment
    assert d.silhouette(np.arange(200)) is None  # every customer alone


# ----------------------------------------------------------- DBSCAN
def kneedle(y: np.ndarray) -> int:
    """The knee of an increasing curve: the point farthest below the chord (Satopää et al., 2011)."""
    x = np.linspace(0, 1, len(y))
    return int(np.argmax(x - (y - y[0]) / (y[-1] - y[0])))


def test_dbscan_eps_is_read_from_the_k_distance_curve(blobs):
    X, y = blobs
    db = DBSCANSegmenter().fit(X)
    ms = max(4, 2 * X.shape[1])
    assert db.min_samples_ == ms
    # the distance of every customer to its (min_samples - 1)-th other neighbour, sorted
    dist, _ = NearestNeighbors(n_neighbors=ms).fit(X).kneighbors(X)
    curve = np.sort(dist[:, -1])
    assert db.eps_ == pytest.approx(curve[kneedle(curve)], rel=1e-9)
    assert db.knee_fraction_ == pytest.approx(kneedle(curve) / (len(curve) - 1))
    assert np.all(np.diff(db.k_distances_) >= 0) and len(db.k_distances_) <= 500
    assert db.k_distances_[0] == pytest.approx(curve[0]) and db.k_distances_[-1] == pytest.approx(curve[-1])
    assert any(n.key == "segment.note.eps" for n in db.notes_)
    # and the radius separates the four blobs
    assert db.n_clusters_ == 4
    core = db.labels_ >= 0
    assert core.mean() > 0.9
    assert adjusted_rand_score(y[core], db.labels_[core]) == pytest.approx(1.0)


def test_dbscan_noise_is_minus_one_and_reported(blobs):
    X, _ = blobs
    far = np.array([[60.0, 60.0, 60.0], [-60.0, 60.0, -60.0], [60.0, -60.0, 0.0]])
    Xn = np.vstack([X, far])
    db = DBSCANSegmenter().fit(Xn)
    assert np.all(db.labels_[-3:] == -1)
    assert db.n_noise_ == int((db.labels_ == -1).sum()) >= 3
    assert db.n_clusters_ == len(db.sizes_) and db.sizes_.sum() + db.n_noise_ == len(Xn)
    note = next(n for n in db.notes_ if n.key == "segment.note.noise")
    assert note.params["n"] == db.n_noise_
    assert str(db.n_noise_) in note.text("en") and "噪声" in note.text("zh")


@pytest.mark.parametrize("metric, eps", [("euclidean", 0.5), ("manhattan", 0.8), ("cosine", 0.002)])
def test_dbscan_given_eps_matches_sklearn(blobs, metric, eps):
    X, _ = blobs
    ours = DBSCANSegmenter(eps=eps, min_samples=5, metric=metric).fit(X)
    theirs = DBSCAN(eps=eps, min_samples=5, metric=metric).fit(X)
    assert ours.eps_ == eps and ours.knee_fraction_ is None
    assert not any(n.key == "segment.note.eps" for n in ours.notes_)
    # same noise, same groups of core customers (border customers may join another
    # neighbouring group: documented)
    assert np.array_equal(ours.labels_ == -1, theirs.labels_ == -1)
    core = np.zeros(len(X), dtype=bool)
    core[theirs.core_sample_indices_] = True
    assert adjusted_rand_score(theirs.labels_[core], ours.labels_[core]) == pytest.approx(1.0)
    assert ours.n_clusters_ == len(set(theirs.labels_) - {-1})


@pytest.mark.parametrize("params, key", [
    ({"eps": 0.0}, "segment.error.eps"), ({"eps": -1.0}, "segment.error.eps"),
    ({"min_samples": 1}, "segment.error.min_samples"), ({"metric": "chebyshev"}, "segment.error.metric"),
])
def test_dbscan_bad_parameters_are_data_errors(blobs, params, key):
    with pytest.raises(DataError) as err:
        DBSCANSegmenter(**params).fit(blobs[0])
    assert err.value.code == key


def test_dbscan_cosine_refuses_all_zero_customers():
    X = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
    with pytest.raises(DataError) as err:
        DBSCANSegmenter(metric="cosine").fit(X)
    assert err.value.code == "segment.error.cosine_zero"


def test_dbscan_on_a_sample_assigns_the_others_and_says_so():
    X, _ = make_blobs(n_samples=1200, centers=3, n_features=2, cluster_std=0.5, random_state=8)
    db = DBSCANSegmenter(sample_size=300).fit(X)
    assert len(db.sample_indices_) == 300
    assert any(n.key == "segment.note.dbscan_sample" and n.params == {"n": 300, "total": 1200} for n in db.notes_)
    assert db.n_clusters_ == 3 and len(db.labels_) == 1200
    # a customer off the sample gets what predict() gives it
    rest = np.setdiff1d(np.arange(1200), db.sample_indices_)
    assert np.array_equal(db.predict(X[rest]), db.labels_[rest])


# ----------------------------------------------------------- hierarchical
@pytest.mark.parametrize("linkage, metric", [
    ("ward", "euclidean"), ("average", "euclidean"), ("average", "manhattan"), ("average", "cosine"),
    ("complete", "euclidean"), ("complete", "manhattan"), ("complete", "cosine"),
])
def test_hierarchical_matches_agglomerative_clustering(blobs, linkage, metric):
    X, _ = blobs
    ours = HierarchicalSegmenter(n_clusters=4, linkage=linkage, metric=metric).fit(X)
    theirs = AgglomerativeClustering(n_clusters=4, linkage=linkage, metric=metric).fit(X)
    assert ours.n_clusters_ == 4
    assert adjusted_rand_score(theirs.labels_, ours.labels_) == pytest.approx(1.0)
    assert ours.linkage_matrix_.shape == (len(X) - 1, 4)
    assert ours.sample_indices_ is None


@pytest.mark.parametrize("linkage", ["average", "complete", "ward"])
def test_hierarchical_automatic_k_finds_the_four_blobs(blobs, linkage):
    X, y = blobs
    h = HierarchicalSegmenter(linkage=linkage).fit(X)
    assert h.n_clusters_ == 4
    assert adjusted_rand_score(y, h.labels_) == pytest.approx(1.0)
    assert [s["k"] for s in h.k_scores_] == list(range(2, 11))
    assert all({"silhouette", "inertia", "height"} <= set(s) for s in h.k_scores_)
    assert h.silhouette_ == pytest.approx(silhouette_score(X, h.labels_), abs=1e-9)


@pytest.mark.parametrize("metric", ["manhattan", "cosine"])
def test_ward_with_a_non_euclidean_distance_is_refused(blobs, metric):
    with pytest.raises(DataError) as err:
        HierarchicalSegmenter(linkage="ward", metric=metric).fit(blobs[0])
    assert err.value.code == "segment.error.ward_metric"
    assert "Ward" in err.value.text("en") and "average" in err.value.text("en")
    assert "欧氏距离" in err.value.text("zh")


@pytest.mark.parametrize("params, key", [
    ({"linkage": "single"}, "segment.error.linkage"),
    ({"metric": "chebyshev", "linkage": "average"}, "segment.error.metric"),
])
def test_hierarchical_bad_parameters_are_data_errors(blobs, params, key):
    with pytest.raises(DataError) as err:
        HierarchicalSegmenter(**params).fit(blobs[0])
    assert err.value.code == key


def test_hierarchical_above_max_samples_fits_a_sample_and_assigns_the_rest(blobs):
    X, y = blobs
    h = HierarchicalSegmenter(max_samples=120, random_state=2).fit(X)
    idx = h.sample_indices_
    assert idx is not None and len(idx) == 120 and len(np.unique(idx)) == 120
    assert h.linkage_matrix_.shape == (119, 4)  # the tree holds the sample only
    note = next(n for n in h.notes_ if n.key == "segment.note.sample_fit")
    assert note.params == {"n": 120, "total": 400}
    assert "120" in note.text("en") and "400" in note.text("en")
    # every other customer is in the segment whose centre (on the sample) is nearest
    centres = np.array([X[idx][h.labels_[idx] == s].mean(axis=0) for s in range(h.n_clusters_)])
    rest = np.setdiff1d(np.arange(len(X)), idx)
    nearest = pairwise_distances(X[rest], centres).argmin(axis=1)
    assert np.array_equal(h.labels_[rest], nearest)
    assert h.n_clusters_ == 4 and adjusted_rand_score(y, h.labels_) == pytest.approx(1.0)


# ----------------------------------------------------------- RFM
# The segment map of the RFM module docstring, written out by hand: R score → FM 1..5
RFM_MAP = {
    5: ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
    4: ["promising", "potential_loyalists", "potential_loyalists", "loyal", "loyal"],
    3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
    2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"],
    1: ["lost", "lost", "at_risk", "at_risk", "cant_lose_them"],
}
RFM_NAMES = {
    "champions": ("Champions", "冠军客户"), "loyal": ("Loyal", "忠诚客户"),
    "potential_loyalists": ("Potential loyalists", "潜力客户"), "new_customers": ("New customers", "新客户"),
    "promising": ("Promising", "有望客户"), "need_attention": ("Need attention", "需要关注"),
    "about_to_sleep": ("About to sleep", "即将沉睡"), "at_risk": ("At risk", "有流失风险"),
    "cant_lose_them": ("Can't lose them", "不能失去"), "hibernating": ("Hibernating", "休眠客户"),
    "lost": ("Lost", "已流失"),
}


def test_rfm_quintiles_of_distinct_values_are_fifths():
    rng = np.random.default_rng(3)
    values = rng.permutation(500).astype(float)
    scores = rfm_scores(values)
    assert set(np.unique(scores)) == {1, 2, 3, 4, 5}
    assert np.bincount(scores)[1:].tolist() == [100] * 5
    order = np.argsort(values)
    assert np.all(scores[order[:100]] == 1) and np.all(scores[order[-100:]] == 5)
    # recency: the smallest values (most recent) score 5
    rec = rfm_scores(values, higher_is_better=False)
    assert np.all(rec[order[:100]] == 5) and np.all(rec[order[-100:]] == 1)


def test_rfm_every_customer_in_exactly_one_of_the_11_groups():
    table = rfm_table(3000)
    s = RFMScorer().fit(table)
    assert s.columns_ == {"recency": "recency", "frequency": "frequency", "monetary": "monetary"}
    for arr in (s.r_score_, s.f_score_, s.m_score_):
        assert arr.min() >= 1 and arr.max() <= 5 and set(np.unique(arr)) == {1, 2, 3, 4, 5}
    # this table has every cell of the map, so all 11 groups, in RFM_GROUPS order
    assert s.group_ids_ == list(RFM_GROUPS) and len(RFM_GROUPS) == 11
    assert s.labels_.min() == 0 and s.labels_.max() == 10 and s.sizes_.sum() == len(table)
    fm = np.floor((s.f_score_.astype(float) + s.m_score_) / 2 + 0.5).astype(int)  # half up
    expected = [RFM_MAP[r][b - 1] for r, b in zip(s.r_score_, fm)]
    assert s.group_of() == expected
    codes = [f"{r}{f}{m}" for r, f, m in zip(s.r_score_, s.f_score_, s.m_score_)]
    assert list(s.rfm_code_) == codes


def test_rfm_group_names_in_english_and_chinese():
    assert set(RFM_NAMES) == set(RFM_GROUPS)
    for gid, (en, zh) in RFM_NAMES.items():
        assert group_name(gid, "en") == en
        assert group_name(gid, "zh") == zh
    s = RFMScorer().fit(rfm_table(3000))
    assert [m.text("en") for m in s.group_names_] == [RFM_NAMES[g][0] for g in s.group_ids_]
    assert [m.text("zh") for m in s.group_names_] == [RFM_NAMES[g][1] for g in s.group_ids_]


def test_rfm_scores_do_not_depend_on_row_order():
    table = rfm_table(1000, seed=4)
    a = RFMScorer().fit(table)
    shuffled = table.sample(frac=1.0, random_state=9)
    b = RFMScorer().fit(shuffled)
    pos = shuffled.index.to_numpy()
    for name in ("r_score_", "f_score_", "m_score_"):
        assert np.array_equal(getattr(a, name)[pos], getattr(b, name))
    assert np.array_equal(np.asarray(a.group_of())[pos], np.asarray(b.group_of()))


def test_rfm_equal_values_get_equal_scores_and_better_values_never_score_lower():
    table = rfm_table(1000, seed=6)
    s = RFMScorer().fit(table)
    for col, score, sign in (("frequency", s.f_score_, 1), ("monetary", s.m_score_, 1), ("recency", s.r_score_, -1)):
        frame = pd.DataFrame({"v": sign * table[col].to_numpy(), "s": score})
        assert (frame.groupby("v")["s"].nunique() == 1).all()  # ties share a score
        by_value = frame.groupby("v")["s"].first().sort_index()
        assert by_value.is_monotonic_increasing


def test_rfm_one_time_buyers_score_lowest_frequency_even_when_most_customers_are():
    n = 1000
    rng = np.random.default_rng(12)
    once = rng.random(n) < 0.7
    table = pd.DataFrame({"recency": rng.integers(0, 365, n),
                          "frequency": np.where(once, 1, rng.integers(2, 15, n)),
                          "monetary": rng.gamma(2.0, 100.0, n).round(2)})
    s = RFMScorer().fit(table)
    assert np.all(s.f_score_[once] == 1)
    assert "new_customers" in s.group_ids_


def test_rfm_missing_columns_and_missing_values():
    with pytest.raises(DataError) as err:
        RFMScorer().fit(pd.DataFrame({"recency": [1, 2, 3], "x": [1, 2, 3]}))
    assert err.value.code == "rfm.error.columns"
    assert "frequency" in err.value.text("en") and "monetary" in err.value.text("en")
    table = rfm_table(200)
    table.loc[:9, "monetary"] = np.nan
    s = RFMScorer().fit(table)
    assert np.all(s.m_score_[:10] == 1)
    assert any(n.key == "rfm.note.missing" and n.params["n"] == 10 for n in s.notes_)


def test_rfm_named_columns_override_detection():
    table = rfm_table(300).rename(columns={"recency": "days_ago", "frequency": "n_buys", "monetary": "paid"})
    s = RFMScorer(recency="days_ago", frequency="n_buys", monetary="paid").fit(table)
    assert s.columns_ == {"recency": "days_ago", "frequency": "n_buys", "monetary": "paid"}
    assert s.sizes_.sum() == 300


# ----------------------------------------------------------- progress and Cancel
def recorder():
    messages: list[tuple[float, str]] = []
    return messages, Progress(lambda f, m: messages.append((f, m)), min_interval=0.0)


@pytest.mark.parametrize("cls, text", [
    (KMeansSegmenter, "K-Means: trying {k} segments…"),
    (HierarchicalSegmenter, "Hierarchical clustering: trying {k} segments…"),
])
def test_one_progress_report_per_candidate_k(blobs, cls, text):
    messages, progress = recorder()
    cls().fit(blobs[0], progress=progress)
    trying = [m for _, m in messages if "trying" in m]
    assert trying == [text.format(k=k) for k in range(2, 11)]
    fractions = [f for f, _ in messages]
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_progress_messages_follow_the_language(blobs, monkeypatch):
    monkeypatch.setenv("PERSONA_LANG", "zh")
    messages, progress = recorder()
    KMeansSegmenter(k_range=(2, 3)).fit(blobs[0], progress=progress)
    assert [m for _, m in messages if m] == ["K-Means：尝试分成 2 组…", "K-Means：尝试分成 3 组…"]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_a_cancelled_progress_raises_cancelled(cls, blobs):
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        fit_any(cls(), blobs[0], rfm_table(300), progress=progress)


def test_cancel_from_another_thread_stops_kmeans_between_ks(blobs):
    """Cancel as soon as k = 3 is reported: k = 4 is never tried."""
    messages: list[str] = []

    def on_report(fraction, message):
        messages.append(message)
        if "trying 3" in message:
            canceller = threading.Thread(target=progress.cancel)
            canceller.start()
            canceller.join()

    progress = Progress(on_report, min_interval=0.0)
    with pytest.raises(Cancelled):
        KMeansSegmenter().fit(blobs[0], progress=progress)
    assert not any("trying 4" in m for m in messages)


@pytest.mark.slow
def test_cancel_stops_kmeans_auto_k_on_100000_customers_within_a_second():
    rng = np.random.default_rng(0)
    X, _ = make_blobs(n_samples=100_000, n_features=8, centers=6, cluster_std=2.0, random_state=0)
    X = X + rng.normal(scale=0.01, size=X.shape)
    started = threading.Event()
    progress = Progress(lambda f, m: started.set() if "trying 3" in m else None, min_interval=0.0)
    outcome: dict = {}

    def work():
        try:
            KMeansSegmenter(random_state=0).fit(X, progress=progress)
            outcome["result"] = "finished"
        except Cancelled:
            outcome["result"] = "cancelled"
        outcome["end"] = time.perf_counter()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    assert started.wait(60), "K-Means never reached k = 3"
    time.sleep(0.2)  # well inside the fits of k = 3
    cancelled_at = time.perf_counter()
    progress.cancel()
    worker.join(30)
    assert not worker.is_alive()
    assert outcome["result"] == "cancelled"
    assert outcome["end"] - cancelled_at < 1.5


@pytest.mark.parametrize("make", [KMeansSegmenter, HierarchicalSegmenter])
def test_automatic_k_keeps_about_ten_customers_per_segment(make):
    """34 customers (the Chinese sales_data.xls) once came out as 10 segments of 3: not personas."""
    X, _ = make_blobs(n_samples=34, centers=10, cluster_std=0.05, random_state=1)
    seg = make(random_state=0).fit(X)
    assert seg.n_clusters_ <= 3
    assert any(n.key == "segment.note.k_few" for n in seg.notes_)
    grid = [[x, y] for x in (0, 20, 40) for y in (0, 20)]
    many, _ = make_blobs(n_samples=200, centers=grid, cluster_std=0.5, random_state=1)
    fitted = make(random_state=0).fit(many)  # 200 customers: k up to 10 still tried
    assert fitted.n_clusters_ == 6 and not any(n.key == "segment.note.k_few" for n in fitted.notes_)


def test_a_handful_of_huge_accounts_get_no_segment_of_their_own():
    """Issue 26, point 5: three planted groups plus 6 accounts far from everyone (0.4 %). The silhouette
    would give them a segment; an outlier group is no persona, so k = 3 is chosen and it is said."""
    import numpy as np

    from persona_desktop.core.segments.methods import KMeansSegmenter

    rng = np.random.default_rng(3)
    groups = [rng.normal(centre, 0.35, size=(500, 2)) for centre in ((0, 0), (4, 0), (0, 4))]
    huge = rng.normal((14, 14), 0.2, size=(6, 2))
    X = np.vstack([*groups, huge])
    fitted = KMeansSegmenter(random_state=0).fit(X)
    assert fitted.n_clusters_ == 3
    assert min(np.bincount(fitted.labels_)) > 0.01 * len(X)
    keys = [n.key for n in fitted.notes_]
    scores = {s["k"]: s for s in fitted.k_scores_}
    assert scores[4]["silhouette"] > scores[3]["silhouette"] and scores[4]["smallest_n"] == 6  # the trap is real
    assert "segment.note.tiny_passed_over" in keys


def test_the_huge_accounts_passed_over_are_listed_apart():
    """Issue 26, point 5: the accounts a passed-over k would have made a segment of are the list."""
    import numpy as np

    from persona_desktop.core.segments.methods import HierarchicalSegmenter, KMeansSegmenter

    rng = np.random.default_rng(3)
    groups = [rng.normal(centre, 0.35, size=(500, 2)) for centre in ((0, 0), (4, 0), (0, 4))]
    X = np.vstack([*groups, rng.normal((14, 14), 0.2, size=(6, 2))])
    for make in (KMeansSegmenter, HierarchicalSegmenter):
        fitted = make(random_state=0).fit(X)
        assert sorted(fitted.set_apart_.tolist()) == list(range(1500, 1506)), make
    plain = KMeansSegmenter(random_state=0).fit(np.vstack(groups))  # no outlier group: no list
    assert len(plain.set_apart_) == 0
