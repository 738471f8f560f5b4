"""The Rules screen: what people buy together, in numbers and in words.

Thresholds and *Find rules* on the left; on the right, tabs for the rules
(sortable, filterable, one sentence each; all customers or one segment), the
recommendations per customer, and the charts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter,
    QTabWidget, QVBoxLayout, QWidget,
)

from persona_desktop.gui.chart_tabs import ChartTabs
from persona_desktop.gui.data_panel import DataTableView
from persona_desktop.gui.i18n import Retranslating, current_lang
from persona_desktop.gui.table_model import DataFrameTableModel

__all__ = ["RulesPanel"]

_FORMATS = {"support": "percent", "confidence": "percent", "lift": "decimal", "leverage": "decimal",
            "conviction": "decimal", "zhangs_metric": "decimal", "confidence_all": "percent",
            "lift_vs_all": "decimal", "special": "decimal"}


class RulesPanel(Retranslating, QWidget):
    """Asks for rules (``run_requested(options)``) and shows them."""

    run_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesPanel")
        self.analysis = None
        self.support = QDoubleSpinBox(self)
        self.support.setObjectName("supportSpin")
        self.support.setRange(0.05, 50.0)
        self.support.setDecimals(2)
        self.support.setSingleStep(0.5)
        self.support.setValue(1.0)
        self.support.setSuffix(" %")
        self.confidence = QDoubleSpinBox(self)
        self.confidence.setObjectName("confidenceSpin")
        self.confidence.setRange(1.0, 100.0)
        self.confidence.setDecimals(0)
        self.confidence.setSingleStep(5)
        self.confidence.setValue(30)
        self.confidence.setSuffix(" %")
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("runRules")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scope = QComboBox(self)
        self.scope.setObjectName("scopeBox")
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("rulesFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.rules_model = DataFrameTableModel(parent=self)
        self.rules_view = DataTableView(self)
        self.rules_view.setObjectName("rulesView")
        self.rules_view.setModel(self.rules_model)
        self.recs_model = DataFrameTableModel(parent=self)
        self.recs_view = DataTableView(self)
        self.recs_view.setObjectName("recommendationsView")
        self.recs_view.setModel(self.recs_model)
        self.charts = ChartTabs(self)
        self.charts.setObjectName("rulesCharts")

        self.settings_box = QGroupBox(self)
        form = QFormLayout(self.settings_box)
        self.support_label, self.confidence_label = QLabel(self), QLabel(self)
        form.addRow(self.support_label, self.support)
        form.addRow(self.confidence_label, self.confidence)
        form.addRow(self.run_button)
        form.addRow(self.summary)
        rules_page = QWidget(self)
        top = QHBoxLayout()
        self.scope_label = QLabel(self)
        top.addWidget(self.scope_label)
        top.addWidget(self.scope, 1)
        top.addWidget(self.filter_edit, 1)
        page_layout = QVBoxLayout(rules_page)
        page_layout.setContentsMargins(0, 4, 0, 0)
        page_layout.addLayout(top)
        page_layout.addWidget(self.rules_view, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("rulesTabs")
        self.tabs.addTab(rules_page, "")
        self.tabs.addTab(self.recs_view, "")
        self.tabs.addTab(self.charts, "")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.settings_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 950])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.run_button.clicked.connect(self.request_run)
        self.scope.activated.connect(self._show_rules)
        self.filter_edit.textChanged.connect(self.rules_model.set_filter)
        self._retranslate()

    def options(self) -> dict:
        return {"min_support": round(self.support.value() / 100, 6),
                "min_confidence": round(self.confidence.value() / 100, 4)}

    @Slot()
    def request_run(self) -> None:
        self.run_requested.emit(self.options())

    def show_analysis(self, analysis) -> None:
        self.analysis = analysis
        rules = analysis.rules if analysis is not None else None
        if rules is None:
            self.rules_model.set_frame(None)
            self.recs_model.set_frame(None)
            self.charts.set_figures([])
        else:
            from persona_desktop.core.charts.figures import rules_figures

            self.charts.set_figures(rules_figures(rules) if len(rules.rules) else [])
        self._render()

    def _render(self) -> None:
        lang = current_lang()
        rules = self.analysis.rules if self.analysis is not None else None
        self.scope.clear()
        self.scope.addItem(self.tr("All customers"), None)
        if rules is None:
            self.summary.setText(self.tr("Press <b>Find rules</b> (F5). Lower the support to find rarer "
                                         "combinations; it takes longer."))
            self.tabs.setTabVisible(1, False)
            return
        if rules.segment_rules is not None and not rules.segment_rules.empty:
            for name in rules.segment_rules["segment_name"].drop_duplicates():
                self.scope.addItem(str(name), str(name))
        text = self.tr("<b>{0}</b> rules from {1} baskets and {2} products.").format(
            f"{len(rules.rules):,}", f"{rules.baskets.n_baskets:,}", f"{rules.baskets.n_items:,}")
        if rules.recommendations is not None:
            text += "<br>" + self.tr("{0} customers have product suggestions.").format(
                f"{rules.recommendations['customer'].nunique():,}")
        notes = [n.text(lang) for n in rules.notes[:4]]
        if notes:
            text += "<ul style='margin-left:-20px'>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>"
        self.summary.setText(text)
        recs = rules.recommendations_table(lang)
        self.recs_model.set_frame(recs, formats=_FORMATS)
        self.tabs.setTabVisible(1, recs is not None)
        self.recs_view.fit_columns()
        self._show_rules()

    @Slot()
    def _show_rules(self) -> None:
        rules = self.analysis.rules if self.analysis is not None else None
        if rules is None:
            return
        from persona_desktop.core.i18n import Message

        lang = current_lang()
        segment = self.scope.currentData()
        if segment is None:
            table = rules.rules_table(lang).sort_values("lift", ascending=False, kind="stable")
        else:
            table = rules.segment_rules_table(lang)
            table = table[table[Message("rules.col.segment").text(lang)] == segment].drop(
                columns=[Message("rules.col.segment").text(lang)])
        sentence = Message("rules.col.sentence").text(lang)
        if sentence in table.columns:  # the rule in words first: that is what the owner reads
            table = table[[sentence, *(c for c in table.columns if c != sentence)]]
        self.rules_model.set_frame(table.reset_index(drop=True), formats=_FORMATS, header_name=self._column_name)
        self.rules_model.set_filter(self.filter_edit.text())
        self.rules_view.fit_columns()

    def _column_name(self, column: str) -> str:
        """The words for a rule column (the workbook keeps the standard names other tools read)."""
        names = {"antecedents": self.tr("If they buy"), "consequents": self.tr("They also buy"),
                 "support": self.tr("Support"), "confidence": self.tr("Confidence"), "lift": self.tr("Lift"),
                 "leverage": self.tr("Leverage"), "conviction": self.tr("Conviction"),
                 "zhangs_metric": self.tr("Zhang's metric"), "confidence_all": self.tr("Confidence, all customers"),
                 "lift_vs_all": self.tr("Lift against all customers"), "special": self.tr("How special")}
        return names.get(column, column)

    def _retranslate(self) -> None:
        self.settings_box.setTitle(self.tr("Settings"))
        self.support_label.setText(self.tr("Minimum support:"))
        self.support.setToolTip(self.tr("A combination must be in at least this share of baskets"))
        self.confidence_label.setText(self.tr("Minimum confidence:"))
        self.confidence.setToolTip(self.tr("How often the second part follows the first"))
        self.run_button.setText(self.tr("Find rules"))
        self.run_button.setToolTip(self.tr("Find products bought together (F5)"))
        self.scope_label.setText(self.tr("Show:"))
        self.filter_edit.setPlaceholderText(self.tr("Filter rules (a product)…"))
        self.tabs.setTabText(0, self.tr("Rules"))
        self.tabs.setTabText(1, self.tr("Recommendations"))
        self.tabs.setTabText(2, self.tr("Charts"))
        if self.analysis is not None and self.analysis.rules is not None:
            self.charts.retranslate()
        self._render()
