"""Open a file and understand it: read → roles → kind → cleaning → customers.

This is what ``persona-desktop inspect`` prints and what the GUI's load job
runs. Each stage is a plain function in its own module; this module only
strings them together, shares out the progress range and keeps the user's
corrections (column roles, cleaning choices) so a stage can be re-run from
the raw table without reading the file again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.schema import LoadedTable, Role, TableKind

if TYPE_CHECKING:
    from persona_desktop.core.cleaning import CleanOptions, CleanResult
    from persona_desktop.core.customers import CustomerTable

__all__ = ["Inspection", "inspect_file", "understand", "inspection_to_json"]

register({
    "progress.roles": ("Recognising what each column means…", "正在识别各列含义…"),
    "progress.cleaning": ("Cleaning…", "正在清洗数据…"),
    "progress.customers": ("Building one row per customer…", "正在汇总为每位客户一行…"),
})


@dataclass
class Inspection:
    """Everything known about an opened file, stage by stage."""

    table: LoadedTable
    roles: dict[str, Role]
    kind: TableKind
    cleaning: "CleanResult"
    customers: "CustomerTable | None"
    clean_options: "CleanOptions"
    timings: dict[str, float] = field(default_factory=dict)


def understand(
    table: LoadedTable,
    *,
    roles: Mapping[str, Role | str] | None = None,
    clean_options: "CleanOptions | None" = None,
    as_of=None,
    progress: Progress = NULL_PROGRESS,
) -> Inspection:
    """Roles, kind, cleaning and customers for a table already read.

    Parameters
    ----------
    table : LoadedTable
    roles : mapping, optional
        Corrections by the user: ``{column: role}``; other columns keep
        their detected role. Unknown column names are ignored.
    clean_options : CleanOptions, optional
    as_of : date-like, optional
        Recency is counted to this date instead of the last date in the file.
    progress : Progress
    """
    import time

    from persona_desktop.core import cleaning as _cleaning
    from persona_desktop.core import customers as _customers
    from persona_desktop.core import roles as _roles

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    progress.report(0.0, Message("progress.roles").text())
    detected = _roles.override_roles(table.data, _roles.detect_roles(table.data, table.kind_hint), roles or {})
    data = _roles.apply_roles(table.data, detected)
    kind = _roles.detect_kind(data, detected, table.kind_hint)
    timings["roles"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    progress.report(0.1, Message("progress.cleaning").text())
    options = clean_options if clean_options is not None else _cleaning.CleanOptions()
    cleaned = _cleaning.clean(data, detected, kind, options, progress=progress.sub(0.1, 0.6))
    timings["cleaning"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    progress.report(0.6, Message("progress.customers").text())
    customers = _customers.build_customers(cleaned, detected, kind, as_of=as_of, progress=progress.sub(0.6, 1.0))
    timings["customers"] = time.perf_counter() - t0
    progress.report(1.0)
    return Inspection(table, detected, kind, cleaned, customers, options, timings)


def inspect_file(
    path: str | os.PathLike,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    dayfirst: bool | None = None,
    roles: Mapping[str, Role | str] | None = None,
    clean_options: "CleanOptions | None" = None,
    as_of=None,
    progress: Progress = NULL_PROGRESS,
) -> Inspection:
    """Read *path* and understand it (see :func:`understand`).

    Raises
    ------
    ReadError
        The file cannot be read as a table.
    Cancelled
        The progress was cancelled.
    """
    import time

    from persona_desktop.core.io import load_table

    t0 = time.perf_counter()
    table = load_table(path, sheet=sheet, encoding=encoding, dayfirst=dayfirst, progress=progress.sub(0.0, 0.6))
    read_time = time.perf_counter() - t0
    result = understand(table, roles=roles, clean_options=clean_options, as_of=as_of, progress=progress.sub(0.6, 1.0))
    result.timings = {"read": read_time, **result.timings}
    return result


def _dtype_name(series) -> str:
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "float"
    return "text"


def inspection_to_json(inspection: Inspection, lang: str | None = None) -> dict:
    """The JSON document of ``persona-desktop inspect --json``."""
    table = inspection.table
    src = table.source
    data = table.data
    doc = {
        "file": str(Path(src.path)),
        "format": src.format,
        "encoding": src.encoding,
        "sheet": src.sheet,
        "sheets": list(src.sheets),
        "rows": int(src.rows_in_file if table.kind_hint is TableKind.BASKETS else len(data)),
        "kind": inspection.kind.value,
        "columns": [
            {"name": str(c), "dtype": _dtype_name(data[c]), "role": inspection.roles.get(c, Role.IGNORE).value}
            for c in data.columns
        ],
        "cleaning": inspection.cleaning.to_json(lang),
        "customers": None if inspection.customers is None else int(len(inspection.customers.data)),
        "warnings": [w.text(lang) for w in table.warnings],
    }
    if table.kind_hint is TableKind.BASKETS:
        doc["baskets"] = int(src.rows_in_file)
        doc["items"] = int(data["item"].nunique())
    return doc
