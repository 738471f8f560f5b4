"""How long the GUI thread goes without handling events while jobs run.

Used by the responsiveness test (tests/test_gui_stalls.py) and by
``bench/bench_gui_stalls.py``, both through :func:`measure_flow`, run in a
fresh process as the app would be (``python -m
persona_desktop.gui.stall_meter FILE`` prints the figures as JSON). A 10 ms QTimer ticks on the GUI thread; the
time between two ticks is a *gap*. Gaps are filed under the current label
(the step being run) in two kinds:

- **running**: the job was busy at both ticks. These gaps come from the worker
  holding the GIL (a long pandas or numpy call) or from the window's own
  progress handling. This is what "the window never freezes while a job runs"
  is about.
- **showing**: the job finished between the two ticks. This gap holds the
  window taking the result: filling tables and drawing the first chart.

With a log file, the meter also arms :mod:`faulthandler`'s watchdog at each
tick: if the GUI thread then misses ticks for 80 % of *limit_ms*, the stack of
every thread is written to the log, which names the call that held things up.
(The watchdog reads the other threads' stacks without the GIL; in rare cases
that crashes the process. It is a diagnostic, never used in tests.)
"""

from __future__ import annotations

import collections
import json
import sys
import time
from typing import IO

from PySide6.QtCore import QObject, QTimer, Slot

__all__ = ["StallMeter", "measure_flow"]

STEPS = ("value", "segments", "rules", "predict")  # the screens whose jobs are measured, in the window's order


class StallMeter(QObject):
    """Records event-loop gaps while *runner* (a JobRunner) is busy; see the module docstring."""

    def __init__(self, runner, limit_ms: float = 100.0, interval_ms: int = 10, log: IO[str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.limit_ms = limit_ms
        self.label = "job"
        self.running: dict[str, list[float]] = collections.defaultdict(list)  # seconds
        self.showing: dict[str, list[float]] = collections.defaultdict(list)
        self._log = log
        self._last = time.perf_counter()
        self._busy = False
        self._ended = False
        self._ended_label = self.label
        runner.busy_changed.connect(self._on_busy_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last, self._busy, self._ended = time.perf_counter(), self.runner.busy, False
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._log is not None:
            import faulthandler

            faulthandler.cancel_dump_traceback_later()

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self._ended, self._ended_label = True, self.label

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        busy = self.runner.busy
        if self._ended and self._busy:
            self.showing[self._ended_label].append(gap)
        elif busy and self._busy:
            self.running[self.label].append(gap)
        if self._log is not None:
            self._watch(busy, gap)
        self._busy, self._last, self._ended = busy, now, False

    def _watch(self, busy: bool, gap: float) -> None:
        import faulthandler

        if gap * 1000 > self.limit_ms * 0.8 and (busy or self._ended):
            self._log.write(f"=== {self.label}: that gap lasted {1000 * gap:.0f} ms\n\n")
            self._log.flush()
        faulthandler.cancel_dump_traceback_later()
        if busy:
            faulthandler.dump_traceback_later(self.limit_ms / 1000 * 0.8, file=self._log)


def measure_flow(path: str, steps: tuple[str, ...] = STEPS, *, cancel_after: float = 2.0,
                 limit_ms: float = 100.0, log: IO[str] | None = None) -> dict:
    """Open *path* in a real window, run *steps* with F5's action, then start the last step again and cancel it.

    Returns {"times": {step: s}, "running": {step: [gap s]}, "showing": {step: [gap s]},
    "cancel_ui": s, "cancel_worker": s, "errors": [text]}.
    """
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from persona_desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])  # noqa: F841  (kept alive while the window lives)
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    meter = StallMeter(window.runner, limit_ms=limit_ms, log=log)
    meter.label = "load"
    meter.start()
    errors: list[str] = []
    window.runner.failed.connect(lambda failure: errors.append(f"{failure.title}: {failure.message}"))

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
    for step in steps:
        meter.label = step
        window.show_step(step)
        clock = time.perf_counter()
        window.run_current_step()
        wait(window.step_done)
        times[step] = time.perf_counter() - clock
    # Cancel: run the last step again, press Esc's action after a while, time until all is idle
    meter.label = "cancel"
    window.run_current_step()
    end = time.perf_counter() + cancel_after
    while time.perf_counter() < end:
        QEventLoop().processEvents()  # the static processEvents() leaked a None ref in PySide6 6.12
    clock = time.perf_counter()
    window.cancel_action.trigger()
    cancel_ui = time.perf_counter() - clock
    window.runner.wait(60_000)
    cancel_worker = time.perf_counter() - clock
    meter.stop()
    window.close()
    return {"times": times, "running": dict(meter.running), "showing": dict(meter.showing),
            "cancel_ui": cancel_ui, "cancel_worker": cancel_worker, "errors": errors}


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(measure_flow(sys.argv[1], tuple(sys.argv[2:]) or STEPS)))
