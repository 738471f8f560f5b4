"""The Data screen: the table as read (with each row's cleaning status), the
customer table, each column's detected role in the header, and the cleaning
steps with their counts beside it — each step switchable.

The panel only shows an :class:`~persona_desktop.core.table.understand.Inspection`
and says what the user asked for (another sheet or encoding, other cleaning
options); the main window runs the jobs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListWidget, QScrollArea, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from persona_desktop.core.io.encoding import ENCODING_CHOICES
from persona_desktop.gui.i18n import Retranslating, current_lang
# pandas and the analysis modules are imported where they are used, not here:
# the window must be on screen before they load (see persona_desktop.gui.app).
from persona_desktop.gui.steps_widget import CleaningStepsWidget
from persona_desktop.gui.table_model import DataFrameTableModel

__all__ = ["DataPanel", "DataTableView"]


class DataTableView(QTableView):
    """A table view for big frames: fixed row heights, sorting through the model, Ctrl+C copies."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring of 541,909 rows
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        copy = QAction(self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)

    def fit_columns(self, sample_rows: int = 100) -> None:
        """Column widths from the header and the longest texts of the first rows (never a scan of every row)."""
        model = self.model()
        if model is None:
            return
        metrics = self.fontMetrics()
        rows = min(model.rowCount(), sample_rows)
        for column in range(model.columnCount()):
            header = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max((metrics.horizontalAdvance(line) for line in header.split("\n")), default=40) + 28
            longest = sorted(set(model.column_texts(column, rows)), key=len, reverse=True)[:12]  # measuring every text is the slow part
            width = max([width] + [metrics.horizontalAdvance(text) + 16 for text in longest])
            self.setColumnWidth(column, min(width, 360))

    @Slot()
    def copy_selection(self) -> None:
        """Selected cells to the clipboard as tab-separated text (pastes into Excel)."""
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        model = self.model()
        rows: dict[int, dict[int, str]] = {}
        for index in indexes[:200_000]:
            rows.setdefault(index.row(), {})[index.column()] = str(model.data(index) or "")
        columns = sorted({c for r in rows.values() for c in r})
        lines = ["\t".join(r.get(c, "") for c in columns) for _, r in sorted(rows.items())]
        QApplication.clipboard().setText("\n".join(lines))


class DataPanel(Retranslating, QWidget):
    """Shows an inspection; asks for reloads and re-cleaning through signals."""

    reload_requested = Signal(object, object)  # sheet or None, encoding or None
    clean_options_changed = Signal(object)  # CleanOptions
    roles_changed = Signal(object)  # {column: Role} — every column's role, one of them corrected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPanel")
        self.inspection = None
        self._updating = False

        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.sheet_label, self.sheet_box = QLabel(self), QComboBox(self)
        self.sheet_box.setObjectName("sheetBox")
        self.encoding_label, self.encoding_box = QLabel(self), QComboBox(self)
        self.encoding_box.setObjectName("encodingBox")
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(260)

        self.rows_model = DataFrameTableModel(parent=self)
        self.customers_model = DataFrameTableModel(parent=self)
        self.rows_view = DataTableView(self)
        self.rows_view.setObjectName("rowsView")
        self.rows_view.setModel(self.rows_model)
        self.customers_view = DataTableView(self)
        self.customers_view.setObjectName("customersView")
        self.customers_view.setModel(self.customers_model)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("dataTabs")
        self.tabs.addTab(self.rows_view, "")
        self.tabs.addTab(self.customers_view, "")

        self.steps_title = QLabel(self)
        self.steps = CleaningStepsWidget(self)
        steps_scroll = QScrollArea(self)
        steps_scroll.setWidget(self.steps)
        steps_scroll.setWidgetResizable(True)
        steps_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.missing_label, self.missing_box = QLabel(self), QComboBox(self)
        self.outliers_label, self.outliers_box = QLabel(self), QComboBox(self)
        self.warnings_title = QLabel(self)
        self.warnings = QListWidget(self)
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.sheet_label)
        top.addWidget(self.sheet_box)
        top.addWidget(self.encoding_label)
        top.addWidget(self.encoding_box)
        top.addSpacing(12)
        top.addWidget(self.filter_edit)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.steps_title)
        side_layout.addWidget(steps_scroll, 3)
        options = QFormLayout()
        options.addRow(self.missing_label, self.missing_box)
        options.addRow(self.outliers_label, self.outliers_box)
        side_layout.addLayout(options)
        side_layout.addWidget(self.warnings_title)
        side_layout.addWidget(self.warnings, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        header = self.rows_view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._role_menu)
        header.sectionDoubleClicked.connect(lambda section: self._role_menu(None, section))
        self.sheet_box.activated.connect(self._on_source_changed)
        self.encoding_box.activated.connect(self._on_source_changed)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.steps.toggled.connect(self._emit_options)
        self.missing_box.activated.connect(self._emit_options)
        self.outliers_box.activated.connect(self._emit_options)
        self._retranslate()

    # -- showing an inspection ------------------------------------------------
    def show_inspection(self, inspection) -> None:
        """Show *inspection* (a :class:`~persona_desktop.core.table.understand.Inspection`)."""
        self.inspection = inspection
        lang = current_lang()
        cleaned = inspection.cleaning
        self.rows_model.set_frame(cleaned.annotated(lang), header_note=self._role_note, formats=self._role_formats())
        self.rows_model.set_muted(~cleaned.kept)
        customers = inspection.customers
        if customers is not None:
            from persona_desktop.core.table.customers import column_format

            formats = {c: column_format(c) for c in customers.data.columns if column_format(c)}
            self.customers_model.set_frame(customers.data, header_note=self._customer_note,
                                           header_name=self._customer_name, formats=formats)
        else:
            self.customers_model.set_frame(None)
        self.tabs.setTabVisible(1, customers is not None)
        self.filter_edit.clear()
        self.rows_view.fit_columns()
        self.customers_view.fit_columns()
        self._fill_sources()
        self._fill_steps()
        self._fill_options()
        self._render_texts()

    def _role_formats(self) -> dict[str, str]:
        from persona_desktop.core.schema import Role

        money = {Role.UNIT_PRICE, Role.LINE_AMOUNT, Role.ORDER_TOTAL}
        return {c: "money" for c, r in self.inspection.cleaning.roles.items() if r in money}

    def _role_note(self, column: str) -> str:
        if self.inspection is None:
            return ""
        role = self.inspection.cleaning.roles.get(column)
        return role.label(current_lang()) if role is not None else ""

    def _customer_note(self, column: str) -> str:
        from persona_desktop.core.schema import COMPUTED_COLUMNS

        if column in COMPUTED_COLUMNS:  # computed by us: its name says it all
            return ""
        customers = self.inspection.customers if self.inspection is not None else None
        role = customers.roles.get(column) if customers is not None else None
        return role.label(current_lang()) if role is not None else ""

    def _customer_name(self, column: str) -> str:
        from persona_desktop.core.table.customers import column_label

        return column_label(column, current_lang())

    def _fill_sources(self) -> None:
        source = self.inspection.table.source
        self._updating = True
        self.sheet_box.clear()
        self.sheet_box.addItems(source.sheets)
        if source.sheet:
            self.sheet_box.setCurrentText(source.sheet)
        self.sheet_box.setVisible(len(source.sheets) > 1)
        self.sheet_label.setVisible(len(source.sheets) > 1)
        self.encoding_box.clear()
        is_text = source.encoding is not None
        if is_text:
            self.encoding_box.addItem(self.tr("{0} (detected)").format(source.encoding), None)
            for name in ENCODING_CHOICES:
                if name != source.encoding:
                    self.encoding_box.addItem(name, name)
        self.encoding_box.setVisible(is_text)
        self.encoding_label.setVisible(is_text)
        self._updating = False

    def show_controls(self) -> None:
        """The cleaning ticks and choices as the data shown was cleaned (after a failed or cancelled run)."""
        if self.inspection is not None:
            self._fill_steps()
            self._fill_options()

    def _fill_steps(self) -> None:
        self._updating = True
        self.steps.set_steps(self.inspection.cleaning.steps, current_lang())
        self._updating = False

    def _fill_options(self) -> None:
        from persona_desktop.core.table.clean_options import MISSING_STRATEGIES, OUTLIER_METHODS

        options = self.inspection.clean_options
        names = {"median": self.tr("median / most frequent"), "mode": self.tr("most frequent"),
                 "constant": self.tr("a constant (0)"), "flag": self.tr("fill and flag"),
                 "drop": self.tr("set the rows aside"), "keep": self.tr("leave them")}
        methods = {"iqr": self.tr("interquartile range"), "isolation_forest": self.tr("isolation forest"),
                   "none": self.tr("do not look")}
        self._updating = True
        for box, keys, labels, current in ((self.missing_box, MISSING_STRATEGIES, names, options.missing),
                                           (self.outliers_box, OUTLIER_METHODS, methods, options.outliers)):
            box.clear()
            for key in keys:
                box.addItem(labels[key], key)
            box.setCurrentIndex(max(box.findData(current), 0))
        has_missing = self.inspection.cleaning.step("missing") is not None
        self.missing_box.setVisible(has_missing)
        self.missing_label.setVisible(has_missing)
        self._updating = False

    def _render_texts(self) -> None:
        if self.inspection is None:
            return
        lang = current_lang()
        table, source = self.inspection.table, self.inspection.table.source
        from pathlib import Path

        parts = [f"<b>{Path(source.path).name}</b>", source.format.upper()]
        if source.encoding:
            parts.append(source.encoding)
        if source.sheet:
            parts.append(self.tr("sheet “{0}”").format(source.sheet))
        parts.append(self.tr("{0} rows").format(f"{len(table.data):,}"))
        parts.append(self.inspection.kind.label(lang))
        if self.inspection.customers is not None:
            parts.append(self.tr("{0} customers").format(f"{len(self.inspection.customers.data):,}"))
        self.summary.setText(" · ".join(parts))
        self.tabs.setTabText(0, self.tr("Rows as read ({0})").format(f"{len(self.rows_model.frame()):,}"))
        if self.inspection.customers is not None:
            self.tabs.setTabText(1, self.tr("Customers ({0})").format(f"{len(self.inspection.customers.data):,}"))
        self.warnings.clear()
        notes = self.inspection.notes()
        if self.inspection.problem is not None:  # nothing to analyse: said first, in the owner's words
            notes.insert(0, self.inspection.problem.message)
        for message in notes:
            self.warnings.addItem(f"• {message.text(lang)}")  # one bullet each: wrapped notes run together
        self.warnings_title.setVisible(bool(notes))
        self.warnings.setVisible(bool(notes))

    # -- user actions ----------------------------------------------------------
    @Slot()
    def _on_source_changed(self) -> None:
        if self._updating or self.inspection is None:
            return
        sheet = self.sheet_box.currentText() if self.sheet_box.isVisible() else None
        encoding = self.encoding_box.currentData() if self.encoding_box.isVisible() else None
        self.reload_requested.emit(sheet, encoding)

    def _role_menu(self, pos, section: int | None = None) -> None:  # pragma: no cover (a blocking menu)
        """Right-click (or double-click) a column header: choose what the column means."""
        if self.inspection is None:
            return
        from PySide6.QtGui import QCursor
        from PySide6.QtWidgets import QMenu

        from persona_desktop.core.schema import Role

        header = self.rows_view.horizontalHeader()
        if section is None:
            section = header.logicalIndexAt(pos)
        frame = self.rows_model.frame()
        if frame is None or section < 0 or section >= frame.shape[1]:
            return
        column = frame.columns[section]
        roles = dict(self.inspection.roles)
        if column not in roles:  # the status column cleaning adds
            return
        lang = current_lang()
        menu = QMenu(self)
        menu.setObjectName("roleMenu")
        title = menu.addAction(self.tr("“{0}” is…").format(column))
        title.setEnabled(False)
        for role in Role:
            if role is Role.FLAG:
                continue
            action = menu.addAction(role.label(lang))
            action.setCheckable(True)
            action.setChecked(roles.get(column) is role)
            action.setData(role.value)
        chosen = menu.exec(QCursor.pos())
        if chosen is not None and chosen.data():
            self.set_role(column, Role(chosen.data()))

    def set_role(self, column: str, role) -> None:
        """Say that *column* holds *role*: cleaning and the customer table are made again."""
        roles = dict(self.inspection.roles)
        if roles.get(column) is not role:
            roles[column] = role
            self.roles_changed.emit(roles)

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        model = self.customers_model if self.tabs.currentIndex() == 1 else self.rows_model
        model.set_filter(text)

    @Slot()
    def _emit_options(self) -> None:
        if self._updating or self.inspection is None:
            return
        from persona_desktop.core.table.clean_options import CleanOptions

        disabled = self.steps.disabled()
        base = self.inspection.clean_options
        options = CleanOptions(disabled=disabled, missing=self.missing_box.currentData() or base.missing,
                               outliers=self.outliers_box.currentData() or base.outliers,
                               iqr_factor=base.iqr_factor, missing_constant=base.missing_constant)
        self.clean_options_changed.emit(options)

    # -- language ----------------------------------------------------------------
    def _retranslate(self) -> None:
        self.sheet_label.setText(self.tr("Sheet:"))
        self.encoding_label.setText(self.tr("Encoding:"))
        self.encoding_box.setToolTip(self.tr("If Chinese or accented text looks garbled, choose another encoding"))
        self.filter_edit.setPlaceholderText(self.tr("Filter rows…"))
        self.steps_title.setText(self.tr("<b>Cleaning</b> — untick a step to undo it; the numbers are rows"))
        self.rows_view.horizontalHeader().setToolTip(self.tr("Right-click a column to say what it means"))
        self.missing_label.setText(self.tr("Missing values:"))
        self.outliers_label.setText(self.tr("Outliers:"))
        self.warnings_title.setText(self.tr("<b>Notes</b>"))
        self.tabs.setTabText(0, self.tr("Rows as read"))
        self.tabs.setTabText(1, self.tr("Customers"))
        if self.inspection is not None:
            self.rows_model.set_frame(self.inspection.cleaning.annotated(current_lang()), header_note=self._role_note,
                                      formats=self._role_formats())
            self.rows_model.set_muted(~self.inspection.cleaning.kept)
            self.customers_model.set_header_note(self._customer_note, self._customer_name)
            self._fill_sources()
            self._fill_steps()
            self._fill_options()
            self._render_texts()
