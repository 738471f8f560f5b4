"""BG/NBD (Fader, Hardie & Lee 2005): how many purchases each customer will make, and whether they are
still a customer at all, from three figures per customer.

While alive, a customer buys at a Poisson rate λ (gamma(r, α) across customers); after each purchase
they leave with probability p (beta(a, b) across customers). From *x* repeat purchases, the time of
the last one *t_x* and the time since the first one *T* (see :mod:`.summary`), the model gives each
customer's chance of still being a customer and the purchases to expect in the next *t* time units.

The likelihood is summed in log space (log-sum-exp of its two terms, Hardie's note 027): long histories
and heavy buyers neither overflow nor lose precision. The conditional expectation uses the Euler
transform of its hypergeometric function, whose parameters then stay small for any *x*.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln, hyp2f1

from persona_desktop.core.value.fitting import PurchaseModel

__all__ = ["BetaGeo"]

_NAMES = ("r", "alpha", "a", "b")


def _loglik(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf)
    a4[repeat] = (np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + t_x[repeat]))
    return a1 + a2 + np.logaddexp(a3, a4)


def _gradient(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Each row's derivatives of :func:`_loglik` by r, α, a and b."""
    r, alpha, a, b = params
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf)
    a4[repeat] = (np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + t_x[repeat]))
    w4 = np.exp(a4 - np.logaddexp(a3, a4))  # the weight of the "left after the last purchase" term
    w3 = 1.0 - w4
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * np.log(alpha + T) - w4 * np.log(alpha + t_x)
    d_alpha = r / alpha - (r + x) * (w3 / (alpha + T) + w4 / (alpha + t_x))
    common = digamma(a + b) - digamma(a + b + x)
    d_a = common + w4 / a
    d_b = common + digamma(b + x) - digamma(b) - np.where(repeat, w4 / np.maximum(b + x - 1, 1e-300), 0.0)
    return np.column_stack([d_r, d_alpha, d_a, d_b])


class BetaGeo(PurchaseModel):
    """The BG/NBD model. ``fit(x, t_x, T)`` sets ``params_`` (r, alpha, a, b), ``loglik_`` and ``fit_``.

    Time is in whatever unit *t_x* and *T* are in (days, weeks, months); α scales with it.
    """

    name = "bgnbd"
    param_names = _NAMES

    def starts(self, mean_T: float, rate: float) -> list[tuple[float, ...]]:
        # r around 1 and α the mean waiting time between purchases; p's beta near its mean 0.2–0.5
        return [(1.0, max(1.0 / rate, 1e-3), 1.0, 1.0), (0.5, mean_T, 0.5, 2.0), (1.0, 1.0, 1.0, 1.0),
                (0.1, 0.1 * mean_T, 2.0, 5.0)]

    def likelihood(self, x, t_x, T):
        return (lambda p: _loglik(p, x, t_x, T)), (lambda p: _gradient(p, x, t_x, T))

    def _p(self):
        p = self.params_
        return p["r"], p["alpha"], p["a"], p["b"]

    def _dropout_odds(self, x, t_x, T) -> np.ndarray:
        """(a / (b + x − 1)) ((α + T) / (α + t_x))^(r + x) for repeat buyers, 0 for the others."""
        r, alpha, a, b = self._p()
        x, t_x, T = (np.asarray(v, dtype="float64") for v in (x, t_x, T))
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            log_odds = np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
            return np.where(x > 0, np.exp(np.minimum(log_odds, 700.0)), 0.0)

    def p_alive(self, x, t_x, T) -> np.ndarray:
        """The probability that each customer is still a customer at *T*."""
        return 1.0 / (1.0 + self._dropout_odds(x, t_x, T))

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """Purchases each customer is expected to make in the next *t* time units (eq. 10 of the paper)."""
        r, alpha, a, b = self._p()
        x, t_x, T = (np.asarray(v, dtype="float64") for v in (x, t_x, T))
        z = t / (alpha + T + t)
        # Euler: ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z)
        inner = np.power(1.0 - z, a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
        return (a + b + x - 1.0) / (a - 1.0) * (1.0 - inner) / (1.0 + self._dropout_odds(x, t_x, T))

    def expected_purchases_new(self, t) -> np.ndarray:
        """Purchases a new customer is expected to make in their first *t* time units (eq. 9)."""
        r, alpha, a, b = self._p()
        t = np.asarray(t, dtype="float64")
        return (a + b - 1.0) / (a - 1.0) * (1.0 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1.0, t / (alpha + t)))
