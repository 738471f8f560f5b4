"""Does customer value predict? Calibration/holdout backtests on real files, with the churn classifier
on the same split beside it.

    .venv/bin/python bench/bench_value_backtest.py [FILE ...]
    (default: CDNOW's 1/10 sample from tests/data, and ../shared/datasets/01_online_retail/online_retail.csv)

For each file the customer-value models are fitted on the purchases up to a cut-off (CDNOW: 1997-09-30,
the papers' 39 weeks; other files: two thirds of the way through) and predict each customer's purchase
days in the rest of the file. Printed: predicted against actual purchases by calibration frequency
(the classic plot, in numbers), the mean absolute error per customer, the totals, and how well each
score tells who bought again in the holdout (ROC AUC): the expected purchases, P(alive), and the app's
churn classifier (``predict --churn-days``: the best of six models, scored out of fold) trained on the
same cut-off and window.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from persona_desktop.core.predict.run import train  # noqa: E402
from persona_desktop.core.predict.targets import churn_target  # noqa: E402
from persona_desktop.core.table.understand import inspect_file  # noqa: E402
from persona_desktop.core.value.backtest import backtest, default_cutoff  # noqa: E402

CDNOW = ROOT / "tests" / "data" / "cdnow_sample.txt"
ONLINE_RETAIL = ROOT.parent / "shared" / "datasets" / "01_online_retail" / "online_retail.csv"


def cdnow_as_export(folder: Path) -> Path:
    """CDNOW's sample as an order export with a header, as a shop would have it."""
    raw = pd.read_csv(CDNOW, sep=r"\s+", header=None, names=["master_id", "customer", "date", "cds", "amount"],
                      dtype={"date": str})
    out = folder / "cdnow_orders.csv"
    raw.assign(date=pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d"))[
        ["customer", "date", "cds", "amount"]].rename(columns={"customer": "CustomerID", "date": "OrderDate",
                                                             "cds": "Quantity", "amount": "Amount"}).to_csv(out, index=False)
    return out


def run(path: Path, cutoff=None, end=None) -> None:
    start = time.perf_counter()
    inspection = inspect_file(path)
    customers = inspection.customers
    purchases = customers.purchases
    cutoff = pd.Timestamp(cutoff) if cutoff is not None else default_cutoff(purchases)
    end = pd.Timestamp(end) if end is not None else pd.to_datetime(purchases["date"]).max().normalize()
    print(f"\n== {path.name}: {len(customers):,} customers, cut-off {cutoff.date()}, holdout to {end.date()}")
    results = {m: backtest(purchases, customers.key, cutoff, end=end, model=m) for m in ("bgnbd", "paretonbd")}
    for name, b in results.items():
        print(f"{name:>10}: {b.customers:,} customers, predicted {b.predicted.sum():,.0f} purchase days, made "
              f"{b.actual.sum():,.0f} ({b.predicted.sum() / b.actual.sum() - 1:+.1%}); MAE {b.mae:.3f}; "
              f"ROC AUC bought again: expected purchases {b.auc_expected:.3f}, P(alive) {b.auc:.3f}")
    table = results["bgnbd"].by_frequency().merge(results["paretonbd"].by_frequency(), on=["repeat", "customers"],
                                                  suffixes=(" BG/NBD", " Pareto/NBD"))
    table = table.drop(columns=["actual Pareto/NBD"]).rename(columns={"actual BG/NBD": "actual"})
    print(table.round(3).to_string(index=False))
    days = int((end - cutoff).days)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        target = churn_target(inspection, days, cutoff)
        prediction = train(target, "compare")
    positive = list(target.classes).index(target.positive)
    p_churn = pd.Series(prediction.scored_proba[:, positive], index=target.ids.astype(str).to_numpy())
    b = results["bgnbd"]
    keys = pd.Index(b_keys(purchases, customers.key, cutoff)).astype(str)
    common = keys.intersection(p_churn.index)
    bought = pd.Series(b.actual > 0, index=keys)[common].to_numpy()
    classifier = roc_auc_score(bought, 1.0 - p_churn[common].to_numpy())
    expected = roc_auc_score(bought, pd.Series(b.predicted, index=keys)[common].to_numpy())
    print(f"   churn classifier ({prediction.model}, out-of-fold): ROC AUC bought again {classifier:.3f} on "
          f"{len(common):,} customers; BG/NBD's expected purchases on the same customers {expected:.3f}")
    print(f"   ({time.perf_counter() - start:.1f} s)")


def b_keys(purchases: pd.DataFrame, key: str, cutoff: pd.Timestamp) -> np.ndarray:
    from persona_desktop.core.value.summary import summarise

    return summarise(purchases, key, end=cutoff).keys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        if args.files:
            for f in args.files:
                run(Path(f))
            return 0
        run(cdnow_as_export(Path(tmp)), "1997-09-30", "1998-06-30")
        if ONLINE_RETAIL.exists():
            run(ONLINE_RETAIL)
        else:
            print(f"\n(not found: {ONLINE_RETAIL})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
