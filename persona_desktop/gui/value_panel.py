"""The Value screen: who is still a customer, how many orders each will place, what each is worth.

Settings on the left (the days to look ahead, the months of value, the monthly discount rate, the
purchase model) with *Predict value* and what the result rests on; on the right, every customer in a
sortable, filterable list (most valuable first) and the charts: the check on the last third of the
history, the chance of still being a customer against the days since the last purchase, and how the
value is spread over the customers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from persona_desktop.gui.chart_tabs import ChartTabs
from persona_desktop.gui.data_panel import DataTableView
from persona_desktop.gui.i18n import Retranslating, current_lang
from persona_desktop.gui.table_model import DataFrameTableModel

__all__ = ["ValuePanel"]


class ValuePanel(Retranslating, QWidget):
    """Asks for customer value (``run_requested(options)``) and shows it."""

    run_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("valuePanel")
        self.analysis = None
        self.days_spin = QSpinBox(self)
        self.days_spin.setObjectName("valueDays")
        self.days_spin.setRange(7, 730)
        self.days_spin.setValue(90)
        self.months_spin = QSpinBox(self)
        self.months_spin.setObjectName("valueMonths")
        self.months_spin.setRange(1, 60)
        self.months_spin.setValue(12)
        self.discount_spin = QDoubleSpinBox(self)
        self.discount_spin.setObjectName("valueDiscount")
        self.discount_spin.setRange(0.0, 10.0)
        self.discount_spin.setDecimals(1)
        self.discount_spin.setSingleStep(0.5)
        self.discount_spin.setValue(1.0)
        self.discount_spin.setSuffix(" %")
        self.model_box = QComboBox(self)
        self.model_box.setObjectName("valueModel")
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("runValue")
        self.summary = QLabel(self)
        self.summary.setObjectName("valueSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("valueFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.table_model = DataFrameTableModel(parent=self)
        self.table_view = DataTableView(self)
        self.table_view.setObjectName("valueView")
        self.table_view.setModel(self.table_model)
        self.charts = ChartTabs(self)
        self.charts.setObjectName("valueCharts")

        self.settings_box = QGroupBox(self)
        form = QFormLayout(self.settings_box)
        self.days_label, self.months_label = QLabel(self), QLabel(self)
        self.discount_label, self.model_label = QLabel(self), QLabel(self)
        form.addRow(self.days_label, self.days_spin)
        form.addRow(self.months_label, self.months_spin)
        form.addRow(self.discount_label, self.discount_spin)
        form.addRow(self.model_label, self.model_box)
        form.addRow(self.run_button)
        form.addRow(self.summary)
        list_page = QWidget(self)
        page_layout = QVBoxLayout(list_page)
        page_layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        page_layout.addLayout(top)
        page_layout.addWidget(self.table_view, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("valueTabs")
        self.tabs.addTab(list_page, "")
        self.tabs.addTab(self.charts, "")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.settings_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 930])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.run_button.clicked.connect(self.request_run)
        self.filter_edit.textChanged.connect(self.table_model.set_filter)
        self._retranslate()

    def options(self) -> dict:
        return {"days": self.days_spin.value(), "months": self.months_spin.value(),
                "discount": round(self.discount_spin.value() / 100, 4), "model": self.model_box.currentData() or "auto"}

    @Slot()
    def request_run(self) -> None:
        self.run_requested.emit(self.options())

    def show_analysis(self, analysis) -> None:
        self.analysis = analysis
        value = analysis.value if analysis is not None else None
        if value is None:
            self.table_model.set_frame(None)
            self.charts.set_figures([])
        else:
            from persona_desktop.core.charts.figures import value_figures

            self.charts.set_figures(value_figures(value))
        self._render()

    def _render(self) -> None:
        lang = current_lang()
        value = self.analysis.value if self.analysis is not None else None
        if value is None:
            step = self.analysis.step("step.value") if self.analysis is not None else None
            text = self.tr("Press <b>Predict value</b> (F5): who is still a customer, how many orders each will "
                           "place and what each is worth, from the order history.")
            if step is not None and step.skipped is not None:
                text = step.skipped.text(lang)
            self.summary.setText(text)
            return
        from persona_desktop.core.export.value_sheet import value_table
        from persona_desktop.core.segments.words import money_text

        t = value.table
        currency = self.analysis.inspection.customers.currency if self.analysis.inspection.customers else None
        text = self.tr("<b>{0}</b> customers; <b>{1}</b> orders expected in the next {2} days.").format(
            f"{len(t):,}", f"{t['expected_orders'].sum():,.0f}", value.days)
        if value.spend is not None:
            text += "<br>" + self.tr("Predicted value over the next {0} months: <b>{1}</b>.").format(
                value.months, money_text(float(t["clv"].sum()), currency))
        at_risk = value.at_risk_high_value()  # None with no one seen leaving (a note says why)
        if at_risk is not None:
            text += "<br>" + self.tr("Valuable customers at risk: <b>{0}</b>.").format(f"{at_risk:,}")
        check = value.backtest
        if check is not None and check.actual.sum() > 0:
            text += "<br>" + self.tr("Checked on the last third of the history: {0} purchase days predicted, "
                                     "{1} made.").format(f"{check.predicted.sum():,.0f}", f"{check.actual.sum():,.0f}")
        notes = [n.text(lang) for n in value.notes]
        if notes:
            text += "<ul style='margin-left:-20px'>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>"
        self.summary.setText(text)
        table, formats = value_table(self.analysis, lang)
        self.table_model.set_frame(table, formats={k: {"number": "decimal", "int": "count"}.get(f, f) for k, f in formats.items()})
        self.table_model.set_filter(self.filter_edit.text())
        self.table_view.fit_columns()

    def _retranslate(self) -> None:
        self.settings_box.setTitle(self.tr("Settings"))
        self.days_label.setText(self.tr("Orders over the next (days):"))
        self.days_spin.setToolTip(self.tr("How far ahead the expected orders look"))
        self.months_label.setText(self.tr("Value over the next (months):"))
        self.discount_label.setText(self.tr("Monthly discount rate:"))
        self.discount_spin.setToolTip(self.tr("Money later is worth less than money now: each month's value is "
                                              "divided by (1 + rate) once more"))
        self.model_label.setText(self.tr("Purchase model:"))
        current = self.model_box.currentData()
        self.model_box.clear()
        self.model_box.addItem(self.tr("Best fit (auto)"), "auto")
        self.model_box.addItem("BG/NBD", "bgnbd")
        self.model_box.addItem("Pareto/NBD", "paretonbd")
        if current is not None:
            self.model_box.setCurrentIndex(max(0, self.model_box.findData(current)))
        self.run_button.setText(self.tr("Predict value"))
        self.run_button.setToolTip(self.tr("Fit the customer-value models to the order history (F5)"))
        self.filter_edit.setPlaceholderText(self.tr("Filter customers…"))
        self.tabs.setTabText(0, self.tr("Customers"))
        self.tabs.setTabText(1, self.tr("Charts"))
        if self.analysis is not None and self.analysis.value is not None:
            self.charts.retranslate()
        self._render()
