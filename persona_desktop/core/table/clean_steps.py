"""The cleaning steps themselves; :mod:`persona_desktop.core.table.cleaning` runs them.

Each step is a function ``step(run, orders)`` that looks at ``run.data``
(every row as read), gives the live rows it takes out their status, or
changes values in place of copying, and records a
:class:`~persona_desktop.core.table.clean_options.CleanStep` with its count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from persona_desktop.core.i18n import Message
from persona_desktop.core.schema import Role, column_with
from persona_desktop.core.table import clean_rules as rules
from persona_desktop.core.table.clean_options import OUTLIER_COLUMN, STATUS_KEYS, CleanOptions, CleanResult, CleanStep
from persona_desktop.core.table.order_lines import first_line_only_columns
from persona_desktop.core.table.roles import customer_key
from persona_desktop.core.textops import is_text, map_distinct

__all__ = ["Run", "PLAN", "ISOLATION_THRESHOLD"]

ISOLATION_THRESHOLD = 0.65


class Run:
    """State shared by the steps of one cleaning run.

    Rows are not copied out one step at a time: a step gives the rows it
    takes out their status code (on 541,909 lines, copying the string
    columns at every step cost more than all the steps together).
    """

    def __init__(self, data: pd.DataFrame, roles: dict[str, Role], options: CleanOptions) -> None:
        self.data = data
        self.roles = roles
        self.options = options
        self.status = np.zeros(len(data), dtype=np.int8)
        self.steps: list[CleanStep] = []
        self.warnings: list[Message] = []
        self.filled: dict[str, np.ndarray] = {}  # cells the missing-values step filled, per column
        self.kept_empty: dict[str, np.ndarray] = {}  # cells emptied on purpose (a "none" code), never filled

    @property
    def alive(self) -> np.ndarray:
        return self.status == 0

    def record(self, key: str, rows: int, action: str, label_key: str | None = None, cells: int | None = None) -> None:
        enabled = self.options.enabled(key)
        self.steps.append(CleanStep(key, Message(label_key or f"clean.{key}"), rows if enabled else 0,
                                    action, enabled, cells if enabled else None))

    def take_out(self, key: str, mask: pd.Series | np.ndarray, action: str = "set_aside",
                 label_key: str | None = None, record: bool = True) -> int:
        """Give the live rows under *mask* the status *key*; return how many."""
        if not self.options.enabled(key):
            if record:
                self.record(key, 0, action, label_key)
            return 0
        mask = np.asarray(mask, dtype=bool) & self.alive
        n = int(mask.sum())
        self.status[mask] = STATUS_KEYS.index(key)
        if record:
            self.record(key, n, action, label_key)
        return n

    def finish(self) -> CleanResult:
        return CleanResult(self.data, self.status, self.steps, self.roles, self.warnings, filled=self.filled)


def _duplicates(run: Run, orders: bool) -> None:
    data = run.data
    if data.empty:
        run.record("duplicates", 0, "removed")
        return
    # Hash the rows first (five times faster than DataFrame.duplicated on
    # 541,909 lines), then confirm on the few candidates, so a hash collision
    # can never remove a row that is not a true duplicate.
    hashes = pd.util.hash_pandas_object(data, index=False)
    candidates = hashes.duplicated(keep=False).to_numpy()
    mask = np.zeros(len(data), dtype=bool)
    if candidates.any():
        mask[candidates] = data.loc[candidates].duplicated(keep="first").to_numpy()
    why = _repeats_are_purchases(run.roles, data) if orders else None
    if why is not None and run.options.enabled("duplicates"):
        label, warning = why
        run.record("duplicates", int(mask.sum()), "noted", label_key=label)
        if mask.any():
            run.warnings.append(Message(warning, {"n": int(mask.sum())}))
        return
    run.take_out("duplicates", mask, "removed")


def _repeats_are_purchases(roles: dict[str, Role], data: pd.DataFrame) -> tuple[str, str] | None:
    """Can two identical order lines be two purchases? The (label, warning) keys saying why, or None.

    Yes in a till log without a quantity column, which writes one line per unit (the same item twice
    in one transaction is two of it), and in a purchase log without order numbers (the same customer
    buying the same again the same day writes the same line twice). Otherwise the line was exported
    twice."""
    if column_with(roles, Role.QUANTITY, data) is None and column_with(roles, Role.PRODUCT, data) is not None:
        return "clean.duplicates_units", "clean.warn.duplicates_units"
    if column_with(roles, Role.ORDER_ID, data) is None:
        return "clean.duplicates_no_ids", "clean.warn.duplicates_kept"
    return None


def _fill_down(run: Run, orders: bool) -> None:
    order = column_with(run.roles, Role.ORDER_ID, run.data)
    if not orders or order is None:
        return
    data = run.data
    first_only = first_line_only_columns(data, order)
    if not first_only or not run.options.enabled("fill_down"):
        run.record("fill_down", 0, "changed", cells=0)
        return
    before = data[first_only].isna()
    filled = data[first_only].groupby(data[order], sort=False).ffill()
    changed = before & filled.notna()
    data = data.copy(deep=False)
    for column in first_only:
        data[column] = filled[column]
    run.data = data
    run.record("fill_down", int(changed.any(axis=1).sum()), "changed", cells=int(changed.to_numpy().sum()))


_TRIM_ROLES = (Role.PRODUCT, Role.CATEGORY, Role.CUSTOMER_NAME, Role.EMAIL, Role.PRODUCT_CODE, Role.CUSTOMER_ID,
               Role.GENDER, Role.REGION, Role.CITY, Role.COUNTRY)


def _trim(run: Run, orders: bool) -> None:
    data = run.data
    changed_rows = np.zeros(len(data), dtype=bool)
    cells = 0
    updates = {}
    for column, role in run.roles.items():
        if role not in _TRIM_ROLES or column not in data.columns or not is_text(data[column]):
            continue
        tidy, changed = map_distinct(data[column], lambda d: d.str.strip().str.replace(r"\s{2,}", " ", regex=True))
        changed &= run.alive
        if changed.any():
            changed_rows |= changed
            cells += int(changed.sum())
            updates[column] = tidy
    if updates and run.options.enabled("trim"):
        data = data.copy(deep=False)
        for column, values in updates.items():
            data[column] = values
        run.data = data
    run.record("trim", int(changed_rows.sum()), "changed", cells=cells)


def _missing_customer(run: Run, orders: bool) -> None:
    key = customer_key(run.roles)
    if key is None or key not in run.data.columns:
        if orders:
            run.warnings.append(Message("clean.warn.no_customer"))
        return
    run.take_out("missing_customer", run.data[key].isna().to_numpy())


def _duplicate_ids(run: Run, orders: bool) -> None:
    key = column_with(run.roles, Role.CUSTOMER_ID, run.data)
    if orders or key is None:
        return
    ids = run.data[key].where(run.alive)
    run.take_out("duplicate_ids", (ids.duplicated(keep="first") & ids.notna()).to_numpy())


def _refunds(run: Run, orders: bool) -> None:
    if not orders:
        return
    refunds, partial = rules.refund_masks(run.data, run.roles)
    run.take_out("refunds", refunds)
    if column_with(run.roles, Role.REFUND_AMOUNT, run.data) is not None:
        partial = partial.to_numpy(dtype=bool) & run.alive
        run.record("partial_refunds", int(partial.sum()), "changed")


def _unpaid(run: Run, orders: bool) -> None:
    """Listed only where a file says something about payment: most order exports hold sales only."""
    if not orders:
        return
    mask = rules.unpaid_mask(run.data, run.roles).to_numpy(dtype=bool) & run.alive
    if mask.any() or not run.options.enabled("unpaid"):
        run.take_out("unpaid", mask)


def _non_product(run: Run, orders: bool) -> None:
    if orders:
        run.take_out("non_product", rules.non_product_mask(run.data, run.roles))


_SENTINEL_ROLES = (Role.NUMERIC, Role.AGE, Role.INCOME)


def _sentinels(run: Run, orders: bool) -> None:
    """Customer tables: a code standing for "none" (pdays = 999) becomes an empty cell, never a figure."""
    if orders:
        return
    data = run.data
    found = {}
    for column, role in run.roles.items():
        if role in _SENTINEL_ROLES and column in data.columns:
            code = rules.sentinel_code(data[column][run.alive])
            if code is not None:
                found[column] = code
    if not found:
        return
    if not run.options.enabled("sentinels"):
        run.record("sentinels", 0, "changed")  # listed, so it can be switched back on
        return
    data = data.copy(deep=False)
    rows = np.zeros(len(data), dtype=bool)
    cells = 0
    for column, code in found.items():
        hit = (data[column] == code).to_numpy() & run.alive
        data[column] = data[column].mask(hit)
        run.kept_empty[column] = hit  # "none" is an answer: the missing-values step leaves it empty
        rows |= hit
        cells += int(hit.sum())
        run.warnings.append(Message("clean.warn.sentinel", {"column": column, "code": code, "n": int(hit.sum()),
                                                            "share": f"{hit.sum() / max(run.alive.sum(), 1):.0%}"}))
    run.data = data
    run.record("sentinels", int(rows.sum()), "changed", cells=cells)


def _impossible(run: Run, orders: bool) -> None:
    data = run.data
    bad_cells = {c: m.to_numpy() & run.alive for c, m in rules.impossible_cells(data, run.roles).items()}
    bad_cells = {c: m for c, m in bad_cells.items() if m.any()}
    negative = (rules.negative_price_mask(data, run.roles).to_numpy() if orders else np.zeros(len(data), bool)) & run.alive
    rows = negative.copy()
    for mask in bad_cells.values():
        rows |= mask
    if not run.options.enabled("impossible"):
        run.record("impossible", 0, "changed")
        return
    if bad_cells:
        data = data.copy(deep=False)
        for column, mask in bad_cells.items():
            data[column] = data[column].mask(mask)
        run.data = data
    run.take_out("impossible", negative, record=False)
    run.record("impossible", int(rows.sum()), "changed", cells=sum(int(m.sum()) for m in bad_cells.values()) + int(negative.sum()))


_CUSTOMER_TABLE_ROLES = {Role.AGE, Role.INCOME, Role.GENDER, Role.REGION, Role.CITY, Role.COUNTRY,
                         Role.NUMERIC, Role.CATEGORICAL, Role.CATEGORY}


def _missing(run: Run, orders: bool) -> None:
    if orders:
        # Order lines are not filled in: a customer's attributes are taken from
        # the values their lines do have when the customer table is built.
        return
    strategy = run.options.missing
    label = f"clean.missing.{strategy}"
    wanted = _CUSTOMER_TABLE_ROLES
    columns = [c for c, r in run.roles.items() if r in wanted and c in run.data.columns]
    data = run.data
    gaps = data[columns].isna() & run.alive[:, None] if columns else pd.DataFrame(index=data.index)
    for column, emptied in run.kept_empty.items():
        if column in gaps.columns:
            gaps[column] = gaps[column].to_numpy() & ~emptied
    rows = gaps.any(axis=1).to_numpy() if columns else np.zeros(len(data), dtype=bool)
    cells = int(gaps.to_numpy().sum()) if columns else 0
    if not run.options.enabled("missing") or strategy == "keep" or not rows.any():
        # "keep" changes nothing: it reports how many rows have gaps
        run.record("missing", int(rows.sum()) if strategy == "keep" else 0, "noted" if strategy == "keep" else "changed",
                   label, cells=cells)
        return
    if strategy == "drop":
        n = run.take_out("missing", rows, "set_aside", label, record=False)
        run.record("missing", n, "set_aside", label, cells=cells)
        return
    data = data.copy(deep=False)
    for column in columns:
        gap = gaps[column]
        if not gap.any():
            continue
        s = data[column]
        live = s[run.alive]
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        if strategy == "constant":
            value: Any = run.options.missing_constant if numeric else Message("clean.missing_label").text()
        elif numeric and strategy in ("median", "flag"):
            value = live.median()
        else:
            mode = live.mode(dropna=True)
            value = mode.iloc[0] if len(mode) else None
        if strategy == "flag":
            flag = f"{column} missing"
            data[flag] = gap.astype("int8")
            run.roles[flag] = Role.FLAG
        if value is not None and not (isinstance(value, float) and np.isnan(value)):
            if numeric and pd.api.types.is_integer_dtype(s) and not float(value).is_integer():
                s = s.astype("float64")
            if isinstance(s.dtype, pd.CategoricalDtype) and value not in s.cat.categories:
                s = s.cat.add_categories([value])
            data[column] = s.mask(gap.to_numpy(), value)
            run.filled[column] = gap.to_numpy().copy()
    run.data = data
    run.record("missing", int(rows.sum()), "changed", label, cells=cells)


_ORDER_MEASURES = (Role.QUANTITY, Role.UNIT_PRICE, Role.LINE_AMOUNT, Role.ORDER_TOTAL)
_CUSTOMER_MEASURES = (Role.AGE, Role.INCOME, Role.NUMERIC)


def _outliers(run: Run, orders: bool) -> None:
    method = run.options.outliers
    label = f"clean.outliers.{method}"
    measures = _ORDER_MEASURES if orders else _CUSTOMER_MEASURES
    data = run.data
    columns = [c for c, r in run.roles.items() if r in measures and c in data.columns
               and pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])]
    if not columns or data.empty:
        return
    if method == "none" or not run.options.enabled("outliers"):
        run.record("outliers", 0, "flagged", label)
        return
    values = data.loc[run.alive, columns].astype("float64")
    if method == "iqr":
        flag = np.zeros(len(values), dtype=bool)
        for column in columns:
            s = values[column]
            # values near the float limit (a cell of 7.99E307, found by fuzzing) overflow the skew and
            # the fences: an infinite fence means nothing lies beyond it, which is the right answer
            with np.errstate(over="ignore", invalid="ignore"):
                if s.min() >= 0 and s.skew() > 1:
                    s = np.log1p(s)  # money and counts are skewed: judge them on a log scale
                q1, q3 = s.quantile(0.25), s.quantile(0.75)
                spread = q3 - q1
                if not np.isfinite(spread) or spread <= 0:
                    continue
                k = run.options.iqr_factor
                flag |= ((s < q1 - k * spread) | (s > q3 + k * spread)).fillna(False).to_numpy()
    else:
        flag = _isolation_forest(values, run.options.random_state)
    name = OUTLIER_COLUMN if OUTLIER_COLUMN not in data.columns else f"{OUTLIER_COLUMN} (flag)"
    full = np.zeros(len(data), dtype=bool)
    full[run.alive] = flag
    # concat, not data[name] = …: a wide table's frame is in many blocks, and adding a column
    # to it one more time makes pandas warn that it is fragmented
    data = pd.concat([data, pd.Series(full, index=data.index, name=name)], axis=1)
    run.roles[name] = Role.FLAG
    run.data = data
    run.record("outliers", int(flag.sum()), "flagged", label)


def _isolation_forest(values: pd.DataFrame, random_state: int) -> np.ndarray:
    # here, not at the top: opening a file loads this module, and scikit-learn's ensembles take ~0.8 s
    # to import, needed only when the owner picks the isolation forest over the default IQR rule
    from sklearn.ensemble import IsolationForest

    filled = values.fillna(values.median()).fillna(0.0).to_numpy()
    if len(filled) < 10:
        return np.zeros(len(filled), dtype=bool)
    # Anomaly scores run from 0 to 1; Liu et al. read scores near 1 as anomalies and
    # below 0.5 as normal. scikit-learn's contamination="auto" cuts at 0.5, which
    # flags a third of real customer tables (68 of 200 Mall customers); 0.65 keeps
    # to the clear cases (0 of Mall, 7 of 7,043 Telco, 64 of 45,211 Bank customers).
    model = IsolationForest(n_estimators=100, random_state=random_state).fit(filled)
    return -model.score_samples(filled) > ISOLATION_THRESHOLD


PLAN = [_duplicates, _fill_down, _trim, _missing_customer, _duplicate_ids, _refunds, _unpaid, _non_product,
        _sentinels, _impossible, _missing, _outliers]
