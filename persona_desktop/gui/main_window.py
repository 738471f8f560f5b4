"""The main window: menus, toolbar, status bar with job progress, and the screens.

Opening a file (dialog, drag and drop, recent files, the sample) starts a
load job through the window's :class:`~persona_desktop.gui.jobs.JobRunner`;
its result is shown in the :class:`~persona_desktop.gui.data_panel.DataPanel`.
Actions have dotted ids (``file.open``…) as their object names.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QStackedWidget, QStyle, QToolBar, QWidget

from persona_desktop import APP_NAME
from persona_desktop.core.paths import resource_path, sample_path
from persona_desktop.gui import i18n
from persona_desktop.gui.data_panel import DataPanel
from persona_desktop.gui.dialogs import show_about, show_failure
from persona_desktop.gui.jobs import JobFailure, JobRunner
from persona_desktop.gui.settings import add_recent_file, app_settings, recent_files
from persona_desktop.gui.status import JobStatusWidget
from persona_desktop.gui.welcome import WelcomePanel

__all__ = ["MainWindow", "OPEN_FILTER_SUFFIXES"]

OPEN_FILTER_SUFFIXES = ("*.xlsx", "*.xlsm", "*.xls", "*.ods", "*.csv", "*.tsv", "*.txt", "*.parquet")


def _load(path: str, *, sheet=None, encoding=None, progress):
    """The load job: read and understand a file (core code, run in a worker thread)."""
    from persona_desktop.core.pipeline import inspect_file

    return inspect_file(path, sheet=sheet, encoding=encoding, progress=progress)


def _reclean(inspection, options, *, progress):
    """Cleaning again with other options, on the table already read."""
    from persona_desktop.core.pipeline import understand

    return understand(inspection.table, roles=inspection.roles, clean_options=options, progress=progress)


class MainWindow(QMainWindow):
    """Persona Desktop's one window."""

    file_loaded = Signal(object)  # the Inspection now shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setWindowIcon(QIcon(str(resource_path("icons", "persona-desktop.svg"))))
        self.settings = app_settings()
        self.runner = JobRunner(self, lang=i18n.current_lang)
        self.runner.finished.connect(self._on_job_finished)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.busy_changed.connect(self._on_busy)
        self._pending: tuple[str, str, bool] | None = None  # (kind, path, remember) of the running job

        self.welcome = WelcomePanel(self)
        self.data_panel = DataPanel(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.data_panel)
        self.setCentralWidget(self.stack)
        self.job_status = JobStatusWidget(self.runner, self)
        self.statusBar().addPermanentWidget(self.job_status)

        self._make_actions()
        self._make_menus()
        self.welcome.open_requested.connect(self.open_dialog)
        self.welcome.sample_requested.connect(self.open_sample)
        self.welcome.recent_requested.connect(self.open_file)
        self.data_panel.reload_requested.connect(self._on_reload_requested)
        self.data_panel.clean_options_changed.connect(self._on_clean_options)
        self._refresh_recent()
        self._retranslate()
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    # -- actions and menus ---------------------------------------------------------
    def _action(self, object_name: str, icon: QStyle.StandardPixmap | None = None,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(object_name)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.open_action = self._action("file.open", sp.SP_DialogOpenButton, QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.open_dialog)
        self.sample_action = self._action("file.open_sample", sp.SP_FileDialogContentsView)
        self.sample_action.triggered.connect(self.open_sample)
        self.quit_action = self._action("file.quit", None, QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.cancel_action = self._action("job.cancel", sp.SP_BrowserStop, "Esc")
        self.cancel_action.setEnabled(False)
        self.cancel_action.triggered.connect(self.runner.cancel)
        self.about_action = self._action("help.about")
        self.about_action.triggered.connect(lambda: show_about(self))
        self.language_group = QActionGroup(self)
        self.lang_actions = {}
        for code, label in (("en", "English"), ("zh", "中文")):
            action = self._action(f"view.language.{code}")
            action.setText(label)
            action.setCheckable(True)
            action.setChecked(code == i18n.current_lang())
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.lang_actions[code] = action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(self)
        self.recent_menu.setObjectName("file.recent")
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addAction(self.sample_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        for action in self.lang_actions.values():
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.open_action)
        self.toolbar.addAction(self.sample_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.cancel_action)
        self.addToolBar(self.toolbar)

    def _refresh_recent(self) -> None:
        files = recent_files(self.settings)
        self.recent_menu.clear()
        for path in files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(files))
        self.welcome.set_recent(files)

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
        self._pending = ("load", path, remember)
        self.runner.start(self.tr("Opening {0}").format(Path(path).name), _load, path, sheet=sheet, encoding=encoding)

    @Slot(object, object)
    def _on_reload_requested(self, sheet, encoding) -> None:
        inspection = self.data_panel.inspection
        if inspection is not None:
            self.open_file(inspection.table.source.path, sheet=sheet, encoding=encoding, remember=False)

    @Slot(object)
    def _on_clean_options(self, options) -> None:
        inspection = self.data_panel.inspection
        if inspection is not None:
            self._pending = ("clean", inspection.table.source.path, False)
            self.runner.start(self.tr("Cleaning"), _reclean, inspection, options)

    # -- job results -------------------------------------------------------------
    @Slot(object)
    def _on_job_finished(self, inspection) -> None:
        kind, path, remember = self._pending or ("load", "", False)
        self._pending = None
        self.data_panel.show_inspection(inspection)
        self.stack.setCurrentWidget(self.data_panel)
        self.setWindowTitle(f"{Path(inspection.table.source.path).name} — {APP_NAME}")
        if kind == "load" and remember:
            add_recent_file(path, self.settings)
            self._refresh_recent()
        self.statusBar().showMessage(self.tr("Ready"), 4000)
        self.file_loaded.emit(inspection)

    @Slot(object)
    def _on_job_failed(self, failure: JobFailure) -> None:
        self._pending = None
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

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(APP_NAME if self.data_panel.inspection is None else
                            f"{Path(self.data_panel.inspection.table.source.path).name} — {APP_NAME}")
        self.file_menu.setTitle(self.tr("&File"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.open_action.setText(self.tr("&Open…"))
        self.open_action.setToolTip(self.tr("Open an Excel or CSV file (Ctrl+O)"))
        self.sample_action.setText(self.tr("Sample shop"))
        self.sample_action.setToolTip(self.tr("Open the bundled sample: order lines of a UK gift shop"))
        self.quit_action.setText(self.tr("&Quit"))
        self.cancel_action.setText(self.tr("Cancel"))
        self.cancel_action.setToolTip(self.tr("Stop the running step (Esc)"))
        self.about_action.setText(self.tr("&About Persona Desktop"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))

    # -- closing -----------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.runner.cancel()
        self.runner.wait(5000)
        super().closeEvent(event)
