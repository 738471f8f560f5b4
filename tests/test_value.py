"""Customer value: BG/NBD, Pareto/NBD and Gamma-Gamma reproduce their published CDNOW figures, recover
planted parameters and churners from simulated shops, and refuse a file that cannot support them.

Published figures, all on the CDNOW 1/10 sample (2,357 customers who first bought in the first quarter
of 1997; calibration 1997-01-01 … 1997-09-30, 39 weeks; weeks as the unit; ``tests/data/cdnow_sample.txt``):

- BG/NBD r = 0.243, α = 4.414, a = 0.793, b = 2.426, log-likelihood −9,582.4; a customer with x = 2,
  t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks: Fader, Hardie & Lee (2005),
  "Counting your customers the easy way", Marketing Science 24(2), 275–284, section 5.
- Pareto/NBD r = 0.553, α = 10.58, s = 0.606, β = 11.67, log-likelihood −9,595.0: Fader, Hardie & Lee
  (2005) and Fader & Hardie's note "Implementing the Pareto/NBD model given interval-censored data"
  (the same values are in CLVTools' tests/testthat/test_correctness_pnbd.R).
- Gamma-Gamma on the 946 repeat buyers p = 6.25, q = 3.74, γ = 15.44, log-likelihood −4,055.92:
  Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves", JMR 42(4), 415–430, and Fader &
  Hardie's note "The Gamma-Gamma model of monetary value" (2013).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.errors import DataError
from persona_desktop.core.progress import Cancelled, Progress
from persona_desktop.core.value.backtest import backtest
from persona_desktop.core.value.bgnbd import BetaGeo
from persona_desktop.core.value.clv import lifetime_value
from persona_desktop.core.value.gammagamma import GammaGamma
from persona_desktop.core.value.paretonbd import ParetoNBD
from persona_desktop.core.value.run import MIN_CUSTOMERS, value_from_summary
from persona_desktop.core.value.summary import summarise

from valuesim import bgnbd_shop

CDNOW = Path(__file__).parent / "data" / "cdnow_sample.txt"
CALIBRATION_END = pd.Timestamp("1997-09-30")


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    raw = pd.read_csv(CDNOW, sep=r"\s+", header=None, names=["master_id", "customer", "date", "cds", "money"],
                      dtype={"date": str})
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    return raw


@pytest.fixture(scope="module")
def calibration(cdnow):
    return summarise(cdnow, "customer", end=CALIBRATION_END, unit="weeks")


def test_the_cdnow_summary_is_the_papers(calibration):
    assert calibration.n == 2357
    assert int((calibration.x > 0).sum()) == 946
    first = calibration.frame().loc[1]  # the paper's worked example is customer 1
    assert (first["x"], round(first["t_x"], 2), round(first["T"], 2)) == (2, 30.43, 38.86)


def test_bgnbd_reproduces_the_published_cdnow_fit(calibration):
    model = BetaGeo().fit(calibration.x, calibration.t_x, calibration.T)
    p = model.params_
    assert (round(p["r"], 3), round(p["alpha"], 3), round(p["a"], 3), round(p["b"], 3)) == (0.243, 4.414, 0.793, 2.426)
    assert round(model.loglik_, 1) == -9582.4
    assert model.fit_.ok and not model.fit_.penalised
    assert round(float(model.expected_purchases(39, 2, 30.43, 38.86)), 3) == 1.226


def test_pareto_nbd_reproduces_the_published_cdnow_fit(calibration):
    model = ParetoNBD().fit(calibration.x, calibration.t_x, calibration.T)
    p = model.params_
    assert (round(p["r"], 3), round(p["alpha"], 2), round(p["s"], 3), round(p["beta"], 2)) == (0.553, 10.58, 0.606, 11.67)
    assert round(model.loglik_, 1) == -9595.0
    assert model.fit_.ok


def test_gamma_gamma_reproduces_the_published_cdnow_fit(calibration):
    model = GammaGamma().fit(calibration.x, calibration.m)
    p = model.params_
    assert model.n_fitted_ == 946
    assert (round(p["p"], 2), round(p["q"], 2), round(p["gamma"], 2)) == (6.25, 3.74, 15.44)
    assert round(model.loglik_, 2) == -4055.92


def test_the_cdnow_holdout_is_tracked(cdnow):
    """The 39 weeks after the calibration (1997-10-01 … 1998-06-30, 1,882 purchase days).

    Measured here (not a published figure): BG/NBD predicts 1,653 (−12 %), Pareto/NBD 1,666; each
    frequency bucket's mean within 0.5 purchases, rising with the calibration frequency (the paper's
    figure 4, in numbers). Who buys again: the expected purchases rank it at ROC AUC 0.77 with either
    model; P(alive) at 0.73 with Pareto/NBD but 0.32 with BG/NBD, whose one-time buyers all have
    P(alive) = 1 (the model lets a customer leave only after a repeat purchase). The app therefore
    ranks "who will buy again" by the expected orders, never by BG/NBD's P(alive) alone.
    """
    results = {m: backtest(cdnow, "customer", CALIBRATION_END, end=pd.Timestamp("1998-06-30"), model=m)
               for m in ("bgnbd", "paretonbd")}
    for result in results.values():
        assert result.customers == 2357 and round(result.holdout, 1) == 39.0 and result.actual.sum() == 1882
        assert 0.85 < result.predicted.sum() / result.actual.sum() < 0.92
        buckets = result.by_frequency()
        assert (buckets["predicted"] - buckets["actual"]).abs().max() < 0.5
        assert buckets["predicted"].is_monotonic_increasing
        assert result.auc_expected > 0.75
    assert results["paretonbd"].auc > 0.7
    assert results["bgnbd"].auc < 0.5  # one-time buyers at P(alive) = 1: the limitation the docstring states


# ----------------------------------------------------------- planted shops
@pytest.mark.parametrize("seed", [3, 11])
def test_planted_bgnbd_parameters_come_back(seed):
    shop = bgnbd_shop(20_000, r=0.6, alpha=5.0, a=0.9, b=3.0, seed=seed)
    s = summarise(shop.purchases, "customer", end=shop.end, unit="weeks")
    p = BetaGeo().fit(s.x, s.t_x, s.T).params_
    assert p["r"] == pytest.approx(0.6, rel=0.15) and p["alpha"] == pytest.approx(5.0, rel=0.2)
    assert p["a"] == pytest.approx(0.9, rel=0.25) and p["b"] == pytest.approx(3.0, rel=0.3)


def test_planted_churners_have_the_lower_p_alive():
    shop = bgnbd_shop(5_000, r=0.8, alpha=4.0, a=1.2, b=2.5, seed=5)
    s = summarise(shop.purchases, "customer", end=shop.end, unit="weeks")
    result = value_from_summary(s, "customer")
    alive = shop.alive.reindex(result.table["customer"]).to_numpy()
    p = result.table["p_alive"].to_numpy()
    from sklearn.metrics import roc_auc_score

    # BG/NBD leaves a one-time buyer's P(alive) blank (it cannot leave before a repeat purchase; neither can the
    # planted ones): the churners are told apart among the repeat buyers
    known = ~np.isnan(p)
    assert np.array_equal(~known, result.table["x"].to_numpy() == 0) or result.model_name == "paretonbd"
    assert roc_auc_score(alive[known], p[known]) > 0.75
    assert p[known & alive].mean() > p[known & ~alive].mean() + 0.2


def test_too_little_repeat_history_is_refused_with_its_figures():
    shop = bgnbd_shop(150, r=0.6, alpha=5.0, a=0.9, b=3.0, seed=1)
    s = summarise(shop.purchases, "customer", end=shop.end)
    with pytest.raises(DataError) as err:
        value_from_summary(s, "customer")
    assert f"{MIN_CUSTOMERS}" in err.value.text("en") and "150" in err.value.text("en")
    assert "150" in err.value.text("zh") and "重复购买" in err.value.text("zh")


def test_a_shop_of_one_time_buyers_is_refused():
    rng = np.random.default_rng(0)
    purchases = pd.DataFrame({"customer": np.arange(1000).astype(str),
                              "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, 1000), unit="D"),
                              "money": 20.0})
    purchases = pd.concat([purchases, purchases.head(30).assign(date=lambda d: d["date"] + pd.Timedelta(days=3))])
    with pytest.raises(DataError, match="3.0%"):
        value_from_summary(summarise(purchases, "customer"), "customer")


def test_long_histories_and_heavy_buyers_give_finite_answers():
    """Ten years in days, customers with hundreds of purchase days: no overflow, no NaN (lifetimes #332, #445)."""
    rng = np.random.default_rng(2)
    n = 600
    x = np.concatenate([rng.integers(0, 5, n - 50), rng.integers(300, 900, 50)]).astype(float)
    T = rng.uniform(3000, 3650, n)
    t_x = np.where(x > 0, T * rng.uniform(0.5, 1.0, n), 0.0)
    for model in (BetaGeo(), ParetoNBD()):
        model.fit(x, t_x, T)
        assert model.fit_.ok, model.fit_
        p = model.p_alive(x, t_x, T)
        e = model.expected_purchases(90, x, t_x, T)
        assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
        assert np.all(np.isfinite(e)) and np.all(e >= 0)
        assert e[x >= 300].mean() > e[x < 5].mean()


def test_lifetime_value_discounts_and_adds_up(calibration):
    model = BetaGeo().fit(calibration.x, calibration.t_x, calibration.T)
    x, t_x, T = calibration.x, calibration.t_x, calibration.T
    one = lifetime_value(model, x, t_x, T, 10.0, months=1, discount=0.0)
    months = 365.25 / 12 / 7
    assert np.allclose(one, 10.0 * model.expected_purchases(months, x, t_x, T))
    plain = lifetime_value(model, x, t_x, T, 10.0, months=12, discount=0.0)
    assert np.allclose(plain, 10.0 * model.expected_purchases(12 * months, x, t_x, T))
    discounted = lifetime_value(model, x, t_x, T, 10.0, months=12, discount=0.02)
    assert np.all(discounted < plain) and np.all(discounted > 0.75 * plain)


def test_value_of_a_planted_shop_is_whole_and_never_negative():
    shop = bgnbd_shop(3_000, r=0.8, alpha=4.0, a=1.2, b=2.5, seed=8)
    s = summarise(shop.purchases, "customer", end=shop.end)
    result = value_from_summary(s, "customer", days=90, months=12)
    t = result.table
    assert result.spend is not None
    assert (t["clv"] >= 0).all() and (t["order_value"] > 0).all()
    assert (t["p_alive"].between(0, 1) | (t["p_alive"].isna() & (t["x"] == 0))).all()
    # the planted order values average 20 (gamma 6, scale 10/3): the model's population mean is near it
    p = result.spend.params_
    assert p["p"] * p["gamma"] / (p["q"] - 1) == pytest.approx(20.0, rel=0.15)
    doc = result.to_json("zh")
    assert doc["customers"] == s.n and doc["model"] in ("bgnbd", "paretonbd") and doc["at_risk_high_value"] >= 0
    assert any("BG/NBD" in n or "Pareto/NBD" in n for n in doc["notes"])


def test_a_short_history_says_its_predictions_are_rough():
    """A month's export asked for a year's value (the restaurant's August in 07_chinese is one): the figures
    come, with a note that they reach far beyond the history; a year's export asked for 12 months has none."""
    month = bgnbd_shop(1_500, r=2.0, alpha=2.0, a=1.0, b=4.0, seed=12, weeks=4.5)
    s = summarise(month.purchases, "customer", end=month.end, unit="days")
    notes = value_from_summary(s, "customer", days=90, months=12).to_json("en")["notes"]
    assert any("reach 365 days ahead, more than twice as far" in n for n in notes), notes
    zh = value_from_summary(s, "customer", days=90, months=12).to_json("zh")["notes"]
    assert any("超过两倍" in n for n in zh)
    year = bgnbd_shop(1_500, r=0.8, alpha=4.0, a=1.2, b=2.5, seed=12, weeks=52)
    s = summarise(year.purchases, "customer", end=year.end)
    assert not any("twice as far" in n for n in value_from_summary(s, "customer").to_json("en")["notes"])


class _CancelAt(Progress):
    """Asks to stop at its *n*-th check, and counts the checks."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n, self.calls = n, 0

    def check(self) -> None:
        self.calls += 1
        if self.calls == self.n:
            self.cancel()
        super().check()


@pytest.mark.parametrize("fit", [
    lambda s, p: BetaGeo().fit(s.x, s.t_x, s.T, progress=p),
    lambda s, p: ParetoNBD().fit(s.x, s.t_x, s.T, progress=p),
    lambda s, p: GammaGamma().fit(s.x, s.m, progress=p),
    lambda s, p: value_from_summary(s, "customer", progress=p),
], ids=["bgnbd", "paretonbd", "gammagamma", "value"])
def test_cancel_stops_the_fit_at_once(fit):
    """Esc on the Value screen stops the fit itself, not only between steps: each likelihood evaluation
    checks the job's cancel flag (a fit on 100,000 customers takes seconds)."""
    shop = bgnbd_shop(2_000, r=0.8, alpha=4.0, a=1.2, b=2.5, seed=8)
    s = summarise(shop.purchases, "customer", end=shop.end, unit="weeks")
    progress = _CancelAt(8)
    with pytest.raises(Cancelled):
        fit(s, progress)
    assert progress.calls == 8  # it stopped at the check that saw the flag: no further evaluation ran
