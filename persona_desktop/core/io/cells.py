"""Cell text shared by the value readers: what counts as empty, and a sample of distinct values."""

from __future__ import annotations

import pandas as pd

__all__ = ["NULL_TOKENS", "clean_strings", "distinct_sample"]

# Cell texts that mean "no value" in exports (compared after strip, case-insensitively).
NULL_TOKENS = frozenset({
    "", "na", "n/a", "nan", "null", "none", "nil", "#n/a", "-", "--", "—", "–",
    "无", "空", "#value!", "#ref!", "#div/0!",
})


def clean_strings(s: pd.Series) -> pd.Series:
    """Stripped strings with null tokens turned into missing values."""
    s = s.astype("str").str.strip()
    return s.mask(s.str.lower().isin(NULL_TOKENS))


def distinct_sample(s: pd.Series, n: int = 2000) -> pd.Series:
    values = s.dropna()
    if len(values) > 50_000:
        values = values.iloc[:50_000]
    return pd.Series(pd.unique(values)[:n], dtype="str")
