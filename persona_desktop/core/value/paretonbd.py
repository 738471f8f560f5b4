"""Pareto/NBD (Schmittlein, Morrison & Colombo 1987): like BG/NBD, but a customer may leave at any
moment, not only right after a purchase.

While alive, a customer buys at a Poisson rate λ (gamma(r, α)); their lifetime is exponential with
rate μ (gamma(s, β)). The likelihood follows Fader & Hardie's note "Deriving the Pareto/NBD model";
its Gauss hypergeometric terms are taken through the Euler transform and in log space, so heavy
buyers (large *x*) neither overflow nor cancel to nonsense.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc, betaln, gammaln, hyp2f1

from persona_desktop.core.value.fitting import PurchaseModel

__all__ = ["ParetoNBD"]

_NAMES = ("r", "alpha", "s", "beta")


def _pairs(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (x, t) pairs and where each row's pair is: the hypergeometric terms depend on x and
    one time only, so 100,000 customers need them for a few thousand pairs, not 2 × 100,000 rows."""
    unique, inverse = np.unique(np.column_stack([x, t]), axis=0, return_inverse=True)
    return unique[:, 0], unique[:, 1], inverse.ravel()


class _Rows:
    """The rows a fit evaluates again and again, with their distinct pairs worked out once."""

    def __init__(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray):
        self.x, self.t_x, self.T = x, t_x, T
        self.at_t_x, self.at_T = _pairs(x, t_x), _pairs(x, T)


def _log_a0(r, alpha, s, beta, x, t_x, T, rows: _Rows | None = None) -> np.ndarray:
    """log A0 of the note: the integral over the customer's death time between t_x and T."""
    gap = abs(alpha - beta)

    def log_term(xx, t):
        rsx = r + s + xx
        big, second = (alpha, s + 1.0) if alpha >= beta else (beta, r + xx)
        z = gap / (big + t)
        # Euler: 2F1(rsx, second; rsx + 1; z) = (1 − z)^(1 − second) 2F1(1, rsx + 1 − second; rsx + 1; z)
        return (1.0 - second) * np.log1p(-z) + _log_hyp2f1_1(rsx + 1.0 - second, rsx + 1.0, z) - rsx * np.log(big + t)

    if rows is None:
        first, last = log_term(x, t_x), log_term(x, T)
    else:
        xu, tu, at = rows.at_t_x
        first = log_term(xu, tu)[at]
        xu, tu, at = rows.at_T
        last = log_term(xu, tu)[at]
    # log(e^first − e^last), first ≥ last; equal (t_x = T) gives −inf: that customer's A0 is 0
    with np.errstate(divide="ignore"):
        return first + np.log(-np.expm1(np.minimum(last - first, 0.0)))


def _log_hyp2f1_1(b, c, z) -> np.ndarray:
    """log 2F1(1, b; c; z) for 0 ≤ z < 1. Where q = b − c + 1 > 0 (a one-time buyer when the death rate's
    scale is the larger), through the incomplete beta function, 2F1(1, b; c; z) = (c − 1) B_z(c − 1, q)
    z^(1−c) (1 − z)^(−q): the series itself then nearly diverges near z = 1 and is 100 times slower."""
    b, c, z = np.broadcast_arrays(np.asarray(b, dtype="float64"), np.asarray(c, dtype="float64"),
                                  np.asarray(z, dtype="float64"))
    out = np.empty(b.shape)
    q = b - c + 1.0
    beta_way = (q > 0) & (z > 0)
    if beta_way.any():
        cc, zz, qq = c[beta_way], z[beta_way], q[beta_way]
        out[beta_way] = (np.log(cc - 1.0) + np.log(betainc(cc - 1.0, qq, zz)) + betaln(cc - 1.0, qq)
                         + (1.0 - cc) * np.log(zz) - qq * np.log1p(-zz))
    rest = ~beta_way
    if rest.any():
        out[rest] = np.log(hyp2f1(1.0, b[rest], c[rest], z[rest]))
    return out


def _loglik(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, rows: _Rows | None = None) -> np.ndarray:
    r, alpha, s, beta = params
    base = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    died = np.log(s) - np.log(r + s + x) + _log_a0(r, alpha, s, beta, x, t_x, T, rows)
    return base + np.logaddexp(alive, died)


class ParetoNBD(PurchaseModel):
    """The Pareto/NBD model. ``fit(x, t_x, T)`` sets ``params_`` (r, alpha, s, beta), ``loglik_`` and ``fit_``."""

    name = "paretonbd"

    param_names = _NAMES

    def starts(self, mean_T: float, rate: float) -> list[tuple[float, ...]]:
        return [(1.0, max(1.0 / rate, 1e-3), 1.0, mean_T), (0.5, mean_T, 0.5, mean_T), (1.0, 1.0, 1.0, 1.0),
                (0.1, 0.1 * mean_T, 2.0, 10 * mean_T)]

    def likelihood(self, x, t_x, T):
        rows = _Rows(x, t_x, T)
        return (lambda p: _loglik(p, x, t_x, T, rows)), None

    def _p(self):
        p = self.params_
        return p["r"], p["alpha"], p["s"], p["beta"]

    def p_alive(self, x, t_x, T) -> np.ndarray:
        r, alpha, s, beta = self._p()
        x, t_x, T = (np.asarray(v, dtype="float64") for v in (x, t_x, T))
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            log_odds = (np.log(s) - np.log(r + s + x) + (r + x) * np.log(alpha + T) + s * np.log(beta + T)
                        + _log_a0(r, alpha, s, beta, x, t_x, T, _Rows(x, t_x, T)))
            return 1.0 / (1.0 + np.exp(np.minimum(log_odds, 700.0)))

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        r, alpha, s, beta = self._p()
        x, t_x, T = (np.asarray(v, dtype="float64") for v in (x, t_x, T))
        if abs(s - 1.0) < 1e-6:  # the limit as s → 1
            horizon = np.log((beta + T + t) / (beta + T))
        else:
            horizon = (1.0 - ((beta + T) / (beta + T + t)) ** (s - 1.0)) / (s - 1.0)
        return (r + x) * (beta + T) / (alpha + T) * horizon * self.p_alive(x, t_x, T)

    def expected_purchases_new(self, t) -> np.ndarray:
        r, alpha, s, beta = self._p()
        t = np.asarray(t, dtype="float64")
        if abs(s - 1.0) < 1e-6:
            return r * beta / alpha * np.log(1.0 + t / beta)
        return r * beta / (alpha * (s - 1.0)) * (1.0 - (beta / (beta + t)) ** (s - 1.0))
