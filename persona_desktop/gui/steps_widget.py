"""The list of cleaning steps: a tick box, the step in words (wrapped), and its count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

__all__ = ["CleaningStepsWidget"]


class CleaningStepsWidget(QWidget):
    """One row per :class:`~persona_desktop.core.table.clean_options.CleanStep`; unticking asks to undo it."""

    toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cleaningSteps")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(6)
        self._grid.setColumnStretch(1, 1)
        self._boxes: dict[str, QCheckBox] = {}

    def set_steps(self, steps, lang: str) -> None:
        """Show *steps* (CleanStep objects) with their labels in *lang*."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self._boxes = {}
        for row, step in enumerate(steps):
            box = QCheckBox(self)
            box.setObjectName(f"step.{step.key}")
            box.setChecked(step.enabled)
            box.toggled.connect(self._on_toggled)
            label = QLabel(step.label.text(lang), self)
            label.setWordWrap(True)
            label.setBuddy(box)
            count = QLabel(f"{step.rows:,}", self)
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            if not step.rows:
                count.setEnabled(False)
            self._grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(label, row, 1)
            self._grid.addWidget(count, row, 2)
            self._boxes[step.key] = box
        self._grid.setRowStretch(len(steps), 1)

    def disabled(self) -> set[str]:
        return {key for key, box in self._boxes.items() if not box.isChecked()}

    def box(self, key: str) -> QCheckBox | None:
        return self._boxes.get(key)

    @Slot(bool)
    def _on_toggled(self, _checked: bool) -> None:
        self.toggled.emit()
