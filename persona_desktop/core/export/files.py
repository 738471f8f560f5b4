"""CSV and chart files: the small exports, as safe as the workbook.

* CSV is UTF-8 with a byte-order mark, so Excel shows Chinese names correctly
  when the file is double-clicked; text that a spreadsheet would run as a
  formula gets a leading apostrophe (OWASP's advice for CSV injection), and
  numbers, including negative ones, stay numbers.
* Charts are saved as PNG, SVG or PDF by the file's extension.
* Both are written atomically and never over the input file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from persona_desktop.core.charts import new_figure
from persona_desktop.core.charts.figures import analysis_figures
from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import register
from persona_desktop.core.io.safe_write import atomic_target, defuse_formula
from persona_desktop.core.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:

    from persona_desktop.core.results import Analysis


# matplotlib is imported inside the functions, never at module level: configure_fonts() (charts/__init__.py)
# must point MPLCONFIGDIR at our font cache before matplotlib is first imported.
__all__ = ["FIGURE_FORMATS", "save_figure", "save_figures", "write_csv"]

FIGURE_FORMATS = (".png", ".svg", ".pdf")

register({
    "export.figure_format": ("Charts are saved as PNG, SVG or PDF, not “{suffix}”",
                             "图表可保存为 PNG、SVG 或 PDF，不支持“{suffix}”"),
})


def write_csv(path: str | os.PathLike, frame: pd.DataFrame, *, source=None, chunk: int = 50_000,
              progress: Progress = NULL_PROGRESS) -> Path:
    """Write *frame* as a UTF-8 (with BOM) CSV that Excel opens correctly and safely."""
    with atomic_target(path, source, check=progress.check) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            header = pd.DataFrame(columns=[defuse_formula(str(c)) for c in frame.columns])
            header.to_csv(f, index=False, lineterminator="\r\n")
            for start in range(0, len(frame), chunk):
                progress.check()
                part = frame.iloc[start:start + chunk].copy()
                for column in part.columns:
                    s = part[column]
                    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
                        part[column] = s.map(lambda v: defuse_formula(v) if isinstance(v, str) else v)
                    elif isinstance(s.dtype, pd.CategoricalDtype):
                        part[column] = s.astype(object).map(lambda v: defuse_formula(v) if isinstance(v, str) else v)
                part.to_csv(f, index=False, header=False, lineterminator="\r\n", date_format="%Y-%m-%d %H:%M:%S")
                progress.report(min(1.0, (start + chunk) / max(len(frame), 1)))
    return Path(path)


def save_figure(fig, path: str | os.PathLike, *, dpi: int = 150) -> Path:
    """Save a matplotlib Figure as PNG, SVG or PDF (by the extension), atomically."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FIGURE_FORMATS:
        raise DataError("export.figure_format", suffix=target.suffix or "—")
    with atomic_target(target) as tmp:
        # svg: text as paths, so Chinese shows without the font on the reader's machine
        import matplotlib

        with matplotlib.rc_context({"svg.fonttype": "path", "pdf.fonttype": 42}):
            fig.savefig(tmp, format=suffix[1:], dpi=dpi, bbox_inches="tight")
    return target


def save_figures(folder: str | os.PathLike, analysis: "Analysis", *, fmt: str = "png", lang: str | None = None,
                 progress: Progress = NULL_PROGRESS) -> list[Path]:
    """Draw every chart of *analysis* and save it into *folder* as ``<stem>.<fmt>`` (png, svg or pdf)."""
    folder = Path(folder)
    entries = analysis_figures(analysis)
    written = []
    for i, (stem, figure) in enumerate(entries):
        progress.check()
        fig = new_figure(*figure.size)
        figure.draw(fig, lang)
        written.append(save_figure(fig, folder / f"{stem}.{fmt}"))
        progress.report((i + 1) / max(len(entries), 1))
    return written
