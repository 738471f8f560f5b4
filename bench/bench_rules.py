"""Frequent itemsets and rules on Online Retail: ours against the usual Python tools.

Run by hand (numbers, not pass/fail):

    .venv/bin/python bench/bench_rules.py                  # min support 0.005
    .venv/bin/python bench/bench_rules.py --support 0.01

Every case runs in its own process on the same baskets (Online Retail's
sale orders × product descriptions, built by our basket builder before the
clock starts), so only the mining is timed — except "ours_whole_step", which
times everything the rules step does: baskets + itemsets + rules +
recommendations. Peak memory is per process. Baselines that are not
installed are reported as such: ``pip install pyfim efficient-apriori`` and
``pip install --no-deps orange3-associate`` (its miner needs only NumPy).

Targets (issue 4): itemsets ≤ 1 s; the whole step ≤ 3 s with peak ≤ 1 GB.
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
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
task, path, support = sys.argv[1], sys.argv[2], float(sys.argv[3])
from persona_desktop.core.table.understand import inspect_file
ins = inspect_file(path)
out = {"task": task}
if task.startswith("ours_whole_step"):
    from persona_desktop.core.rules.run import find_rules
    t0 = time.perf_counter()
    # the built-in backend: what a default install (no pyfim) runs
    r = find_rules(ins, min_support=support, max_len=None if task.endswith("any_length") else 3, backend="eclat")
    out.update(itemsets=len(r.mining.itemsets), rules=len(r.rules), backend=r.mining.backend)
else:
    from persona_desktop.core.rules.baskets import baskets_from_cleaning
    b = baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles)
    n = b.n_baskets
    if task == "ours_eclat":
        from persona_desktop.core.rules.itemsets import frequent_itemsets
        t0 = time.perf_counter()
        out["itemsets"] = len(frequent_itemsets(b, support, backend="eclat").itemsets)
    elif task == "pyfim":
        import fim
        lists = b.as_lists()
        t0 = time.perf_counter()
        out["itemsets"] = len(fim.fpgrowth(lists, supp=100 * support, zmin=1, report="a"))
    elif task in ("mlxtend_fpgrowth", "mlxtend_hmine"):
        import pandas as pd
        from mlxtend.frequent_patterns import fpgrowth, hmine
        frame = pd.DataFrame.sparse.from_spmatrix(b.matrix, columns=b.items)
        t0 = time.perf_counter()
        func = fpgrowth if task == "mlxtend_fpgrowth" else hmine
        out["itemsets"] = len(func(frame, min_support=support, use_colnames=True))
    elif task == "efficient_apriori":
        from efficient_apriori import itemsets_from_transactions
        lists = [tuple(x) for x in b.as_lists()]
        t0 = time.perf_counter()
        found, _ = itemsets_from_transactions(lists, min_support=support)
        out["itemsets"] = sum(len(v) for v in found.values())
    elif task == "orange3_associate":
        from orangecontrib.associate.fpgrowth import frequent_itemsets
        X = b.matrix.tocsr()
        t0 = time.perf_counter()
        out["itemsets"] = sum(1 for _ in frequent_itemsets(X, support))
out["seconds"] = time.perf_counter() - t0
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(task: str, support: float) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, task, str(RETAIL), str(support)], capture_output=True,
                          text=True, timeout=1800, check=False)
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        return {"task": task, "error": "not installed" if "ModuleNotFoundError" in last else last[:100]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--support", type=float, default=0.005)
    parser.add_argument("--only", help="comma-separated cases")
    args = parser.parse_args()
    plan = [("ours_eclat", "ours: NumPy Eclat, itemsets (target ≤ 1 s)"),
            ("ours_whole_step", "ours: baskets + itemsets + rules + recommendations, rules of ≤ 3 items "
                                "as the app and CLI default (target ≤ 3 s, ≤ 1 GB)"),
            ("ours_whole_step_any_length", "  the same with rules of any length"),
            ("pyfim", "pyfim fpgrowth (C), itemsets"),
            ("mlxtend_fpgrowth", "mlxtend fpgrowth on sparse input"),
            ("mlxtend_hmine", "mlxtend hmine on sparse input"),
            ("efficient_apriori", "efficient-apriori"),
            ("orange3_associate", "Orange3-Associate fpgrowth")]
    if args.only:
        plan = [p for p in plan if p[0] in args.only.split(",")]
    print(f"Online Retail, min support {args.support}")
    print(f"{'case':26} {'seconds':>8} {'peak MB':>8} {'itemsets':>9}  what")
    for task, what in plan:
        r = measure(task, args.support)
        if "error" in r:
            print(f"{task:26} {'—':>8} {'—':>8} {'':>9}  {what}: {r['error']}")
            continue
        extra = f" ({r['rules']:,} rules, {r['backend']})" if "rules" in r else ""
        print(f"{task:26} {r['seconds']:8.2f} {r['peak_mb']:8.0f} {r['itemsets']:9,}  {what}{extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
