"""Where Persona Desktop keeps its files: the bundled sample, settings, caches.

Settings and caches go to the platform's per-user folders (XDG on Linux,
%APPDATA% / %LOCALAPPDATA% on Windows, ~/Library on macOS), or to the folders
named by ``PERSONA_CONFIG_DIR`` and ``PERSONA_CACHE_DIR`` — which the tests
set, so a test run never touches a user's real settings.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

__all__ = ["resource_path", "sample_path", "config_dir", "cache_dir"]

APP_DIR_NAME = "persona-desktop"


def resource_path(*parts: str) -> Path:
    """A file shipped in ``resources/`` (``persona_desktop.resources`` once installed)."""
    try:
        base = Path(str(resources.files("persona_desktop.resources")))
    except ModuleNotFoundError:  # running from a checkout that was never installed
        base = Path(__file__).resolve().parents[2] / "resources"
    if not base.exists():  # a frozen build puts the data next to the executable
        base = Path(getattr(sys, "_MEIPASS", ".")) / "resources"
    return base.joinpath(*parts)


def sample_path() -> Path:
    """The bundled sample: a slice of UCI Online Retail (CC BY 4.0)."""
    return resource_path("sample", "online_retail_sample.csv")


def _base(env: str, windows: str, mac: str, xdg: str, fallback: str) -> Path:
    explicit = os.environ.get(env)
    if explicit:
        return Path(explicit)
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get(windows) or home / "AppData" / "Roaming") / APP_DIR_NAME
    if sys.platform == "darwin":
        return home / "Library" / mac / APP_DIR_NAME
    return Path(os.environ.get(xdg) or home / fallback) / APP_DIR_NAME


def config_dir() -> Path:
    """Per-user folder for settings (GUI state, recent files, language)."""
    return _base("PERSONA_CONFIG_DIR", "APPDATA", "Preferences", "XDG_CONFIG_HOME", ".config")


def cache_dir() -> Path:
    """Per-user folder for caches (e.g. matplotlib's font cache)."""
    return _base("PERSONA_CACHE_DIR", "LOCALAPPDATA", "Caches", "XDG_CACHE_HOME", ".cache")
