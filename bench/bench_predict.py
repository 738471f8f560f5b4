"""Prediction speed: every model compared on Telco, the random forest on Bank Marketing.

Run by hand (numbers, not pass/fail):

    .venv/bin/python bench/bench_predict.py

Each case runs in its own process. "seconds" covers what ``train`` does:
cross-validation of the models, the hold-out score, permutation importance,
the final refit and the tree rules; reading the file and importing
scikit-learn are reported apart. Targets (issue 5): Telco, all models with
5-fold CV ≤ 30 s; Bank (45,211 rows) random forest 5-fold ≤ 30 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets"

CHILD = r"""
import json, resource, sys, time
task, path, column, model = sys.argv[1:5]
t = time.perf_counter()
import sklearn.ensemble, sklearn.linear_model, sklearn.svm, sklearn.neural_network, sklearn.tree, sklearn.calibration
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.predict.targets import target_from_column
from persona_desktop.core.predict.run import train
imports = time.perf_counter() - t
ins = inspect_file(path)
target = target_from_column(ins.customers, column)
t0 = time.perf_counter()
p = train(target, model)
out = {"task": task, "seconds": time.perf_counter() - t0, "import": imports,
       "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
       "best": p.chosen.name, "auc": p.chosen.cv.roc_auc, "baseline": p.baseline_accuracy,
       "board": [(r.name, round(r.cv.roc_auc, 3), round(r.seconds, 1)) for r in p.leaderboard]}
print(json.dumps(out))
"""


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    plan = [
        ("telco_compare", DATA / "05_telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv", "Churn", "compare",
         "Telco 7,043 customers: all six models, 5-fold CV (target ≤ 30 s)"),
        ("bank_forest", DATA / "06_bank_marketing" / "bank-full.csv", "y", "forest",
         "Bank 45,211 customers: random forest, 5-fold CV (target ≤ 30 s)"),
    ]
    print(f"{'case':15} {'seconds':>8} {'import':>7} {'peak MB':>8}  best (CV ROC AUC; baseline accuracy)  what")
    for task, path, column, model, what in plan:
        proc = subprocess.run([sys.executable, "-c", CHILD, task, str(path), column, model], capture_output=True,
                              text=True, timeout=1800, check=False)
        if proc.returncode != 0:
            print(f"{task:15} failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{task:15} {r['seconds']:8.1f} {r['import']:7.1f} {r['peak_mb']:8.0f}  "
              f"{r['best']} ({r['auc']:.3f}; {r['baseline']:.3f})  {what}")
        print(" " * 17 + "per model (CV AUC, seconds): " + ", ".join(f"{n} {a} {s}s" for n, a, s in r["board"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
