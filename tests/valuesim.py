"""Shops whose customers buy by the BG/NBD process with planted parameters: the truth the value models
must find. Each customer buys at a Poisson rate λ ~ gamma(r, α) per week, is a customer until at least
their first repeat purchase, and leaves with probability p ~ beta(a, b) after each repeat purchase; order
values are gamma(6, 10/3) (mean 20). Who is still a customer at the end is known."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ValueShop", "bgnbd_shop"]


@dataclass
class ValueShop:
    purchases: pd.DataFrame   # customer, date, money: one row per purchase
    end: pd.Timestamp
    alive: pd.Series          # customer → still a customer at the end (planted)


def bgnbd_shop(n: int, *, r: float, alpha: float, a: float, b: float, seed: int = 0, weeks: float = 52.0,
               start: str = "2024-01-01") -> ValueShop:
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    span = weeks * 7.0
    first = np.floor(rng.uniform(0, span * 0.75, n))  # days
    keys, days, alive = [], [], np.ones(n, dtype=bool)
    for i in range(n):
        t = first[i]
        keys.append(i)
        days.append(t)
        while True:
            t += rng.exponential(7.0 / lam[i]) if lam[i] > 0 else np.inf
            if t > span:
                break
            keys.append(i)
            days.append(np.floor(t))
            if rng.random() < p[i]:
                alive[i] = False
                break
    names = np.char.add("C", np.arange(n).astype(str))
    purchases = pd.DataFrame({"customer": names[np.asarray(keys)],
                              "date": pd.Timestamp(start) + pd.to_timedelta(np.asarray(days), unit="D"),
                              "money": rng.gamma(6.0, 10.0 / 3.0, len(keys)).round(2)})
    return ValueShop(purchases, pd.Timestamp(start) + pd.Timedelta(days=span), pd.Series(alive, index=names))
