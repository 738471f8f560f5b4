"""Text in sheets: names Excel accepts, and widths as the eye sees them.

A sheet name holds at most 31 characters and none of ``[]:*?/\\``; a long one
is cut after a whole word and marked "…", and kept unique. A Chinese character
takes two columns on screen and in a cell, so widths count it double (the
workbook's column widths, the report's line breaks, the CLI's aligned steps).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

__all__ = ["sheet_title", "text_width"]

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of []:*?/\\ (Chinese is fine)."""
    base = _BAD_SHEET_CHARS.sub("_", str(name)).strip().strip("'") or "Sheet"
    title = _shorten(base, 31)
    n = 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title = _shorten(base, 31 - len(suffix)) + suffix
        n += 1
    taken.add(title)
    return title


def _shorten(text: str, limit: int) -> str:
    """*text* in at most *limit* characters: cut after a whole word (or a Chinese character) and marked “…”,
    never in the middle of a word ("High total orders · High…", not "High total orders · High total ")."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2 and text[limit - 1] != " ":
        cut = cut[:space]
    return cut.rstrip(" ·-–—,;:") + "…"


def text_width(value) -> int:
    """Columns a value takes on screen: wide (CJK) characters count double."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 10 if (value.hour, value.minute, value.second) == (0, 0, 0) else 16
    text = value if isinstance(value, str) else (f"{value:,.2f}" if isinstance(value, float) else str(value))
    line = max(text.split("\n"), key=len) if "\n" in text else text
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
