"""The command line's arguments: one parser per verb of ``persona-desktop``.

Every verb that reads a file takes the same source options (the file,
``--sheet``, ``--encoding``, ``--role COLUMN=ROLE``), ``--lang`` and
``--debug``; long verbs also take ``--progress``.
"""

from __future__ import annotations

import argparse

from persona_desktop.core.schema import Role

__all__ = ["inspect_parser", "segment_parser", "rules_parser", "predict_parser", "value_parser", "analyze_parser",
           "ROLE_NAMES"]

# the roles a user may give a column with --role (the ones the window's role editor offers)
ROLE_NAMES = [r.value for r in Role if r is not Role.FLAG]


def common(p: argparse.ArgumentParser, progress: bool = True) -> None:
    p.add_argument("--lang", choices=["en", "zh"], help="language of messages (default: system locale)")
    p.add_argument("--debug", action="store_true", help="show the traceback of internal errors")
    if progress:
        p.add_argument("--progress", action="store_true",
                       help="print each step on stderr even when it is not a terminal (at a terminal it is shown anyway)")

def source_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")
    p.add_argument("--sheet", help="sheet of a workbook (default: the first sheet holding a table)")
    p.add_argument("--encoding", help="text encoding, e.g. utf-8, gbk, utf-16, cp1252 (default: detected)")
    p.add_argument("--role", action="append", default=[], metavar="COLUMN=ROLE",
                   help="say what a column means, as the window's role editor does (repeatable); ROLE is one of "
                        + ", ".join(ROLE_NAMES))

def inspect_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop inspect", description="Print what was found in a customer or order file.")
    source_options(p)
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, help="read 05/03/2024 as 5 March")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False, help="read 05/03/2024 as May 3")
    p.add_argument("--as-of", metavar="DATE", help="count recency to this date (default: the last date in the file)")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    return p

def segment_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop segment",
                                description="Find customer segments and describe them as persona cards.")
    source_options(p)
    p.add_argument("--method", default="auto", choices=["auto", "kmeans", "dbscan", "hierarchical", "rfm"])
    p.add_argument("--k", type=int, help="number of segments (default: chosen automatically)")
    p.add_argument("--features", help="comma-separated columns to segment on (default: chosen for the table)")
    p.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same segments")
    p.add_argument("--scaling", default="standard", choices=["standard", "robust", "minmax"])
    p.add_argument("--metric", default="euclidean", choices=["euclidean", "manhattan", "cosine"],
                   help="distance for DBSCAN and hierarchical clustering")
    p.add_argument("--linkage", default="ward", choices=["ward", "average", "complete"],
                   help="hierarchical clustering linkage")
    p.add_argument("--eps", type=float, help="DBSCAN radius (default: from the k-distance curve)")
    p.add_argument("--min-samples", type=int, help="DBSCAN neighbours that make a core customer")
    p.add_argument("--stability", type=int, default=5, metavar="RUNS",
                   help="re-fits on resamples to measure stability (0 to skip; default 5)")
    p.add_argument("--out", metavar="OUT.xlsx", help="write every customer with their segment to this workbook")
    p.add_argument("--as-of", metavar="DATE", help="count recency to this date (default: the last date in the file)")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    return p

def rules_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop rules",
                                description="Find what is bought together, and what to offer each customer next.")
    source_options(p)
    p.add_argument("--min-support", type=float, default=0.01,
                   help="a fraction of the baskets (0.01 = 1%%) or a count of baskets (e.g. 50); default 0.01")
    p.add_argument("--min-confidence", type=float, default=0.3, help="default 0.3")
    p.add_argument("--min-lift", type=float, default=0.0)
    p.add_argument("--max-len", type=int, default=3,
                   help="most items in a rule (default 3: longer rules are rarely worth acting on)")
    p.add_argument("--algorithm", default="auto", choices=["auto", "apriori", "fpgrowth"])
    p.add_argument("--from", dest="source", default="auto", choices=["auto", "orders", "attributes"],
                   help="baskets of products per order, or of attributes per customer (default: by the table)")
    p.add_argument("--contains", help="only rules with this item (comma-separated for several)")
    p.add_argument("--top", type=int, default=50, help="rules to print (default 50, by lift)")
    p.add_argument("--by-segment", action="store_true", help="also find the rules special to each customer segment")
    p.add_argument("--out", metavar="OUT.xlsx", help="write every rule (and recommendations) to this workbook")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    return p

def predict_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop predict",
                                description="Predict a column, churn or segment membership; compare models against a baseline.")
    source_options(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--target", metavar="COLUMN", help="the column to predict (e.g. Churn, y, 违约)")
    what.add_argument("--churn-days", type=int, metavar="N",
                      help="predict churn: no order within N days after the cut-off")
    what.add_argument("--segments", action="store_true",
                      help="predict segment membership (segments found the default way)")
    p.add_argument("--cutoff", metavar="DATE", help="churn cut-off (default: N days before the last date)")
    p.add_argument("--model", default="compare", choices=["tree", "forest", "logistic", "svm", "boosting", "mlp", "compare"])
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--exclude", help="comma-separated columns to leave out (e.g. duration)")
    p.add_argument("--include", help="comma-separated columns known only after the outcome (e.g. duration) to use "
                                     "anyway; they are left out by default")
    p.add_argument("--apply", metavar="NEWFILE", help="score the customers of a new file with the trained model")
    p.add_argument("--save-model", metavar="MODEL" + ".pdmodel", help="keep the trained model in this file")
    p.add_argument("--out", metavar="OUT.xlsx", help="write the Model sheet and the scored customers to a workbook")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    return p

def value_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop value",
                                description="Who is still a customer, how many orders each will place and what each is worth "
                                            "(BG/NBD or Pareto/NBD, Gamma-Gamma).")
    source_options(p)
    p.add_argument("--days", type=int, default=90, help="expected orders over the next N days (default 90)")
    p.add_argument("--months", type=int, default=12, help="lifetime value over the next M months (default 12)")
    p.add_argument("--discount", type=float, default=0.01,
                   help="monthly discount rate of future money (default 0.01, i.e. 1%% a month)")
    p.add_argument("--unit", default="weeks", choices=["days", "weeks", "months"], help="the models' time unit (default weeks)")
    p.add_argument("--model", default="auto", choices=["auto", "bgnbd", "paretonbd"],
                   help="purchase model (default: the better fit of the two)")
    p.add_argument("--as-of", metavar="DATE", help="the end of the history (default: the last date in the file)")
    p.add_argument("--top", type=int, default=20, help="customers to print (default 20, by predicted value)")
    p.add_argument("--backtest", action="store_true",
                   help="also fit on the first two thirds of the history and check the predictions on the last third")
    p.add_argument("--out", metavar="OUT.xlsx", help="write every customer's value to this workbook")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    return p

def analyze_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop analyze",
                                description="Run the whole analysis (clean, segments, personas, rules, churn) "
                                            "and write the owner's workbook.")
    source_options(p)
    p.add_argument("--out", metavar="OUT.xlsx", required=True, help="the workbook to write")
    p.add_argument("--report", metavar="OUT.pdf", help="also write the persona report as a PDF")
    p.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same segments")
    p.add_argument("--min-support", type=float, default=0.01, help="rules: minimum support (default 0.01)")
    p.add_argument("--churn-days", type=int, default=90, help="churn: no order within N days (default 90)")
    p.add_argument("--personal", choices=("keep", "mask", "code"), default="keep",
                   help="names, phones and e-mails in the workbook: as they are (default), masked (J*** S****), "
                        "or replaced by codes that stay the same for a customer on this computer")
    p.add_argument("--json", action="store_true", help="print JSON")
    common(p)
    return p
