"""Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): what a customer's next order is worth.

Each order's value is gamma(p, ν) around the customer's own mean, and ν is gamma(q, γ) across
customers, so a customer's expected order value shrinks their own average of *x* repeat orders
towards the shop's: strongly for a customer with one repeat order, little for one with twenty. It is
fitted on repeat buyers with a positive average; it assumes the value of orders does not depend on how
often a customer buys (:func:`spend_frequency_correlation` says how true that is in the file).
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln

from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.value.fitting import Fit, fit_log_params

__all__ = ["GammaGamma", "spend_frequency_correlation"]

_NAMES = ("p", "q", "gamma")


def _loglik(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    p, q, g = params
    px = p * x
    return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g) + (px - 1.0) * np.log(m)
            + px * np.log(x) - (px + q) * np.log(g + m * x))


def _gradient(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Each row's derivatives of :func:`_loglik` by p, q and γ."""
    p, q, g = params
    px = p * x
    common = digamma(px + q) - np.log(g + m * x)
    d_p = x * (common - digamma(px) + np.log(m) + np.log(x))
    d_q = common - digamma(q) + np.log(g)
    d_g = q / g - (px + q) / (g + m * x)
    return np.column_stack([d_p, d_q, d_g])


class GammaGamma:
    """``fit(x, m)`` on repeat buyers (*x* ≥ 1 repeat orders, average value *m* > 0) sets ``params_``
    (p, q, gamma), ``loglik_`` and ``fit_``; ``expected_value(x, m)`` works for every customer."""

    def fit(self, x, m, *, progress: Progress = NULL_PROGRESS) -> "GammaGamma":
        x = np.asarray(x, dtype="float64")
        m = np.asarray(m, dtype="float64")
        keep = (x > 0) & (m > 0) & np.isfinite(m)
        x, m = x[keep], m[keep]
        self.n_fitted_ = int(keep.sum())
        mean = float(m.mean()) if len(m) else 1.0
        starts = [(1.0, 1.0, mean), (5.0, 3.0, 3.0 * mean), (1.0, 2.0, 0.5 * mean), (10.0, 5.0, mean)]
        self.fit_: Fit = fit_log_params(lambda par: _loglik(par, x, m), _NAMES, starts, np.ones(len(x)),
                                        gradient=lambda par: _gradient(par, x, m), progress=progress)
        self.params_ = self.fit_.params
        self.loglik_ = self.fit_.loglik
        return self

    def expected_value(self, x, m) -> np.ndarray:
        """E[order value | x repeat orders averaging m]; the shop's mean for a customer without repeat orders
        (x = 0, or no positive average)."""
        p, q, g = self.params_["p"], self.params_["q"], self.params_["gamma"]
        x = np.asarray(x, dtype="float64")
        m = np.asarray(m, dtype="float64")
        population = p * g / (q - 1.0) if q > 1.0 else np.nan
        usable = (x > 0) & (m > 0) & np.isfinite(m)
        with np.errstate(invalid="ignore", divide="ignore"):
            own = p * (g + x * m) / (p * x + q - 1.0)
        return np.where(usable, own, population)


def spend_frequency_correlation(x, m) -> float | None:
    """Pearson correlation of repeat buyers' order count and average order value (the model assumes ~0)."""
    x = np.asarray(x, dtype="float64")
    m = np.asarray(m, dtype="float64")
    keep = (x > 0) & (m > 0) & np.isfinite(m)
    if keep.sum() < 3 or np.ptp(x[keep]) == 0 or np.ptp(m[keep]) == 0:
        return None
    return float(np.corrcoef(x[keep], m[keep])[0, 1])
