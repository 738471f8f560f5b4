"""Cleaning as a visible list of steps, each with the count it affected.

``clean(data, roles, kind, options)`` runs the steps that apply to the table
and returns a :class:`CleanResult`: the rows to analyse, one
:class:`CleanStep` per step (what it did and to how many rows), and every
row a step took out, kept aside under the step's key — nothing is lost
silently. Each step can be switched off through :class:`CleanOptions`, and
since ``clean`` always starts from the table as read, switching a step back
on is just running it again.

Steps, in order (those that do not apply to a table are not listed):

``duplicates``        exact duplicate rows removed (kept aside)
``fill_down``         order-level fields only on an order's first line (Shopify) filled down
``trim``              spaces around names, products and categories removed
``missing_customer``  rows without a customer id set aside
``duplicate_ids``     customer tables: a second row for the same customer set aside
``refunds``           cancellations, returns, refunds given in full set aside (they
                      still count for a customer's net spend and refund rate)
``partial_refunds``   a refund amount below what was paid: the line is kept and the
                      refund taken off the customer's spend
``unpaid``            orders never paid or closed without a sale (等待买家付款, 交易关闭,
                      pending, voided, no payment time, 0 actually paid) set aside
``non_product``       postage, fees, adjustments, zero-price lines set aside
``impossible``        impossible values (age ≤ 0 or > 110, negative income) emptied;
                      lines with a negative price set aside
``missing``           customer tables: missing values dropped, filled (median, mode,
                      constant), filled and flagged, or kept
``outliers``          unusual rows flagged in an ``outlier`` column (IQR or isolation
                      forest) — never removed
"""

from __future__ import annotations

from typing import Mapping

import pandas as pd

from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import Role, TableKind
from persona_desktop.core.table.clean_options import CleanOptions, CleanResult
from persona_desktop.core.table.clean_steps import PLAN, Run

__all__ = ["clean"]


def clean(
    data: pd.DataFrame,
    roles: Mapping[str, Role],
    kind: TableKind,
    options: CleanOptions | None = None,
    progress: Progress = NULL_PROGRESS,
) -> CleanResult:
    """Run the cleaning steps that apply to a table of *kind*.

    Parameters
    ----------
    data : DataFrame
        The table as read, roles applied (:func:`persona_desktop.core.table.roles.apply_roles`).
    roles : mapping
        ``{column: Role}``.
    kind : TableKind
    options : CleanOptions, optional
    progress : Progress

    Returns
    -------
    CleanResult
        ``data`` keeps the original row labels, so a row can be traced back to the file.
    """
    options = options or CleanOptions()
    run = Run(data, dict(roles), options)
    if kind is TableKind.BASKETS:
        progress.report(1.0)
        return run.finish()
    orders = kind is TableKind.ORDERS
    for i, step in enumerate(PLAN):
        progress.report(i / len(PLAN))
        step(run, orders)
    result = run.finish()
    progress.report(1.0)
    return result

