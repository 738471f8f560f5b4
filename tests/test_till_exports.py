"""Issue 27, points 2 and 3: a till's log — day-first dates with the time apart, one line per unit sold.

Planted (tests/shopsim.py, ``bakery_till``): ``Date`` as 30-10-2016 and ``Time``
in its own column, the transaction and the item, no quantity column (two of an
item are two identical lines), no customer, and the simulator's three bundles.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shopsim
from persona_desktop.cli import main
from persona_desktop.core.io import load_table
from persona_desktop.core.io.dates import parse_dates
from persona_desktop.core.table.understand import inspect_file


@pytest.fixture(scope="module")
def till(tmp_path_factory):
    return shopsim.make_shop("bakery_till", 4, tmp_path_factory.mktemp("till"))


def test_day_first_dates_with_their_times(till):
    table = load_table(till.path)
    assert str(table.data["Date"].dtype).startswith("datetime64")
    planted = till.lines.drop_duplicates("order").set_index("order")["date"]
    got = table.data.drop_duplicates("Transaction").set_index("Transaction")["Date"]
    assert (got.sort_index().to_numpy() == planted.sort_index().to_numpy()).all()  # day, month and minute
    keys = [w.key for w in table.warnings]
    assert "read.warn.date_order" in keys and "read.warn.date_time_joined" in keys
    said = next(w for w in table.warnings if w.key == "read.warn.date_order")
    assert "day/month" in said.text("en") and "日/月" in said.text("zh")


def test_every_unit_sold_is_kept(till, capsys):
    """The same item twice in one transaction is two units, never a duplicate removed."""
    inspection = inspect_file(till.path)
    assert inspection.cleaning.kept.sum() == len(pd.read_csv(till.path))
    step = next(s for s in inspection.cleaning.steps if s.key == "duplicates")
    assert step.label.key == "clean.duplicates_units" and step.rows > 0
    assert main(["inspect", str(till.path), "--json", "--lang", "en"]) == 0
    said = json.loads(capsys.readouterr().out)["warnings"]
    assert any("no quantity column" in w for w in said) and any("day/month" in w for w in said)
    assert main(["rules", str(till.path), "--json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["transactions"] == till.lines["order"].nunique()
    bundle_items = {i for b in till.bundles for i in b}
    assert set(doc["rules"][0]["antecedents"] + doc["rules"][0]["consequents"]) <= bundle_items


def test_a_clock_time_is_not_a_customer(till):
    inspection = inspect_file(till.path)
    assert inspection.customers is None
    assert not [n for n in inspection.role_notes if n.key == "roles.note.customer_from_values"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.dates(min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2060-12-31").date()),
                min_size=2, max_size=30), st.sampled_from(["-", "/", "."]))
def test_day_first_dates_read_back_when_a_day_is_above_12(days, sep):
    """Any column of dd-mm-yyyy dates with one day above 12 reads back day-first (the year is never taken for a
    time-zone offset: "30-10-2016" lost its "-2016" before)."""
    days = days + [pd.Timestamp("2016-10-30").date()]
    text = pd.Series([d.strftime(f"%d{sep}%m{sep}%Y") for d in days], dtype="str")
    parsed = parse_dates(text)
    assert parsed is not None and parsed.dayfirst is True
    assert [v.date() for v in parsed.values] == days


def test_offsets_after_a_time_are_still_removed():
    parsed = parse_dates(pd.Series(["2025-05-11 09:55:16 -0400", "2025-05-12 10:00:00 +0800"], dtype="str"))
    assert parsed.had_offset and parsed.values.iloc[0] == pd.Timestamp("2025-05-11 09:55:16")
