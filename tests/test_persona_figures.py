"""The figures on a persona card: money in the file's currency, shares people can read, at least three facts.

Issue 18, point 4: cards show average spend and average order value in the
file's currency (from the cells or headers, never guessed from the language),
tiny shares as "<1%" rather than "0%", and every card at least three of its
group's figures (Mall Customers used to give cards with one or two traits).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import shopsim
from persona_desktop.core.segments.run import segment_inspection
from persona_desktop.core.segments.words import money_text, percent_text
from persona_desktop.core.table.understand import inspect_file


@pytest.mark.parametrize("value, digits, text", [
    (0.0, 0, "0%"), (0.004, 0, "<1%"), (0.0049, 0, "<1%"), (0.01, 0, "1%"), (0.374, 0, "37%"), (1.0, 0, "100%"),
    (0.0004, 1, "<0.1%"), (0.004, 1, "0.4%"), (None, 0, "—"),
])
def test_shares_are_never_a_misleading_zero(value, digits, text):
    assert percent_text(value, digits) == text


@pytest.mark.parametrize("value, currency, text", [
    (1234.5, "¥", "¥1,234"), (86.5, "€", "€86.50"), (-20.0, "$", "-$20.00"), (1234.5, None, "1,234"), (None, "¥", "—"),
])
def test_money_in_the_files_currency(value, currency, text):
    assert money_text(value, currency) == text


@pytest.fixture(scope="module")
def shops(tmp_path_factory):
    folder = tmp_path_factory.mktemp("money")
    out = {}
    for name in ("cp1252_semicolon", "uk_lines", "zh_gbk_title_totals"):
        shop = shopsim.make_shop(name, 5, folder)
        inspection = inspect_file(shop.path)
        out[name] = (shop, inspection, segment_inspection(inspection, stability_runs=0))
    return out


def test_a_till_that_writes_euros_gets_euros_on_its_cards(shops):
    _, inspection, analysis = shops["cp1252_semicolon"]
    assert inspection.customers.currency == "€"
    data = inspection.customers.data
    for p in analysis.personas:
        members = data[analysis.labels == p.segment]
        assert p.money["avg_spend"] == pytest.approx(members["monetary"].mean(), abs=0.01)
        orders = members["frequency"].sum()
        assert p.money["avg_order_value"] == pytest.approx(members["monetary"].clip(lower=0).sum() / orders, abs=0.01)
        en, zh = p.money_text("en"), p.money_text("zh")
        assert en.startswith("average spend €") and "average order €" in en
        assert zh.startswith("平均消费 €") and "平均客单价 €" in zh
        assert p.to_json("en")["currency"] == "€"


@pytest.mark.parametrize("name", ["uk_lines", "zh_gbk_title_totals"])
def test_no_currency_is_guessed_when_the_file_writes_none(shops, name):
    """Neither English headers nor Chinese ones make the money pounds or yuan: plain numbers."""
    _, inspection, analysis = shops[name]
    assert inspection.customers.currency is None
    for p in analysis.personas:
        text = p.money_text("en")
        assert text.startswith("average spend ") and not any(c in text for c in "¥$€£")


def test_a_header_that_names_the_currency_is_enough(tmp_path):
    path = tmp_path / "orders.csv"
    rng = np.random.default_rng(0)
    n = 300
    pd.DataFrame({"订单编号": [f"T{i}" for i in range(n)], "客户编号": [f"KH{i % 60}" for i in range(n)],
                  "下单时间": pd.date_range("2024-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
                  "实付金额(元)": rng.uniform(10, 200, n).round(2)}).to_csv(path, index=False)
    inspection = inspect_file(path)
    assert inspection.customers.currency == "¥"


def test_every_card_shows_at_least_three_figures(shops):
    for _, _, analysis in shops.values():
        assert all(len(p.traits) >= 3 for p in analysis.personas)


def test_mall_cards_have_three_traits_each(datasets):
    inspection = inspect_file(datasets / "03_mall_customers" / "Mall_Customers.csv")
    analysis = segment_inspection(inspection, stability_runs=0)
    for p in analysis.personas:
        assert len(p.traits) >= 3, (p.name, [t.text("en") for t in p.traits])
        assert p.money == {}  # a customer file without spend: no money line at all


def test_the_workbook_shows_the_money_with_its_currency(shops, tmp_path):
    import openpyxl

    from persona_desktop.core.results import Analysis
    from persona_desktop.core.export.workbook import write_owner_workbook

    shop, inspection, analysis = shops["cp1252_semicolon"]
    whole = Analysis(shop.path, inspection)
    whole.segments = analysis
    path = write_owner_workbook(tmp_path / "book.xlsx", whole, "en")
    rows = list(openpyxl.load_workbook(path)["Personas"].iter_rows(values_only=True))
    spend = [r[1] for r in rows if r[0] == "Average spend (€)"]
    order = [r[1] for r in rows if r[0] == "Average order value (€)"]
    assert spend == [pytest.approx(p.money["avg_spend"]) for p in analysis.personas]
    assert order == [pytest.approx(p.money["avg_order_value"]) for p in analysis.personas]


def test_a_high_spending_name_never_sits_beside_spends_less(shops):
    """The name claims spend by the median; the trait said "spends 24% less than the average customer"
    (the mean, pulled up by the top customers) on a simulated Shopify shop's regulars. Now it speaks by
    the median too whenever mean and median disagree."""
    for _, _, analysis in shops.values():
        for p in analysis.personas:
            if any(w in p.name["en"] for w in ("High-spending", "High-value", "Top", "Big spenders")):
                assert not any(t.key == "trait.spend_low" for t in p.traits), (p.name, [t.text("en") for t in p.traits])
