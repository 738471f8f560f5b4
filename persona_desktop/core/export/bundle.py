"""Everything the owner takes away, written into one folder in one call (the Export screen's job).

:func:`export_results` writes the chosen parts — the workbook, the customer
list as CSV, every chart, the persona report — each atomically (a failure or
Cancel leaves any earlier file of that name as it was), and never over the
file the analysis was read from. The names start with the name the owner
chose, e.g. ``shop.xlsx``, ``shop_customers.csv``, ``shop_charts/``,
``shop_report.pdf``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from persona_desktop.core.errors import DataError
from persona_desktop.core.export.files import save_figures, write_csv
from persona_desktop.core.export.privacy import privacy_for
from persona_desktop.core.export.report import write_persona_report
from persona_desktop.core.export.workbook import customers_table, write_owner_workbook
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.io.safe_write import all_or_nothing, check_target
from persona_desktop.core.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from persona_desktop.core.export.privacy import Privacy
    from persona_desktop.core.results import Analysis

__all__ = ["ExportChoice", "export_results", "planned_paths"]

register({
    "bundle.nothing": ("Choose at least one thing to export", "请至少选择一项要导出的内容"),
    "progress.bundle.workbook": ("Writing the workbook…", "正在写入工作簿…"),
    "progress.bundle.csv": ("Writing the customer list…", "正在写入客户名单…"),
    "progress.bundle.charts": ("Drawing the charts…", "正在绘制图表…"),
    "progress.bundle.report": ("Writing the report…", "正在写入报告…"),
})


@dataclass
class ExportChoice:
    """What to write, and where."""

    folder: str
    name: str
    workbook: bool = True
    csv: bool = True
    charts: bool = True
    report: bool = True
    chart_format: str = "png"  # png, svg or pdf
    lang: str | None = None
    privacy: str = "keep"  # keep, mask or code: names, phones and e-mails (core.privacy)


def planned_paths(choice: ExportChoice) -> dict[str, Path]:
    """The file (or folder, for charts) each chosen part goes to."""
    folder = Path(choice.folder)
    paths = {}
    if choice.workbook:
        paths["workbook"] = folder / f"{choice.name}.xlsx"
    if choice.csv:
        paths["csv"] = folder / f"{choice.name}_customers.csv"
    if choice.charts:
        paths["charts"] = folder / f"{choice.name}_charts"
    if choice.report:
        paths["report"] = folder / f"{choice.name}_report.pdf"
    return paths


def export_results(analysis: "Analysis", choice: ExportChoice, *, progress: Progress = NULL_PROGRESS) -> list[Path]:
    """Write the parts of *choice*; return the paths written (charts: each file)."""
    paths = planned_paths(choice)
    if not paths:
        raise DataError("bundle.nothing")
    if not Path(choice.folder).is_dir():
        raise DataError("export.folder", folder=choice.folder)  # safe_write's message
    for key, path in paths.items():
        if key != "charts":
            check_target(path, analysis.source)  # a clear message before anything is written

    privacy = privacy_for(choice.privacy)
    lang, written = choice.lang, []
    parts = list(paths)
    span = 1.0 / len(parts)
    new_folder = paths["charts"] if "charts" in paths and not paths["charts"].exists() else None
    try:
        with all_or_nothing(check=progress.check):  # a Cancel or a failure in any part leaves every file as it was
            for i, key in enumerate(parts):
                sub = progress.sub(i * span, (i + 1) * span)
                progress.report(i * span, Message(f"progress.bundle.{key}").text(lang))
                written += _write_part(key, paths[key], analysis, choice, privacy, sub)
            progress.report(1.0)
    except BaseException:
        if new_folder is not None and new_folder.is_dir() and not any(new_folder.iterdir()):
            new_folder.rmdir()  # the charts folder this export made, still empty
        raise
    return written


def _write_part(key: str, path: Path, analysis: "Analysis", choice: ExportChoice, privacy: "Privacy",
                progress: Progress) -> list[Path]:
    lang = choice.lang
    if key == "workbook":
        return [write_owner_workbook(path, analysis, lang, progress=progress, privacy=privacy)]
    if key == "csv":
        if analysis.inspection.customers is None:
            return []
        table, _ = customers_table(analysis, lang, privacy)
        return [write_csv(path, table, source=analysis.source, progress=progress)]
    if key == "charts":
        os.makedirs(path, exist_ok=True)
        return save_figures(path, analysis, fmt=choice.chart_format, lang=lang, progress=progress)

    if analysis.segments is None:
        return []
    return [write_persona_report(path, analysis, lang, progress=progress)]
