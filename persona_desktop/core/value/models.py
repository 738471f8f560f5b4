"""Choosing the purchase model for a file: BG/NBD and Pareto/NBD are both fitted, and the one with the
higher likelihood (both have four parameters) is used, unless the owner names one. A model that did
not converge inside its bounds is never used; when neither did, there are no predictions.

When BG/NBD finds no sign of customers leaving (a mean chance of leaving after a purchase under
:data:`NO_DROPOUT`), both models have reduced to the same one (the NBD: everyone stays and buys at their
own rate), Pareto/NBD is not fitted, and the result says that P(alive) cannot tell who has left.
"""

from __future__ import annotations

from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.value.bgnbd import BetaGeo
from persona_desktop.core.value.paretonbd import ParetoNBD
from persona_desktop.core.value.summary import RepeatSummary

__all__ = ["PURCHASE_MODELS", "NO_DROPOUT", "fit_purchase_models", "choose", "finds_no_dropout"]

PURCHASE_MODELS = {"bgnbd": BetaGeo, "paretonbd": ParetoNBD}
NO_DROPOUT = 0.005  # BG/NBD's mean chance of leaving after a purchase, a / (a + b), below which no one leaves


def finds_no_dropout(model) -> bool:
    """The fitted model says customers practically never leave (P(alive) ≈ 1 for everyone)."""
    p = model.params_
    if model.name == "bgnbd":
        return p["a"] / (p["a"] + p["b"]) < NO_DROPOUT
    # Pareto/NBD: the mean death rate over a year of the file's time unit is negligible
    return p["s"] / p["beta"] < 1e-5


def fit_purchase_models(summary: RepeatSummary, model: str = "auto", *,
                        progress: Progress = NULL_PROGRESS) -> dict[str, object]:
    """The fitted models, by name: both for "auto" (BG/NBD alone when it finds no dropout), else the one named."""
    data = (summary.x, summary.t_x, summary.T)
    if model != "auto":
        return {model: PURCHASE_MODELS[model]().fit(*data, progress=progress)}
    fitted = {"bgnbd": BetaGeo().fit(*data, progress=progress)}
    if not (fitted["bgnbd"].fit_.ok and finds_no_dropout(fitted["bgnbd"])):
        fitted["paretonbd"] = ParetoNBD().fit(*data, progress=progress)
    return fitted


def choose(fitted: dict[str, object]):
    """The usable model with the highest log-likelihood, or None when no fit is usable."""
    usable = [m for m in fitted.values() if m.fit_.ok]
    return max(usable, key=lambda m: m.loglik_) if usable else None
