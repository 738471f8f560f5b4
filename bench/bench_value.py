"""Customer value on 100,000 customers: fitting BG/NBD, Pareto/NBD and Gamma-Gamma, and the whole
``value`` step, against the archived reference implementation ``lifetimes`` on the same summary.

    .venv/bin/python bench/bench_value.py [--customers 100000] [--seed 1]
    .venv/bin/pip install .[bench]      # for the lifetimes baseline

The customers buy by the BG/NBD process with planted parameters (``tests/valuesim.py``: r 0.6,
α 5, a 0.9, b 3, a year of daily purchases, order values of mean 20). Target (issue 20): fitting
100,000 customers in at most 5 s on this machine. Each figure is the median of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import valuesim  # noqa: E402

from persona_desktop.core.value.bgnbd import BetaGeo  # noqa: E402
from persona_desktop.core.value.gammagamma import GammaGamma  # noqa: E402
from persona_desktop.core.value.paretonbd import ParetoNBD  # noqa: E402
from persona_desktop.core.value.run import value_from_summary  # noqa: E402
from persona_desktop.core.value.summary import summarise  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--target", type=float, default=5.0)
    args = parser.parse_args()

    shop = valuesim.bgnbd_shop(args.customers, r=0.6, alpha=5.0, a=0.9, b=3.0, seed=args.seed)
    s = summarise(shop.purchases, "customer", end=shop.end, unit="weeks")
    print(f"{s.n:,} customers, {len(shop.purchases):,} purchases, {s.repeat_share:.0%} bought again")
    rows = []
    t, bg = timed(lambda: BetaGeo().fit(s.x, s.t_x, s.T), args.runs)
    rows.append(("BG/NBD fit", t, ", ".join(f"{k} {v:.3f}" for k, v in bg.params_.items())))
    t, pn = timed(lambda: ParetoNBD().fit(s.x, s.t_x, s.T), args.runs)
    rows.append(("Pareto/NBD fit", t, ", ".join(f"{k} {v:.3f}" for k, v in pn.params_.items())))
    t, gg = timed(lambda: GammaGamma().fit(s.x, s.m), args.runs)
    rows.append(("Gamma-Gamma fit", t, ", ".join(f"{k} {v:.2f}" for k, v in gg.params_.items())))
    t, result = timed(lambda: value_from_summary(s, "customer"), args.runs)
    rows.append(("whole value step (both models, choice, predictions, 12-month value)", t, result.model_name))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
    except ImportError:
        rows.append(("lifetimes baseline", float("nan"), "not installed (pip install .[bench])"))
    else:
        repeat = s.x > 0
        for name, fit in (("lifetimes BG/NBD fit", lambda: BetaGeoFitter().fit(s.x, s.t_x, s.T)),
                          ("lifetimes Pareto/NBD fit", lambda: ParetoNBDFitter().fit(s.x, s.t_x, s.T)),
                          ("lifetimes Gamma-Gamma fit", lambda: GammaGammaFitter().fit(s.x[repeat], s.m[repeat]))):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, model = timed(fit, 1)
            rows.append((name, t, ", ".join(f"{k} {v:.3f}" for k, v in model.params_.items())))
    width = max(len(r[0]) for r in rows)
    for name, seconds, detail in rows:
        print(f"{name:<{width}}  {seconds:7.2f} s   {detail}")
    fit_total = rows[0][1] + rows[1][1] + rows[2][1]
    print(f"fitting all three models: {fit_total:.2f} s (target ≤ {args.target:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
