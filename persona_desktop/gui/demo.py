"""``persona-desktop --demo --screenshot DIR``: the whole flow on the sample, a picture of each screen.

The driver clicks through the window as a user would — open the sample, look
at the data, find segments, read the personas, find rules, train the churn
model, export — with the default settings, waits for each job, and saves
``DIR/1_open.png`` … ``DIR/7_export.png``. The export goes to a temporary
folder that is removed afterwards. Any failed step makes the exit code 1.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from persona_desktop.gui.chart_tabs import ChartTabs

__all__ = ["DemoDriver"]


class DemoDriver(QObject):
    """Runs the flow on *window*, saving screenshots into *folder*; ``app.exit(code)`` at the end."""

    def __init__(self, window, folder: str | None, app: QApplication) -> None:
        super().__init__(window)
        self.window, self.app = window, app
        self.folder = Path(folder) if folder else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.export_dir = tempfile.mkdtemp(prefix="persona-demo-")
        self.saved: list[Path] = []
        self.plan = [("open", None), ("data", self._open), ("segments", self._segments), ("value", self._value),
                     ("personas", None), ("rules", self._rules), ("predict", self._predict), ("export", self._export)]
        self.index = 0
        window.step_done.connect(self._on_done)
        window.file_loaded.connect(lambda _inspection: self._on_done("data"))
        window.runner.failed.connect(self._on_failed)
        self._waiting: str | None = None

    def start(self) -> None:
        QTimer.singleShot(200, self._next)

    # -- the plan ----------------------------------------------------------------------
    def _open(self) -> None:
        self.window.open_sample()

    def _segments(self) -> None:
        self.window.show_step("segments")
        self.window.run_current_step()

    def _value(self) -> None:
        self.window.show_step("value")
        self.window.run_current_step()

    def _rules(self) -> None:
        self.window.show_step("rules")
        self.window.run_current_step()

    def _predict(self) -> None:
        self.window.show_step("predict")
        self.window.run_current_step()

    def _export(self) -> None:
        self.window.show_step("export")
        self.window.export_panel.folder_edit.setText(self.export_dir)
        self.window.run_current_step()

    @Slot()
    def _next(self) -> None:
        if self.index >= len(self.plan):
            self._finish(0)
            return
        step, action = self.plan[self.index]
        if action is None:
            self.window.show_step(step)
            QTimer.singleShot(300, lambda: self._shoot(step))
        else:
            self._waiting = step
            action()

    @Slot(str)
    def _on_done(self, what: str) -> None:
        if self._waiting is None or what != self._waiting:
            return
        self._waiting = None
        step = self.plan[self.index][0]
        self.window.show_step(step)
        QTimer.singleShot(300, lambda: self._shoot(step))

    def _shoot(self, step: str) -> None:
        panel = self.window.screens[step]
        for charts in panel.findChildren(ChartTabs):
            if charts.isVisible():
                charts.draw_current()
        QEventLoop().processEvents()  # not app.processEvents(): it leaks a None reference in PySide6 6.12
        if self.folder is not None:
            path = self.folder / f"{self.index + 1}_{step}.png"
            self.window.grab().save(str(path))
            self.saved.append(path)
        self.index += 1
        QTimer.singleShot(50, self._next)

    @Slot(object)
    def _on_failed(self, failure) -> None:
        sys.stderr.write(f"persona-desktop demo: {failure.title}: {failure.message}\n")
        self._finish(1)

    def _finish(self, code: int) -> None:
        shutil.rmtree(self.export_dir, ignore_errors=True)
        if self.folder is not None and code == 0:
            sys.stdout.write(f"persona-desktop: {len(self.saved)} screenshots in {self.folder}\n")
            sys.stdout.flush()
        self.app.exit(code)
