"""Build the bundled sample, resources/sample/online_retail_sample.csv.

The sample is a slice of the UCI Online Retail order lines (Daqing Chen, UCI
Machine Learning Repository, doi:10.24432/C5BW33, CC BY 4.0):

* every line of a fixed random set of customers (``--customers``, seed 2024),
  cancellations, postage lines and exact duplicates included;
* plus a fixed random set of lines without a CustomerID (``--anonymous``);

copied byte for byte, in the original row order, under the original header,
so the sample shows every cleaning step the app performs. Nothing else is
changed. Run it from the project's virtual environment:

    .venv/bin/python build_scripts/make_sample.py [--source CSV]

The default source is ../shared/datasets/01_online_retail/online_retail.csv
(or $PERSONA_DATASETS/01_online_retail/online_retail.csv).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("PERSONA_DATASETS", ROOT.parent / "shared" / "datasets"))
SOURCE = DATASETS / "01_online_retail" / "online_retail.csv"
TARGET = ROOT / "resources" / "sample" / "online_retail_sample.csv"
SEED = 2024
# 600 customers make a 4.3 MB file; 400 keep the sample under 3 MB.
CUSTOMERS = 400
ANONYMOUS = 1_500


def choose_rows(frame: pd.DataFrame, customers: int, anonymous: int, seed: int) -> list[int]:
    """Positions (0-based, data rows) of the lines to keep, in file order."""
    rng = random.Random(seed)
    ids = frame["CustomerID"]
    chosen_ids = set(rng.sample(sorted(set(ids) - {""}), customers))
    keep = set(frame.index[ids.isin(chosen_ids)])
    keep.update(rng.sample(sorted(frame.index[ids == ""]), anonymous))
    return sorted(keep)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--anonymous", type=int, default=ANONYMOUS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()

    # Strings only, empty cells as "": the choice never depends on parsing.
    frame = pd.read_csv(args.source, dtype=str, keep_default_na=False, encoding="utf-8")
    raw = args.source.read_bytes().splitlines(keepends=True)
    if len(raw) != len(frame) + 1:  # a quoted line break would break the copy
        sys.exit(f"{args.source}: {len(raw)} lines for {len(frame)} rows; cannot copy lines verbatim")

    rows = choose_rows(frame, args.customers, args.anonymous, args.seed)
    args.target.parent.mkdir(parents=True, exist_ok=True)
    with open(args.target, "wb") as out:
        out.write(raw[0])
        out.writelines(raw[i + 1] for i in rows)

    # The copy reads back as exactly the chosen rows of the original.
    back = pd.read_csv(args.target, dtype=str, keep_default_na=False, encoding="utf-8")
    pd.testing.assert_frame_equal(back, frame.iloc[rows].reset_index(drop=True))

    kept = frame.iloc[rows]
    size = args.target.stat().st_size
    print(f"{args.target.relative_to(ROOT) if args.target.is_relative_to(ROOT) else args.target}: "
          f"{len(rows):,} lines, {kept['CustomerID'].replace('', pd.NA).nunique():,} customers, "
          f"{(kept['CustomerID'] == '').sum():,} lines without CustomerID, "
          f"{kept['InvoiceNo'].str.startswith('C').sum():,} cancellation lines, "
          f"{kept.duplicated().sum():,} exact duplicates, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
