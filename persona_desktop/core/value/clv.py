"""Customer lifetime value over the next months: purchases expected each month (BG/NBD or Pareto/NBD)
times the expected order value (Gamma-Gamma), each month discounted at a monthly rate.

``value = Σ_{i=1..months} (E[purchases by month i] − E[purchases by month i−1]) × E[order value] / (1 + d)^i``
"""

from __future__ import annotations

import numpy as np

from persona_desktop.core.value.summary import UNITS

__all__ = ["lifetime_value", "DAYS_PER_MONTH"]

DAYS_PER_MONTH = 365.25 / 12


def lifetime_value(model, x, t_x, T, order_value, *, months: int = 12, discount: float = 0.01,
                   unit: str = "weeks") -> np.ndarray:
    """Each customer's discounted value over the next *months* (*discount*: per month, 0.01 = 1 %)."""
    per_unit = UNITS[unit]
    x, t_x, T = (np.asarray(v, dtype="float64") for v in (x, t_x, T))
    total = np.zeros(len(x))
    before = np.zeros(len(x))
    for i in range(1, int(months) + 1):
        by_now = model.expected_purchases(i * DAYS_PER_MONTH / per_unit, x, t_x, T)
        total += (by_now - before) / (1.0 + discount) ** i
        before = by_now
    return total * np.asarray(order_value, dtype="float64")
