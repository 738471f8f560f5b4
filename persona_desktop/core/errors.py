"""The project's own errors: each carries a translatable :class:`Message`.

Anything the user can cause (a file we cannot read, a table without the
columns an analysis needs) raises a :class:`PersonaError` subclass. The CLI
prints its one-line text and exits with code 3; the GUI shows it in a dialog.
Any other exception is a bug in Persona Desktop.
"""

from __future__ import annotations

from typing import Any

from persona_desktop.core.i18n import Message

__all__ = ["PersonaError", "ReadError", "DataError"]


class PersonaError(Exception):
    """Base class of errors that are the input's fault, with a user message."""

    def __init__(self, key: str, **params: Any) -> None:
        self.message = Message(key, params)
        super().__init__(self.message.text("en"))

    @property
    def code(self) -> str:
        return self.message.key

    def text(self, lang: str | None = None) -> str:
        return self.message.text(lang)


class ReadError(PersonaError):
    """A file cannot be read as a table (missing, locked, corrupt, no table…)."""


class DataError(PersonaError):
    """The table was read but cannot be used for the requested step."""
