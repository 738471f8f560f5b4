"""The same file and settings give identical segments and an identical workbook, whatever the process.

``test_same_data_and_seed_give_identical_labels`` (test_segment_methods.py)
checks determinism inside one process. Here three fresh processes, each with
its own ``PYTHONHASHSEED`` (so every set and dict of strings iterates in
another order), run the whole default pipeline on the bundled sample — what
``persona-desktop analyze`` runs (read and clean, segments and personas,
rules and recommendations, the churn prediction) — then export what the
Export screen writes with :func:`~persona_desktop.core.export.bundle.export_results`:
the owner's workbook and the customer list as CSV.

Compared across the processes:

* every customer's segment (its number and its name);
* the customer list CSV, byte for byte (it holds no timestamp: its dates are
  the customers' own first and last orders);
* every sheet of the workbook, cell for cell (value and number format), plus
  each sheet's layout (size, frozen panes, filter, merged cells, column
  widths) — except the cells that record when and how long it ran: the
  "Written" time on the Summary sheet (the analysis's creation time,
  ``Analysis.created``: found by its label, checked to hold exactly that
  time), and the measured seconds of each step (Summary) and each compared
  model (Model sheet), found under their "Seconds" headers and checked to be
  numbers of seconds;
* the workbook's other parts (charts, styles, the workbook part itself) byte
  for byte; ``docProps/core.xml`` only after its created/modified times
  (written by openpyxl at save time) are blanked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

HASH_SEEDS = ("0", "1", "12345")

CHILD = r"""
import json, sys
from pathlib import Path

from persona_desktop.core.workflow import run_analysis
from persona_desktop.core.export.bundle import ExportChoice, export_results
from persona_desktop.core.paths import sample_path

out = Path(sys.argv[1])
analysis = run_analysis(sample_path(), seed=0, lang="en")
skipped = [s.key for s in analysis.steps if s.skipped is not None]
assert not skipped, f"steps skipped on the sample: {skipped}"
written = export_results(analysis, ExportChoice(folder=str(out), name="shop", workbook=True, csv=True,
                                                charts=False, report=False, lang="en"))
customers = analysis.inspection.customers
keys = customers.data[customers.key].astype("str").tolist()
labels = [int(x) for x in analysis.segments.labels]
names = analysis.segments.segment_names("en")
print("RESULT:" + json.dumps({
    "written": [str(p) for p in written],
    "created": analysis.created.isoformat(),
    "keys": keys,
    "segments": [[k, label, name] for k, label, name in zip(keys, labels, names)],
    "rules": len(analysis.rules.rules),
    "churn_model": analysis.churn.chosen.name,
}))
"""


def _run_all(tmp_path: Path) -> dict[str, dict]:
    """The pipeline in one process per hash seed, run side by side; each process's result."""
    children = {}
    try:
        for seed in HASH_SEEDS:
            run = tmp_path / f"hashseed-{seed}"
            out = run / "out"
            out.mkdir(parents=True)
            env = dict(os.environ, PYTHONHASHSEED=seed, PERSONA_LANG="en", PERSONA_CONFIG_DIR=str(run / "config"),
                       PERSONA_CACHE_DIR=str(run / "cache"), MPLCONFIGDIR=str(run / "mpl"))
            children[seed] = (out, subprocess.Popen([sys.executable, "-c", CHILD, str(out)], stdout=subprocess.PIPE,
                                                    stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
                                                    cwd=run))
        results = {}
        for seed, (out, child) in children.items():
            stdout, stderr = child.communicate(timeout=300)
            assert child.returncode == 0, f"PYTHONHASHSEED={seed}: {stderr[-3000:]}"
            line = next(x for x in stdout.splitlines() if x.startswith("RESULT:"))
            doc = json.loads(line.removeprefix("RESULT:"))
            assert all(Path(p).parent == out for p in doc["written"]), doc["written"]
            results[seed] = doc
        return results
    finally:
        for _, child in children.values():  # a failed run leaves no process behind
            if child.poll() is None:
                child.kill()
                child.wait()


def _timestamp_cell(book) -> str:
    """The coordinate of the Summary sheet's "Written" time: the one cell allowed to differ."""
    from persona_desktop.core.i18n import Message
    from persona_desktop.core.export.workbook import owner_sheets  # noqa: F401  (registers the workbook's labels)

    summary = book[Message("wb.sheet.summary").text("en")]
    label = Message("wb.written").text("en")
    found = [row[0] for row in summary.iter_rows(max_col=1) if row[0].value == label]
    assert len(found) == 1, f"expected one {label!r} row on the Summary sheet, found {len(found)}"
    return summary.cell(row=found[0].row, column=found[0].column + 1).coordinate


def _duration_cells(book) -> set[tuple[str, str]]:
    """(sheet, cell) of the seconds each step and each compared model took: measured durations, like the
    "Written" time, and nothing else. The cells under a "Seconds" header (the Summary's steps, the Model
    sheet's comparison), each a number of seconds."""
    from persona_desktop.core.i18n import Message
    from persona_desktop.core.predict.run import Prediction  # noqa: F401  (registers the model sheet's labels)

    headers = {Message("wb.seconds").text("en"), Message("sheet.model.seconds").text("en")}
    found = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in headers:
                    below = cell.row + 1
                    while (value := ws.cell(row=below, column=cell.column).value) is not None:
                        assert isinstance(value, (int, float)) and 0 <= value < 600, (ws.title, below, value)
                        found.add((ws.title, ws.cell(row=below, column=cell.column).coordinate))
                        below += 1
    return found


def _sheet_cells(ws) -> dict[str, tuple]:
    return {c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row
            if c.value is not None or c.number_format != "General"}


def _sheet_layout(ws) -> dict:
    return {"size": (ws.max_row, ws.max_column), "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items())}}


def _workbook_differences(a: Path, b: Path, created: dict[Path, str]) -> list[str]:
    """Every difference between two owner workbooks but the Summary's "Written" time and the durations."""
    from openpyxl import load_workbook

    book_a, book_b = load_workbook(a), load_workbook(b)
    if book_a.sheetnames != book_b.sheetnames:
        return [f"sheets: {book_a.sheetnames} != {book_b.sheetnames}"]
    stamp = _timestamp_cell(book_a)
    assert _timestamp_cell(book_b) == stamp
    summary = book_a.sheetnames[0]
    for book, path in ((book_a, a), (book_b, b)):  # the excluded cell is exactly the analysis's time
        value = book[summary][stamp].value
        assert isinstance(value, datetime) and value == datetime.fromisoformat(created[path]), (path, value)
    durations = _duration_cells(book_a)
    assert durations == _duration_cells(book_b) and len(durations) >= 4  # the steps at least
    diffs = []
    for name in book_a.sheetnames:
        ws_a, ws_b = book_a[name], book_b[name]
        if _sheet_layout(ws_a) != _sheet_layout(ws_b):
            diffs.append(f"{name}: layout {_sheet_layout(ws_a)} != {_sheet_layout(ws_b)}")
        cells_a, cells_b = _sheet_cells(ws_a), _sheet_cells(ws_b)
        for coord in sorted(set(cells_a) | set(cells_b)):
            if (name == summary and coord == stamp) or (name, coord) in durations:
                continue
            if cells_a.get(coord) != cells_b.get(coord):
                label = ws_a.cell(row=ws_a[coord].row, column=1).value
                diffs.append(f"{name}!{coord} (row {label!r}): {cells_a.get(coord)!r} != {cells_b.get(coord)!r}")
    book_a.close()
    book_b.close()
    return diffs


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _package_differences(a: Path, b: Path) -> list[str]:
    """The workbook's parts other than the worksheets (compared cell by cell above), byte for byte."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        if za.namelist() != zb.namelist():
            return [f"parts: {za.namelist()} != {zb.namelist()}"]
        diffs = []
        for part in za.namelist():
            if part.startswith("xl/worksheets/sheet"):
                continue
            bytes_a, bytes_b = za.read(part), zb.read(part)
            if part == "docProps/core.xml":
                bytes_a, bytes_b = _CORE_TIMES.sub(rb"\1\2", bytes_a), _CORE_TIMES.sub(rb"\1\2", bytes_b)
            if bytes_a != bytes_b:
                diffs.append(part)
        return diffs


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, dict]:
    results = _run_all(tmp_path_factory.mktemp("determinism"))
    for doc in results.values():
        doc["files"] = {Path(p).name: Path(p) for p in doc["written"]}
    return results


def _others(runs):
    return [(seed, runs[seed]) for seed in HASH_SEEDS[1:]]


def test_every_run_did_the_whole_pipeline(runs):
    for seed, doc in runs.items():
        assert len(doc["keys"]) == len(set(doc["keys"])) >= 300, seed  # every customer, once
        assert len({name for _, _, name in doc["segments"]}) >= 2, seed
        assert doc["rules"] > 0 and doc["churn_model"] == "logistic", seed
        assert set(doc["files"]) == {"shop.xlsx", "shop_customers.csv"}, seed


def test_every_customer_is_in_the_same_segment(runs):
    first = runs[HASH_SEEDS[0]]
    for seed, doc in _others(runs):
        moved = [(a[0], a[2], b[2]) for a, b in zip(first["segments"], doc["segments"]) if a != b]
        assert doc["segments"] == first["segments"], (
            f"PYTHONHASHSEED={seed} vs {HASH_SEEDS[0]}: {len(moved)} customers differ, e.g. {moved[:5]} "
            f"({len(doc['segments'])} vs {len(first['segments'])} customers)")
        assert (doc["rules"], doc["churn_model"]) == (first["rules"], first["churn_model"]), seed


def test_the_customer_csv_is_identical_byte_for_byte(runs):
    first = _sha(runs[HASH_SEEDS[0]]["files"]["shop_customers.csv"])
    for seed, doc in _others(runs):
        assert _sha(doc["files"]["shop_customers.csv"]) == first, f"PYTHONHASHSEED={seed}"


def test_every_workbook_cell_is_identical_but_the_written_time(runs):
    first = runs[HASH_SEEDS[0]]["files"]["shop.xlsx"]
    created = {doc["files"]["shop.xlsx"]: doc["created"] for doc in runs.values()}
    problems = []
    for seed, doc in _others(runs):
        cells = _workbook_differences(first, doc["files"]["shop.xlsx"], created)
        problems += [f"PYTHONHASHSEED={seed} vs {HASH_SEEDS[0]}: {d}" for d in cells[:30]]
        if len(cells) > 30:
            problems.append(f"PYTHONHASHSEED={seed}: … and {len(cells) - 30} more")
    assert not problems, "cells that differ:\n" + "\n".join(problems)


def test_the_workbook_charts_styles_and_properties_are_identical(runs):
    first = runs[HASH_SEEDS[0]]["files"]["shop.xlsx"]
    for seed, doc in _others(runs):
        assert _package_differences(first, doc["files"]["shop.xlsx"]) == [], f"PYTHONHASHSEED={seed}"
