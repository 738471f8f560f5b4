"""Does it predict? Fit on the purchases up to a cut-off, predict the period after it, and compare.

The classic check of the customer-base models (Fader, Hardie & Lee 2005, figure 4): customers are
grouped by their repeat purchases in the calibration period (0, 1, … 7+), and the purchases they were
predicted to make in the holdout period are set beside the purchases they made. Also: the error per
customer, the totals, and how well P(alive) at the cut-off tells who bought again (ROC AUC).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.value.models import choose, fit_purchase_models
from persona_desktop.core.value.summary import split

__all__ = ["Backtest", "backtest", "default_cutoff"]

BUCKETS = 7  # 0 … 6 repeat purchases, then 7 or more


@dataclass
class Backtest:
    model: str
    cutoff: pd.Timestamp
    holdout: float            # length of the holdout period, in units
    unit: str
    customers: int
    predicted: np.ndarray     # per customer, purchase days in the holdout
    actual: np.ndarray
    p_alive: np.ndarray
    x: np.ndarray             # calibration repeat purchases

    @property
    def mae(self) -> float:
        return float(np.mean(np.abs(self.predicted - self.actual)))

    @property
    def rmse(self) -> float:
        return float(np.sqrt(np.mean((self.predicted - self.actual) ** 2)))

    @property
    def auc(self) -> float | None:
        """How well P(alive) at the cut-off tells who bought again in the holdout (ROC AUC)."""
        return self._auc(self.p_alive)

    @property
    def auc_expected(self) -> float | None:
        """The same for the expected purchases (a one-time buyer's P(alive) is 1 under BG/NBD)."""
        return self._auc(self.predicted)

    def _auc(self, score: np.ndarray) -> float | None:
        bought = self.actual > 0
        if bought.all() or not bought.any():
            return None
        return float(roc_auc_score(bought, score))

    def by_frequency(self) -> pd.DataFrame:
        """Per calibration repeat-purchase count (7 = 7 or more): customers, mean predicted, mean actual."""
        bucket = np.minimum(self.x, BUCKETS).astype(int)
        frame = pd.DataFrame({"repeat": bucket, "predicted": self.predicted, "actual": self.actual})
        out = frame.groupby("repeat").agg(customers=("actual", "size"), predicted=("predicted", "mean"),
                                          actual=("actual", "mean"))
        return out.reset_index()

    def to_json(self) -> dict:
        return {"model": self.model, "cutoff": str(self.cutoff.date()), "holdout": round(self.holdout, 2),
                "unit": self.unit, "customers": self.customers,
                "predicted_total": round(float(self.predicted.sum()), 1), "actual_total": float(self.actual.sum()),
                "mae": round(self.mae, 4), "rmse": round(self.rmse, 4),
                "auc_p_alive": None if self.auc is None else round(self.auc, 4),
                "auc_expected": None if self.auc_expected is None else round(self.auc_expected, 4),
                "by_frequency": self.by_frequency().round(4).to_dict(orient="records")}


def default_cutoff(purchases: pd.DataFrame, date: str = "date", share: float = 2 / 3) -> pd.Timestamp:
    """The day *share* of the way through the file's span (a holdout of the last third)."""
    days = pd.to_datetime(purchases[date]).dt.normalize()
    start, end = days.min(), days.max()
    return (start + (end - start) * share).normalize()


def backtest(purchases: pd.DataFrame, key: str, cutoff=None, *, end=None, unit: str = "weeks",
             model: str = "auto", progress: Progress = NULL_PROGRESS) -> Backtest:
    """Calibrate on the purchases up to *cutoff* (default: two thirds of the span) and test on the rest."""
    cutoff = pd.Timestamp(cutoff) if cutoff is not None else default_cutoff(purchases)
    summary, actual, holdout = split(purchases, key, cutoff, end=end, unit=unit)
    fitted = choose(fit_purchase_models(summary, model, progress=progress))
    if fitted is None:
        raise ValueError("no purchase model converged on the calibration period")
    predicted = fitted.expected_purchases(holdout, summary.x, summary.t_x, summary.T)
    return Backtest(fitted.name, cutoff, holdout, unit, summary.n, predicted, actual,
                    fitted.p_alive(summary.x, summary.t_x, summary.T), summary.x)
