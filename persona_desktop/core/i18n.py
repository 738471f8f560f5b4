"""Messages from the core in English and Simplified Chinese.

The core cannot use Qt's translation system (it never imports Qt), yet its
messages reach the user: errors, warnings, names of cleaning steps, persona
traits. They are kept here as keys with an English and a Chinese text; a
:class:`Message` carries a key with its parameters and is rendered in the
user's language only when shown. The GUI's own strings go through Qt
translation files instead (``resources/translations``).

Catalog entries are registered by the module that uses them
(:func:`register`), so each module keeps its words next to its code.
"""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["LANGS", "Message", "register", "tr", "default_lang", "normalize_lang"]

LANGS = ("en", "zh")

_CATALOG: dict[str, dict[str, str]] = {}


def register(entries: Mapping[str, tuple[str, str]]) -> None:
    """Add ``{key: (english, chinese)}`` entries to the catalog."""
    for key, (en, zh) in entries.items():
        _CATALOG[key] = {"en": en, "zh": zh}


def normalize_lang(lang: str | None) -> str:
    """Map ``None``/'zh_CN'/'zh-Hans'/'en_US.UTF-8'… to one of :data:`LANGS`."""
    if not lang:
        return default_lang()
    return "zh" if lang.lower().startswith("zh") else "en"


def default_lang() -> str:
    """The language of the system locale: 'zh' for any Chinese locale, else 'en'."""
    for var in ("PERSONA_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:  # an unparsable locale name in the environment
        loc = ""
    return "zh" if loc.lower().startswith(("zh", "chinese")) else "en"


def _format(text: str, params: Mapping[str, Any]) -> str:
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def tr(key: str, lang: str | None = None, **params: Any) -> str:
    """The text of *key* in *lang* with ``{name}`` fields filled from *params*.

    An unknown key is returned as it is, so a missing entry never hides a message.
    """
    lang = normalize_lang(lang)
    # a parameter may itself be a Message ("could not be read as {what}")
    params = {k: (v.text(lang) if isinstance(v, Message) else v) for k, v in params.items()}
    entry = _CATALOG.get(key)
    if entry is None:
        return _format(key, params)
    return _format(entry.get(lang) or entry["en"], params)


@dataclass(frozen=True)
class Message:
    """A message key with its parameters, rendered in a language on demand."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        return tr(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.text("en")

    def to_json(self, lang: str | None = None) -> dict:
        return {"code": self.key, "message": self.text(lang)}
