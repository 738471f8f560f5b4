"""Shared fixtures: the real datasets, a private settings folder, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# GUI tests run without a display (CI has none); set before Qt is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Messages in tests are English unless a test asks otherwise.
os.environ.setdefault("PERSONA_LANG", "en")

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("PERSONA_DATASETS", ROOT.parent / "shared" / "datasets"))


@pytest.fixture(scope="session")
def datasets() -> Path:
    """The folder of real datasets (../shared/datasets, or $PERSONA_DATASETS)."""
    if not (DATASETS / "MANIFEST.md").exists():
        # a clone on its own: the bundled sample and the generated shops still exercise every feature
        pytest.skip(f"the real datasets are not beside this clone: {DATASETS} (set PERSONA_DATASETS)")
    return DATASETS


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory, monkeypatch):
    """Never touch the user's real settings, recent files or caches."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PERSONA_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("PERSONA_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("MPLCONFIGDIR", str(home / "mpl"))
    yield


@pytest.fixture
def window(qtbot):
    """The real main window, in English, at the smallest size we design for (1366×768)."""
    from persona_desktop.gui import i18n
    from persona_desktop.gui.main_window import MainWindow

    i18n.set_language("en")
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.runner.cancel()
    win.runner.wait(30_000)
    i18n.set_language("en")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Stop pytest-qt's Qt-message capture of a test skipped in its setup.

    pytest-qt starts capturing in setup and stops only after the call phase,
    so a test skipped in setup (the real datasets absent) left its message
    handler installed; each later test chained to it, and ``qtlog.disabled()``
    put it back, so every Qt message from then on was kept as a record of a
    finished test: the 200 objects the language-switch test found in a clone
    without ../shared. (``qt_log_capture`` and ``_stop`` are pytest-qt 4's own.)
    """
    report = yield
    capture = getattr(item, "qt_log_capture", None)
    if call.when == "setup" and report.skipped and capture is not None:
        capture._stop()
        del item.qt_log_capture
    return report
