"""GUI state kept between sessions: window geometry, recent files, language.

Only GUI state lives here (``QSettings``, an INI file in the per-user config
folder of :func:`persona_desktop.core.paths.config_dir`); an analysis is
saved as a project file by the core, never in settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from persona_desktop.core.paths import config_dir

__all__ = ["app_settings", "recent_files", "add_recent_file", "MAX_RECENT"]

MAX_RECENT = 8


def app_settings() -> QSettings:
    """The settings file of this user (``PERSONA_CONFIG_DIR`` overrides its folder)."""
    folder = config_dir()
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


def recent_files(settings: QSettings | None = None) -> list[str]:
    """Recently opened files that still exist, newest first."""
    settings = settings or app_settings()
    value = settings.value("recent_files", [])
    if isinstance(value, str):  # QSettings returns a lone string for a one-item list
        value = [value]
    return [p for p in (value or []) if Path(p).exists()][:MAX_RECENT]


def add_recent_file(path: str, settings: QSettings | None = None) -> list[str]:
    settings = settings or app_settings()
    path = str(Path(path).resolve())
    files = [path] + [p for p in recent_files(settings) if p != path]
    settings.setValue("recent_files", files[:MAX_RECENT])
    return files[:MAX_RECENT]
