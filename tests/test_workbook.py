"""The owner's workbook: its sheets, content, formatting, native charts, and the round trip.

One analysis of the bundled sample (a slice of Online Retail) is written in
English and in Chinese once per module; the tests read the files back with
openpyxl (what Excel sees) and with our own reader (the round trip).
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT

from persona_desktop.core.workflow import run_analysis
from persona_desktop.core.i18n import Message
from persona_desktop.core.io.excel import OWN_CUSTOMER_SHEETS, OWN_SUMMARY_SHEETS
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.schema import Role, TableKind
from persona_desktop.core.export.workbook import (
    CUSTOMER_SHEET_NAMES,
    customers_table,
    write_owner_workbook,
)
from persona_desktop.core.export.sheet_text import text_width

SAMPLE = ROOT / "resources" / "sample" / "online_retail_sample.csv"
# the sample's 400 customer ids: 3 of them bought nothing (only cancellations), listed apart
BUYERS, NO_PURCHASE = 397, 3


@pytest.fixture(scope="module")
def analysis():
    return run_analysis(SAMPLE, lang="en")


@pytest.fixture(scope="module")
def books(analysis, tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    return {lang: write_owner_workbook(folder / f"owner_{lang}.xlsx", analysis, lang) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def en(books):
    return openpyxl.load_workbook(books["en"])


@pytest.fixture(scope="module")
def zh(books):
    return openpyxl.load_workbook(books["zh"])


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def find_row(ws, first: str) -> tuple:
    return next(r for r in rows(ws) if r and r[0] == first)


# ----------------------------------------------------------- sheets
def test_the_sheets_in_english(en, analysis):
    names = [p.display_name("en") for p in analysis.segments.personas]
    assert en.sheetnames == ["Summary", "Personas", "Customers", "Customer value", *names, "No purchase", "Rules",
                             "Recommendations", "Rules by segment", "Model"]


def test_the_sheets_in_chinese(zh, analysis):
    names = [p.display_name("zh") for p in analysis.segments.personas]
    assert zh.sheetnames == ["概要", "客户画像", "客户", "客户价值", *names, "未成交客户", "关联规则", "推荐", "分组规则", "模型"]
    assert all(re.search(r"[\u4e00-\u9fff]", n) for n in names)


def test_the_reader_and_the_writer_agree_on_sheet_names(en, zh):
    assert CUSTOMER_SHEET_NAMES == OWN_CUSTOMER_SHEETS == ("Customers", "客户")
    assert (en.sheetnames[0], zh.sheetnames[0]) == OWN_SUMMARY_SHEETS


def test_summary_holds_source_counts_cleaning_quality_and_times(en, analysis):
    ws = en["Summary"]
    assert find_row(ws, "Source file")[1] == str(SAMPLE)
    assert find_row(ws, "Rows read")[1] == 32097
    assert find_row(ws, "Customers")[1] == len(analysis.inspection.customers.data) == BUYERS
    assert find_row(ws, "Customers who bought nothing (sheet “No purchase”)")[1] == NO_PURCHASE
    assert find_row(ws, "Refunds, returns and cancellations set aside")[1:3] == (623, "set aside")
    assert find_row(ws, "Silhouette (−1…1, higher is better)")[1] == pytest.approx(
        analysis.segments.segmentation.quality.silhouette)
    assert find_row(ws, "Rules found")[1] == len(analysis.rules.rules)
    assert find_row(ws, "ROC AUC (cross-validated; 0.5 = guessing)")[1] == pytest.approx(
        analysis.churn.chosen.cv.roc_auc)
    table = rows(ws)
    timing = {r[0]: r[1] for r in table[[r[0] for r in table].index("Steps and time") + 2:]}
    assert set(timing) == {"Read and clean", "Customer value", "Segments and personas", "Rules and recommendations",
                           "Churn prediction"}
    value = analysis.value
    assert find_row(ws, "Purchase model")[1] == {"bgnbd": "BG/NBD", "paretonbd": "Pareto/NBD"}[value.model_name]
    assert find_row(ws, "Predicted value, next 12 months")[1] == pytest.approx(round(float(value.table["clv"].sum()), 2))
    # the sample's year shows no one leaving: no one is counted at risk (not even 0), and the note says why
    assert value.no_dropout
    assert not any(r and r[0] and str(r[0]).startswith("Valuable customers at risk") for r in rows(ws))
    assert any(r and r[0] and "no sign of customers leaving" in str(r[0]) for r in rows(ws))
    # the times written are the ones measured: each step's own record, rounded to hundredths
    measured = {Message(r.key).text("en"): round(r.seconds, 2) for r in analysis.steps}
    assert timing == {name: measured[name] for name in timing}
    assert timing["Read and clean"] > 0 and timing["Segments and personas"] > 0
    sizes = [find_row(ws, p.display_name("en")) for p in analysis.segments.personas]
    assert sum(r[1] for r in sizes) == BUYERS


def test_personas_sheet_has_a_block_per_persona(en, analysis):
    ws = en["Personas"]
    titles = [r[0] for r in rows(ws) if r and r[0] and ws.cell(row=1, column=1)]
    for p in analysis.segments.personas:
        assert p.display_name("en") in titles
        assert p.traits[0].text("en") in [r[1] for r in rows(ws) if r and len(r) > 1]
        assert p.actions[0].text("en") in [r[1] for r in rows(ws) if r and len(r) > 1]


def test_customers_sheet_lists_every_customer_key_first(en, analysis):
    ws = en["Customers"]
    table = rows(ws)
    header, body = table[0], table[1:]
    customers = analysis.inspection.customers
    assert header[0] == customers.key == "CustomerID"
    assert len(body) == len(customers.data)
    assert [r[0] for r in body] == customers.data[customers.key].astype(str).tolist()
    assert {"segment", "churn probability", "recommended next", "Net spend", "Days since last order"} <= set(header)
    segment = header.index("segment")
    assert [r[segment] for r in body] == analysis.segments.segment_names("en")
    churn = [r[header.index("churn probability")] for r in body]
    assert all(v is None or 0 <= v <= 1 for v in churn) and sum(v is not None for v in churn) == BUYERS
    recommended = header.index("recommended next")
    with_recs = {str(c) for c in analysis.rules.recommendations["customer"]}
    assert {r[0] for r in body if r[recommended]} == with_recs


def test_customers_who_bought_nothing_are_listed_apart(en, analysis):
    """Their only lines are cancellations: not in Customers, not in a segment, no churn probability."""
    ws = en["No purchase"]
    table = rows(ws)
    header, body = table[0], table[1:]
    apart = analysis.inspection.customers.set_aside
    assert header[0] == "CustomerID" and len(body) == NO_PURCHASE == len(apart)
    assert [r[0] for r in body] == apart["CustomerID"].astype(str).tolist()
    orders = header.index("Orders")
    assert all(r[orders] == 0 for r in body)
    listed = {r[0] for r in rows(en["Customers"])[1:]}
    assert not listed & {r[0] for r in body}
    assert "segment" not in header and "churn probability" not in header


def test_segment_sheets_split_the_customers(en, analysis):
    counts = {p.display_name("en"): p.size for p in analysis.segments.personas}
    for name, size in counts.items():
        ws = en[name]
        assert ws.max_row - 1 == size
        segment = rows(ws)[0].index("segment")
        assert {r[segment] for r in rows(ws)[1:]} == {name}


def test_rules_sheet_holds_every_rule_with_standard_columns(en, analysis):
    table = rows(en["Rules"])
    assert list(table[0][:7]) == ["antecedents", "consequents", "support", "confidence", "lift", "leverage",
                                  "conviction"]
    assert len(table) - 1 == len(analysis.rules.rules)
    items = " ".join(str(r[0]) + " " + str(r[1]) for r in table[1:])
    assert "POSTAGE" not in items.upper()


def test_model_sheet_shows_the_baseline(en, analysis):
    ws = en["Model"]
    scores = find_row(ws, "accuracy")
    assert scores[1] == pytest.approx(analysis.churn.chosen.cv.accuracy)
    assert scores[3] == pytest.approx(analysis.churn.baseline.accuracy)
    assert find_row(ws, "ROC AUC")[3] == 0.5
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "accuracy")
    assert ws.cell(row, 2).number_format == "0.000"  # figures shown to three places, not seventeen
    # the verdict, under the model's name: the sample's churn model is better than guessing
    assert any(str(r[0].value).startswith("Better than guessing") for r in ws.iter_rows(max_row=8))


# ----------------------------------------------------------- formatting
def test_table_sheets_have_a_bold_frozen_header_and_a_filter(en):
    for name in ("Customers", "Rules", "Recommendations"):
        ws = en[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.b for c in ws[1])


def test_number_formats_for_money_percent_and_dates(en):
    ws = en["Customers"]
    header = [c.value for c in ws[1]]
    second = ws[2]
    assert second[header.index("Net spend")].number_format == "#,##0.00"
    assert second[header.index("churn probability")].number_format == "0.0%"
    assert second[header.index("Orders")].number_format == "#,##0"
    assert second[header.index("Last order")].number_format.startswith("yyyy-mm-dd")
    rules = en["Rules"]
    assert rules["C2"].number_format == "0.0%" and rules["E2"].number_format == "0.000"


def test_widths_fit_the_content_and_chinese_counts_double(zh):
    assert text_width("客户") == 4 and text_width("ab") == 2
    ws = zh["客户"]
    header = [c.value for c in ws[1]]
    segment = header.index("分组") + 1
    longest = max(text_width(c.value) for c in ws[openpyxl.utils.get_column_letter(segment)][:2001])
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(segment)].width == min(max(longest + 2, 6), 60)


def test_native_charts_not_pictures(books):
    with zipfile.ZipFile(books["en"]) as z:
        names = z.namelist()
        charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 3  # sizes and revenue on the Summary, importance on the Model sheet
        assert not [n for n in names if n.startswith("xl/media/")]  # no pictures
        xml = "".join(z.read(n).decode() for n in charts)
    assert "<barChart>" in xml and "<pieChart>" in xml
    assert "'Summary'!" in xml or "Summary!" in xml
    assert "Model!" in xml or "'Model'!" in xml


def test_no_formula_anywhere(books):
    for path in books.values():
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in z.read(name).decode()


# ----------------------------------------------------------- round trip
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exported_workbook_opens_as_a_customer_table_with_its_segments(books, analysis, lang):
    ins = inspect_file(books[lang])
    assert ins.table.source.sheet in OWN_CUSTOMER_SHEETS
    assert ins.kind is TableKind.CUSTOMERS
    customers = ins.customers
    assert customers.key == "CustomerID" and len(customers.data) == BUYERS
    segment = "segment" if lang == "en" else "分组"
    assert ins.roles[segment] is Role.CATEGORICAL
    assert customers.data[segment].tolist() == analysis.segments.segment_names(lang)
    # our own computed columns come back as the customer's figures, not as order columns
    orders = "Orders" if lang == "en" else "订单数"
    assert ins.roles[orders] is Role.NUMERIC


def test_customers_table_without_rules_or_churn(analysis):
    from dataclasses import replace

    bare = replace(analysis, rules=None, churn=None, churn_scores=None)
    table, formats = customers_table(bare, "en")
    assert "churn probability" not in table and "recommended next" not in table
    assert formats["Net spend"] == "money"


def test_the_same_analysis_twice_gives_the_same_content(analysis, tmp_path):
    again = run_analysis(SAMPLE, lang="en")
    again.created = analysis.created
    a = write_owner_workbook(tmp_path / "a.xlsx", analysis, "en")
    b = write_owner_workbook(tmp_path / "b.xlsx", again, "en")
    for name in openpyxl.load_workbook(a).sheetnames:
        if name == "Summary":  # its "Steps and time" block holds the seconds each step took
            continue
        left = pd.read_excel(a, sheet_name=name, header=None, engine="openpyxl")
        right = pd.read_excel(b, sheet_name=name, header=None, engine="openpyxl")
        if name == "Model":  # the leaderboard says how many seconds each model took
            board = Message("sheet.model.leaderboard").text("en")
            cut = left.index[left[0] == board][0]
            left, right = left.iloc[:cut], right.iloc[:cut]
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9)


def test_customers_sheet_puts_names_and_contacts_right_after_the_id(datasets):
    shop = run_analysis(datasets / "09_shopify_export" / "orders_export.csv", lang="en")
    table, _ = customers_table(shop, "en")
    header = list(table.columns)
    assert header[0] == "Email"
    first_figure = header.index("Days since last order")
    assert {"Billing Name", "Billing Phone", "Phone"} <= set(header[1:first_figure])
    assert table.loc[table["Email"] == "ayumu.hirano@example.com", "Billing Name"].tolist() == ["Ayumu Hirano"]


def test_long_segment_names_give_short_readable_unique_sheets():
    """Issue 27, point 6: never "High total orders · High total " cut mid-word, and unique in both languages."""
    from persona_desktop.core.export.sheet_text import sheet_title

    taken: set[str] = set()
    names = ["High total orders · High total spent · Younger"] * 3 + ["高消费常客 · 最近购买较多 · 年龄偏高 · 收入偏高 · 城市一线"]
    titles = [sheet_title(n, taken) for n in names]
    assert len(set(titles)) == len(titles) and all(len(t) <= 31 for t in titles)
    assert titles[0] == "High total orders · High total…"
    assert titles[1] == "High total orders · High… (2)"
    assert all(not t.endswith(" ") and "…" in t for t in titles)
    assert sheet_title("Lapsed customers", set()) == "Lapsed customers"  # short names stay whole
