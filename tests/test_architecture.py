"""The core's layout holds: its layers (import-linter contracts in pyproject.toml), no import circle
anywhere in the package, and the small public API a script needs.

The contracts are what docs/ARCHITECTURE.md draws: io → table → segments → rules → predict → results →
charts → export → workflow → project, each stage importing only from below, Qt only in the window.
They run here so the README's test command (and CI) holds every change to them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.fail("import-linter is not installed: pip install .[test]")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circle_anywhere_in_the_package():
    """Every import counts, those inside functions too: a circle hidden in a function is still one. Names
    imported for type hints only (under ``if TYPE_CHECKING:``) are not imports at run time and do not count."""
    import grimp

    graph = grimp.build_graph("persona_desktop", cache_dir=None, exclude_type_checking_imports=True)
    modules = {m for m in graph.modules if m.startswith("persona_desktop.")}
    edges = {m: {d for d in graph.find_modules_directly_imported_by(m) if d in modules} for m in modules}
    assert _cycles(edges) == []
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]  # the check can fail


def test_the_public_api_is_small_lazy_and_whole():
    """``import persona_desktop.core`` loads no pandas; each public name resolves to the stage that owns it."""
    code = ("import sys, persona_desktop.core as core; assert 'pandas' not in sys.modules, 'pandas loaded'; "
            "names = sorted(core.__all__); print(names); "
            "[getattr(core, n) for n in names]; print('ok')")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")
    import persona_desktop.core as core
    from persona_desktop.core.export.workbook import write_owner_workbook
    from persona_desktop.core.table.understand import inspect_file

    assert core.open_file is inspect_file and core.write_workbook is write_owner_workbook
    assert set(core.__all__) == {"open_file", "segment_customers", "find_rules", "train", "run_analysis",
                                 "write_workbook"}
