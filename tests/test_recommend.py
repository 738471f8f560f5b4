"""Recommendations per customer and rules special to a segment.

A made-up shop where the right answer is plain to see, then Online Retail
(slow): every recommendation is checked against the customer's purchases in
the raw CSV and against the rules they trigger, worked out here with Python
sets; the per-segment figures are recounted from the raw orders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.rules.baskets import baskets_from_lines
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.rules.recommend import (
    RECOMMENDATION_COLUMNS,
    recommend,
    rules_by_segment,
)
from persona_desktop.core.rules.run import find_rules
from persona_desktop.core.rules.association import RULE_COLUMNS

FEE_CODES = {"POST", "DOT", "M", "D", "S", "C2", "CRUK", "B", "BANK CHARGES", "AMAZONFEE"}


def made_up_rules(rows: list[tuple[set, set, float, float]]) -> pd.DataFrame:
    """A rules frame from (antecedent, consequent, confidence, lift)."""
    frame = pd.DataFrame({
        "antecedents": [frozenset(a) for a, _, _, _ in rows],
        "consequents": [frozenset(c) for _, c, _, _ in rows],
        "confidence": [conf for _, _, conf, _ in rows],
        "lift": [lift for _, _, _, lift in rows],
    })
    for column in RULE_COLUMNS:
        if column not in frame:
            frame[column] = 0.1
    return frame[RULE_COLUMNS]


def shop():
    """Orders: ann bought A and D (two orders), bob A+B, cat E, dan A, D and F; a guest bought A."""
    orders = [("o1", "ann", "A"), ("o2", "ann", "D"),
              ("o3", "bob", "A"), ("o3", "bob", "B"),
              ("o4", "cat", "E"),
              ("o5", "dan", "A"), ("o5", "dan", "D"), ("o6", "dan", "F"),
              ("o7", None, "A")]
    lines = pd.DataFrame(orders, columns=["order", "customer", "product"])
    # G is sold to nobody above but must be an item of the baskets to be recommended
    lines = pd.concat([lines, pd.DataFrame([("o8", "eve", "G"), ("o8", "eve", "C")],
                                           columns=["order", "customer", "product"])], ignore_index=True)
    return baskets_from_lines(lines, "order", "product", "customer")


SHOP_RULES = [({"A"}, {"B"}, 0.8, 2.0), ({"A"}, {"C"}, 0.6, 1.5), ({"D"}, {"B"}, 0.9, 2.5),
              ({"A", "F"}, {"C"}, 0.95, 3.0), ({"F"}, {"G"}, 0.7, 4.0), ({"F"}, {"E"}, 0.65, 1.2),
              ({"A"}, {"B", "C"}, 0.99, 9.0)]  # two products at once: not a recommendation


def by_customer(recs: pd.DataFrame) -> dict[str, list[tuple]]:
    return {c: [(int(r), p, round(float(conf), 6), frozenset(b)) for r, p, conf, b in
                zip(g["rank"], g["product"], g["confidence"], g["because"])]
            for c, g in recs.groupby("customer", sort=True)}


def test_made_up_shop():
    recs = recommend(shop(), made_up_rules(SHOP_RULES))
    assert list(recs.columns) == RECOMMENDATION_COLUMNS
    got = by_customer(recs)
    assert got["ann"] == [(1, "B", 0.9, frozenset({"D"})), (2, "C", 0.6, frozenset({"A"}))]
    assert got["bob"] == [(1, "C", 0.6, frozenset({"A"}))]  # not B: he has it
    # dan triggers C, B, G and E: the best three, C because of {A, F} (both bought, in two orders)
    assert got["dan"] == [(1, "C", 0.95, frozenset({"A", "F"})), (2, "B", 0.9, frozenset({"D"})),
                          (3, "G", 0.7, frozenset({"F"}))]
    assert set(got) == {"ann", "bob", "dan"}  # cat and eve trigger nothing; the guest is nobody
    assert recs.loc[recs["customer"] == "ann", "lift"].tolist() == [2.5, 1.5]


def test_made_up_shop_never_recommends_what_was_bought():
    baskets = shop()
    recs = recommend(baskets, made_up_rules(SHOP_RULES))
    bought = {}
    for customer, items in zip(baskets.customers, baskets.as_lists()):
        bought.setdefault(customer, set()).update(items)
    assert all(p not in bought[c] for c, p in zip(recs["customer"], recs["product"]))


@pytest.mark.parametrize("top_n", [1, 2, 3])
def test_top_n_and_chunks(top_n):
    full = recommend(shop(), made_up_rules(SHOP_RULES), top_n=top_n)
    assert full.groupby("customer").size().max() == top_n
    one_at_a_time = recommend(shop(), made_up_rules(SHOP_RULES), top_n=top_n, chunk=1)
    pd.testing.assert_frame_equal(full.reset_index(drop=True), one_at_a_time.reset_index(drop=True))


def test_ties_in_confidence_give_the_higher_lift_as_reason():
    rules = made_up_rules([({"A"}, {"C"}, 0.6, 1.5), ({"D"}, {"C"}, 0.6, 3.0)])
    got = by_customer(recommend(shop(), rules))
    assert got["ann"] == [(1, "C", 0.6, frozenset({"D"}))]


def test_nothing_to_recommend():
    baskets = shop()
    assert recommend(baskets, made_up_rules([])).empty
    assert recommend(baskets, made_up_rules([({"A"}, {"B", "C"}, 0.99, 9.0)])).empty
    no_customers = baskets_from_lines(pd.DataFrame({"order": [1, 1], "product": ["A", "B"]}), "order", "product")
    assert recommend(no_customers, made_up_rules(SHOP_RULES[:1])).empty
    assert list(recommend(no_customers, made_up_rules(SHOP_RULES[:1])).columns) == RECOMMENDATION_COLUMNS


# ----------------------------------------------------------- rules by segment, made up
def segment_shop(big: int, small: int):
    """Two segments: 'tea' customers (big orders) and 'soap' customers (small); nothing in every basket."""
    rows = []
    for i in range(big):
        items = ["tea", "cake"] if i % 4 else ["coffee", "jam"]
        items += ["milk"] if i % 3 == 0 else []
        rows += [(f"t{i}", f"tea{i % 5}", item) for item in items]
    for i in range(small):
        items = ["soap", "towel"] if i % 3 else ["sponge", "brush"]
        rows += [(f"s{i}", f"soap{i % 3}", item) for item in items]
    lines = pd.DataFrame(rows, columns=["order", "customer", "product"])
    baskets = baskets_from_lines(lines, "order", "product", "customer")
    segment_of = {f"tea{i}": 0 for i in range(5)} | {f"soap{i}": 1 for i in range(3)} | {"nobody": 2}
    return baskets, segment_of, {0: "tea people", 1: "soap people", 2: "no orders"}


@pytest.mark.parametrize(("small", "kept"), [(9, {"tea people"}), (10, {"tea people", "soap people"})])
def test_segments_with_too_few_baskets_are_skipped(small, kept):
    baskets, segment_of, names = segment_shop(40, small)
    got = rules_by_segment(baskets, segment_of, names, min_support=0.1, min_confidence=0.3)
    assert set(got["segment_name"]) == kept
    assert {"segment", "segment_name", "confidence_all", "lift_vs_all", "special"} <= set(got.columns)


def test_segment_figures_on_the_made_up_shop():
    baskets, segment_of, names = segment_shop(40, 12)
    got = rules_by_segment(baskets, segment_of, names, min_support=0.1, min_confidence=0.3)
    sets = [set(b) for b in baskets.as_lists()]
    segment = [segment_of[c] for c in baskets.customers]
    for _, r in got.iterrows():
        a, c = set(r["antecedents"]), set(r["consequents"])
        mine = [s for s, g in zip(sets, segment) if g == r["segment"]]
        conf = sum(a | c <= s for s in mine) / sum(a <= s for s in mine)
        conf_all = sum(a | c <= s for s in sets) / sum(a <= s for s in sets)
        assert r["confidence"] == pytest.approx(conf)
        assert r["confidence_all"] == pytest.approx(conf_all)
        assert r["special"] == pytest.approx(conf / conf_all)
        assert r["lift_vs_all"] == pytest.approx(conf / (sum(c <= s for s in sets) / len(sets)))


def test_segment_where_everyone_buys_the_same_product():
    pytest.importorskip("fim")
    rows = []
    for i in range(20):
        items = ["tea", "cake"] + (["jam"] if i % 2 else []) + (["milk"] if i % 3 == 0 else [])
        rows += [(f"t{i}", f"tea{i % 5}", item) for item in items]
    baskets = baskets_from_lines(pd.DataFrame(rows, columns=["order", "customer", "product"]),
                                 "order", "product", "customer")
    got = rules_by_segment(baskets, {f"tea{i}": 0 for i in range(5)}, {0: "tea people"}, min_support=0.1)
    assert not got.empty


# ----------------------------------------------------------- Online Retail
@pytest.fixture(scope="module")
def retail(datasets):
    path = datasets / "01_online_retail" / "online_retail.csv"
    inspection = inspect_file(path)
    analysis = find_rules(inspection, min_support=0.01)
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
    raw["customer"] = raw["CustomerID"].str.removesuffix(".0")
    raw["item"] = raw["Description"].str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()
    return analysis, raw


@pytest.fixture(scope="module")
def sales(retail) -> pd.DataFrame:
    _, raw = retail
    lines = raw.drop_duplicates(subset=["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                                        "UnitPrice", "CustomerID", "Country"])
    return lines[~lines["InvoiceNo"].str.startswith("C") & (lines["Quantity"] > 0) & (lines["UnitPrice"] > 0)
                 & ~lines["StockCode"].str.strip().str.upper().isin(FEE_CODES) & lines["item"].notna()]


@pytest.mark.slow
def test_retail_never_recommends_a_product_the_customer_bought(retail):
    analysis, raw = retail
    recs = analysis.recommendations
    assert len(recs) > 5000 and recs["customer"].nunique() > 2000
    # anything they ever took home (any line with a positive quantity), straight from the CSV
    bought = raw[raw["customer"].notna() & (raw["Quantity"] > 0)].groupby("customer")["item"].agg(set)
    assert set(recs["customer"]) <= set(bought.index)
    clashes = [(c, p) for c, p in zip(recs["customer"], recs["product"]) if p.casefold() in bought[c]]
    assert clashes == []


@pytest.mark.slow
def test_retail_ranks_and_confidences(retail):
    recs = retail[0].recommendations
    sizes = recs.groupby("customer").size()
    assert sizes.max() == 3 and sizes.min() >= 1
    for customer, g in recs.groupby("customer"):
        assert g["rank"].tolist() == list(range(1, len(g) + 1)), customer
        assert g["confidence"].is_monotonic_decreasing, customer
        assert g["product"].is_unique, customer


@pytest.mark.slow
def test_retail_recommendations_follow_the_rules_customers_trigger(retail, sales):
    analysis, _ = retail
    recs, rules = analysis.recommendations, analysis.rules
    single = rules[rules["consequents"].map(len) == 1]
    antecedents = [frozenset(i.casefold() for i in a) for a in single["antecedents"]]
    consequents = [next(iter(c)).casefold() for c in single["consequents"]]
    confidence = single["confidence"].to_numpy()
    bought = sales[sales["customer"].notna()].groupby("customer")["item"].agg(set)
    # each customer's best confidence per product they have not bought, from the rules they trigger
    expected = {}
    for customer, items in bought.items():
        best = {}
        for a, c, conf in zip(antecedents, consequents, confidence):
            if c not in items and a <= items:
                best[c] = max(best.get(c, 0.0), conf)
        if best:
            expected[customer] = best
    assert set(recs["customer"]) == set(expected)
    for customer, g in recs.groupby("customer"):
        best = expected[customer]
        assert len(g) == min(3, len(best)), customer
        top = sorted(best.values(), reverse=True)[:len(g)]
        np.testing.assert_allclose(g["confidence"].to_numpy(), top, rtol=1e-12, err_msg=customer)
        for product, conf, because in zip(g["product"], g["confidence"], g["because"]):
            assert best[product.casefold()] == pytest.approx(conf)
            assert {i.casefold() for i in because} <= bought[customer]


@pytest.fixture(scope="module")
def retail_by_country(retail, sales):
    """Rules per country group (UK, Germany, France, EIRE, the rest) as made-up segments."""
    analysis, _ = retail
    groups = {"United Kingdom": 0, "Germany": 1, "France": 2, "EIRE": 3}
    country = sales.dropna(subset=["customer"]).groupby("customer")["Country"].first()
    segment_of = {c: groups.get(k, 4) for c, k in country.items()}
    names = {0: "UK", 1: "Germany", 2: "France", 3: "Ireland", 4: "elsewhere"}
    return rules_by_segment(analysis.baskets, segment_of, names), segment_of


@pytest.mark.slow
def test_retail_special_is_segment_confidence_over_overall_confidence(retail_by_country, sales):
    got, segment_of = retail_by_country
    assert set(got["segment_name"]) >= {"UK", "Germany", "France"}
    orders = sales.groupby("InvoiceNo").agg(items=("item", set), customer=("customer", "first"))
    orders["segment"] = orders["customer"].map(segment_of)
    checked = 0
    for name, group in got.groupby("segment_name"):
        for _, r in group.head(3).iterrows():  # a few rules of each segment
            a = {i.casefold() for i in r["antecedents"]}
            ac = a | {i.casefold() for i in r["consequents"]}
            mine = orders.loc[orders["segment"] == r["segment"], "items"]
            conf = sum(ac <= s for s in mine) / sum(a <= s for s in mine)
            conf_all = sum(ac <= s for s in orders["items"]) / sum(a <= s for s in orders["items"])
            assert r["confidence"] == pytest.approx(conf, rel=1e-12), (name, r["antecedents"])
            assert r["confidence_all"] == pytest.approx(conf_all, rel=1e-12)
            assert r["special"] == pytest.approx(conf / conf_all, rel=1e-12)
            checked += 1
    assert checked >= 9
    for _, group in got.groupby("segment_name"):
        assert len(group) <= 20
        assert group["special"].is_monotonic_decreasing
