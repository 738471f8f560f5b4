"""Event-loop stalls of the real window while segments, rules and churn run on a big file.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui_stalls.py [FILE]

A 10 ms QTimer ticks on the GUI thread; every gap between two ticks while a
job runs in the worker is recorded. Printed per step: the job's time, the
longest gap, the 99th percentile, and how long Cancel took to take effect.
Target (issue 7): no gap over 100 ms; Cancel within 1 s. The default file is
Online Retail (541,909 lines). Gaps come from pandas/numpy calls in the
worker that hold the GIL; the stack of the worker after a long gap shows which.
"""

from __future__ import annotations

import collections
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "datasets" / "01_online_retail" / "online_retail.csv"
TARGET_MS = 100


def main() -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from persona_desktop.gui.main_window import MainWindow

    path = sys.argv[1] if len(sys.argv) > 1 else str(DEFAULT)
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    gaps: dict[str, list[float]] = collections.defaultdict(list)
    state = {"last": time.perf_counter(), "busy": False, "label": "load"}

    def tick() -> None:
        now = time.perf_counter()
        busy = window.runner.busy
        if busy and state["busy"]:
            gaps[state["label"]].append(now - state["last"])
        state["busy"], state["last"] = busy, now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()

    def wait(signal) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        window.runner.failed.connect(loop.quit)
        window.runner.cancelled.connect(loop.quit)
        loop.exec()

    clock = time.perf_counter()
    window.open_file(path)
    wait(window.file_loaded)
    times = {"load": time.perf_counter() - clock}
    for step in ("segments", "rules", "predict"):
        state["label"] = step
        window.show_step(step)
        clock = time.perf_counter()
        window.run_current_step()
        wait(window.step_done)
        times[step] = time.perf_counter() - clock
    # Cancel: start the model comparison again, cancel after 2 s, time until the runner is idle
    window.show_step("predict")
    window.run_current_step()
    end = time.perf_counter() + 2.0
    while time.perf_counter() < end:
        QEventLoop().processEvents()  # app.processEvents() leaks a None ref (PySide6 6.12)
    clock = time.perf_counter()
    window.cancel_action.trigger()
    cancel_ui = time.perf_counter() - clock
    window.runner.wait(60_000)
    cancel_worker = time.perf_counter() - clock

    print(f"{Path(path).name}: event-loop gaps while each job runs (target ≤ {TARGET_MS} ms)")
    worst = 0.0
    for step, values in gaps.items():
        values = sorted(values)
        p99 = values[int(len(values) * 0.99)] if values else 0.0
        worst = max(worst, values[-1] if values else 0.0)
        print(f"  {step:9s} {times.get(step, 0):6.1f} s   ticks {len(values):5d}   longest {1000 * values[-1]:5.0f} ms"
              f"   p99 {1000 * p99:4.0f} ms")
    print(f"  cancel: window free again after {1000 * cancel_ui:.0f} ms; worker stopped after {cancel_worker:.1f} s")
    print(f"  longest gap {1000 * worst:.0f} ms: {'within' if worst * 1000 <= TARGET_MS else 'OVER'} the target")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
