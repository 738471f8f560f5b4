"""Opening and understanding Online Retail: ours against the usual ways, side by side.

Run by hand (numbers, not pass/fail):

    .venv/bin/python bench/bench_read.py            # skips pandas+openpyxl (~85 s)
    .venv/bin/python bench/bench_read.py --all      # includes it

The pandas+calamine baseline needs ``pip install .[bench]`` (python-calamine,
which the app itself does not use).

Each measurement runs in its own process so peak memory (max RSS) is its
own. "seconds" excludes interpreter start and imports; "import" is shown
apart. The issue's targets: the .xlsx opened and aggregated to customers in
≤ 5 s, the .csv in ≤ 1.5 s, peak memory ≤ 1 GB for either.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "01_online_retail"

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
task, path = sys.argv[1], sys.argv[2]
import pandas as pd
imported = time.perf_counter() - t0
t1 = time.perf_counter()
rows = customers = None
phases = {}
if task == "ours":
    from persona_desktop.core.table.understand import inspect_file
    imported = time.perf_counter() - t0
    t1 = time.perf_counter()
    r = inspect_file(path)
    rows, customers = len(r.table.data), len(r.customers.data)
    phases = r.timings
elif task == "pandas_openpyxl":
    df = pd.read_excel(path, engine="openpyxl"); rows = len(df)
elif task == "pandas_calamine":
    df = pd.read_excel(path, engine="calamine"); rows = len(df)
elif task == "fastexcel_raw":
    import fastexcel
    df = fastexcel.read_excel(path).load_sheet(0).to_pandas(); rows = len(df)
elif task == "pandas_csv":
    df = pd.read_csv(path); rows = len(df)
elif task == "pandas_csv_pyarrow":
    df = pd.read_csv(path, engine="pyarrow"); rows = len(df)
seconds = time.perf_counter() - t1
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"task": task, "seconds": seconds, "import": imported, "peak_mb": peak, "rows": rows,
                  "customers": customers, "phases": phases}))
"""


def measure(task: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, task, str(path)], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"task": task, "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="include pandas+openpyxl (about 85 s)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of our reader (median shown)")
    args = parser.parse_args()
    xlsx, csv = DATA / "online_retail.xlsx", DATA / "online_retail.csv"
    plan = [
        ("xlsx", "ours", xlsx, "read + roles + clean + customers; target ≤ 5 s, ≤ 1 GB"),
        ("xlsx", "fastexcel_raw", xlsx, "calamine→Arrow→pandas, no understanding (~3.6 s here)"),
        ("xlsx", "pandas_calamine", xlsx, "pandas.read_excel(engine='calamine') (~15 s here)"),
        ("csv", "ours", csv, "read + roles + clean + customers; target ≤ 1.5 s, ≤ 1 GB"),
        ("csv", "pandas_csv", csv, "pandas.read_csv, no understanding"),
        ("csv", "pandas_csv_pyarrow", csv, "pandas.read_csv(engine='pyarrow'), no understanding"),
    ]
    if args.all:
        plan.insert(3, ("xlsx", "pandas_openpyxl", xlsx, "pandas.read_excel(engine='openpyxl') (~85 s here)"))
    print(f"{'file':5} {'method':20} {'seconds':>8} {'import':>7} {'peak MB':>8} {'rows':>8} {'customers':>9}  note")
    for kind, task, path, note in plan:
        runs = [measure(task, path) for _ in range(args.repeat if task == "ours" else 1)]
        ok = [r for r in runs if "error" not in r]
        if not ok:
            print(f"{kind:5} {task:20} {'error':>8}  {runs[0]['error']}")
            continue
        ok.sort(key=lambda r: r["seconds"])
        r = ok[len(ok) // 2]
        spread = f" (min {ok[0]['seconds']:.2f}, max {ok[-1]['seconds']:.2f})" if len(ok) > 1 else ""
        print(f"{kind:5} {task:20} {r['seconds']:8.2f} {r['import']:7.2f} {max(x['peak_mb'] for x in ok):8.0f} "
              f"{r['rows'] or 0:8,} {r['customers'] or '':>9}  {note}{spread}")
        if r.get("phases"):
            print(" " * 27 + "median run: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["phases"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
