"""Segmentation speed and memory: ours against naive scikit-learn use, side by side.

Run by hand (numbers, not pass/fail):

    .venv/bin/python bench/bench_segment.py            # all cases
    .venv/bin/python bench/bench_segment.py --quick    # skip the slow naive runs

Each case runs in its own process, so "peak MB" (max RSS) is its own.
Targets (issue 3): Online Retail customers, automatic k + personas ≤ 3 s;
100,000 synthetic customers × 8 features, K-Means with automatic k ≤ 15 s;
hierarchical and DBSCAN ≤ 2 GB peak memory through sampling.

The naive baselines are what a script would do with scikit-learn directly:
K-Means (n_init="auto") for k = 2..10 with ``silhouette_score`` on every
customer; ``AgglomerativeClustering`` and ``DBSCAN`` on every customer.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETAIL = ROOT.parent / "shared" / "datasets" / "01_online_retail" / "online_retail.csv"

CHILD = r"""
import json, resource, sys, time
task, arg = sys.argv[1], sys.argv[2]
import numpy as np

def blobs(n):
    from sklearn.datasets import make_blobs
    X, _ = make_blobs(n_samples=n, n_features=8, centers=6, cluster_std=2.0, random_state=0)
    return X

out = {"task": task}
# scikit-learn, SciPy and matplotlib load once per session; their import time
# (about 1 s here) is reported apart, for ours and the baselines alike
t_import = time.perf_counter()
import sklearn.cluster, sklearn.metrics, sklearn.tree, sklearn.neighbors, scipy.sparse.csgraph  # noqa: E401
out["import"] = time.perf_counter() - t_import
t0 = time.perf_counter()
if task == "ours_retail":
    from persona_desktop.core.table.understand import inspect_file
    from persona_desktop.core.segments.run import segment_inspection
    ins = inspect_file(arg)
    t0 = time.perf_counter()
    res = segment_inspection(ins, stability_runs=0)
    out.update(k=res.segmentation.n_segments, personas=len(res.personas), n=len(ins.customers.data))
elif task == "naive_retail":
    from persona_desktop.core.table.understand import inspect_file
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler
    ins = inspect_file(arg)
    d = ins.customers.data
    t0 = time.perf_counter()
    X = StandardScaler().fit_transform(np.log1p(d[["recency_days", "frequency"]].clip(lower=0)).assign(m=d["monetary"]))
    best = max(((silhouette_score(X, KMeans(k, n_init="auto", random_state=0).fit_predict(X)), k) for k in range(2, 11)))
    out.update(k=best[1], n=len(X))
elif task.startswith("ours_"):
    X = blobs(int(arg))
    from persona_desktop.core.segments.methods import KMeansSegmenter, HierarchicalSegmenter, DBSCANSegmenter
    t0 = time.perf_counter()
    model = {"ours_kmeans": KMeansSegmenter, "ours_hier": HierarchicalSegmenter, "ours_dbscan": DBSCANSegmenter}[task]()
    model.fit(X)
    out.update(k=int(model.n_clusters_), n=len(X))
elif task == "naive_kmeans_one_k":
    X = blobs(int(arg))
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    t0 = time.perf_counter()
    labels = KMeans(6, n_init="auto", random_state=0).fit_predict(X)
    silhouette_score(X, labels)
    out.update(k=6, n=len(X), note="one k of nine")
elif task == "naive_hier":
    X = blobs(int(arg))
    from sklearn.cluster import AgglomerativeClustering
    t0 = time.perf_counter()
    AgglomerativeClustering(6, linkage="ward").fit(X)
    out.update(k=6, n=len(X))
elif task == "naive_dbscan":
    X = blobs(int(arg))
    from sklearn.cluster import DBSCAN
    t0 = time.perf_counter()
    labels = DBSCAN(eps=2.0, min_samples=16).fit_predict(X)
    out.update(k=int(labels.max()) + 1, n=len(X))
out["seconds"] = time.perf_counter() - t0
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(task: str, arg: str, timeout: float) -> dict:
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, task, arg], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"task": task, "error": f"stopped after {timeout:.0f} s"}
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        return {"task": task, "error": last[:120]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the slow naive baselines")
    parser.add_argument("--n", type=int, default=100_000, help="synthetic customers (8 features)")
    parser.add_argument("--only", help="comma-separated case names to run")
    args = parser.parse_args()
    n = str(args.n)
    plan = [
        ("ours_retail", str(RETAIL), "Online Retail 4,372 customers: auto k + personas (target ≤ 3 s)"),
        ("naive_retail", str(RETAIL), "  naive: KMeans k=2..10 + silhouette on every customer"),
        ("ours_kmeans", n, f"{args.n:,} × 8: K-Means auto k (target ≤ 15 s)"),
        ("naive_kmeans_one_k", n, "  naive: KMeans + silhouette on every customer, ONE k (×9 for k=2..10)"),
        ("ours_hier", n, f"{args.n:,} × 8: hierarchical (ward) auto k (target ≤ 2 GB)"),
        ("naive_hier", "20000", "  naive: AgglomerativeClustering(ward) on 20,000 (100,000 needs ~40 GB)"),
        ("ours_dbscan", n, f"{args.n:,} × 8: DBSCAN, eps from the k-distance knee (target ≤ 2 GB)"),
        ("naive_dbscan", n, "  naive: sklearn DBSCAN on every customer"),
    ]
    if args.quick:
        plan = [p for p in plan if not p[0].startswith("naive")]
    if args.only:
        plan = [p for p in plan if p[0] in args.only.split(",")]
    print(f"{'case':22} {'seconds':>8} {'import':>7} {'peak MB':>8} {'k':>3}  what")
    for task, arg, what in plan:
        r = measure(task, arg, timeout=900)
        if "error" in r:
            print(f"{task:22} {'—':>8} {'':>7} {'—':>8} {'':>3}  {what}: {r['error']}")
            continue
        print(f"{task:22} {r['seconds']:8.2f} {r['import']:7.2f} {r['peak_mb']:8.0f} {r.get('k', ''):>3}  {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
