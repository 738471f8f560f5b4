"""What the window shows before a file is open: open a file, try the sample, or drop one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from persona_desktop.core.paths import resource_path
from persona_desktop.gui.i18n import Retranslating

__all__ = ["WelcomePanel"]


class WelcomePanel(Retranslating, QWidget):
    """The empty state: two big buttons and the recent files."""

    open_requested = Signal()
    sample_requested = Signal()
    recent_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        self.logo = QLabel(self)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setPixmap(QIcon(str(resource_path("icons", "persona-desktop.svg"))).pixmap(96, 96))
        self.title = QLabel(self)
        self.title.setObjectName("welcomeTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openButton")
        self.sample_button = QPushButton(self)
        self.sample_button.setObjectName("sampleButton")
        for button in (self.open_button, self.sample_button):
            button.setMinimumHeight(44)
            button.setMinimumWidth(200)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_requested)
        self.sample_button.clicked.connect(self.sample_requested)
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setObjectName("dropHint")
        self.recent_title = QLabel(self)
        self.recent_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recent_box = QVBoxLayout()
        self.recent_box.setSpacing(2)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.logo)
        layout.addSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(self.hint)
        layout.addSpacing(24)
        layout.addWidget(self.recent_title)
        layout.addLayout(self.recent_box)
        layout.addStretch(3)
        self._recent: list[str] = []
        self._retranslate()

    def set_recent(self, files: list[str]) -> None:
        self._recent = list(files)
        while self.recent_box.count():
            item = self.recent_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for path in self._recent[:5]:
            link = QPushButton(Path(path).name, self)
            link.setFlat(True)
            link.setToolTip(path)
            link.setCursor(Qt.CursorShape.PointingHandCursor)
            link.clicked.connect(lambda _=False, p=path: self.recent_requested.emit(p))
            self.recent_box.addWidget(link, alignment=Qt.AlignmentFlag.AlignCenter)
        self.recent_title.setVisible(bool(self._recent))

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Know your customers"))
        self.subtitle.setText(self.tr("Open the customer or order file your shop exported (Excel or CSV). "
                                      "Persona Desktop finds its columns, cleans it and builds one row per customer."))
        self.open_button.setText(self.tr("Open a file…"))
        self.sample_button.setText(self.tr("Try the sample shop"))
        self.hint.setText(self.tr("or drag a file onto this window"))
        self.recent_title.setText(self.tr("Recent files"))
