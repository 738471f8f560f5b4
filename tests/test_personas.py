"""Persona cards on small made-up customer tables where the right answer is obvious.

Each table is built so that one segment plainly is what its name should say (a
handful of huge spenders, one-time buyers who never came back, customers who
return half of what they buy…). Ratios, shares and churn are recomputed here
with pandas from the same table.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from persona_desktop.core.segments.personas import build_personas
from persona_desktop.core.schema import Role

CJK = re.compile(r"[\u4e00-\u9fff]")


def customers(rng, n, recency, frequency, monetary, tenure=None, refund=0.0) -> pd.DataFrame:
    """``n`` customers with values drawn uniformly from the given (low, high) ranges."""
    rec = rng.integers(recency[0], recency[1] + 1, n)
    ten = rec + rng.integers(0, 30, n) if tenure is None else rng.integers(tenure[0], tenure[1] + 1, n)
    return pd.DataFrame({
        "recency_days": rec,
        "tenure_days": np.maximum(ten, rec),
        "frequency": rng.integers(frequency[0], frequency[1] + 1, n),
        "monetary": rng.uniform(monetary[0], monetary[1], n).round(2),
        "refund_rate": np.full(n, float(refund)),
    })


def table(*blocks: tuple[int, pd.DataFrame]) -> tuple[pd.DataFrame, np.ndarray]:
    """Stack ``(label, block)`` pairs into one customer table and its labels."""
    frame = pd.concat([b for _, b in blocks], ignore_index=True)
    labels = np.concatenate([np.full(len(b), label) for label, b in blocks])
    return frame, labels


def card(personas, label):
    return next(p for p in personas if p.segment == label)


def regulars(rng, n=300):
    """Ordinary repeat customers: the background every test segment stands out from."""
    return customers(rng, n, recency=(5, 90), frequency=(2, 6), monetary=(150, 900), tenure=(150, 365))


# ----------------------------------------------------------- names
def test_a_tiny_group_of_huge_spenders_is_wholesale():
    rng = np.random.default_rng(1)
    huge = customers(rng, 4, recency=(1, 5), frequency=(40, 60), monetary=(150_000, 250_000), tenure=(340, 365))
    frame, labels = table((0, regulars(rng)), (1, huge))
    p = card(build_personas(frame, labels), 1)
    assert p.name == {"en": "Wholesale-size buyers", "zh": "批发级大客户"}
    assert p.size == 4 and p.share == pytest.approx(4 / 304)
    assert any("volume pricing" in a.text("en") for a in p.actions)
    # "spends N× the average customer", N being the ratio of the mean spends
    ratio = huge["monetary"].mean() / frame["monetary"].mean()
    spend = next(t.text("en") for t in p.traits if t.text("en").startswith("spends "))
    number = float(re.fullmatch(r"spends ([\d.,]+)× the average customer", spend).group(1).replace(",", ""))
    assert number == pytest.approx(ratio, rel=0.01)
    revenue = huge["monetary"].sum() / frame["monetary"].sum()
    assert p.revenue_share == pytest.approx(revenue)


def test_one_time_buyers_long_gone_are_lapsed_one_time_buyers():
    rng = np.random.default_rng(2)
    gone = customers(rng, 120, recency=(250, 360), frequency=(1, 1), monetary=(20, 80))
    gone["tenure_days"] = gone["recency_days"]  # one order: first = last
    frame, labels = table((0, regulars(rng)), (1, gone))
    p = card(build_personas(frame, labels), 1)
    assert p.name == {"en": "Lapsed one-time buyers", "zh": "流失的一次性客户"}
    texts = [t.text("en") for t in p.traits]
    assert "100% bought only once" in texts
    assert p.churn_risk == "high"


def test_recent_frequent_high_spenders_are_regulars():
    rng = np.random.default_rng(3)
    best = customers(rng, 60, recency=(1, 10), frequency=(15, 25), monetary=(3_000, 6_000), tenure=(300, 365))
    frame, labels = table((0, regulars(rng)), (1, best))
    p = card(build_personas(frame, labels), 1)
    # 5× the typical customer's spend and 4× their orders: the shop's top customers
    assert p.name == {"en": "Top customers", "zh": "顶级客户"}
    assert p.churn_risk == "low"


def test_customers_returning_half_are_frequent_returners():
    rng = np.random.default_rng(4)
    returners = customers(rng, 40, recency=(20, 60), frequency=(2, 5), monetary=(150, 400), refund=0.5)
    frame, labels = table((0, regulars(rng)), (1, returners))
    frame.loc[labels == 0, "refund_rate"] = rng.uniform(0.0, 0.05, int((labels == 0).sum())).round(3)
    p = card(build_personas(frame, labels), 1)
    assert p.name == {"en": "Frequent returners", "zh": "高频退货客户"}
    assert any("return" in a.text("en") for a in p.actions)
    assert any(t.text("en").startswith("refund rate ") for t in p.traits)


def noisy_table():
    rng = np.random.default_rng(5)
    odd = customers(rng, 3, recency=(1, 365), frequency=(1, 30), monetary=(10, 9_000))
    return table((0, regulars(rng, 200)), (-1, odd), (1, regulars(rng, 100)))


def test_noise_is_unusual_customers_listed_last():
    frame, labels = noisy_table()
    personas = build_personas(frame, labels)
    assert [p.segment for p in personas] == [0, 1, -1]
    p = personas[-1]
    assert p.name == {"en": "Unusual customers (no group)", "zh": "特殊客户（未归组）"}
    assert p.rule == [] and p.rule_text("en") == "no simple rule describes this group"
    assert p.rule_text("zh") == "没有简单规则能描述这一组"
    assert any("one by one" in a.text("en") for a in p.actions)


def test_the_noise_card_has_two_or_three_actions():
    frame, labels = noisy_table()
    p = build_personas(frame, labels)[-1]
    assert 2 <= len(p.actions) <= 3


def test_names_are_unique_when_two_segments_look_alike():
    rng = np.random.default_rng(6)
    frame, labels = table((0, regulars(rng, 200)), (1, regulars(rng, 100)), (2, regulars(rng, 100)))
    personas = build_personas(frame, labels)
    for lang in ("en", "zh"):
        names = [p.display_name(lang) for p in personas]
        assert len(set(names)) == len(names), names
    assert any(p.display_name("en").endswith(" (2)") for p in personas)


def test_names_are_unique_in_chinese_too():
    rng = np.random.default_rng(0)
    n = 200
    frame = pd.DataFrame({"Annual Income": rng.normal(50, 5, n), "Household Income": rng.normal(80, 5, n)})
    labels = np.zeros(n, dtype=int)
    labels[:50], labels[50:100] = 1, 2
    frame.loc[labels == 1, "Annual Income"] += 40
    frame.loc[labels == 2, "Household Income"] += 40
    personas = build_personas(frame, labels, roles={"Annual Income": Role.INCOME, "Household Income": Role.INCOME})
    assert len({p.display_name("en") for p in personas}) == 3
    assert len({p.display_name("zh") for p in personas}) == 3


def test_fixed_group_names_and_playbook_for_rfm_groups():
    rng = np.random.default_rng(7)
    frame, labels = table((0, regulars(rng, 50)), (1, regulars(rng, 50)))
    personas = build_personas(frame, labels, groups=["champions", "lost"])
    assert [p.name for p in personas] == [{"en": "Champions", "zh": "冠军客户"}, {"en": "Lost", "zh": "已流失"}]
    assert [p.archetype for p in personas] == ["rfm.champions", "rfm.lost"]
    assert all(2 <= len(p.actions) <= 3 for p in personas)


def test_rfm_group_names_do_not_depend_on_what_was_imported_before():
    """In a fresh process that imported nothing else (once named the cards 'rfm.champions')."""
    code = (
        "import numpy as np, pandas as pd\n"
        "from persona_desktop.core.segments.personas import build_personas\n"
        "p = build_personas(pd.DataFrame({'x': [1.0, 2.0, 3.0, 4.0]}), np.array([0, 0, 1, 1]),"
        " groups=['champions', 'lost'])\n"
        "print(p[0].name['en'], p[1].name['zh'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                         timeout=120, check=True).stdout.strip()
    assert out == "Champions 已流失"


# ----------------------------------------------------------- churn
def test_churn_is_measured_against_each_customers_own_rhythm():
    """Same 60 days since the last order: overdue for a monthly buyer, not for a twice-a-year one."""
    n = 80
    base = {"recency_days": 60, "tenure_days": 300, "monetary": 500.0}
    monthly = pd.DataFrame({**base, "frequency": 10}, index=range(n))
    seasonal = pd.DataFrame({**base, "frequency": 3}, index=range(n))
    frame, labels = table((0, monthly), (1, seasonal))
    frame["monetary"] += np.arange(len(frame))  # not constant
    personas = build_personas(frame, labels)
    # own gap between orders: (300 - 60) / 9 ≈ 27 days vs (300 - 60) / 2 = 120 days
    assert card(personas, 0).churn_risk == "high" and card(personas, 0).churn_share == 1.0
    assert card(personas, 1).churn_risk == "low" and card(personas, 1).churn_share == 0.0


def test_churn_share_is_the_overdue_share():
    rng = np.random.default_rng(8)
    frame, labels = table((0, regulars(rng, 150)), (1, regulars(rng, 150)))
    frame["recency_days"] = rng.integers(1, 200, len(frame))
    frame["tenure_days"] = frame["recency_days"] + rng.integers(30, 300, len(frame))
    gap = ((frame["tenure_days"] - frame["recency_days"]) / (frame["frequency"] - 1)).clip(lower=7)
    overdue = frame["recency_days"] > 2 * gap  # everyone here ordered at least twice
    for p in build_personas(frame, labels):
        share = overdue[labels == p.segment].mean()
        assert p.churn_share == pytest.approx(share)
        assert p.churn_risk == ("high" if share >= 0.6 else "medium" if share >= 0.25 else "low")


def test_churn_is_unknown_without_order_dates():
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"age": rng.integers(18, 70, 100), "income": rng.normal(50, 10, 100)})
    labels = (frame["age"] > 40).astype(int).to_numpy()
    assert {p.churn_risk for p in build_personas(frame, labels)} == {"unknown"}


# ----------------------------------------------------------- traits
def test_traits_are_plain_words_with_ratios():
    rng = np.random.default_rng(10)
    n = 200
    frame = pd.DataFrame({"age": np.where(np.arange(n) < 50, 60, 20) + rng.integers(0, 3, n),
                          "visits": rng.integers(1, 5, n)})
    labels = (np.arange(n) < 50).astype(int)
    p = card(build_personas(frame, labels), 1)
    en = [t.text("en") for t in p.traits]
    seg_mean, all_mean = frame.loc[labels == 1, "age"].mean(), frame["age"].mean()
    age = next(t for t in en if t.startswith("age "))
    m = re.fullmatch(r"age ([\d.]+)× the average \(([\d.]+) vs ([\d.]+)\)", age)
    assert m, age
    assert float(m.group(1)) == pytest.approx(seg_mean / all_mean, abs=0.01)
    assert float(m.group(2)) == pytest.approx(seg_mean, abs=0.1)
    assert float(m.group(3)) == pytest.approx(all_mean, abs=0.1)
    zh = [t.text("zh") for t in p.traits]
    assert any(t.startswith("年龄是平均的") for t in zh)
    assert p.name == {"en": "Older", "zh": "年龄偏大"}


def test_computed_columns_are_named_in_words():
    rng = np.random.default_rng(11)
    gone = customers(rng, 100, recency=(200, 300), frequency=(2, 4), monetary=(100, 300), tenure=(300, 365))
    frame, labels = table((0, regulars(rng)), (1, gone))
    p = card(build_personas(frame, labels), 1)
    for lang in ("en", "zh"):
        for text in [t.text(lang) for t in p.traits] + [p.rule_text(lang)]:
            assert not re.search(r"recency_days|tenure_days|refund_rate|monetary", text), text
    assert any(t.text("en").startswith("last order ") and "days ago on average" in t.text("en") for t in p.traits)
    assert all(CJK.search(t.text("zh")) for t in p.traits)


def test_a_category_most_of_a_segment_shares_is_a_trait():
    n = 200
    i = np.arange(n)
    values = np.where(i < 60, "A", np.where(i % 2, "A", "B"))  # segment: all A; the rest: half
    spend = np.random.default_rng(12).uniform(10, 20, n)
    labels = (i < 60).astype(int)
    overall = 100 * (values == "A").mean()
    # a gender (by role or by name) speaks for itself ...
    frame = pd.DataFrame({"spend": spend, "Sex of customer": np.where(values == "A", "Female", "Male")})
    p = card(build_personas(frame, labels, roles={"Sex of customer": Role.GENDER}), 1)
    assert f"100% Female (all customers: {overall:.0f}%)" in [t.text("en") for t in p.traits]
    # ... any other column's value is shown with the column
    frame = pd.DataFrame({"spend": spend, "plan": np.where(values == "A", "Gold", "Basic")})
    p = card(build_personas(frame, labels), 1)
    assert f"100% plan: Gold (all customers: {overall:.0f}%)" in [t.text("en") for t in p.traits]


def test_a_placeholder_like_unknown_is_never_a_trait_or_a_name():
    n = 200
    i = np.arange(n)
    contact = np.where(i < 80, "unknown", np.where(i % 2, "cellular", "unknown"))
    frame = pd.DataFrame({"x": np.random.default_rng(16).normal(0, 1, n), "contact": contact})
    p = card(build_personas(frame, (i < 80).astype(int)), 1)
    for lang in ("en", "zh"):
        assert "unknown" not in p.display_name(lang)
        assert not any("unknown" in t.text(lang) for t in p.traits)


def test_an_average_segment_says_so():
    rng = np.random.default_rng(13)
    frame = pd.DataFrame({"x": rng.normal(0, 1, 400)})
    labels = rng.integers(0, 2, 400)
    personas = build_personas(frame, labels)
    for p in personas:
        assert [t.text("en") for t in p.traits] == ["close to the average customer on every measure"]
    assert [p.name for p in personas] == [{"en": "Typical customers", "zh": "普通客户"},
                                          {"en": "Typical customers (2)", "zh": "普通客户 (2)"}]


def test_typical_values_are_the_segment_and_overall_medians():
    rng = np.random.default_rng(14)
    frame, labels = table((0, regulars(rng, 120)), (1, regulars(rng, 80)))
    for p in build_personas(frame, labels):
        typical = {t["feature"]: t for t in p.typical}
        assert set(typical) == set(frame.columns)
        for col in frame.columns:
            assert typical[col]["median"] == pytest.approx(frame.loc[labels == p.segment, col].median())
            assert typical[col]["overall_median"] == pytest.approx(frame[col].median())


def test_revenue_shares_add_up_to_one_and_refunds_count_as_zero():
    rng = np.random.default_rng(15)
    frame, labels = table((0, regulars(rng, 100)), (1, regulars(rng, 50)), (2, regulars(rng, 10)))
    frame.loc[:4, "monetary"] = -50.0  # net refunds: no negative share
    personas = build_personas(frame, labels)
    assert sum(p.revenue_share for p in personas) == pytest.approx(1.0)
    clipped = frame["monetary"].clip(lower=0)
    for p in personas:
        assert p.revenue_share == pytest.approx(clipped[labels == p.segment].sum() / clipped.sum())


# ----------------------------------------------------------- membership rule
def test_rule_in_whole_numbers_for_whole_number_columns():
    f, r = np.meshgrid(np.arange(1, 7), np.arange(0, 101))
    frame = pd.DataFrame({"frequency": f.ravel(), "recency_days": r.ravel()})
    inside = ((frame["frequency"] >= 3) & (frame["recency_days"] <= 46)).to_numpy()
    p = card(build_personas(frame, inside.astype(int)), 1)
    assert sorted(p.rule) == [("frequency", "ge", 3.0), ("recency_days", "le", 46.0)]
    en = p.rule_text("en")
    assert sorted(en.split(" and ")) == ["days since last order ≤ 46", "orders ≥ 3"]
    assert sorted(p.rule_text("zh").split(" 且 ")) == ["订单数 ≥ 3", "距上次下单天数 ≤ 46"]


def test_rule_with_both_bounds_reads_as_a_range():
    frame = pd.DataFrame({"income": np.repeat(np.arange(0, 120), 3), "age": np.tile([20, 40, 60], 120)})
    inside = ((frame["income"] >= 40) & (frame["income"] <= 69)).to_numpy()
    p = card(build_personas(frame, inside.astype(int)), 1)
    assert p.rule_text("en") == "40 ≤ income ≤ 69"
    assert p.rule_text("zh") == "40 ≤ 收入 ≤ 69"


def test_rule_keeps_decimals_for_decimal_columns():
    frame = pd.DataFrame({"income": np.repeat(np.arange(0, 120), 3) + 0.5, "age": np.tile([20, 40, 60], 120)})
    inside = ((frame["income"] >= 40) & (frame["income"] <= 70)).to_numpy()
    p = card(build_personas(frame, inside.astype(int)), 1)
    low, high = sorted(v for _, _, v in p.rule)
    assert 39.5 <= low < 40.5 and 69.5 <= high < 70.5  # between the values either side of the edges
    assert re.fullmatch(r"[\d.]+ < income ≤ [\d.]+", p.rule_text("en")), p.rule_text("en")
    # the rule describes the segment exactly
    ops = {"le": np.less_equal, "gt": np.greater, "ge": np.greater_equal}
    ok = np.ones(len(frame), dtype=bool)
    for feature, op, value in p.rule:
        ok &= ops[op](frame[feature].to_numpy(), value)
    assert np.array_equal(ok, inside)


def test_role_known_columns_are_named_in_chinese_cards():
    frame = pd.DataFrame({"Age (years)": np.tile([20, 40, 60], 100),
                          "Annual Income (k$)": np.repeat(np.arange(100), 3)})
    labels = (frame["Age (years)"] == 60).astype(int).to_numpy()
    roles = {"Age (years)": Role.AGE, "Annual Income (k$)": Role.INCOME}
    p = card(build_personas(frame, labels, roles=roles), 1)
    assert p.rule_text("zh") == "年龄 ≥ 51"
    assert p.rule_text("en") == "Age (years) ≥ 51"  # the owner's own column name in English
    assert any("年龄" in t.text("zh") for t in p.traits)
    assert any("Age (years)" in t.text("en") for t in p.traits)
    assert p.feature_names["Annual Income (k$)"] == {"en": "Annual Income (k$)", "zh": "收入"}
    assert p.name == {"en": "Older", "zh": "年龄偏大"}


def test_labels_must_align_with_customers():
    with pytest.raises(ValueError):
        build_personas(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), [0, 1])


# ----------------------------------------------------------- products a segment buys more than others
def test_a_segments_products_are_what_it_buys_more_than_the_others():
    """The owner saw the same five best-sellers on every card. Planted: everyone buys the shop's
    best-seller; one segment also buys tea, the other yoga mats. Each card lists its own product
    first, the best-seller nowhere near the top, and every product listed is bought by a larger
    share of the segment than of everyone (lift above 1)."""
    rng = np.random.default_rng(5)
    frame, labels = table((0, regulars(rng, 200)), (1, regulars(rng, 200)))
    frame["CustomerID"] = [f"C{i:03d}" for i in range(len(frame))]
    rows = []
    for cid, label in zip(frame["CustomerID"], labels):
        rows.append((cid, "Paper bag"))  # the best-seller: everyone
        own = "Green tea" if label == 0 else "Yoga mat"
        if rng.random() < 0.6:
            rows.append((cid, own))
        if rng.random() < 0.1:  # a few buy the other segment's product too
            rows.append((cid, "Yoga mat" if label == 0 else "Green tea"))
    lines = pd.DataFrame(rows, columns=["CustomerID", "Description"])
    personas = build_personas(frame, labels, numeric=["recency_days", "frequency", "monetary"], lines=lines,
                              key="CustomerID", product="Description")
    firsts = {p.segment: p.top_products[0]["product"] for p in personas}
    assert firsts == {0: "Green tea", 1: "Yoga mat"}
    for p in personas:
        assert all(t["lift"] > 1 for t in p.top_products), p.top_products
        assert "Paper bag" not in [t["product"] for t in p.top_products]
