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
