"""Issue 27, point 5: people in a customer list who never ordered are prospects, not a segment.

Planted (tests/shopsim_write.py, ``write_shopify_customers``): a Shopify customer
export of 1,500 people, about 79 % newsletter sign-ups with 0 orders and 0 spent.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

import shopsim_write
from persona_desktop.cli import main
from persona_desktop.core.segments.run import segment_inspection
from persona_desktop.core.table.understand import inspect_file


@pytest.fixture(scope="module")
def customer_list(tmp_path_factory):
    path = tmp_path_factory.mktemp("list") / "customers_export.csv"
    return path, shopsim_write.write_shopify_customers(path, 1)


def test_prospects_are_listed_apart_and_buyers_segmented(customer_list):
    path, truth = customer_list
    inspection = inspect_file(path)
    customers = inspection.customers
    key = customers.key
    assert set(customers.data[key]) == truth["buyers"]
    assert set(customers.set_aside[key]) == truth["prospects"]
    assert customers.set_aside_kind == "prospects"
    said = [w for w in customers.warnings if w.key == "customers.warn.prospects"]
    assert said and "Total Orders" in said[0].text("en") and "潜在客户" in said[0].text("zh")
    analysis = segment_inspection(inspection, stability_runs=0)
    assert (customers.data["Total Orders"] > 0).all()
    assert len(analysis.labels) == len(truth["buyers"])


@pytest.mark.parametrize("lang,sheet", [("en", "Prospects"), ("zh", "潜在客户")])
def test_the_workbook_has_a_sheet_of_prospects_to_write_to(customer_list, tmp_path, capsys, lang, sheet):
    path, truth = customer_list
    out = tmp_path / f"list_{lang}.xlsx"
    assert main(["analyze", str(path), "--out", str(out), "--json", "--lang", lang]) == 0
    json.loads(capsys.readouterr().out)
    book = openpyxl.load_workbook(out, read_only=True)
    assert sheet in book.sheetnames
    rows = list(book[sheet].iter_rows(values_only=True))
    assert len(rows) - 1 == len(truth["prospects"])
    email = rows[0].index(next(h for h in rows[0] if h and ("mail" in str(h).lower() or "邮箱" in str(h))))
    assert all("@" in str(r[email]) for r in rows[1:])


def test_inspect_json_counts_the_prospects(customer_list, capsys):
    path, truth = customer_list
    assert main(["inspect", str(path), "--json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["prospects"] == len(truth["prospects"]) and doc["customers"] == len(truth["buyers"])
    assert doc["customers_no_purchase"] is None
    assert any("never ordered" in w for w in doc["warnings"])  # said where the other warnings are
