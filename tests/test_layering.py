"""``persona_desktop.core`` never imports Qt: checked by importing every module, and by reading the source.

The core must work from scripts, the command line and tests without a
display or PySide6. Every module under ``persona_desktop/core`` (found by
walking the package, so new and work-in-progress modules are included) is
imported in a fresh interpreter, and no Qt module may appear in
``sys.modules``; a static pass over the files finds Qt imports that only run
inside functions.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import persona_desktop.core

CORE = Path(persona_desktop.core.__file__).resolve().parent
ROOT = CORE.parents[1]
QT_PREFIXES = ("PySide6", "PySide2", "shiboken6", "shiboken2", "PyQt", "qtpy")

IMPORT_ALL = textwrap.dedent(f"""
    import importlib, json, pkgutil, sys, traceback
    import persona_desktop.core as core

    names = [core.__name__] + [m.name for m in pkgutil.walk_packages(core.__path__, core.__name__ + ".")]
    failed = {{}}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            failed[name] = traceback.format_exc(limit=3)
    for extra in sys.argv[1:]:
        importlib.import_module(extra)
    qt = sorted(m for m in sys.modules if m.startswith({QT_PREFIXES!r}))
    print(json.dumps({{"names": names, "failed": failed, "qt": qt}}))
""")


def run_isolated(*extra_imports: str) -> dict:
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL, *extra_imports], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def core_module_names() -> set[str]:
    names = set()
    for path in CORE.rglob("*.py"):
        parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@pytest.fixture(scope="module")
def imported() -> dict:
    return run_isolated()


def test_walk_finds_every_module_of_the_core(imported):
    assert set(imported["names"]) == core_module_names()
    assert {"persona_desktop.core.table.roles", "persona_desktop.core.table.cleaning", "persona_desktop.core.table.customers",
            "persona_desktop.core.io.finish"} <= set(imported["names"])


def test_every_core_module_imports(imported):
    assert imported["failed"] == {}, "\n".join(f"{k}:\n{v}" for k, v in imported["failed"].items())


def test_importing_the_whole_core_loads_no_qt(imported):
    assert imported["qt"] == []


@pytest.mark.skipif(importlib.util.find_spec("PySide6") is None, reason="PySide6 is not installed")
def test_the_isolated_check_would_see_qt():
    """The check above can fail: importing a Qt module in the same run is reported."""
    assert "PySide6.QtCore" in run_isolated("PySide6.QtCore")["qt"]


def test_running_the_pipeline_and_a_chart_loads_no_qt(datasets):
    code = textwrap.dedent(f"""
        import json, sys
        from persona_desktop.core.table.understand import inspect_file
        from persona_desktop.core.charts import new_figure
        ins = inspect_file({str(datasets / "03_mall_customers" / "Mall_Customers.csv")!r})
        fig = new_figure()
        fig.add_subplot().plot([1, 2], [3, 4])
        print(json.dumps(sorted(m for m in sys.modules if m.startswith({QT_PREFIXES!r}))))
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


# ------------------------------------------------------------------ static
def qt_imports(source: str) -> list[str]:
    """Qt modules a Python source imports anywhere (top level or inside functions), by name."""
    found = []

    def is_qt(name: str) -> bool:
        return name.split(".")[0].startswith(QT_PREFIXES)

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if is_qt(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and is_qt(node.module):
            found.append(node.module)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            arg = node.args[0].value
            if called in ("import_module", "__import__") and isinstance(arg, str) and is_qt(arg):
                found.append(arg)
            if called == "use" and isinstance(arg, str) and arg.lower().startswith("qt"):  # matplotlib.use("QtAgg")
                found.append(f"matplotlib backend {arg}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "backends.backend_qt" in node.value:
            found.append(node.value)
    return found


def test_static_check_recognises_qt_imports():
    source = textwrap.dedent("""
        '''Qt is mentioned here, import PySide6 in a docstring is not an import.'''
        import os
        from PySide6.QtCore import Signal
        def later():
            import PyQt6.QtWidgets
            from shiboken6 import isValid
            importlib.import_module("PySide6.QtGui")
            matplotlib.use("QtAgg")
    """)
    assert sorted(qt_imports(source)) == sorted(["PySide6.QtCore", "PyQt6.QtWidgets", "shiboken6", "PySide6.QtGui",
                                                 "matplotlib backend QtAgg"])
    assert qt_imports("import pandas\nfrom persona_desktop.core.table import roles\n# from PySide6 import QtCore\n") == []


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_no_core_file_imports_qt(path):
    assert qt_imports(path.read_text("utf-8")) == []
