"""The GUI's language: Qt translators for our strings and Qt's own, switchable live.

Our strings are marked with ``self.tr()`` and translated from
``resources/translations/persona_desktop_zh_CN.qm`` (made from the ``.ts``
file by ``build_scripts/translations.py``). The core's messages are not Qt
strings; the GUI renders them with :func:`current_lang`. Switching language
installs the other translator, which makes Qt send every widget a
``LanguageChange`` event; widgets re-translate themselves in ``changeEvent``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QLibraryInfo, QLocale, QTranslator

from persona_desktop.core.i18n import normalize_lang
from persona_desktop.core.paths import resource_path

__all__ = ["current_lang", "set_language", "QT_LOCALES", "Retranslating"]

QT_LOCALES = {"en": "en_US", "zh": "zh_CN"}
_state: dict[str, str] = {"lang": "en"}


class Retranslating:
    """Mixin for a widget with a ``_retranslate()`` method: called on every language change.

    List it before the Qt class: ``class RulesPanel(Retranslating, QWidget)``.
    """

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def current_lang() -> str:
    """'en' or 'zh': the language the GUI shows now."""
    return str(_state["lang"])


def set_language(lang: str | None) -> str:
    """Show the GUI in *lang* ('en', 'zh', a locale name, or None for the system's)."""
    app = QCoreApplication.instance()
    lang = normalize_lang(lang or QLocale.system().name())
    _state["lang"] = lang
    QLocale.setDefault(QLocale(QT_LOCALES[lang]))
    if app is None:  # the translators are installed by the call once the application exists
        return lang
    for translator in (t for loaded in _loaded.values() for t in loaded):
        app.removeTranslator(translator)  # nothing happens for one not installed
    for translator in _translators(lang):
        app.installTranslator(translator)
    # Qt posts the LanguageChange events (for a removed translator too); deliver them
    # now, so the window is translated when this returns (and callers can rely on it).
    _deliver_posted_events()
    return lang


_loaded: dict[str, list[QTranslator]] = {}


def _translators(lang: str) -> list[QTranslator]:
    """*lang*'s translators (ours, then Qt's own for its dialogs), loaded once and kept.

    Kept rather than made anew at each switch: made anew and parented to the application,
    two were left behind at every switch to Chinese; made anew without a parent, PySide6 6.11
    still keeps two references to None behind for each installed translator it frees."""
    if lang not in _loaded:
        found = []
        if lang != "en":
            ours = QTranslator()
            if ours.load(str(resource_path("translations", f"persona_desktop_{QT_LOCALES[lang]}.qm"))):
                found.append(ours)
            qt_own = QTranslator()  # Qt's own dialogs (file dialog buttons, message boxes)
            if qt_own.load(f"qtbase_{QT_LOCALES[lang]}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                found.append(qt_own)
        _loaded[lang] = found
    return _loaded[lang]


def _deliver_posted_events() -> None:
    """Deliver the posted LanguageChange events now.

    Through a QEventLoop instance: in PySide6 6.12 the static
    ``QCoreApplication.processEvents()`` and ``sendPostedEvents()`` drop one
    reference to ``None`` per call, and enough calls crash the interpreter
    ("deallocating None"); ``QEventLoop.processEvents`` does not (tests/test_gui_flow.py).
    """
    QEventLoop().processEvents()
