"""The main window: the step list, the seven screens, menus, toolbar, and job progress.

The steps of the flow (Open, Data, Segments, Personas, Rules, Predict,
Export) are screens in a stack, chosen from the list on the left. Every job
goes through the window's :class:`~persona_desktop.gui.session.Session` and
its one :class:`~persona_desktop.gui.jobs.JobRunner`; the screens only show
results and say what the user asked for. Actions have dotted ids
(``file.open``…) as their object names.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QMainWindow, QMessageBox, QStackedWidget, QWidget,
)

from persona_desktop import APP_NAME
from persona_desktop.core.paths import resource_path, sample_path
from persona_desktop.gui import i18n
from persona_desktop.gui.i18n import Retranslating
from persona_desktop.gui.data_panel import DataPanel
from persona_desktop.gui.dialogs import show_failure
from persona_desktop.gui.export_panel import ExportPanel
from persona_desktop.gui.jobs import JobFailure, JobRunner
from persona_desktop.gui.navigation import StepList
from persona_desktop.gui.personas_panel import PersonasPanel
from persona_desktop.gui.predict_panel import PredictPanel
from persona_desktop.gui.rules_panel import RulesPanel
from persona_desktop.gui.value_panel import ValuePanel
from persona_desktop.gui.segments_panel import SegmentsPanel
from persona_desktop.gui.session import STEPS, Session
from persona_desktop.gui.settings import add_recent_file, app_settings, recent_files
from persona_desktop.gui.status import JobStatusWidget
from persona_desktop.gui.welcome import WelcomePanel
from persona_desktop.gui.window_menus import make_actions, make_menus

__all__ = ["MainWindow", "OPEN_FILTER_SUFFIXES"]

OPEN_FILTER_SUFFIXES = ("*.xlsx", "*.xlsm", "*.xls", "*.ods", "*.csv", "*.tsv", "*.txt", "*.parquet")


class MainWindow(Retranslating, QMainWindow):
    """Persona Desktop's one window."""

    file_loaded = Signal(object)  # the Inspection now shown
    step_done = Signal(str)  # "segments", "rules", "predict", "export" finished and shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setWindowIcon(QIcon(str(resource_path("icons", "persona-desktop.svg"))))
        self.settings = app_settings()
        self.runner = JobRunner(self, lang=i18n.current_lang)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.busy_changed.connect(self._on_busy)
        self.session = Session(self.runner, self)
        self.session.changed.connect(self._on_changed)
        self.session.loaded.connect(self._on_loaded)
        self.session.exported.connect(self._on_exported)
        self.session.applied.connect(lambda result: self.predict_panel.show_applied(result))
        self.session.notes.connect(self._on_notes)
        # a failed or cancelled cleaning: the ticks and choices go back to what the data shown was cleaned with
        self.session.kept.connect(lambda kind: kind == "clean" and self.data_panel.show_controls())

        self.welcome = WelcomePanel(self)
        self.data_panel = DataPanel(self)
        self.segments_panel = SegmentsPanel(self)
        self.personas_panel = PersonasPanel(self)
        self.value_panel = ValuePanel(self)
        self.rules_panel = RulesPanel(self)
        self.predict_panel = PredictPanel(self)
        self.export_panel = ExportPanel(self)
        self.screens = {"open": self.welcome, "data": self.data_panel, "segments": self.segments_panel,
                        "personas": self.personas_panel, "value": self.value_panel, "rules": self.rules_panel,
                        "predict": self.predict_panel,
                        "export": self.export_panel}
        self.stack = QStackedWidget(self)
        for key in STEPS:
            self.stack.addWidget(self.screens[key])
        self.steps = StepList(STEPS, self)
        self.steps.step_chosen.connect(self.show_step)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.steps)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.job_status = JobStatusWidget(self.runner, self)
        self.statusBar().addPermanentWidget(self.job_status)

        make_actions(self)
        make_menus(self)
        self.welcome.open_requested.connect(self.open_dialog)
        self.welcome.sample_requested.connect(self.open_sample)
        self.welcome.recent_requested.connect(self.open_file)
        self.data_panel.reload_requested.connect(self._on_reload_requested)
        self.data_panel.clean_options_changed.connect(lambda options: self.session.reclean(options=options))
        self.data_panel.roles_changed.connect(lambda roles: self.session.reclean(roles=roles))
        self.segments_panel.run_requested.connect(self.session.segment)
        self.rules_panel.run_requested.connect(self.session.rules)
        self.value_panel.run_requested.connect(self.session.value)
        self.predict_panel.run_requested.connect(self.session.predict)
        self.predict_panel.apply_requested.connect(self.session.apply_model)
        self.export_panel.export_requested.connect(self.session.export)
        self._refresh_recent()
        self._retranslate()
        self._refresh_steps()
        self.show_step("open")
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    @property
    def analysis(self):
        return self.session.analysis

    # -- actions and menus (built in window_menus.py; their words are set in _retranslate) ----
    def _refresh_recent(self) -> None:
        files = recent_files(self.settings)
        self.recent_menu.clear()
        for path in files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(files))
        self.welcome.set_recent(files)

    # -- screens -----------------------------------------------------------------------
    @Slot(str)
    def show_step(self, key: str) -> None:
        if key != "open" and not self.steps.is_available(key):
            self.steps.select(self._current_step())
            return
        self.stack.setCurrentWidget(self.screens[key])
        self.steps.select(key)
        self.run_action.setEnabled(key in ("segments", "value", "rules", "predict", "export"))

    def _current_step(self) -> str:
        widget = self.stack.currentWidget()
        return next(k for k, w in self.screens.items() if w is widget)

    def _refresh_steps(self) -> None:
        for key in STEPS:
            reason = self.session.reason_unavailable(key)
            if reason == "no_file":
                text = self.tr("Open a file first")
            else:
                text = None if reason is None else reason.text(i18n.current_lang())
            self.steps.set_available(key, text)
        for action in (self.export_action, self.save_action, self.save_as_action):  # nothing to write before a file
            action.setEnabled(self.analysis is not None)

    @Slot()
    def run_current_step(self) -> None:
        """F5: run the step on screen with its settings."""
        panel = self.stack.currentWidget()
        if panel is self.segments_panel:
            self.segments_panel.request_run()
        elif panel is self.rules_panel:
            self.rules_panel.request_run()
        elif panel is self.value_panel:
            self.value_panel.request_run()
        elif panel is self.predict_panel:
            self.predict_panel.request_run()
        elif panel is self.export_panel:
            self.export_panel.request_export()

    @Slot()
    def _export_now(self) -> None:
        if self.analysis is not None:
            self.show_step("export")
            self.export_panel.request_export()

    # -- opening files -------------------------------------------------------------
    @Slot()
    def open_dialog(self) -> None:
        start = self.settings.value("last_folder", str(Path.home()))
        patterns = " ".join(OPEN_FILTER_SUFFIXES)
        tables, everything = self.tr("Tables"), self.tr("All files")
        filters = f"{tables} ({patterns});;{everything} (*)"
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a customer or order file"), str(start), filters)
        if path:
            self.settings.setValue("last_folder", str(Path(path).parent))
            self.open_file(path)

    @Slot()
    def open_sample(self) -> None:
        self.open_file(str(sample_path()), remember=False)

    def open_file(self, path: str, *, sheet: str | None = None, encoding: str | None = None,
                  remember: bool = True) -> None:
        """Read and understand *path* in the background (a running job is cancelled)."""
        if path.endswith(".persona.json"):
            self.open_project(path)
            return
        self.session.load(path, sheet=sheet, encoding=encoding, remember=remember)

    @Slot(object, object)
    def _on_reload_requested(self, sheet, encoding) -> None:
        if self.analysis is not None:
            self.open_file(self.analysis.inspection.table.source.path, sheet=sheet, encoding=encoding,
                           remember=False)

    # -- projects --------------------------------------------------------------------
    @Slot()
    def open_project_dialog(self) -> None:
        start = self.settings.value("last_folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a project"), str(start),
                                              self.tr("Persona Desktop projects") + " (*.persona.json)")
        if path:
            self.open_project(path)

    def open_project(self, path: str) -> None:
        self.session.open_project(path)

    def save_project(self, ask: bool = False, path: str | None = None) -> str | None:
        """Save the owner's decisions as a project file (Ctrl+S); returns the path, or None."""
        from persona_desktop.core.errors import PersonaError
        from persona_desktop.core.project import SUFFIX, project_of, save_project

        if self.analysis is None:
            return None
        path = path or (None if ask else self.session.project_path)
        if path is None:
            source = Path(self.analysis.source)
            suggestion = str(source.with_name(source.stem + SUFFIX))
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the project"), suggestion,
                                                  self.tr("Persona Desktop projects") + f" (*{SUFFIX})")
            if not path:
                return None
            if not path.endswith(SUFFIX):
                path = str(Path(path).with_suffix("")) + SUFFIX
        try:
            save_project(path, project_of(self.analysis))
        except (OSError, PersonaError) as exc:
            message = exc.text(i18n.current_lang()) if isinstance(exc, PersonaError) else str(exc)
            show_failure(self, JobFailure(self.tr("Save the project"), message))
            return None
        self.session.project_path = path
        self.statusBar().showMessage(self.tr("Project saved: {0}").format(Path(path).name), 5000)
        return path

    # -- job results -------------------------------------------------------------
    @Slot(object, bool)
    def _on_loaded(self, analysis, remember: bool) -> None:
        path = str(analysis.source)
        if remember:
            add_recent_file(path, self.settings)
            self._refresh_recent()
        self.export_panel.analysis = None  # a new file: new export names

    @Slot(str)
    def _on_changed(self, what: str) -> None:
        a = self.analysis
        if what == "data":
            self.data_panel.show_inspection(a.inspection)
            for panel in (self.segments_panel, self.personas_panel, self.value_panel, self.rules_panel,
                          self.predict_panel, self.export_panel):
                panel.show_analysis(a)
            self._retitle()
            self._refresh_steps()
            self.show_step("data")
            self.statusBar().showMessage(self.tr("Ready"), 4000)
            self.file_loaded.emit(a.inspection)
            return
        if what == "segments":
            self.segments_panel.show_analysis(a)
            self.personas_panel.show_analysis(a)
            self.rules_panel.show_analysis(a)  # rules by segment belong to the old segments
            self.predict_panel.show_analysis(a)  # "segment of a new customer" can be predicted now
        elif what == "value":
            self.value_panel.show_analysis(a)
            self.personas_panel.show_analysis(a)  # the cards now say what their customers are worth
        elif what == "rules":
            self.rules_panel.show_analysis(a)
        elif what == "predict":
            self.predict_panel.show_analysis(a)
        self.export_panel.show_analysis(a)
        self._refresh_steps()
        self.statusBar().showMessage(self.tr("Done"), 4000)
        self.step_done.emit(what)

    @Slot(object)
    def _on_exported(self, paths) -> None:
        self.export_panel.show_written(paths)
        self.statusBar().showMessage(self.tr("Exported {0} files").format(len(paths)), 6000)
        self.step_done.emit("export")

    @Slot(object)
    def _on_notes(self, notes) -> None:
        QMessageBox.information(self, APP_NAME, "\n".join(n.text(i18n.current_lang()) for n in notes))

    @Slot(object)
    def _on_job_failed(self, failure: JobFailure) -> None:
        show_failure(self, failure)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.cancel_action.setEnabled(busy)

    # -- drag and drop -------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_file(files[0])

    # -- language ----------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        lang = i18n.set_language(lang)
        self.settings.setValue("language", lang)
        self.lang_actions[lang].setChecked(True)

    def _retitle(self) -> None:
        a = self.analysis
        self.setWindowTitle(APP_NAME if a is None else f"{Path(a.inspection.table.source.path).name} — {APP_NAME}")

    def _retranslate(self) -> None:
        self._retitle()
        self.steps.set_titles({"open": self.tr("Open"), "data": self.tr("Data"), "segments": self.tr("Segments"),
                               "personas": self.tr("Personas"), "value": self.tr("Value"), "rules": self.tr("Rules"),
                               "predict": self.tr("Predict"), "export": self.tr("Export")})
        self.file_menu.setTitle(self.tr("&File"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.analysis_menu.setTitle(self.tr("&Analysis"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.open_action.setText(self.tr("&Open…"))
        self.open_action.setToolTip(self.tr("Open an Excel or CSV file (Ctrl+O)"))
        self.sample_action.setText(self.tr("Sample shop"))
        self.sample_action.setToolTip(self.tr("Open the bundled sample: order lines of a UK gift shop"))
        self.open_project_action.setText(self.tr("Open &project…"))
        self.save_action.setText(self.tr("&Save project"))
        self.save_action.setToolTip(self.tr("Save your settings, segment names and notes as a project (Ctrl+S)"))
        self.save_as_action.setText(self.tr("Save project &as…"))
        self.export_action.setText(self.tr("&Export"))
        self.export_action.setToolTip(self.tr("Write the workbook, CSV, charts and report (Ctrl+E)"))
        self.run_action.setText(self.tr("&Run this step"))
        self.run_action.setToolTip(self.tr("Run the step on screen (F5)"))
        self.quit_action.setText(self.tr("&Quit"))
        self.cancel_action.setText(self.tr("Cancel"))
        self.cancel_action.setToolTip(self.tr("Stop the running step (Esc)"))
        self.about_action.setText(self.tr("&About Persona Desktop"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        if hasattr(self, "session"):
            self._refresh_steps()

    # -- closing -----------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.runner.cancel()
        self.runner.wait(5000)
        super().closeEvent(event)
