"""Smaller defects found by reading the code (issue 18, point 7), each shown fixed on data in the repository.

- a segment the owner renames "Summary" or "Customers" no longer overwrites that workbook sheet;
- ``rules --from attributes`` on a basket file says why in the chosen language, exit 3 (was exit 1);
- a saved project keeps every cleaning option (the missing-value constant, the IQR factor) and the
  day recency was counted to;
- ``predict --apply`` reads the new file with the same ``--sheet`` and ``--encoding``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from persona_desktop.cli import main
from persona_desktop.core.workflow import run_analysis
from persona_desktop.core.table.clean_options import CleanOptions
from persona_desktop.core.paths import sample_path
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.project import load_project, project_of, reopen, save_project
from persona_desktop.core.export.workbook import owner_sheets, write_owner_workbook


@pytest.fixture(scope="module")
def analysis():
    return run_analysis(sample_path(), lang="en")


@pytest.mark.parametrize("taken", ["Summary", "customers", "Rules"])
def test_a_segment_named_like_a_sheet_does_not_replace_it(analysis, tmp_path, taken):
    persona = analysis.segments.personas[0]
    before = persona.own_name
    persona.own_name = taken
    try:
        sheets = owner_sheets(analysis, "en")
        path = write_owner_workbook(tmp_path / "book.xlsx", analysis, "en")
    finally:
        persona.own_name = before
    names = list(sheets)
    assert len({n.lower() for n in names}) == len(names)
    fixed = next(n for n in names if n.lower() == taken.lower())
    segment_sheet = next(n for n in names if n.lower().startswith(taken.lower()) and n != fixed)
    assert segment_sheet == f"{taken} (2)"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == names
    # the fixed sheet is still what it was: the Summary starts with its title block, Customers holds everyone
    if taken == "customers":
        assert book["Customers"].max_row - 1 == len(analysis.inspection.customers.data)
        assert book[segment_sheet].max_row - 1 == persona.size
    if taken == "Summary":
        assert book["Summary"]["A1"].value != book[segment_sheet]["A1"].value


@pytest.fixture
def basket_file(tmp_path):
    path = tmp_path / "baskets.csv"
    path.write_text("\n".join(["milk,bread", "bread,butter,jam", "milk,bread,butter", "tea", "milk,tea"] * 20),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("lang, words", [("en", "one row per customer"), ("zh", "每位客户一行")])
def test_rules_from_attributes_on_a_basket_file_says_why(basket_file, capsys, lang, words):
    code = main(["rules", str(basket_file), "--from", "attributes", "--lang", lang])
    err = capsys.readouterr().err
    assert code == 3, err
    assert words in err and "baskets.csv" in err and "Traceback" not in err


def test_a_project_keeps_every_cleaning_option_and_the_as_of_day(tmp_path):
    import shutil

    source = tmp_path / "orders.csv"
    shutil.copy(sample_path(), source)
    options = CleanOptions(disabled={"outliers"}, missing="constant", missing_constant=7.5, iqr_factor=2.0)
    inspection = inspect_file(source, clean_options=options, as_of="2011-06-30")
    analysis = run_analysis(source, lang="en")
    analysis.inspection = inspection
    path = save_project(tmp_path / "shop.persona.json", project_of(analysis))
    project = load_project(path)
    assert project.cleaning["missing_constant"] == 7.5 and project.cleaning["iqr_factor"] == 2.0
    assert project.as_of.startswith("2011-06-30")
    reopened, _ = reopen(project)
    kept = reopened.inspection.clean_options
    assert (kept.missing, kept.missing_constant, kept.iqr_factor, kept.disabled) == ("constant", 7.5, 2.0, {"outliers"})
    assert reopened.inspection.customers.as_of == pd.Timestamp("2011-06-30")
    assert (reopened.inspection.customers.data["recency_days"].to_numpy()
            == inspection.customers.data["recency_days"].to_numpy()).all()


def _workbook(path: Path, customers: pd.DataFrame, seed: int) -> Path:
    """A workbook whose first sheet is another table (an order list) and whose 'Customers' sheet is the data."""
    rng = np.random.default_rng(seed)
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"order": range(30), "amount": rng.integers(5, 50, 30),
                      "note": ["x"] * 30}).to_excel(writer, sheet_name="Orders", index=False)
        customers.to_excel(writer, sheet_name="Customers", index=False)
    return path


def test_predict_apply_reads_the_new_file_with_the_same_sheet(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 160
    tenure = rng.integers(1, 60, n)
    customers = pd.DataFrame({"CustomerID": [f"C{i}" for i in range(n)], "tenure": tenure,
                              "MonthlyCharges": rng.uniform(20, 100, n).round(2),
                              "Churn": np.where(tenure + rng.normal(0, 8, n) < 20, "Yes", "No")})
    train = _workbook(tmp_path / "train.xlsx", customers, 1)
    new = _workbook(tmp_path / "new.xlsx", customers.drop(columns="Churn").head(40), 2)
    code = main(["predict", str(train), "--sheet", "Customers", "--target", "Churn", "--model", "logistic",
                 "--apply", str(new), "--json", "--lang", "en"])
    out = capsys.readouterr()
    assert code == 0, out.err
    doc = json.loads(out.out)
    assert doc["applied"]["customers"] == 40
    assert doc["applied"]["missing_columns"] == []


def test_the_no_purchase_sheet_masks_personal_data_like_the_customers_sheet(tmp_path):
    """Customers listed apart (only a cancellation) are masked the same way when the owner asks for it."""
    from persona_desktop.core.results import Analysis
    from persona_desktop.core.export.privacy import Privacy

    rows = [(f"O{i}", f"buyer{i % 20}@shop.cn", "2024-03-%02d 10:00" % (1 + i % 28), "Teapot", 1, 12.5)
            for i in range(60)]
    rows += [("C900", "gone@shop.cn", "2024-03-15 10:00", "Teapot", -1, 12.5)]
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=["Order ID", "Email", "Order date", "Product", "Quantity", "Price"]).to_csv(
        path, index=False)
    inspection = inspect_file(path)
    assert len(inspection.customers.data) == 20 and inspection.customers.set_aside["Email"].tolist() == ["gone@shop.cn"]
    book = write_owner_workbook(tmp_path / "masked.xlsx", Analysis(path, inspection), "en", privacy=Privacy("mask"))
    sheet = openpyxl.load_workbook(book)["No purchase"]
    cell = sheet.cell(row=2, column=1).value
    assert cell != "gone@shop.cn" and cell.endswith("@shop.cn") and "*" in cell
