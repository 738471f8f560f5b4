"""Which currency a file's money is written in: "¥1,234.50", "€ 12,50", "实付金额(元)", "Total (USD)".

Shown on persona cards and in the workbook beside average spend and order
value. Only what the file writes counts (a cell's symbol, a header's unit);
the language of the headers says nothing about the money.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["currency_of"]

# what a currency mark in a cell or a header stands for, shown as its symbol
_CURRENCY_SYMBOL = (
    (re.compile(r"HKD|HK\$"), "HK$"), (re.compile(r"JPY|円"), "JP¥"),
    (re.compile(r"[¥￥]|RMB|CNY|元|圆|人民币"), "¥"), (re.compile(r"\$|USD"), "$"),
    (re.compile(r"€|EUR"), "€"), (re.compile(r"£|GBP"), "£"), (re.compile(r"₩"), "₩"), (re.compile(r"₹"), "₹"),
    (re.compile(r"₽"), "₽"),
)


def currency_of(texts: pd.Series) -> str | None:
    """The money symbol most of *texts* (cells, or headers) are marked with, or None."""
    counts: dict[str, int] = {}
    for text in texts.dropna().astype("str"):
        for pattern, symbol in _CURRENCY_SYMBOL:
            if pattern.search(text):
                counts[symbol] = counts.get(symbol, 0) + 1
                break
    if not counts:
        return None
    return max(counts, key=counts.get)
