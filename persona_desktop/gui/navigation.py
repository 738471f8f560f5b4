"""The step list down the left of the window: 1 Open … 7 Export.

Each entry is a screen. A step that cannot run on the open file is greyed
out, and its tooltip says why (no products for rules, no dates for churn…).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

__all__ = ["StepList"]

_ICONS = {
    "open": QStyle.StandardPixmap.SP_DialogOpenButton,
    "data": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "segments": QStyle.StandardPixmap.SP_FileDialogListView,
    "personas": QStyle.StandardPixmap.SP_FileDialogInfoView,
    "value": QStyle.StandardPixmap.SP_DialogApplyButton,
    "rules": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "predict": QStyle.StandardPixmap.SP_ArrowForward,
    "export": QStyle.StandardPixmap.SP_DialogSaveButton,
}


class StepList(QListWidget):
    """``step_chosen(key)`` when the user picks a screen."""

    step_chosen = Signal(str)

    def __init__(self, steps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepList")
        self.steps = tuple(steps)
        self.setIconSize(QSize(20, 20))
        self.setSpacing(2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for key in self.steps:
            item = QListWidgetItem(self.style().standardIcon(_ICONS[key]), key, self)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(150, 40))
        self.currentRowChanged.connect(self._on_row)

    def set_titles(self, titles: dict[str, str]) -> None:
        for i, key in enumerate(self.steps):
            self.item(i).setText(f"{i + 1}  {titles[key]}")
        width = max(self.sizeHintForColumn(0), 150) + 36
        self.setFixedWidth(width)

    def set_available(self, key: str, reason: str | None) -> None:
        """Enable the step, or grey it out with *reason* as its tooltip."""
        item = self.item(self.steps.index(key))
        flags = item.flags()
        if reason is None:
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setToolTip("")
        else:
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(reason)

    def is_available(self, key: str) -> bool:
        return bool(self.item(self.steps.index(key)).flags() & Qt.ItemFlag.ItemIsEnabled)

    def select(self, key: str) -> None:
        self.blockSignals(True)
        self.setCurrentRow(self.steps.index(key))
        self.blockSignals(False)

    @Slot(int)
    def _on_row(self, row: int) -> None:
        if 0 <= row < len(self.steps):
            self.step_chosen.emit(self.steps[row])
