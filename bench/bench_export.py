"""Export speed: ``analyze`` on Online Retail end to end, and openpyxl's write-only mode
against its normal mode for the same workbook.

Run by hand (numbers, not pass/fail):

    .venv/bin/python bench/bench_export.py

Cases, each in its own process:

* ``analyze_cli`` — ``persona-desktop analyze online_retail.csv --out X.xlsx``
  as the owner runs it (process start to exit); target ≤ 30 s, peak ≤ 1.5 GB.
* ``write_only`` — our writer (openpyxl write-only mode: rows streamed to the
  file, formats and native charts) on the owner's sheets of that analysis.
* ``normal_mode`` — the same cells, formats, header style, widths and filters
  written with openpyxl's normal mode (every cell an object in memory first).
* ``pandas_to_excel`` — ``DataFrame.to_excel`` of the table sheets, no formats
  (what a quick script would do), for scale.

The writing cases report the seconds of writing only and the memory the
process added while writing (peak minus before).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETAIL = ROOT.parent / "shared" / "datasets" / "01_online_retail" / "online_retail.csv"

CHILD = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
task, path, out_path = sys.argv[1], sys.argv[2], sys.argv[3]

def peak_mb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024

import openpyxl, openpyxl.chart  # imported before the clock starts, in every case

from persona_desktop.core.workflow import run_analysis
from persona_desktop.core.export.workbook import owner_sheets, write_owner_workbook
a = run_analysis(path)
sheets = owner_sheets(a, "en")
import gc; gc.collect()
try:  # reset the peak to the present size, so the peak below is the writing's own
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
before = peak_mb()
t0 = time.perf_counter()
if task == "write_only":
    write_owner_workbook(out_path, a, "en")
elif task == "normal_mode":
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from persona_desktop.core.export.xlsx import Fmt, NUMBER_FORMATS, _column_formats, _python_values, text_width
    wb = Workbook()
    wb.remove(wb.active)
    for name, sheet in sheets.items():
        ws = wb.create_sheet(name[:31])
        if isinstance(sheet.data, list):
            for row in sheet.data:
                ws.append([v.value if isinstance(v, Fmt) else v for v in row])
            continue
        frame = sheet.data
        formats = _column_formats(frame, sheet.formats)
        columns = [_python_values(frame[c]) for c in frame.columns]
        ws.append([str(c) for c in frame.columns])
        for values in zip(*columns):
            ws.append([None if v is None else (("'" + v) if isinstance(v, str) and v[:1] in "=+-@" else v)
                       for v in values])
        for j, f in enumerate(formats, start=1):
            ws.cell(1, j).font = Font(bold=True)
            if f:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = f
            width = max([text_width(str(frame.columns[j - 1]))] + [text_width(v) for v in columns[j - 1][:2000]])
            ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 6), 60)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{len(frame) + 1}"
    wb.save(out_path)
elif task == "pandas_to_excel":
    import pandas as pd
    with pd.ExcelWriter(out_path, engine="openpyxl") as writer:
        for name, sheet in sheets.items():
            if not isinstance(sheet.data, list):
                sheet.data.to_excel(writer, sheet_name=name[:31], index=False)
seconds = time.perf_counter() - t0
cells = sum(s.data.size for s in sheets.values() if not isinstance(s.data, list))
print(json.dumps({"seconds": seconds, "added_mb": peak_mb() - before, "cells": cells}))
"""


def child(task: str, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, task, str(RETAIL), str(out)], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def analyze_cli(out: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "persona_desktop", "analyze",
                           str(RETAIL), "--out", str(out), "--lang", "en"], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    seconds = time.perf_counter() - start
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1]}
    return {"seconds": seconds, "peak_mb": int(proc.stderr.strip().splitlines()[-1]) / 1024}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3, help="runs per case; the median is shown")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "owner.xlsx"
        runs = [analyze_cli(out) for _ in range(args.repeat)]
        ok = [r for r in runs if "error" not in r]
        if ok:
            print(f"{'analyze_cli':18} {statistics.median(r['seconds'] for r in ok):6.1f} s  "
                  f"peak {max(r['peak_mb'] for r in ok):6.0f} MB   "
                  f"Online Retail 541,909 lines → workbook (target ≤ 30 s, ≤ 1.5 GB); size {out.stat().st_size / 1e6:.1f} MB")
        else:
            print("analyze_cli        failed:", runs[0]["error"])
        for task in ("write_only", "normal_mode", "pandas_to_excel"):
            runs = [child(task, Path(folder) / f"{task}.xlsx") for _ in range(args.repeat)]
            ok = [r for r in runs if "error" not in r]
            if not ok:
                print(f"{task:18} failed: {runs[0]['error']}")
                continue
            print(f"{task:18} {statistics.median(r['seconds'] for r in ok):6.1f} s  "
                  f"+{statistics.median(r['added_mb'] for r in ok):5.0f} MB while writing   "
                  f"{ok[0]['cells']:,} table cells")


if __name__ == "__main__":
    main()
