"""Event-loop stalls of the real window while customer value, segments, rules and churn run on a big file.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui_stalls.py [FILE] [--stacks]

The flow and the measuring are :func:`persona_desktop.gui.stall_meter.measure_flow`
(the test tests/test_gui_stalls.py runs the same, in a fresh process). A 10 ms
QTimer ticks on the GUI thread. Printed per step: the job's time, the longest
gap between ticks while the job ran (and the 99th percentile), the gap while
the window took the result (tables, the first chart drawn), and how long
Cancel took. Target (issue 7): no gap over 100 ms while a job runs; Cancel
within 1 s. The default file is Online Retail (541,909 lines).

With --stacks, every thread's stack is written to gui_stalls_stacks.txt each
time the GUI thread goes 80 ms without a tick: it names the call that held
the GIL (see persona_desktop/gui/warmup.py for the two big ones found so far).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "datasets" / "01_online_retail" / "online_retail.csv"
TARGET_MS = 100


def main() -> int:
    from persona_desktop.gui.stall_meter import STEPS, measure_flow

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else str(DEFAULT)
    log = open("gui_stalls_stacks.txt", "w") if "--stacks" in sys.argv else None
    result = measure_flow(path, log=log, limit_ms=TARGET_MS)
    times, cancel_ui, cancel_worker = result["times"], result["cancel_ui"], result["cancel_worker"]
    print(f"{Path(path).name}: event-loop gaps (target ≤ {TARGET_MS} ms)")
    print("  step       job time   ticks   longest gap while running (p99)   showing the result")
    for step in ("load", *STEPS):
        values = sorted(result["running"].get(step, [])) or [0.0]
        p99 = values[int(len(values) * 0.99)]
        shown = max(result["showing"].get(step, [0.0]))
        print(f"  {step:9s} {times.get(step, 0):6.1f} s   {len(values):5d}   {1000 * values[-1]:5.0f} ms ({1000 * p99:3.0f} ms)"
              f"{'':18s}{1000 * shown:5.0f} ms")
    print(f"  cancel: window free again after {1000 * cancel_ui:.0f} ms; worker stopped after {cancel_worker:.1f} s")
    label, worst = max(((step, max(gaps)) for step, gaps in result["running"].items() if gaps and step != "cancel"),
                       key=lambda item: item[1], default=("", 0.0))
    print(f"  longest gap while a job runs: {1000 * worst:.0f} ms ({label}): "
          f"{'within' if worst * 1000 <= TARGET_MS else 'OVER'} the target")
    if log is not None:
        print("  stacks of the threads during long gaps: gui_stalls_stacks.txt")
    for error in result["errors"]:
        print("  FAILED:", error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
