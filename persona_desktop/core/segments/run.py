"""Segments with their persona cards, in one call: what the CLI and the GUI run.

``segment_customers(customers, kind, lines=…)`` prepares the features,
fits the segmenter (see :func:`~persona_desktop.core.segments.segmentation.run_segmentation`),
measures quality and stability, and explains every segment as a
:class:`~persona_desktop.core.segments.personas.Persona`. The result knows how to
describe itself as JSON and how to list every customer with the name of
their segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import pandas as pd

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import Role, TableKind
from persona_desktop.core.segments.personas import build_personas
from persona_desktop.core.segments.segmentation import run_segmentation
from persona_desktop.core.table.customers import customer_keys

if TYPE_CHECKING:

    from persona_desktop.core.segments.personas import Persona
    from persona_desktop.core.segments.segmentation import Segmentation
    from persona_desktop.core.table.customers import CustomerTable


__all__ = ["SegmentAnalysis", "segment_customers", "segment_inspection", "SEGMENT_COLUMN"]

SEGMENT_COLUMN = "segment"

register({
    "analysis.no_customers": ("{file} has no customers to segment: {reason}",
                              "{file} 中没有可分群的客户：{reason}"),
    "analysis.reason.baskets": ("it is a basket list (use it for product associations)",
                                "这是购物篮列表（可用于商品关联分析）"),
    "analysis.reason.no_key": ("no column identifies the customer (mark one as customer id, email, phone or name)",
                               "没有可识别客户的列（请将某列设为客户编号、邮箱、电话或姓名）"),
    "progress.personas": ("Describing the segments…", "正在描述各分组…"),
    "progress.stability": ("Checking that the segments are stable…", "正在检验分组的稳定性…"),
})


@dataclass
class SegmentAnalysis:
    """A segmentation of a customer table and its persona cards.

    Attributes
    ----------
    customers : CustomerTable
    segmentation : Segmentation
    personas : list of Persona
        One per segment, noise (label -1) last.
    """

    customers: "CustomerTable"
    segmentation: "Segmentation"
    personas: list["Persona"] = field(default_factory=list)

    @property
    def labels(self):
        return self.segmentation.labels

    def persona(self, label: int) -> "Persona":
        return next(p for p in self.personas if p.segment == int(label))

    def names_by_segment(self, lang: str | None = None) -> dict[int, str]:
        """Each segment's name as shown (the owner's own, else the card's), by segment id."""
        return {p.segment: p.display_name(lang) for p in self.personas}

    def segment_names(self, lang: str | None = None) -> list[str]:
        """The segment name of every customer, row for row with the customer table."""
        names = self.names_by_segment(lang)
        return [names[int(label)] for label in self.labels]

    def customers_with_segments(self, lang: str | None = None, column: str = SEGMENT_COLUMN) -> "pd.DataFrame":
        """The customer table (key first) with a column holding each customer's segment name."""
        frame = self.customers.data.copy(deep=False)
        name = column
        while name in frame.columns:
            name += "_"
        frame[name] = self.segment_names(lang)
        return frame

    def outlying(self) -> "pd.DataFrame | None":
        """The customers too few and too unlike the rest to be a persona (the largest accounts), or None:
        each sits in its nearest segment and is listed apart here (see Segmentation.set_apart)."""
        rows = self.segmentation.set_apart
        if rows is None or not len(rows):
            return None
        return self.customers.data.iloc[rows].reset_index(drop=True)

    def to_json(self, lang: str | None = None) -> dict:
        """The document of ``persona-desktop segment --json``."""
        seg = self.segmentation
        features = list(seg.features.names) if hasattr(seg.features, "names") else []
        outlying = self.outlying()
        return {
            "method": seg.method,
            "k": seg.n_segments,
            "features": features,
            "customers": len(self.customers.data),
            "metrics": seg.metrics_json(),
            "segments": [p.to_json(lang) for p in self.personas],
            # a handful of accounts too unlike the rest for a segment of their own: listed, not a persona
            "outlying_accounts": [] if outlying is None else outlying[self.customers.key].astype("str").tolist(),
            "notes": [n.text(lang) for n in seg.notes],
        }


def _lines_for_products(lines: "pd.DataFrame | None", customers: "CustomerTable", product: str | None) -> tuple:
    """(lines with the customer key as the customer table writes it, product column) for top products."""
    key = customers.key
    if lines is None or product is None or key not in lines.columns or product not in lines.columns:
        return None, None
    frame = lines[[key, product]]
    if customers.roles.get(key) is Role.EMAIL:  # matched as the customer table writes them
        frame = frame.assign(**{key: customer_keys(frame[key], Role.EMAIL)})
    return frame, product


def segment_customers(
    customers: "CustomerTable",
    kind: TableKind | str | None = None,
    *,
    lines: "pd.DataFrame | None" = None,
    product: str | None = None,
    method: str = "auto",
    k: int | None = None,
    features: Sequence[str] | None = None,
    scaling: str = "standard",
    metric: str = "euclidean",
    linkage: str = "ward",
    eps: float | None = None,
    min_samples: int | None = None,
    seed: int = 0,
    stability_runs: int = 5,
    progress: Progress = NULL_PROGRESS,
) -> SegmentAnalysis:
    """Segment *customers* and describe every segment as a persona card.

    Parameters
    ----------
    customers : CustomerTable
    kind : TableKind, optional
        What the customers were built from (ORDERS: from order lines); used by
        ``method="auto"``.
    lines : DataFrame, optional
        The cleaned order lines, for each segment's top products.
    product : str, optional
        The product column of *lines* (for top products).
    method, k, features, scaling, metric, linkage, eps, min_samples
        See :func:`persona_desktop.core.segments.segmentation.run_segmentation`.
    seed : int
        Same data and seed give the same segments.
    stability_runs : int
        Re-fits on resamples for the stability score (0: skip).
    progress : Progress
    """
    if customers is None or customers.data.empty:
        raise DataError("segment.error.too_few", n=0)
    segmentation = run_segmentation(
        customers, kind=kind, method=method, k=k, features=features, scaling=scaling, metric=metric,
        linkage=linkage, eps=eps, min_samples=min_samples, random_state=seed,
        stability_runs=stability_runs, progress=progress.sub(0.0, 0.85),
    )
    progress.report(0.85, Message("progress.personas").text())
    product_lines, found_product = _lines_for_products(lines, customers, product)
    groups = getattr(segmentation.segmenter, "group_ids_", None) if segmentation.method == "rfm" else None
    data = customers.data
    numeric = [c for c in data.columns if _describable_number(data[c], customers.roles.get(c))]
    personas = build_personas(
        data, segmentation.labels, numeric=numeric, key=customers.key, lines=product_lines,
        product=found_product, groups=groups, roles=customers.roles, random_state=seed,
        currency=customers.currency,
    )
    progress.report(1.0)
    return SegmentAnalysis(customers, segmentation, personas)


_NOT_DESCRIBED = {Role.CUSTOMER_ID, Role.ID, Role.PHONE, Role.EMAIL, Role.CUSTOMER_NAME, Role.FLAG, Role.IGNORE,
                  Role.ORDER_ID, Role.DATE, Role.ORDER_DATE}


def _describable_number(s, role: Role | None) -> bool:
    """Number columns a persona card may talk about (not identifiers or flags)."""
    return (role not in _NOT_DESCRIBED and pd.api.types.is_numeric_dtype(s)
            and not pd.api.types.is_bool_dtype(s))


def no_customers_reason(inspection) -> Message:
    """Why an opened file has no customer table: a basket list, or no column that identifies customers."""
    return Message("analysis.reason.baskets" if inspection.kind is TableKind.BASKETS else "analysis.reason.no_key")


def segment_inspection(inspection, *, progress: Progress = NULL_PROGRESS, **options) -> SegmentAnalysis:
    """:func:`segment_customers` on an opened file (a :class:`~persona_desktop.core.table.understand.Inspection`).

    Raises
    ------
    DataError
        The file holds no customers (a basket list, or orders with no customer column).
    """
    inspection.check()
    if inspection.customers is None:
        raise DataError("analysis.no_customers", file=Path(inspection.table.source.path).name,
                        reason=no_customers_reason(inspection))
    roles = inspection.column_roles
    product = next((c for c, r in roles.items() if r is Role.PRODUCT), None) or \
        next((c for c, r in roles.items() if r is Role.PRODUCT_CODE), None)
    return segment_customers(inspection.customers, inspection.kind, lines=inspection.cleaning.data,
                             product=product, progress=progress, **options)
