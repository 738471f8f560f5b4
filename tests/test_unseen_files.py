"""Files the app has never seen: the table behind a readme sheet, and tables with nothing to analyse.

Issue 18, points 2 and 3: a workbook whose first sheet is a short readme is
read from the sheet that holds the table (and the CLI says which, listing the
others); a CSV with one column of numbers is not "50 customers" but a clear
refusal, exit 3, saying what is missing and what the file would need.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import shopsim
from persona_desktop.cli import main
from persona_desktop.core.errors import DataError
from persona_desktop.core.table.understand import inspect_file


@pytest.fixture(scope="module")
def readme_workbook(tmp_path_factory):
    return shopsim.make_shop("readme_workbook", 1, tmp_path_factory.mktemp("book"))


def test_cli_reads_the_sheet_that_holds_the_table(readme_workbook, capsys):
    code = main(["inspect", str(readme_workbook.path), "--json", "--lang", "en"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["sheet"] == "客户数据" and doc["sheets"] == ["说明", "客户数据"]
    assert doc["kind"] == "customers" and doc["customers"] == len(readme_workbook.groups)
    roles = {c["name"]: c["role"] for c in doc["columns"]}
    assert roles["客户编号"] == "customer_id"
    said = [w for w in doc["warnings"] if "客户数据" in w]
    assert said and "“说明”" in said[0] and "--sheet" in said[0]


def test_cli_says_which_sheet_in_chinese(readme_workbook, capsys):
    assert main(["inspect", str(readme_workbook.path), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "已读取工作表“客户数据”" in out and "“说明”" in out


def test_a_sheet_the_owner_picks_is_read_even_if_it_is_a_readme(readme_workbook, capsys):
    """--sheet is obeyed; the readme then has nothing to analyse, which is said, with exit 3."""
    code = main(["inspect", str(readme_workbook.path), "--sheet", "说明", "--lang", "en"])
    captured = capsys.readouterr()
    assert code == 3 and captured.out == ""
    assert "nothing to analyse" in captured.err and "customer id" in captured.err


def test_a_workbook_of_readme_sheets_only_still_reads_the_first(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    for line in ("本表由店铺后台导出，仅供内部使用。", "如有疑问请联系客服。"):
        book.active.append([line])
    book.create_sheet("备注").append(["只有一行"])
    path = tmp_path / "notes.xlsx"
    book.save(path)
    inspection = inspect_file(path)
    assert inspection.table.source.sheet == "说明"
    with pytest.raises(DataError) as caught:
        inspection.check()
    assert caught.value.code == "analysis.nothing"


def _one_column(tmp_path, rows: int = 50):
    path = tmp_path / "x.csv"
    pd.DataFrame({"x": range(rows)}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("verb", ["inspect", "segment", "rules", "analyze"])
def test_one_number_column_is_nothing_to_analyse(tmp_path, capsys, verb):
    path = _one_column(tmp_path)
    args = [verb, str(path), "--lang", "en"] + (["--out", str(tmp_path / "out.xlsx")] if verb == "analyze" else [])
    code = main(args)
    captured = capsys.readouterr()
    assert code == 3, captured
    assert "50 customers" not in captured.out + captured.err
    err = captured.err
    assert "x.csv has nothing to analyse" in err and "50 rows" in err and "“x”" in err
    assert "customer id" in err and "order export needs" in err
    assert not (tmp_path / "out.xlsx").exists()


def test_nothing_to_analyse_in_chinese(tmp_path, capsys):
    assert main(["inspect", str(_one_column(tmp_path)), "--lang", "zh"]) == 3
    assert "没有可分析的内容" in capsys.readouterr().err


def test_the_window_still_opens_such_a_file_so_its_columns_can_be_set(tmp_path):
    """The load does not fail (the Data screen shows the rows); the steps refuse with the same words."""
    from persona_desktop.core.segments.run import segment_inspection

    inspection = inspect_file(_one_column(tmp_path))
    assert inspection.customers is None and inspection.problem is not None
    with pytest.raises(DataError) as caught:
        segment_inspection(inspection)
    assert caught.value.code == "analysis.nothing"
    # the owner says the column is a customer id: then there is something (a list of ids)
    from persona_desktop.core.table.understand import understand

    fixed = understand(inspection.table, roles={"x": "customer_id"})
    assert fixed.problem is None and len(fixed.customers.data) == 50


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"age": [23, 35, 41, 52] * 5, "income": [30, 45, 60, 80] * 5}),  # attributes, no id
    pd.DataFrame({"order": range(20), "product": ["tea", "cups"] * 10}),  # order lines, no customer
    pd.DataFrame({"email": [f"a{i}@x.cn" for i in range(20)]}),  # a mailing list: customers, no attributes
])
def test_files_with_something_to_analyse_are_not_refused(tmp_path, frame):
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    assert inspect_file(path).problem is None
