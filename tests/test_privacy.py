"""Exports without personal data: on the real Shopify export (e-mail as the customer key, names, phones)
and the Chinese meal orders (phone as the key, Chinese names), no name, phone or e-mail of the file
survives in any cell of the workbook or in the CSV when masking or codes are chosen."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from persona_desktop.core.results import Analysis

from persona_desktop.core.workflow import add_rules, add_segments
from persona_desktop.core.export.bundle import ExportChoice, export_results
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.export.privacy import Privacy, installation_key, personal_columns, protect

KEY = bytes(range(32))


def test_masks_keep_a_hint_and_hide_the_rest():
    p = Privacy("mask")
    assert protect(pd.Series(["张三丰", "John Smith"]), "name", p).tolist() == ["张**", "J*** S****"]
    assert protect(pd.Series(["alice.w@example.com"]), "email", p).tolist() == ["a******@example.com"]
    assert protect(pd.Series(["+86 138 0000 1234"]), "phone", p).tolist() == ["+** *** **** 1234"]
    assert protect(pd.Series([None, "Al"]), "name", p).isna().tolist() == [True, False]


def test_codes_are_the_same_for_the_same_person_and_need_the_key():
    p = Privacy("code", KEY)
    a = protect(pd.Series(["Alice@Example.com ", "alice@example.com", "bob@example.com"]), "email", p).tolist()
    assert a[0] == a[1] != a[2] and a[0].startswith("E-") and len(a[0]) == 12
    phones = protect(pd.Series(["+86 138-0000-1234", "+8613800001234"]), "phone", p).tolist()
    assert phones[0] == phones[1]
    other = protect(pd.Series(["alice@example.com"]), "email", Privacy("code", bytes(32))).tolist()
    assert other[0] != a[0]  # another computer's key: another code
    with pytest.raises(ValueError):
        Privacy("code", b"")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_a_masked_name_shows_only_the_first_character_of_each_word(name):
    masked = protect(pd.Series([name]), "name", Privacy("mask"))[0]
    words = name.split()
    assert masked.split() == [w[0] + "*" * (len(w) - 1) for w in words]


def test_the_installation_key_is_made_once_in_the_settings_folder(tmp_path):
    key = installation_key(tmp_path)
    assert len(key) == 32 and (tmp_path / "privacy.key").exists()
    assert installation_key(tmp_path) == key
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def _cells(path: Path) -> str:
    book = load_workbook(path, read_only=True)
    text = "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)
    book.close()
    return text


def _personal_values(analysis) -> set[str]:
    c = analysis.inspection.customers
    found = set()
    for column in personal_columns(c.data, c.roles, c.key):
        found |= {str(v) for v in c.data[column].dropna()}
    return {v for v in found if len(v) >= 4}


@pytest.fixture(scope="module")
def shopify(datasets):
    analysis = Analysis(datasets / "09_shopify_export" / "orders_export.csv",
                        inspect_file(datasets / "09_shopify_export" / "orders_export.csv"))
    add_segments(analysis, lang="en")
    add_rules(analysis, lang="en", min_support=0.02)
    return analysis


@pytest.mark.parametrize("mode", ["mask", "code"])
def test_no_personal_value_of_the_shopify_export_survives_in_workbook_or_csv(shopify, tmp_path, mode, monkeypatch):
    monkeypatch.setenv("PERSONA_CONFIG_DIR", str(tmp_path / "config"))
    personal = _personal_values(shopify)
    # its 3 customers' e-mails (the key), billing and shipping names, phones
    assert len(personal) >= 9 and sum("@" in v for v in personal) == len(shopify.inspection.customers.data)
    written = export_results(shopify, ExportChoice(str(tmp_path), "shop", charts=False, report=False,
                                                   lang="en", privacy=mode))
    workbook = _cells(tmp_path / "shop.xlsx")
    table = (tmp_path / "shop_customers.csv").read_text("utf-8-sig")
    leaked = sorted(v for v in personal if v in workbook or v in table)
    assert not leaked, leaked[:5]
    assert len(written) == 2
    rows = list(csv.reader(table.splitlines()))
    assert len(rows) - 1 == len(shopify.inspection.customers.data)  # every customer still listed
    if mode == "code":
        emails = [r[0] for r in rows[1:]]
        assert len(set(emails)) == len(emails) and all(e.startswith("E-") for e in emails)


def test_keeping_personal_data_is_the_default_and_keeps_it(shopify, tmp_path):
    export_results(shopify, ExportChoice(str(tmp_path), "shop", charts=False, report=False, lang="en"))
    table = (tmp_path / "shop_customers.csv").read_text("utf-8-sig")
    assert "@example.com" in table


def test_chinese_names_and_phone_keys_are_masked(datasets, tmp_path):
    path = datasets / "07_chinese" / "meal_order_info.csv"
    analysis = Analysis(path, inspect_file(path))
    personal = _personal_values(analysis)
    export_results(analysis, ExportChoice(str(tmp_path), "meals", charts=False, report=False, lang="zh",
                                          privacy="mask"))
    text = _cells(tmp_path / "meals.xlsx") + (tmp_path / "meals_customers.csv").read_text("utf-8-sig")
    assert not [v for v in personal if v in text]
    assert "**" in text


def test_the_command_line_masks_too(tmp_path, datasets):
    out = tmp_path / "meals.xlsx"
    proc = subprocess.run([sys.executable, "-m", "persona_desktop", "analyze",
                           str(datasets / "07_chinese" / "meal_order_info.csv"), "--out", str(out),
                           "--personal", "mask"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-800:]
    assert "18688880001" not in _cells(out)


@pytest.mark.gui
def test_the_export_screen_offers_the_choice_in_both_languages(qtbot):
    from persona_desktop.gui.export_panel import ExportPanel
    from persona_desktop.gui.i18n import set_language

    panel = ExportPanel()
    qtbot.addWidget(panel)
    assert panel.choice().privacy == "keep"
    panel.privacy_box.setCurrentIndex(panel.privacy_box.findData("code"))
    assert panel.choice().privacy == "code"
    try:
        set_language("zh")
        assert panel.privacy_label.text() == "姓名、电话、邮箱：" and "打码" in panel.privacy_box.itemText(1)
    finally:
        set_language("en")
    assert panel.privacy_box.itemText(0) == "as they are"
