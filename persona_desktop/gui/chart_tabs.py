"""Charts in tabs: each a matplotlib canvas with its navigation toolbar (zoom, pan, save).

The charts come from the core (:mod:`persona_desktop.core.charts.figures`); this
widget only places them. A tab is drawn the first time it is shown, and
again when the language changes, so a screen with six charts costs one
drawing when it opens. matplotlib is imported on first use, never at start-up.
"""

from __future__ import annotations

import warnings

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from persona_desktop.gui.i18n import current_lang

__all__ = ["ChartTabs"]

# matplotlib's toolbar reads a Qt 5 attribute that Qt 6 deprecates, whenever it draws its icons: a
# notice for matplotlib's authors, not for our users (nor for the build's silent self-test)
warnings.filterwarnings("ignore", message=".*AA_UseHighDpiPixmaps", category=DeprecationWarning)


class _ChartPage(QWidget):
    def __init__(self, figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.drawn_lang: str | None = None
        self.canvas = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def draw(self, lang: str) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT

        from persona_desktop.core.charts import new_figure

        fig = new_figure(*self.figure.size)
        self.figure.draw(fig, lang)
        canvas = FigureCanvasQTAgg(fig)
        canvas.setObjectName(f"chart.{self.figure.key}")
        canvas.setMinimumSize(200, 160)
        toolbar = NavigationToolbar2QT(canvas, self)
        while self._layout.count():
            old = self._layout.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        self._layout.addWidget(toolbar)
        self._layout.addWidget(canvas, 1)
        self.canvas = canvas
        self.drawn_lang = lang


class ChartTabs(QTabWidget):
    """Tabs of charts; :meth:`set_figures` takes a list of core ``Figure`` entries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.currentChanged.connect(self._on_current)
        self._empty = QLabel(self)

    def set_figures(self, figures) -> None:
        self.blockSignals(True)
        while self.count():
            page = self.widget(0)
            self.removeTab(0)
            page.deleteLater()
        for figure in figures:
            self.addTab(_ChartPage(figure, self), figure.title(current_lang()))
        self.blockSignals(False)
        if self.isVisible():
            self._on_current(self.currentIndex())

    def pages(self) -> list[_ChartPage]:
        return [self.widget(i) for i in range(self.count())]

    def draw_current(self) -> None:
        """Draw the tab on show now, if it is not drawn yet (for screenshots)."""
        self._on_current(self.currentIndex())

    def draw_all(self) -> None:
        """Draw every tab now (for tests; hidden tabs are drawn at their unlaid-out size)."""
        for page in self.pages():
            if page.drawn_lang != current_lang():
                page.draw(current_lang())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._on_current(self.currentIndex())

    def retranslate(self) -> None:
        lang = current_lang()
        for i, page in enumerate(self.pages()):
            self.setTabText(i, page.figure.title(lang))
        self._on_current(self.currentIndex())

    @Slot(int)
    def _on_current(self, index: int) -> None:
        page = self.widget(index)
        if page is not None and self.isVisible() and page.drawn_lang != current_lang():
            page.draw(current_lang())
