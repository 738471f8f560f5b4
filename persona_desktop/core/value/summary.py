"""From purchases to the figures the customer-base models need, per customer.

A purchase is a day a customer bought something (several orders on one day are one purchase, as in
the papers these models come from). For each customer, with time measured in a unit (days, weeks or
months) up to the *end* of the period:

``x``    repeat purchases: purchase days after the first
``t_x``  the time from the first purchase to the last
``T``    the time from the first purchase to the end
``m``    the average value of the repeat purchases (0 without one), the money the customer table counts
         (partial refunds taken off, refunds and unpaid orders never purchases)

:func:`split` cuts the purchases at a date into a calibration summary and each customer's purchases
after it, for the backtest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["UNITS", "RepeatSummary", "summarise", "split"]

# days per time unit
UNITS = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12}


@dataclass
class RepeatSummary:
    """The per-customer figures, row for row with ``keys``."""

    keys: np.ndarray
    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    m: np.ndarray
    first: np.ndarray   # the first purchase day of each customer
    end: pd.Timestamp
    unit: str

    @property
    def n(self) -> int:
        return len(self.keys)

    @property
    def repeat_share(self) -> float:
        return float((self.x > 0).mean()) if self.n else 0.0

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"x": self.x, "t_x": self.t_x, "T": self.T, "m": self.m}, index=pd.Index(self.keys))


def _days(purchases: pd.DataFrame, key: str, date: str, money: str) -> pd.DataFrame:
    """One row per customer and purchase day, with the day's money."""
    days = pd.DataFrame({"key": purchases[key].to_numpy(), "day": pd.to_datetime(purchases[date]).dt.normalize(),
                         "money": pd.to_numeric(purchases[money], errors="coerce").fillna(0.0).to_numpy()})
    days = days.dropna(subset=["key", "day"])
    return days.groupby(["key", "day"], sort=True, observed=True)["money"].sum().reset_index()


def summarise(purchases: pd.DataFrame, key: str, *, end: pd.Timestamp | str | None = None, unit: str = "weeks",
              date: str = "date", money: str = "money") -> RepeatSummary:
    """The repeat-purchase summary of *purchases* (one row per sale line: *key*, *date*, *money*).

    *end*: the end of the period (default: the last purchase day); purchases after it are ignored.
    """
    per_day = UNITS[unit]
    days = _days(purchases, key, date, money)
    end = pd.Timestamp(end).normalize() if end is not None else days["day"].max()
    days = days[days["day"] <= end]
    codes, keys = pd.factorize(days["key"], sort=True)
    n = len(keys)
    day_numbers = ((days["day"] - end).dt.days).to_numpy(dtype="float64")  # ≤ 0
    first = np.full(n, np.inf)
    np.minimum.at(first, codes, day_numbers)
    last = np.full(n, -np.inf)
    np.maximum.at(last, codes, day_numbers)
    count = np.bincount(codes, minlength=n)
    total = np.bincount(codes, weights=days["money"].to_numpy(), minlength=n)
    # the first day's money is not a repeat purchase's: taken off before averaging
    is_first = day_numbers == first[codes]
    first_money = np.bincount(codes[is_first], weights=days["money"].to_numpy()[is_first], minlength=n)
    x = (count - 1).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.where(x > 0, (total - first_money) / np.maximum(x, 1), 0.0)
    return RepeatSummary(np.asarray(keys), x, (last - first) / per_day, -first / per_day, m,
                         (end + pd.to_timedelta(first, unit="D")).to_numpy(), end, unit)


def split(purchases: pd.DataFrame, key: str, cutoff: pd.Timestamp | str, *, end: pd.Timestamp | str | None = None,
          unit: str = "weeks", date: str = "date", money: str = "money") -> tuple[RepeatSummary, np.ndarray, float]:
    """Calibration up to *cutoff*, and what followed: ``(summary of the customers who had bought by the
    cutoff, their purchase days in (cutoff, end], the holdout's length in units)``."""
    cutoff = pd.Timestamp(cutoff).normalize()
    days = _days(purchases, key, date, money)
    end = pd.Timestamp(end).normalize() if end is not None else days["day"].max()
    calibration = summarise(purchases, key, end=cutoff, unit=unit, date=date, money=money)
    after = days[(days["day"] > cutoff) & (days["day"] <= end)]
    counts = after.groupby("key").size()
    actual = counts.reindex(pd.Index(calibration.keys)).fillna(0).to_numpy(dtype="float64")
    return calibration, actual, float((end - cutoff).days) / UNITS[unit]
