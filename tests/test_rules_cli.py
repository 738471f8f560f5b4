"""``persona-desktop rules``: its JSON, options, workbook, languages, refusals, and the rule charts.

Run in-process through ``persona_desktop.cli.main`` (with ``capsys``), plus
one real subprocess. Files: the groceries basket file (no customers, so no
recommendations) and the bundled Online Retail sample (orders with
customers). Rule counts are checked against mlxtend run here on the raw
groceries file; the workbook is read back with openpyxl. The charts are drawn
with Agg in English and Chinese, watching for matplotlib's missing-glyph
warnings.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from mlxtend.frequent_patterns import apriori as mx_apriori
from mlxtend.frequent_patterns import association_rules as mx_rules

from persona_desktop.cli import main
from persona_desktop.core.rules.baskets import baskets_from_cleaning
from persona_desktop.core.charts import configure_fonts, new_figure
from persona_desktop.core.charts.rules import (
    draw_rule_network,
    draw_rule_scatter,
    draw_top_rules,
)
from persona_desktop.core.rules.itemsets import frequent_itemsets
from persona_desktop.core.paths import sample_path
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.rules.association import RULE_COLUMNS, association_rules

CJK = re.compile(r"[\u4e00-\u9fff]")
DOC_KEYS = {"algorithm", "backend", "transactions", "items", "min_support", "min_confidence", "itemsets",
            "rule_count", "rules"}
RULE_KEYS = {"antecedents", "consequents", "support", "confidence", "lift", "leverage", "conviction"}
SHEET_COLUMNS = ["antecedents", "consequents", "support", "confidence", "lift", "leverage", "conviction"]


@pytest.fixture(scope="module")
def groceries_path(datasets):
    return datasets / "04_groceries" / "groceries.csv"


@pytest.fixture(scope="module")
def groceries_dense(groceries_path) -> pd.DataFrame:
    lines = [{i.strip() for i in line.split(",") if i.strip()}
             for line in groceries_path.read_text(encoding="utf-8").splitlines()]
    items = sorted(set().union(*lines))
    return pd.DataFrame([[i in basket for i in items] for basket in lines], columns=items)


def rules_json(capsys, *args) -> dict:
    code = main(["rules", *map(str, args), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def refused(capsys, *args) -> str:
    code = main(["rules", *map(str, args)])
    captured = capsys.readouterr()
    assert code == 3, (code, captured.err)
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("persona-desktop: "), captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    return lines[0]


def sheets(path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


# ----------------------------------------------------------- JSON
def test_json_document(capsys, groceries_path, tmp_path):
    out = tmp_path / "rules.xlsx"
    doc = rules_json(capsys, groceries_path, "--lang", "en", "--out", out)
    assert DOC_KEYS <= set(doc)
    assert doc["algorithm"] == "auto" and doc["backend"] in ("pyfim", "eclat")
    assert (doc["transactions"], doc["items"]) == (9835, 169)
    assert (doc["min_support"], doc["min_confidence"]) == (0.01, 0.3)
    assert doc["itemsets"] == 333  # mlxtend's count at 1 % (test_itemsets.py)
    assert doc["rule_count"] >= len(doc["rules"]) == 50
    for rule in doc["rules"]:
        assert RULE_KEYS <= set(rule)
        assert rule["antecedents"] == sorted(rule["antecedents"]) and rule["consequents"]
        assert rule["confidence"] >= 0.3 and rule["support"] >= 0.01
        assert rule["sentence"].startswith("Orders with ")
    assert "customers_with_recommendations" not in doc  # a basket file has no customers
    # the strongest rule of each finding first (Groceries' 125 rules at 1 % are 47 findings), as the
    # workbook's first rows; mirrors and the rules of one product family are one finding
    table = sheets(out)["Rules"]
    assert [r["lift"] for r in doc["rules"]] == pytest.approx([row[4] for row in table[1:51]], rel=1e-12)
    n = doc["finding_count"]
    assert 0 < n < doc["rule_count"]
    leads = doc["rules"][:min(n, 50)]
    assert len({r["finding"] for r in leads}) == len(leads)
    assert [r["lift"] for r in leads] == sorted((r["lift"] for r in leads), reverse=True)
    assert len(table) - 1 == doc["rule_count"]


def test_options_are_respected(capsys, groceries_path, groceries_dense):
    doc = rules_json(capsys, groceries_path, "--min-support", "0.02", "--min-confidence", "0.4",
                     "--max-len", "2", "--top", "1000")
    assert (doc["min_support"], doc["min_confidence"]) == (0.02, 0.4)
    # with two items a rule has a one-item antecedent: nothing to prune, so mlxtend's count is ours
    itemsets = mx_apriori(groceries_dense, min_support=0.02, use_colnames=True, max_len=2)
    expected = mx_rules(itemsets, metric="confidence", min_threshold=0.4)
    assert doc["itemsets"] == len(itemsets)
    assert doc["rule_count"] == len(doc["rules"]) == len(expected) > 0
    got = {(tuple(r["antecedents"]), tuple(r["consequents"])) for r in doc["rules"]}
    assert got == {(tuple(sorted(a)), tuple(sorted(c))) for a, c in zip(expected["antecedents"],
                                                                          expected["consequents"])}
    assert all(len(r["antecedents"]) + len(r["consequents"]) == 2 for r in doc["rules"])


def test_support_as_a_count(capsys, groceries_path):
    by_count = rules_json(capsys, groceries_path, "--min-support", "99")
    by_fraction = rules_json(capsys, groceries_path, "--min-support", "0.01")
    assert by_count["min_support"] == pytest.approx(99 / 9835)
    assert by_count["rules"] == by_fraction["rules"] and by_count["itemsets"] == by_fraction["itemsets"]


def test_max_len_three_by_default(capsys, groceries_path):
    default = rules_json(capsys, groceries_path, "--min-support", "0.003", "--top", "100000")
    assert max(len(r["antecedents"]) + len(r["consequents"]) for r in default["rules"]) == 3
    longer = rules_json(capsys, groceries_path, "--min-support", "0.003", "--max-len", "0", "--top", "100000")
    assert max(len(r["antecedents"]) + len(r["consequents"]) for r in longer["rules"]) > 3


@pytest.mark.parametrize("algorithm", ["apriori", "fpgrowth"])
def test_algorithm_option(capsys, groceries_path, algorithm):
    auto = rules_json(capsys, groceries_path, "--top", "1000")
    chosen = rules_json(capsys, groceries_path, "--algorithm", algorithm, "--top", "1000")
    assert chosen["algorithm"] == algorithm
    import importlib.util

    assert auto["backend"] == "eclat"  # the default: ours, cancellable and bounded
    assert chosen["backend"] == ("pyfim" if importlib.util.find_spec("fim") else "mlxtend")
    assert chosen["rule_count"] == auto["rule_count"] and chosen["itemsets"] == auto["itemsets"]
    key = lambda doc: sorted(json.dumps(r, sort_keys=True) for r in doc["rules"])
    assert key(chosen) == key(auto)


def test_text_output(capsys, groceries_path):
    assert main(["rules", str(groceries_path), "--lang", "en", "--top", "3"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert re.fullmatch(r"[\d,]+ rules from 9,835 baskets of 169 items \(333 frequent itemsets, \w+\)", first)
    assert out.count("  • Orders with ") == 3


# ----------------------------------------------------------- workbook
def test_rules_sheet_of_a_basket_file(capsys, groceries_path, tmp_path):
    out = tmp_path / "groceries_rules.xlsx"
    doc = rules_json(capsys, groceries_path, "--out", out, "--lang", "en", "--top", "100000")
    assert doc["out"] == str(out)
    book = sheets(out)
    assert list(book) == ["Rules"]  # no customers: no recommendations
    header, body = book["Rules"][0], book["Rules"][1:]
    assert list(header[:7]) == SHEET_COLUMNS
    assert len(body) == doc["rule_count"]
    in_json = {(", ".join(r["antecedents"]), ", ".join(r["consequents"])): r for r in doc["rules"]}
    assert len(in_json) == len(body)
    for row in body:
        r = in_json[(row[0], row[1])]
        assert list(row[2:7]) == pytest.approx([r["support"], r["confidence"], r["lift"], r["leverage"],
                                                r["conviction"]], rel=1e-12)
    assert ("other vegetables, yogurt", "whole milk") in in_json  # items sorted, comma-separated


def test_recommendations_sheet_for_order_data(capsys, tmp_path):
    out = tmp_path / "sample_rules.xlsx"
    doc = rules_json(capsys, sample_path(), "--out", out, "--lang", "en")
    assert doc["customers_with_recommendations"] > 100
    book = sheets(out)
    assert list(book) == ["Rules", "Recommendations"]
    header, body = book["Recommendations"][0], book["Recommendations"][1:]
    assert list(header) == ["customer", "rank", "product", "confidence", "lift", "because they bought"]
    assert len({row[0] for row in body}) == doc["customers_with_recommendations"]
    assert {row[1] for row in body} <= {1, 2, 3}
    assert all(isinstance(row[0], str) and not row[0].endswith(".0") for row in body)  # ids as the file has them
    assert len(book["Rules"]) - 1 == doc["rule_count"]


def test_chinese_sheets_and_sentences(capsys, tmp_path):
    out = tmp_path / "规则.xlsx"
    doc = rules_json(capsys, sample_path(), "--out", out, "--lang", "zh")
    assert all(r["sentence"].startswith("含有“") and "的订单中" in r["sentence"] for r in doc["rules"])
    book = sheets(out)
    assert list(book) == ["关联规则", "推荐"]
    header = book["关联规则"][0]
    assert list(header[:7]) == SHEET_COLUMNS and header[-1] == "说明"
    assert all(row[-1].startswith("含有") for row in book["关联规则"][1:])
    assert list(book["推荐"][0]) == ["客户", "排名", "推荐商品", "confidence", "lift", "依据（已购买）"]
    assert main(["rules", str(sample_path()), "--lang", "zh", "--top", "2"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("从 ") and "条规则" in text and "已为" in text


# ----------------------------------------------------------- by segment
@pytest.fixture(scope="module")
def by_segment(tmp_path_factory):
    """The sample's rules with --by-segment, in-process (capsys is function-scoped: redirect by hand)."""
    import contextlib

    out = tmp_path_factory.mktemp("seg") / "by_segment.xlsx"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["rules", str(sample_path()), "--by-segment", "--json", "--out", str(out), "--lang", "en"])
    assert code == 0
    return json.loads(buffer.getvalue()), sheets(out)


def test_by_segment_adds_rules_per_segment(by_segment):
    doc, book = by_segment
    assert len(doc["segments"]) >= 2
    for segment in doc["segments"]:
        assert segment["segment"] and 1 <= len(segment["rules"]) <= 10
        for r in segment["rules"]:
            assert RULE_KEYS | {"special", "lift_vs_all"} <= set(r)
            assert r["special"] > 0
    assert list(book) == ["Rules", "Recommendations", "Rules by segment"]
    header, body = book["Rules by segment"][0], book["Rules by segment"][1:]
    assert header[0] == "segment" and {"confidence_all", "lift_vs_all", "special"} <= set(header)
    assert {row[0] for row in body} == {s["segment"] for s in doc["segments"]}


def test_without_by_segment_no_segments(capsys):
    doc = rules_json(capsys, sample_path())
    assert "segments" not in doc


def test_by_segment_names_follow_lang(capsys):
    doc = rules_json(capsys, sample_path(), "--by-segment", "--lang", "zh")
    assert doc["segments"]
    assert all(r["sentence"].startswith("含有") for s in doc["segments"] for r in s["rules"])
    assert all(CJK.search(s["segment"]) for s in doc["segments"]), [s["segment"] for s in doc["segments"]]


# ----------------------------------------------------------- refusals
def test_no_product_column(capsys, datasets):
    line = refused(capsys, datasets / "03_mall_customers" / "Mall_Customers.csv", "--from", "orders", "--lang", "en")
    assert "Mall_Customers.csv has no product column" in line
    line = refused(capsys, datasets / "03_mall_customers" / "Mall_Customers.csv", "--from", "orders", "--lang", "zh")
    assert "Mall_Customers.csv" in line and "商品" in line


def test_customer_file_gives_attribute_rules(capsys, datasets, tmp_path):
    """Without --from, a customer file's baskets are its customers' attributes (documented default)."""
    out = tmp_path / "mall_rules.xlsx"
    doc = rules_json(capsys, datasets / "03_mall_customers" / "Mall_Customers.csv", "--lang", "en", "--out", out)
    assert doc["transactions"] == 200 and doc["rule_count"] > 0
    assert all(r["sentence"].startswith("Customers with ") for r in doc["rules"])
    book = sheets(out)
    assert list(book) == ["Rules"]  # attributes: no recommendations
    rows = book["Rules"][1:]
    assert all(row[6] is None for row in rows if row[3] == 1)
    assert all(isinstance(row[6], float) for row in rows if row[3] < 1)


def test_a_rule_that_always_holds_has_no_conviction(capsys, tmp_path):
    """Conviction is infinite for a rule that always holds: null in JSON, an empty cell in the sheet.

    (Mall's certain rules were all three-attribute ones whose extra attribute adds nothing, such as
    "older + high income → low spending score": no longer listed, so a made-up customer file has one.)
    """
    rng = np.random.default_rng(0)
    n = 90
    tier = np.where(np.arange(n) < 30, "gold", np.where(np.arange(n) < 60, "silver", "bronze"))
    region = np.where(tier == "gold", "north", rng.choice(["north", "south", "west"], n))
    path = tmp_path / "members.csv"
    pd.DataFrame({"customer_id": [f"M{i}" for i in range(n)], "tier": tier, "region": region,
                  "gender": rng.choice(["F", "M"], n)}).to_csv(path, index=False)
    out = tmp_path / "member_rules.xlsx"
    doc = rules_json(capsys, path, "--lang", "en", "--out", out, "--min-confidence", "0.5")
    certain = [r for r in doc["rules"] if r["confidence"] == 1.0]
    assert any(r["antecedents"] == ["tier=gold"] and r["consequents"] == ["region=north"] for r in certain)
    assert all(r["conviction"] is None for r in certain)
    rows = sheets(out)["Rules"][1:]
    assert any(row[3] == 1 for row in rows)
    assert all(row[6] is None for row in rows if row[3] == 1)
    assert all(isinstance(row[6], (int, float)) for row in rows if row[3] < 1)  # 2.0 reads back as 2


def test_contains_option(capsys, groceries_path):
    everything = rules_json(capsys, groceries_path, "--top", "1000")
    only = rules_json(capsys, groceries_path, "--contains", "Whole Milk, yogurt", "--top", "1000")
    expected = [r for r in everything["rules"]
                if {"whole milk", "yogurt"} & set(r["antecedents"] + r["consequents"])]
    assert only["rule_count"] == len(only["rules"]) == len(expected) > 0
    # the same rules (their finding numbers are counted again among the rules kept)
    def same(rules):
        return sorted(json.dumps({k: v for k, v in r.items() if k != "finding"}, sort_keys=True) for r in rules)

    assert same(only["rules"]) == same(expected)


def test_one_basket(capsys, tmp_path):
    path = tmp_path / "one_order.csv"
    pd.DataFrame({
        "InvoiceNo": ["536365"] * 3, "StockCode": ["85123A", "71053", "84406B"],
        "Description": ["WHITE HANGING HEART T-LIGHT HOLDER", "WHITE METAL LANTERN", "CREAM CUPID HEARTS COAT HANGER"],
        "Quantity": [6, 6, 8], "InvoiceDate": ["2010-12-01 08:26"] * 3, "UnitPrice": [2.55, 3.39, 2.75],
        "CustomerID": ["17850"] * 3, "Country": ["United Kingdom"] * 3,
    }).to_csv(path, index=False)
    line = refused(capsys, path, "--lang", "en")
    assert line == "persona-desktop: Finding what is bought together needs at least 2 baskets; there is 1"
    assert "2 个购物篮" in refused(capsys, path, "--lang", "zh")


def test_support_so_low_it_would_explode(capsys, tmp_path):
    """Eight baskets of 1,500–1,850 of 2,000 items: two million pairs are in two baskets."""
    rng = np.random.default_rng(0)
    path = tmp_path / "huge_baskets.csv"
    path.write_text("\n".join(",".join(f"item {j:04d}" for j in rng.permutation(2000)[:1500 + 50 * k])
                              for k in range(8)) + "\n", encoding="utf-8")
    line = refused(capsys, path, "--min-support", "2", "--lang", "en")
    assert "At a minimum support of 2 the result would hold more than 200,000 itemsets" in line
    assert "pairs of items alone are frequent" in line
    assert "try a minimum support of" in line or "maximum itemset length" in line


@pytest.mark.slow
def test_support_so_low_on_online_retail(capsys, datasets, monkeypatch):
    from persona_desktop.core.rules import itemsets

    mined = []  # the counts Eclat ran at: only the higher ones tried for the advice, never 2
    eclat = itemsets._eclat
    monkeypatch.setattr(itemsets, "_eclat", lambda matrix, count, *a: mined.append(count) or eclat(matrix, count, *a))
    line = refused(capsys, datasets / "01_online_retail" / "online_retail.csv", "--min-support", "2", "--lang", "en")
    assert min(mined) > 2, mined
    assert "2,768,672 pairs of items alone are frequent" in line
    assert re.search(r"try a minimum support of 0\.00\d+ or more", line)


# ----------------------------------------------------------- subprocess
def test_real_subprocess(capsys, groceries_path):
    env = dict(os.environ, PERSONA_LANG="en")
    result = subprocess.run([sys.executable, "-m", "persona_desktop", "rules", str(groceries_path), "--json"],
                            capture_output=True, text=True, encoding="utf-8", env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc == rules_json(capsys, groceries_path, "--lang", "en")


# ----------------------------------------------------------- charts
@pytest.fixture(scope="module")
def groceries_rules(groceries_path):
    ins = inspect_file(groceries_path)
    baskets = baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles)
    return association_rules(frequent_itemsets(baskets, 0.01), min_confidence=0.3)


def render(fig) -> None:
    FigureCanvasAgg(fig).draw()
    png = io.BytesIO()
    fig.savefig(png, format="png")
    assert png.getvalue().startswith(b"\x89PNG")


def all_text(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text") and hasattr(o, "get_position")))


DRAW = {"scatter": draw_rule_scatter, "top": draw_top_rules, "network": draw_rule_network}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_charts_render_without_missing_glyphs(groceries_rules, lang, caplog):
    configure_fonts()
    caplog.set_level(logging.WARNING, logger="matplotlib.font_manager")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = {}
        for name, draw in DRAW.items():
            fig = new_figure(9, 6)
            draw(fig, groceries_rules, lang=lang)
            render(fig)
            figures[name] = fig
    bad = [str(w.message) for w in caught if "missing from font" in str(w.message) or "findfont" in str(w.message)]
    assert bad == []
    assert not [r for r in caplog.records if "findfont" in r.getMessage() or "missing" in r.getMessage()]
    titles = [f.axes[0].get_title() for f in figures.values()]
    assert all(CJK.search(t) for t in titles) if lang == "zh" else not any(CJK.search(t) for t in titles)
    # what the charts show: one point per rule; one bar per set of items, at most 15
    assert len(figures["scatter"].axes[0].collections[0].get_offsets()) == len(groceries_rules)
    sets = {a | c for a, c in zip(groceries_rules["antecedents"], groceries_rules["consequents"])}
    assert len(figures["top"].axes[0].patches) == min(15, len(sets))
    assert "whole milk" in all_text(figures["network"])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("empty", [pd.DataFrame(columns=RULE_COLUMNS), pd.DataFrame()])
def test_charts_of_no_rules_say_so(lang, empty):
    configure_fonts()
    note = "No rules to show" if lang == "en" else "没有可显示的规则"
    for draw in DRAW.values():
        fig = new_figure()
        draw(fig, empty, lang=lang)
        render(fig)
        assert note in all_text(fig)
