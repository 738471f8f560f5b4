"""The Segments screen: method, features and number of segments; quality figures; charts.

The defaults (automatic method, automatic k, the features the core picks)
give meaningful segments without touching anything; the owner only presses
*Find segments* (F5). After a run the feature list shows what was used, and
every column left out with the reason in its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QSpinBox, QSplitter,
    QVBoxLayout, QWidget,
)

from persona_desktop.gui.chart_tabs import ChartTabs
from persona_desktop.gui.i18n import Retranslating, current_lang

__all__ = ["SegmentsPanel"]

METHOD_KEYS = ("auto", "kmeans", "hierarchical", "dbscan", "rfm")


class SegmentsPanel(Retranslating, QWidget):
    """Asks for a segmentation (``run_requested(options)``) and shows the result."""

    run_requested = Signal(object)  # dict of segment options

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("segmentsPanel")
        self.analysis = None
        self.method_box = QComboBox(self)
        self.method_box.setObjectName("methodBox")
        self.k_spin = QSpinBox(self)
        self.k_spin.setObjectName("kSpin")
        self.k_spin.setRange(1, 15)  # 1 shows as "automatic"
        self.features = QListWidget(self)
        self.features.setObjectName("featureList")
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("runSegments")
        self.run_button.setDefault(True)
        self.quality = QLabel(self)
        self.quality.setObjectName("qualityLabel")
        self.quality.setWordWrap(True)
        self.quality.setTextFormat(Qt.TextFormat.RichText)
        self.quality.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.charts = ChartTabs(self)
        self.charts.setObjectName("segmentCharts")

        self.settings_box = QGroupBox(self)
        form = QFormLayout(self.settings_box)
        self.method_label, self.k_label, self.features_label = QLabel(self), QLabel(self), QLabel(self)
        form.addRow(self.method_label, self.method_box)
        form.addRow(self.k_label, self.k_spin)
        form.addRow(self.features_label)
        form.addRow(self.features)
        form.addRow(self.run_button)
        self.quality_box = QGroupBox(self)
        QVBoxLayout(self.quality_box).addWidget(self.quality)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.settings_box, 3)
        side_layout.addWidget(self.quality_box, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(side)
        splitter.addWidget(self.charts)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.run_button.clicked.connect(self.request_run)
        self._retranslate()

    # -- asking -------------------------------------------------------------------
    def options(self) -> dict:
        """The segment options the controls say (only what differs from the defaults)."""
        options: dict = {"method": self.method_box.currentData() or "auto"}
        if self.k_spin.value() > 1:
            options["k"] = self.k_spin.value()
        items = [self.features.item(i) for i in range(self.features.count())]
        chosen = [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
        default = [i.data(Qt.ItemDataRole.UserRole) for i in items if i.data(Qt.ItemDataRole.UserRole + 1)]
        if items and chosen and sorted(chosen) != sorted(default):
            options["features"] = chosen
        return options

    @Slot()
    def request_run(self) -> None:
        self.run_requested.emit(self.options())

    # -- showing ------------------------------------------------------------------
    def show_analysis(self, analysis) -> None:
        first = self.analysis is None or analysis is None or self.analysis.inspection is not analysis.inspection
        self.analysis = analysis
        if first:
            self.features.clear()
        segments = analysis.segments if analysis is not None else None
        if segments is None:
            self.charts.set_figures([])
            self._render_quality()
            return
        from persona_desktop.core.charts.figures import segment_figures

        self._fill_features(segments)
        self.charts.set_figures(segment_figures(segments))
        self._render_quality()

    def _fill_features(self, segments) -> None:
        lang = current_lang()
        fm = segments.segmentation.features
        from persona_desktop.core.table.customers import column_label

        self.features.clear()
        for column in fm.columns_used:
            self._add_feature(column, column_label(column, lang), True, "")
        for column, reason in fm.dropped.items():
            self._add_feature(column, column_label(column, lang), False, reason.text(lang))

    def _add_feature(self, column: str, label: str, used: bool, tip: str) -> None:
        item = QListWidgetItem(label, self.features)
        item.setData(Qt.ItemDataRole.UserRole, column)
        item.setData(Qt.ItemDataRole.UserRole + 1, used)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if used else Qt.CheckState.Unchecked)
        if tip:
            item.setToolTip(tip)

    def _render_quality(self) -> None:
        segments = self.analysis.segments if self.analysis is not None else None
        if segments is None:
            self.quality.setText(self.tr("Press <b>Find segments</b> (F5): the defaults work for most files."))
            return
        lang = current_lang()
        seg, q = segments.segmentation, segments.segmentation.quality
        rows = [self.tr("<b>{0}</b> segments of {1} customers, method: {2}").format(
            seg.n_segments, f"{len(segments.labels):,}", _method_name(seg.method, lang))]
        if q.silhouette is not None:
            rows.append(self.tr("Separation (silhouette, −1…1): <b>{0:.2f}</b> — {1}").format(
                q.silhouette, self._grade(q.silhouette, (0.25, 0.5))))
        if q.davies_bouldin is not None:
            rows.append(self.tr("Davies–Bouldin (lower is better): {0:.2f}").format(q.davies_bouldin))
        if q.calinski_harabasz is not None:
            rows.append(self.tr("Calinski–Harabasz (higher is better): {0:,.0f}").format(q.calinski_harabasz))
        if seg.stability is not None:
            rows.append(self.tr("Stability on resamples (0…1): <b>{0:.2f}</b> — {1}").format(
                seg.stability.mean_ari, self._grade(seg.stability.mean_ari, (0.6, 0.8))))
        notes = [n.text(lang) for n in seg.notes[:6]]
        text = "<br>".join(rows)
        if notes:
            text += "<ul style='margin-left:-20px'>" + "".join(f"<li>{_escape(n)}</li>" for n in notes) + "</ul>"
        self.quality.setText(text)

    def _grade(self, value: float, cuts: tuple[float, float]) -> str:
        low, high = cuts
        if value >= high:
            return self.tr("clear")
        if value >= low:
            return self.tr("fair")
        return self.tr("weak")

    # -- language -----------------------------------------------------------------
    def _retranslate(self) -> None:
        self.settings_box.setTitle(self.tr("Settings"))
        self.quality_box.setTitle(self.tr("Quality"))
        self.method_label.setText(self.tr("Method:"))
        self.k_label.setText(self.tr("Segments:"))
        self.features_label.setText(self.tr("Features (untick to leave out):"))
        self.k_spin.setSpecialValueText(self.tr("automatic"))
        self.k_spin.setToolTip(self.tr("How many segments; automatic picks the number that separates best"))
        self.run_button.setText(self.tr("Find segments"))
        self.run_button.setToolTip(self.tr("Group the customers with these settings (F5)"))
        current = self.method_box.currentData()
        self.method_box.clear()
        for key in METHOD_KEYS:
            self.method_box.addItem(_method_name(key, current_lang()), key)
        self.method_box.setCurrentIndex(max(self.method_box.findData(current), 0))
        self.method_box.setToolTip(self.tr("Automatic: RFM-style clusters for order files, k-means for customer lists"))
        if self.analysis is not None and self.analysis.segments is not None:
            self._fill_features(self.analysis.segments)
            self.charts.retranslate()
        self._render_quality()


def _method_name(key: str, lang: str) -> str:
    from persona_desktop.core.segments.method_names import method_name

    return method_name(key, lang)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
