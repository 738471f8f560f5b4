"""The main window's actions, menu bar and toolbar.

Built here, out of ``main_window.py``, to keep that module to the window's
behaviour. The actions' words are set (and translated) in
``MainWindow._retranslate``; the shortcuts are set here: Ctrl+O, Ctrl+S,
Ctrl+Shift+O, Ctrl+E, F5 (run the step on screen) and Esc (cancel).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QStyle, QToolBar

from persona_desktop.gui import i18n
from persona_desktop.gui.dialogs import show_about

__all__ = ["make_actions", "make_menus"]


def _action(window, object_name: str, icon: QStyle.StandardPixmap | None = None,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
    action = QAction(window)
    action.setObjectName(object_name)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    window.addAction(action)
    return action


def make_actions(window) -> None:
    """The window's actions, as attributes of the window (``window.open_action``…), with shortcuts."""
    sp = QStyle.StandardPixmap
    window.open_action = _action(window, "file.open", sp.SP_DialogOpenButton, QKeySequence.StandardKey.Open)
    window.open_action.triggered.connect(window.open_dialog)
    window.sample_action = _action(window, "file.open_sample", sp.SP_FileDialogContentsView)
    window.sample_action.triggered.connect(window.open_sample)
    window.open_project_action = _action(window, "file.open_project", None, "Ctrl+Shift+O")
    window.open_project_action.triggered.connect(window.open_project_dialog)
    window.save_action = _action(window, "file.save_project", sp.SP_DialogSaveButton, QKeySequence.StandardKey.Save)
    window.save_action.triggered.connect(window.save_project)
    window.save_as_action = _action(window, "file.save_project_as", None, QKeySequence.StandardKey.SaveAs)
    window.save_as_action.triggered.connect(lambda: window.save_project(ask=True))
    window.export_action = _action(window, "file.export", sp.SP_DriveHDIcon, "Ctrl+E")
    window.export_action.triggered.connect(window._export_now)
    window.run_action = _action(window, "step.run", sp.SP_MediaPlay, "F5")
    window.run_action.triggered.connect(window.run_current_step)
    window.quit_action = _action(window, "file.quit", None, QKeySequence.StandardKey.Quit)
    window.quit_action.triggered.connect(window.close)
    window.cancel_action = _action(window, "job.cancel", sp.SP_BrowserStop, "Esc")
    window.cancel_action.setEnabled(False)
    window.cancel_action.triggered.connect(window.runner.cancel)
    window.about_action = _action(window, "help.about")
    window.about_action.triggered.connect(lambda: show_about(window))
    window.language_group = QActionGroup(window)
    window.lang_actions = {}
    for code, label in (("en", "English"), ("zh", "中文")):
        action = _action(window, f"view.language.{code}")
        action.setText(label)
        action.setCheckable(True)
        action.setChecked(code == i18n.current_lang())
        action.triggered.connect(lambda _=False, c=code: window.set_language(c))
        window.language_group.addAction(action)
        window.lang_actions[code] = action


def make_menus(window) -> None:
    """The menu bar and the toolbar over the actions of :func:`make_actions`."""
    bar = window.menuBar()
    window.file_menu = bar.addMenu("")
    window.file_menu.addAction(window.open_action)
    window.recent_menu = QMenu(window)
    window.recent_menu.setObjectName("file.recent")
    window.file_menu.addMenu(window.recent_menu)
    window.file_menu.addAction(window.sample_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.open_project_action)
    window.file_menu.addAction(window.save_action)
    window.file_menu.addAction(window.save_as_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.export_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.quit_action)
    window.analysis_menu = bar.addMenu("")
    window.analysis_menu.addAction(window.run_action)
    window.analysis_menu.addAction(window.cancel_action)
    window.view_menu = bar.addMenu("")
    window.language_menu = window.view_menu.addMenu("")
    for action in window.lang_actions.values():
        window.language_menu.addAction(action)
    window.help_menu = bar.addMenu("")
    window.help_menu.addAction(window.about_action)
    window.toolbar = QToolBar(window)
    window.toolbar.setObjectName("mainToolbar")
    window.toolbar.setMovable(False)
    window.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (window.open_action, window.sample_action, window.save_action, None, window.run_action,
                   window.cancel_action, None, window.export_action):
        window.toolbar.addSeparator() if action is None else window.toolbar.addAction(action)
    window.addToolBar(window.toolbar)
