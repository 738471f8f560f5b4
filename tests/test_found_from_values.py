"""Issue 26, points 3 and 9: products and customers found from the values; --role; progress on stderr.

A restaurant's order lines (``order_id, dishes_name, counts, amounts,
place_order_time, emp_id``) name neither their product nor their customer in
a way the header rules know. The values say it: the dish changes within an
order and recurs across orders, the member number is constant within an
order and comes back on other days. Without any customer column the order is
the basket and the planted bundles still come out. What the app cannot tell,
the owner says with ``--role COLUMN=ROLE``.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

import shopsim
from persona_desktop.cli import main
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.schema import Role


@pytest.fixture(scope="module")
def restaurant(tmp_path_factory):
    return shopsim.make_shop("restaurant", 2, tmp_path_factory.mktemp("restaurant"))


@pytest.fixture(scope="module")
def no_customer(tmp_path_factory):
    return shopsim.make_shop("restaurant_no_customer", 2, tmp_path_factory.mktemp("restaurant"))


def test_the_dish_and_the_diner_are_found_from_their_values(restaurant):
    inspection = inspect_file(restaurant.path)
    assert inspection.roles["dishes_name"] is Role.PRODUCT
    assert inspection.roles["emp_id"] is Role.CUSTOMER_ID
    assert inspection.roles["place_order_time"] is Role.ORDER_DATE
    assert inspection.roles["counts"] is Role.QUANTITY
    assert len(inspection.customers.data) == len(restaurant.groups)
    said = {n.key: n for n in inspection.role_notes}
    assert said["roles.note.customer_from_values"].params["column"] == "emp_id"
    assert said["roles.note.product_from_values"].params["column"] == "dishes_name"
    assert "作为客户" in said["roles.note.customer_from_values"].text("zh")


def test_a_guess_the_owner_overrules_is_not_said(restaurant, capsys):
    assert main(["inspect", str(restaurant.path), "--role", "emp_id=ignore", "--json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["customers"] is None
    assert not [w for w in doc["warnings"] if "taken as the customer" in w]
    assert any("taken as the product" in w for w in doc["warnings"])


def test_a_table_number_is_not_taken_for_a_customer(restaurant, tmp_path):
    """Every order passes through one of 30 tables: constant per order, back on other days, but not a person."""
    frame = pd.read_csv(restaurant.path)
    tables = np.random.default_rng(0).integers(1, 31, size=frame["order_id"].max() + 1)
    frame["emp_id"] = tables[frame["order_id"].to_numpy()]
    path = tmp_path / "tables.csv"
    frame.rename(columns={"emp_id": "table"}).to_csv(path, index=False)
    inspection = inspect_file(path)
    assert inspection.customers is None
    assert Role.CUSTOMER_ID not in inspection.roles.values()


def test_without_customers_the_order_is_the_basket_and_the_bundles_come_out(no_customer, tmp_path, capsys):
    out = tmp_path / "restaurant.xlsx"
    assert main(["analyze", str(no_customer.path), "--out", str(out), "--json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    steps = {s["step"]: s for s in doc["steps"]}
    assert "no customers" in steps["segments"]["skipped"]
    assert steps["rules"]["rules"] > 0
    from persona_desktop.core.rules.run import find_rules

    rules = find_rules(inspect_file(no_customer.path), recommend_top=0).rules.sort_values("lift", ascending=False)
    top = [set(r.antecedents) | set(r.consequents) for r in rules.head(8).itertuples()]
    for items in top:
        assert any(items <= set(bundle) for bundle in no_customer.bundles), items


def test_role_names_a_column_the_app_could_not_know(tmp_path, capsys):
    """Headers that say nothing and values that do not settle it: the owner gives the roles."""
    rows = [f"{o},{'ABCDEFGH'[(o * 3 + i) % 8]},{o % 40},2024-0{1 + o % 9}-1{o % 9}" for o in range(300) for i in range(2)]
    path = tmp_path / "x.csv"
    path.write_text("col1,col2,col3,col4\n" + "\n".join(rows) + "\n")
    code = main(["rules", str(path), "--role", "col1=order_id", "--role", "col2=product", "--json", "--lang", "en"])
    assert code == 0, capsys.readouterr().err
    doc = json.loads(capsys.readouterr().out)
    assert doc["transactions"] == 300 and doc["items"] == 8


def test_a_wrong_role_lists_the_valid_ones(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    with pytest.raises(SystemExit) as stop:
        main(["inspect", str(path), "--role", "a=dish", "--lang", "en"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "product" in err and "customer_id" in err and "order_date" in err
    assert main(["inspect", str(path), "--role", "c=product", "--lang", "zh"]) == 3
    assert "没有“c”列" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_long_steps_show_progress_on_stderr_never_in_the_json(restaurant, monkeypatch, capsys):
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["predict", str(restaurant.path), "--churn-days", "60", "--model", "logistic", "--json",
                 "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)  # stdout is the JSON and nothing else
    assert doc["model"] == "logistic"
    shown = terminal.getvalue()
    assert "%]" in shown and "\r" in shown
    assert "Comparing models" in shown or "Fitting" in shown


def test_progress_lines_when_asked_and_silence_when_piped(restaurant, capsys):
    assert main(["segment", str(restaurant.path), "--stability", "0", "--json", "--lang", "zh"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["segment", str(restaurant.path), "--stability", "0", "--json", "--lang", "zh", "--progress"]) == 0
    captured = capsys.readouterr()
    json.loads(captured.out)
    lines = [ln for ln in captured.err.splitlines() if ln]
    assert lines and all(ln.startswith("[") and "%]" in ln for ln in lines)


# ------------------------------------------------------------ rules (issue 26, point 8)
def test_the_first_findings_are_the_planted_bundles_each_once(no_customer):
    """Mirrors and the rules of one family are one finding: the three planted bundles lead, one row each."""
    from persona_desktop.core.rules.run import find_rules

    result = find_rules(inspect_file(no_customer.path), recommend_top=0)
    ordered = result.by_finding()
    first = ordered.head(len(no_customer.bundles))
    bundle_of = {item: n for n, bundle in enumerate(no_customer.bundles) for item in bundle}
    led = [{bundle_of.get(i) for i in set(r.antecedents) | set(r.consequents)} for r in first.itertuples()]
    assert all(len(b) == 1 and None not in b for b in led), led
    assert len({b.pop() for b in led}) == len(no_customer.bundles)
    assert first["finding"].is_unique
    for bundle in no_customer.bundles:  # every rule inside a bundle (mirrors, pairs and the triple) is its finding
        inside = [r.finding for r in ordered.itertuples() if set(r.antecedents) | set(r.consequents) <= set(bundle)]
        assert len(inside) >= 2 and len(set(inside)) == 1, bundle


def test_support_is_lowered_to_find_the_strongest_rules(no_customer, capsys):
    """At 20 % no itemset is frequent: the support comes down until the planted bundles appear, and it is said."""
    assert main(["rules", str(no_customer.path), "--min-support", "0.2", "--json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rule_count"] > 0
    assert any("lowered to" in n for n in doc["notes"])
    bundle_items = {i for b in no_customer.bundles for i in b}
    assert set(doc["rules"][0]["antecedents"] + doc["rules"][0]["consequents"]) <= bundle_items


def test_no_rules_says_why(tmp_path, capsys):
    rows = [f"O{o},P{o % 97}" for o in range(600)]  # one product per order
    path = tmp_path / "singles.csv"
    path.write_text("order_id,product\n" + "\n".join(rows) + "\n")
    assert main(["rules", str(path), "--json", "--lang", "zh"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rule_count"] == 0
    assert any("只含一种商品" in n for n in doc["notes"])
