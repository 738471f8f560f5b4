"""The analysis engine of Persona Desktop, as stage packages (docs/ARCHITECTURE.md).

Nothing in this package imports Qt (``tests/test_layering.py`` and the
import-linter contracts in ``pyproject.toml`` prove it), so everything here can
be used from scripts, the command line and tests. The handful of names a script
needs are here, loaded on first use so that ``import persona_desktop.core``
stays cheap for the window's start-up::

    from persona_desktop import core

    inspection = core.open_file("orders.xlsx")          # read → roles → cleaning → customers
    segments = core.segment_customers(inspection.customers, inspection.kind)
    rules = core.find_rules(inspection)
    analysis = core.run_analysis("orders.xlsx")         # every step that applies, as the CLI's analyze
    core.write_workbook("results.xlsx", analysis)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["open_file", "segment_customers", "find_rules", "train", "run_analysis", "write_workbook"]

# public name → (module of the stage that owns it, its name there)
_PUBLIC = {
    "open_file": ("persona_desktop.core.table.understand", "inspect_file"),
    "segment_customers": ("persona_desktop.core.segments.run", "segment_customers"),
    "find_rules": ("persona_desktop.core.rules.run", "find_rules"),
    "train": ("persona_desktop.core.predict.run", "train"),
    "run_analysis": ("persona_desktop.core.workflow", "run_analysis"),
    "write_workbook": ("persona_desktop.core.export.workbook", "write_owner_workbook"),
}


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562): the stages import pandas and scikit-learn."""
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
