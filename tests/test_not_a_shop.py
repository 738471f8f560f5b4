"""Issue 26, point 7: tables that are not shops — a bank's call list.

Planted (tests/shopsim_write.py, ``write_call_list``): a rate with one value per
month, ``pdays`` = 999 for the 85 % never contacted, the call's duration
(known only after the outcome), years at this address in whole numbers
(地址), and an outcome that follows the balance. The segments must not rest on
the month's rate or on 999, the cards give no shop advice (nothing was
bought), the address years are a number, and the outcome is predicted without
the duration, better than guessing.
"""

from __future__ import annotations

import json

import pytest

import shopsim_write
from persona_desktop.cli import main
from persona_desktop.core.segments.run import segment_inspection
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.schema import Role


@pytest.fixture(scope="module", params=["en", "zh"])
def call_list(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("calls") / f"calls_{request.param}.csv"
    truth = shopsim_write.write_call_list(path, 1, request.param)
    return path, truth, request.param


def test_the_months_rate_is_the_period_not_the_customer(call_list):
    path, truth, lang = call_list
    inspection = inspect_file(path)
    assert inspection.roles[truth["period"]] is Role.IGNORE
    said = [n for n in inspection.role_notes if n.key == "roles.note.period"]
    assert said and said[0].params["column"] == truth["period"] and said[0].params["months"] == 12
    assert inspection.roles[truth["address"]] is not Role.TEXT  # whole numbers under 地址: years, not an address
    assert str(inspection.customers.data[truth["address"]].dtype).startswith("int")


def test_a_code_for_never_is_no_figure(call_list):
    path, truth, lang = call_list
    inspection = inspect_file(path)
    column, code = truth["sentinel"]
    values = inspection.customers.data[column]
    assert not (values == code).any() and 0.8 < values.isna().mean() < 0.9
    said = [w for w in inspection.cleaning.warnings if w.key == "clean.warn.sentinel"]
    assert said and said[0].params["column"] == column and said[0].params["code"] == code


def test_segments_rest_on_the_customer_and_cards_give_no_shop_advice(call_list):
    path, truth, lang = call_list
    analysis = segment_inspection(inspect_file(path), stability_runs=0)
    used = set(analysis.segmentation.features.columns_used)
    assert truth["period"] not in used and truth["sentinel"][0] not in used
    # the call's duration describes the call, known once it is over: not a trait of who was called
    assert truth["after"] not in used
    assert any(truth["after"] in n.text(lang) for n in analysis.segmentation.notes)
    assert all(p.actions == [] for p in analysis.personas)
    text = " ".join(t.text(lang) for p in analysis.personas for t in p.traits)
    assert "962" not in text and "999" not in text


def test_the_outcome_is_predicted_without_the_duration(call_list, capsys):
    path, truth, lang = call_list
    assert main(["predict", str(path), "--target", truth["target"], "--model", "logistic", "--json",
                 "--lang", lang]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert truth["after"] not in [f["feature"] for f in doc["feature_importance"]]
    assert doc["beats_baseline"] is True
    assert any(truth["after"] in n and "--include" in n for n in doc["notes"])
