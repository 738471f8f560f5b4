"""Load the analysis libraries once, in a worker, and take them out of the garbage collector's sweeps.

Two things made the window stall while a job ran, and neither was the
analysis itself:

- **Imports.** scikit-learn, SciPy and matplotlib were first imported inside
  the segments job, and parts of an import (compiling, a C extension's set-up)
  hold the GIL.
- **Full garbage collections.** Those libraries leave about 190,000 objects
  that live as long as the program. Python's full collection walks all of them
  (about 100 ms here) and holds the GIL throughout, and allocation-heavy steps
  (rules, personas) trigger one every few seconds.

:func:`warm_up` runs in the file-loading job. It imports what the later steps
and the charts need, a group at a time, and after each group calls
:func:`gc.freeze`, which moves every object alive at that moment into a
generation the collector never walks. Freezing costs nothing, and the
objects frozen are almost all library code that is never freed. A full
collection then walks only what was made since, a few milliseconds' worth.

The catch: a reference cycle among frozen objects is never collected. The
only data alive at those moments is the table being loaded, and pandas
frames are freed by reference counting, not by the collector.
"""

from __future__ import annotations

import gc
import importlib
import sys

from persona_desktop.core.progress import NULL_PROGRESS, Progress

__all__ = ["warm_up", "WARM_MODULES", "missing"]

# What segments, rules, prediction, the charts and the export import, in groups
WARM_MODULES: tuple[tuple[str, ...], ...] = (
    ("pandas", "numpy", "scipy.sparse", "scipy.stats", "joblib"),
    ("sklearn.base", "sklearn.preprocessing", "sklearn.pipeline", "sklearn.compose", "sklearn.impute"),
    ("sklearn.cluster", "sklearn.decomposition", "sklearn.mixture", "sklearn.neighbors", "sklearn.manifold"),
    ("sklearn.metrics", "sklearn.model_selection", "sklearn.linear_model", "sklearn.tree", "sklearn.ensemble",
     "sklearn.svm", "sklearn.neural_network", "sklearn.inspection", "sklearn.calibration"),
    ("scipy.optimize", "scipy.special", "persona_desktop.core.value.run", "persona_desktop.core.value.backtest",
     "persona_desktop.core.segments.run", "persona_desktop.core.rules.run", "persona_desktop.core.predict.run",
     "persona_desktop.core.predict.targets", "persona_desktop.core.project", "persona_desktop.core.predict.model_files"),
    ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib.backends.backend_qtagg",
     "matplotlib.backends.backend_pdf", "matplotlib.backends.backend_svg", "persona_desktop.core.charts.figures",
     "persona_desktop.core.charts.segments", "persona_desktop.core.charts.quality",
     "persona_desktop.core.charts.rules", "persona_desktop.core.charts.predict", "persona_desktop.core.charts.value"),
    ("openpyxl", "persona_desktop.core.export.bundle", "persona_desktop.core.export.workbook",
     "persona_desktop.core.export.value_sheet", "persona_desktop.core.export.report",
     "persona_desktop.core.export.files"),
)

_done = False
# Modules the warm-up could not import. Warming up only saves pauses later, so a missing module
# never stops a file from loading; the packaged build's --selftest fails on any name here (a
# module the build left out, which the step that needs it would then miss too).
missing: list[str] = []


def warm_up(progress: Progress = NULL_PROGRESS) -> None:
    """Import :data:`WARM_MODULES` and freeze what exists (once per process; cancellable between groups)."""
    global _done
    if _done:
        return
    from persona_desktop.core.charts import configure_fonts

    configure_fonts()  # before matplotlib is imported: it sets where matplotlib keeps its font cache
    for i, group in enumerate(WARM_MODULES):
        progress.check()
        progress.report(i / len(WARM_MODULES))
        for name in group:
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except ImportError:
                    missing.append(name)
        gc.freeze()
    _done = True
