"""The Export screen: what to take away, where, in which language; then open the folder.

The workbook (every sheet the owner acts on), the customer list as CSV,
every chart as PNG/SVG/PDF and the persona report. Files are written
atomically by the core, never over the file the analysis was read from.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QPushButton, QVBoxLayout, QWidget,
)

from persona_desktop.gui.i18n import Retranslating, current_lang

__all__ = ["ExportPanel"]


class ExportPanel(Retranslating, QWidget):
    """``export_requested(ExportChoice)``; :meth:`show_written` lists what was written."""

    export_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportPanel")
        self.analysis = None
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setObjectName("folderEdit")
        self.browse_button = QPushButton(self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        self.workbook_box = QCheckBox(self)
        self.workbook_box.setObjectName("exportWorkbook")
        self.csv_box = QCheckBox(self)
        self.csv_box.setObjectName("exportCsv")
        self.charts_box = QCheckBox(self)
        self.charts_box.setObjectName("exportCharts")
        self.format_box = QComboBox(self)
        self.format_box.addItems(["png", "svg", "pdf"])
        self.report_box = QCheckBox(self)
        self.report_box.setObjectName("exportReport")
        for box in (self.workbook_box, self.csv_box, self.charts_box, self.report_box):
            box.setChecked(True)
        self.lang_box = QComboBox(self)
        self.lang_box.setObjectName("exportLang")
        self.lang_box.addItem("English", "en")
        self.lang_box.addItem("中文", "zh")
        self.privacy_box = QComboBox(self)
        self.privacy_box.setObjectName("exportPrivacy")
        for mode in ("keep", "mask", "code"):
            self.privacy_box.addItem("", mode)
        self.privacy_label = QLabel(self)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.written = QListWidget(self)
        self.written.setObjectName("writtenList")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openFolder")
        self.open_button.setEnabled(False)

        self.where_box = QGroupBox(self)
        where = QFormLayout(self.where_box)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        self.folder_label, self.name_label, self.lang_label = QLabel(self), QLabel(self), QLabel(self)
        where.addRow(self.folder_label, folder_row)
        where.addRow(self.name_label, self.name_edit)
        where.addRow(self.lang_label, self.lang_box)
        self.what_box = QGroupBox(self)
        what = QVBoxLayout(self.what_box)
        what.addWidget(self.workbook_box)
        what.addWidget(self.csv_box)
        charts_row = QHBoxLayout()
        charts_row.addWidget(self.charts_box)
        charts_row.addWidget(self.format_box)
        charts_row.addStretch(1)
        what.addLayout(charts_row)
        what.addWidget(self.report_box)
        privacy_row = QHBoxLayout()
        privacy_row.addWidget(self.privacy_label)
        privacy_row.addWidget(self.privacy_box, 1)
        what.addLayout(privacy_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.done_box = QGroupBox(self)
        done = QVBoxLayout(self.done_box)
        done.addWidget(self.status)
        done.addWidget(self.written, 1)
        left = QVBoxLayout()
        left.addWidget(self.where_box)
        left.addWidget(self.what_box)
        left.addLayout(buttons)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(self.done_box, 3)
        self.browse_button.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.request_export)
        self.open_button.clicked.connect(self.open_folder)
        self._retranslate()

    def show_analysis(self, analysis) -> None:
        first = self.analysis is None or analysis is None or self.analysis.source != analysis.source
        self.analysis = analysis
        if analysis is None:
            return
        if first or not self.folder_edit.text():
            self.folder_edit.setText(str(Path(analysis.source).resolve().parent))
            self.name_edit.setText(f"{Path(analysis.source).stem}_personas")
            self.written.clear()
            self.open_button.setEnabled(False)
        self.lang_box.setCurrentIndex(max(self.lang_box.findData(current_lang()), 0))
        self.report_box.setEnabled(analysis.segments is not None)
        self._render_status()

    def choice(self):
        from persona_desktop.core.export.bundle import ExportChoice

        return ExportChoice(folder=self.folder_edit.text().strip(), name=self.name_edit.text().strip() or "personas",
                            workbook=self.workbook_box.isChecked(), csv=self.csv_box.isChecked(),
                            charts=self.charts_box.isChecked(), chart_format=self.format_box.currentText(),
                            report=self.report_box.isChecked() and self.report_box.isEnabled(),
                            lang=self.lang_box.currentData(), privacy=self.privacy_box.currentData())

    @Slot()
    def request_export(self) -> None:
        if self.analysis is not None:
            self.export_requested.emit(self.choice())

    @Slot()
    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export into folder"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    @Slot()
    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_edit.text()))

    def show_written(self, paths) -> None:
        self.written.clear()
        folder = Path(self.folder_edit.text())
        for path in paths:
            path = Path(path)
            try:
                shown = str(path.relative_to(folder))
            except ValueError:
                shown = str(path)
            self.written.addItem(shown)
        self.open_button.setEnabled(bool(paths))
        self.status.setText(self.tr("{0} files written into {1}").format(len(paths), folder))

    def _render_status(self) -> None:
        if self.written.count():
            return
        if self.analysis is None:
            self.status.setText(self.tr("Open a file first."))
            return
        parts = []
        if self.analysis.segments is None:
            parts.append(self.tr("No segments yet: the workbook will hold the customers without segments."))
        if self.analysis.rules is None:
            parts.append(self.tr("No rules yet."))
        if self.analysis.model is None:
            parts.append(self.tr("No prediction yet."))
        self.status.setText(" ".join(parts) or self.tr("Everything is ready to export."))

    def _retranslate(self) -> None:
        self.where_box.setTitle(self.tr("Where"))
        self.what_box.setTitle(self.tr("What"))
        self.done_box.setTitle(self.tr("Written"))
        self.folder_label.setText(self.tr("Folder:"))
        self.name_label.setText(self.tr("File names start with:"))
        self.lang_label.setText(self.tr("Language of the files:"))
        self.browse_button.setText(self.tr("Browse…"))
        self.workbook_box.setText(self.tr("Excel workbook: summary, personas, customers with their segment, "
                                          "one sheet per segment, rules, model"))
        self.csv_box.setText(self.tr("Customer list as CSV (for mailing tools)"))
        self.charts_box.setText(self.tr("Every chart as"))
        self.report_box.setText(self.tr("Persona report (PDF)"))
        self.privacy_label.setText(self.tr("Names, phones, e-mails:"))
        self.privacy_box.setItemText(0, self.tr("as they are"))
        self.privacy_box.setItemText(1, self.tr("masked (张**, J*** S****, ****1234)"))
        self.privacy_box.setItemText(2, self.tr("replaced by codes (the same code for the same customer)"))
        self.privacy_box.setToolTip(self.tr("For files you send to others: the customers' names, phone numbers "
                                            "and e-mail addresses are hidden in the workbook and the CSV"))
        self.export_button.setText(self.tr("Export"))
        self.export_button.setToolTip(self.tr("Write the chosen files (Ctrl+E)"))
        self.open_button.setText(self.tr("Open the folder"))
        self.workbook_box.setToolTip("")
        self.written.setToolTip(self.tr("Files written by the last export"))
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self._render_status()
