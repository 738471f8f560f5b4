"""Customer value everywhere the owner looks: the monthly run, the Customers sheet's three columns, the
Customer value sheet, the Summary, each persona card (window, workbook, report), a reopened project,
and the window's Value screen — on a generated shop whose churners are planted, and on the sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from persona_desktop.core.export.workbook import owner_sheets, write_owner_workbook
from persona_desktop.core.paths import sample_path
from persona_desktop.core.project import project_of, reopen, save_project, load_project
from persona_desktop.core.workflow import run_analysis

from valuesim import bgnbd_shop


@pytest.fixture(scope="module")
def shop_file(tmp_path_factory):
    """A BG/NBD shop of 1,200 customers with planted churners, as an order export with products."""
    shop = bgnbd_shop(1_200, r=0.8, alpha=4.0, a=1.2, b=2.5, seed=31)
    rng = np.random.default_rng(31)
    lines = shop.purchases.assign(order=[f"SO{i:06d}" for i in range(len(shop.purchases))],
                                  product=rng.choice(["Tea", "Mug", "Cake", "Jam", "Spoon"], len(shop.purchases)))
    path = tmp_path_factory.mktemp("flow") / "shop.csv"
    lines.rename(columns={"customer": "Customer ID", "date": "Order Date", "money": "Total", "order": "Order No",
                          "product": "Product"}).to_csv(path, index=False, date_format="%Y-%m-%d")
    return shop, path


@pytest.fixture(scope="module")
def analysis(shop_file):
    return run_analysis(shop_file[1], lang="en")


def test_the_monthly_run_has_customer_value_and_its_check(analysis):
    step = analysis.step("step.value")
    assert step is not None and step.skipped is None
    assert step.figures["customers"] == len(analysis.inspection.customers.data)
    assert step.figures["value_total"] > 0 and step.figures["at_risk_high_value"] > 0
    assert analysis.value.backtest is not None and analysis.value.backtest.auc_expected > 0.7


def test_each_card_carries_its_share_of_the_value(analysis):
    personas = analysis.segments.personas
    assert all(p.value for p in personas)
    assert sum(p.value["value_share"] for p in personas) == pytest.approx(1.0, abs=0.01)
    assert sum(p.value["at_risk"] for p in personas) == analysis.value.at_risk_high_value()
    assert all("valuable customers at risk" in p.value_text("en") for p in personas)  # the count, even a 0
    assert "a customer" in personas[0].value_text("en") and "每位客户" in personas[0].value_text("zh")
    assert personas[0].to_json("en")["value"]["months"] == 12


@pytest.mark.parametrize("lang, columns, sheet", [
    ("en", ["P(still a customer)", "Expected orders, next 90 days", "Predicted value, next 12 months"], "Customer value"),
    ("zh", ["仍是客户的概率", "未来 90 天预计订单数", "未来 12 个月预测价值"], "客户价值"),
])
def test_the_workbook_in_both_languages(analysis, tmp_path, lang, columns, sheet):
    path = write_owner_workbook(tmp_path / f"shop_{lang}.xlsx", analysis, lang)
    book = load_workbook(path, read_only=True)
    assert sheet in book.sheetnames
    customers = book[book.sheetnames[2]]
    header = [c.value for c in next(customers.iter_rows(max_row=1))]
    for column in columns:
        assert column in header, (column, header)
    value_rows = list(book[sheet].iter_rows(values_only=True))
    assert len(value_rows) == len(analysis.value.table) + 1
    values = [r[header.index(columns[2])] for r in customers.iter_rows(min_row=2, values_only=True)]
    assert all(v is not None and v >= 0 for v in values)
    summary = [str(c) for r in book[book.sheetnames[0]].iter_rows(values_only=True) for c in r if c is not None]
    assert any(columns[2] in s or ("未来 12 个月预测价值" in s) for s in summary)
    # this shop's customers do leave: the Summary counts the valuable ones at risk
    at_risk = {"en": "Valuable customers at risk", "zh": "高价值但有流失风险"}[lang]
    assert any(s.startswith(at_risk) for s in summary)


def test_the_value_sheet_is_most_valuable_first(analysis):
    sheets = owner_sheets(analysis, "en")
    table = sheets["Customer value"].data
    values = table["Predicted value, next 12 months"].to_numpy()
    assert (np.diff(values) <= 1e-9).all()
    flagged = table["At risk, high value"]
    assert set(flagged) <= {"yes", "no"} and (flagged == "yes").sum() == analysis.value.at_risk_high_value()


def test_a_customer_list_skips_value_with_its_reason(tmp_path):
    path = tmp_path / "customers.csv"
    pd.DataFrame({"CustomerID": range(300), "Age": np.arange(300) % 60 + 18,
                  "Annual Income": np.arange(300) * 100.0}).to_csv(path, index=False)
    analysis = run_analysis(path, lang="en")
    step = analysis.step("step.value")
    assert analysis.value is None and step.skipped is not None
    assert "orders with dates and money" in step.skipped.text("en") and "customers (one row" in step.skipped.text("en")
    zh = step.skipped.text("zh")
    assert "客户表（每行一位客户）" in zh and "customers" not in zh  # the kind in the message's own language


def test_a_reopened_project_has_its_value_back(analysis, tmp_path):
    path = save_project(tmp_path / "shop.pdproj", project_of(analysis))
    again, _notes = reopen(load_project(path))
    assert again.value is not None
    assert np.allclose(again.value.table["clv"], analysis.value.table["clv"])
    assert [p.value for p in again.segments.personas] == [p.value for p in analysis.segments.personas]


def test_the_report_writes_with_the_value_line(analysis, tmp_path):
    from persona_desktop.core.export.report import value_line, write_persona_report

    path = write_persona_report(tmp_path / "report.pdf", analysis, "zh")
    assert path.stat().st_size > 10_000
    # this shop's customers leave: the line counts the valuable ones at risk
    at_risk = analysis.value.at_risk_high_value()
    assert value_line(analysis, "en").endswith(f"; {at_risk:,} valuable customers at risk")
    assert value_line(analysis, "zh").endswith(f"；{at_risk:,} 位高价值客户有流失风险")


def test_the_report_says_no_one_at_risk_where_no_one_is_seen_leaving():
    from persona_desktop.core.export.report import value_line

    sample = run_analysis(sample_path(), lang="en")
    assert sample.value.no_dropout
    line = value_line(sample, "en")
    assert "orders expected in the next 90 days" in line and "at risk" not in line and "—" not in line


@pytest.mark.gui
def test_the_value_screen(qtbot, window):
    with qtbot.waitSignal(window.file_loaded, timeout=120_000):
        window.open_file(str(sample_path()))
    assert window.steps.is_available("value")
    window.show_step("value")
    with qtbot.waitSignal(window.step_done, timeout=180_000, check_params_cb=lambda what: what == "value"):
        window.run_current_step()
    panel = window.value_panel
    value = window.analysis.value
    assert value is not None and panel.table_model.rowCount() == len(value.table)
    assert "orders expected" in panel.summary.text()
    # the sample's year shows no one leaving: no one is said to be at risk, not even "0"
    assert value.no_dropout and "at risk" not in panel.summary.text()
    assert panel.charts.count() >= 2
    panel.charts.draw_all()
    assert all(page.canvas is not None for page in panel.charts.pages())
    panel.filter_edit.setText(str(value.table[value.key].iloc[0]))
    assert 1 <= panel.table_model.rowCount() < len(value.table)
    # segmenting afterwards: the cards say what their customers are worth
    window.show_step("segments")
    with qtbot.waitSignal(window.step_done, timeout=180_000, check_params_cb=lambda what: what == "segments"):
        window.run_current_step()
    assert all(p.value for p in window.analysis.segments.personas)
    window.show_step("personas")
    assert "a customer" in window.personas_panel.cards[0].figures.text()
    assert "at risk" not in window.personas_panel.cards[0].figures.text()


def test_the_personas_sheet_has_each_cards_value(analysis):
    sheets = owner_sheets(analysis, "en")
    rows = sheets["Personas"].data
    per_customer = [r for r in rows if isinstance(r, list) and r and r[0] == "Predicted value per customer, next 12 months"]
    assert len(per_customer) == len(analysis.segments.personas)
    assert [r[1].value for r in per_customer] == [p.value["value_per_customer"] for p in analysis.segments.personas]


def test_a_project_keeps_the_value_settings(shop_file, tmp_path):
    from persona_desktop.core.errors import ReadError
    from persona_desktop.core.workflow import add_value

    analysis = run_analysis(shop_file[1], lang="en")
    add_value(analysis, days=30, months=6, discount=0.02, model="paretonbd")
    path = save_project(tmp_path / "shop.pdproj", project_of(analysis))
    again, _notes = reopen(load_project(path))
    assert (again.value.days, again.value.months, again.value.discount, again.value.model_name) == (30, 6, 0.02, "paretonbd")
    assert np.allclose(again.value.table["clv"], analysis.value.table["clv"])
    doc = path.read_text(encoding="utf-8").replace('"discount": 0.02', '"discount": 7')
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(ReadError, match="value"):
        load_project(path)
