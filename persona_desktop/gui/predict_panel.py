"""The Predict screen: choose what to predict, compare the models with a baseline, apply to a new file.

Targets on offer: churn derived from the order history (order files), which
segment a customer belongs to (after segmenting), and each column of the
customer table that has a few values (Churn, y, 违约…). The comparison table
puts every model next to "always guess the most common answer", so the owner
sees whether the prediction is worth anything.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QGroupBox, QHeaderView, QLabel, QPushButton, QSpinBox, QSplitter, QTabWidget,
    QVBoxLayout, QWidget,
)

from persona_desktop.gui.chart_tabs import ChartTabs
from persona_desktop.gui.data_panel import DataTableView
from persona_desktop.gui.i18n import Retranslating, current_lang
from persona_desktop.gui.table_model import DataFrameTableModel

__all__ = ["PredictPanel"]


class PredictPanel(Retranslating, QWidget):
    """``run_requested(spec)`` to train; ``apply_requested(path)`` to score a new file."""

    run_requested = Signal(object)
    apply_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictPanel")
        self.analysis = None
        self.target_box = QComboBox(self)
        self.target_box.setObjectName("targetBox")
        self.days_spin = QSpinBox(self)
        self.days_spin.setObjectName("daysSpin")
        self.days_spin.setRange(14, 365)
        self.days_spin.setValue(90)
        self.model_box = QComboBox(self)
        self.model_box.setObjectName("modelBox")
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("runPredict")
        self.apply_button = QPushButton(self)
        self.apply_button.setObjectName("applyModel")
        self.summary = QLabel(self)
        self.summary.setObjectName("predictSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.board_model = DataFrameTableModel(parent=self)
        self.board_view = DataTableView(self)
        self.board_view.setObjectName("leaderboardView")
        self.board_view.setModel(self.board_model)
        self.scored_model = DataFrameTableModel(parent=self)
        self.scored_view = DataTableView(self)
        self.scored_view.setObjectName("scoredView")
        self.scored_view.setModel(self.scored_model)
        self.charts = ChartTabs(self)
        self.charts.setObjectName("predictCharts")

        self.settings_box = QGroupBox(self)
        form = QFormLayout(self.settings_box)
        self.target_label, self.days_label, self.model_label = QLabel(self), QLabel(self), QLabel(self)
        form.addRow(self.target_label, self.target_box)
        form.addRow(self.days_label, self.days_spin)
        form.addRow(self.model_label, self.model_box)
        form.addRow(self.run_button)
        form.addRow(self.summary)
        form.addRow(self.board_view)
        form.addRow(self.apply_button)
        self.board_view.verticalHeader().hide()  # a short list: row numbers only take room
        self.board_view.setMinimumHeight(self.board_view.verticalHeader().defaultSectionSize() * 8 + 8)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("predictTabs")
        self.tabs.addTab(self.charts, "")
        self.tabs.addTab(self.scored_view, "")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.settings_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.run_button.clicked.connect(self.request_run)
        self.apply_button.clicked.connect(self._choose_file)
        self.target_box.currentIndexChanged.connect(self._on_target)
        self._retranslate()

    # -- asking -------------------------------------------------------------------
    def spec(self) -> dict:
        kind, column = self.target_box.currentData() or ("churn", None)
        spec: dict = {"kind": kind, "model": self.model_box.currentData() or "compare"}
        if kind == "churn":
            spec["days"] = self.days_spin.value()
        elif kind == "column":
            spec["column"] = column
        return spec

    @Slot()
    def request_run(self) -> None:
        if self.target_box.count():
            self.run_requested.emit(self.spec())

    @Slot()
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Apply the model to a file"), "",
                                              self.tr("Tables") + " (*.xlsx *.xls *.csv *.tsv *.txt *.ods *.parquet)")
        if path:
            self.apply_requested.emit(path)

    @Slot(int)
    def _on_target(self, _index: int) -> None:
        is_churn = (self.target_box.currentData() or ("",))[0] == "churn"
        self.days_spin.setVisible(is_churn)
        self.days_label.setVisible(is_churn)

    # -- showing ------------------------------------------------------------------
    def show_analysis(self, analysis) -> None:
        self.analysis = analysis
        self._fill_targets()
        model = self._model()
        if model is None:
            self.board_model.set_frame(None)
            self.scored_model.set_frame(None)
            self.charts.set_figures([])
        else:
            from persona_desktop.core.charts.figures import prediction_figures

            self.charts.set_figures(prediction_figures(model))
        self._render()

    def show_applied(self, result) -> None:
        self.scored_model.set_frame(result.scored)
        self.scored_view.fit_columns()
        self.tabs.setCurrentWidget(self.scored_view)
        notes = "".join(f"<li>{w.text(current_lang())}</li>" for w in result.warnings)
        self.summary.setText(self.summary.text() + "<br>" + self.tr("<b>{0}</b> customers of the new file scored.")
                             .format(f"{len(result.scored):,}") + (f"<ul>{notes}</ul>" if notes else ""))

    def _model(self):
        return None if self.analysis is None else self.analysis.model

    def _fill_targets(self) -> None:
        current = self.target_box.currentData()
        self.target_box.blockSignals(True)
        self.target_box.clear()
        a = self.analysis
        if a is not None and a.inspection.customers is not None:
            from persona_desktop.core.workflow import unavailable
            from persona_desktop.core.predict.targets import target_candidates

            if unavailable(a, "churn") is None:
                self.target_box.addItem(self.tr("Churn: who will not buy again"), ("churn", None))
            if a.segments is not None:
                self.target_box.addItem(self.tr("Segment of a new customer"), ("segment", None))
            for column in target_candidates(a.inspection.customers):
                self.target_box.addItem(self.tr("Column “{0}”").format(column), ("column", column))
        index = self.target_box.findData(current) if current is not None else -1
        self.target_box.setCurrentIndex(max(index, 0))
        self.target_box.blockSignals(False)
        self._on_target(0)
        self.run_button.setEnabled(self.target_box.count() > 0)

    def _render(self) -> None:
        lang = current_lang()
        model = self._model()
        self.apply_button.setVisible(model is not None)
        if model is None:
            self.summary.setText(self.tr("Choose what to predict and press <b>Train and compare</b> (F5)."))
            return
        from persona_desktop.core.predict.models import model_label

        c = model.chosen.cv
        rows = [self.tr("Predicting <b>{0}</b> for {1} customers").format(model.target.name,
                                                                       f"{len(model.target.y):,}"),
                self.tr("Best model: <b>{0}</b>").format(model_label(model.chosen.name, lang)),
                self.tr("Accuracy {0:.1%} against {1:.1%} for always guessing “{2}”").format(
                    c.accuracy, model.baseline_accuracy, model.majority)]
        if c.roc_auc is not None:
            rows.append(self.tr("ROC AUC {0:.3f} (0.5 is guessing, 1 is perfect)").format(c.roc_auc))
        notes = [n.text(lang) for n in (model.notes + model.target.notes)[:5]]
        text = "<br>".join(rows)
        if notes:
            text += "<ul style='margin-left:-20px'>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>"
        self.summary.setText(text)
        import pandas as pd

        board = pd.DataFrame({
            self.tr("Model"): [model_label(r.name, lang) for r in model.leaderboard] + [self.tr("Baseline")],
            self.tr("Accuracy"): [r.cv.accuracy for r in model.leaderboard] + [model.baseline_accuracy],
            "F1": [r.cv.f1 for r in model.leaderboard] + [None],
            "ROC AUC": [r.cv.roc_auc for r in model.leaderboard] + [None],
            self.tr("Seconds"): [round(r.seconds, 1) for r in model.leaderboard] + [None],
        })
        self.board_model.set_frame(board, formats={self.tr("Accuracy"): "percent", "F1": "decimal",
                                                   "ROC AUC": "decimal", self.tr("Seconds"): "decimal"})
        self.board_view.fit_columns()
        self.board_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.scored_model.set_frame(model.scored_table(lang=lang, explain=False))
        self.scored_view.fit_columns()

    # -- language -----------------------------------------------------------------
    def _retranslate(self) -> None:
        self.settings_box.setTitle(self.tr("What to predict"))
        self.target_label.setText(self.tr("Target:"))
        self.days_label.setText(self.tr("Within (days):"))
        self.days_spin.setToolTip(self.tr("A customer has churned if they buy nothing in this many days"))
        self.model_label.setText(self.tr("Model:"))
        current = self.model_box.currentData()
        self.model_box.clear()
        self.model_box.addItem(self.tr("Compare all and pick the best"), "compare")
        from persona_desktop.core.predict.models import MODELS, model_label

        for name in MODELS:
            self.model_box.addItem(model_label(name, current_lang()), name)
        self.model_box.setCurrentIndex(max(self.model_box.findData(current), 0))
        self.run_button.setText(self.tr("Train and compare"))
        self.run_button.setToolTip(self.tr("Train the models and compare them with the baseline (F5)"))
        self.apply_button.setText(self.tr("Apply to a new file…"))
        self.tabs.setTabText(0, self.tr("Charts"))
        self.tabs.setTabText(1, self.tr("Customers"))
        if self._model() is not None:
            self.charts.retranslate()
        self._fill_targets()
        if self.analysis is not None:
            self._render()
        else:
            self.summary.setText(self.tr("Open a file first."))
