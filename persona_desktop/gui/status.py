"""The status bar's job area: what is running, how far it got, and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from persona_desktop.gui.i18n import Retranslating
from persona_desktop.gui.jobs import JobRunner

__all__ = ["JobStatusWidget"]


class JobStatusWidget(Retranslating, QWidget):
    """Shows a :class:`JobRunner`'s progress; hidden when nothing runs."""

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobStatus")
        self._runner = runner
        self.message = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(220)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(runner.cancel)
        runner.started.connect(self._on_started)
        runner.progress.connect(self._on_progress)
        runner.busy_changed.connect(self._on_busy)
        self._retranslate()
        self.setVisible(False)

    def _retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop this step (Esc)"))

    @Slot(str)
    def _on_started(self, title: str) -> None:
        self.message.setText(title)
        self.bar.setValue(0)

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(round(fraction * 1000)))
        if message:
            self.message.setText(f"{self._runner.title} — {message}")

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.setVisible(busy)
        if not busy:
            self.bar.setValue(0)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
