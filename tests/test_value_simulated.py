"""Customer value on the generated shops (tests/shopsim.py), as the app opens them: every shape of the
seeded suite (refunds up to 20 %, GBK, UTF-16, cp1252, title and totals rows, Shopify fill-down, purchase
logs, a restaurant, one-time-buyer-heavy shops, wholesale accounts), the overlapping and marketplace
shops, and the files with no customers to value.

The planted truth: each customer's group. Regulars buy every ~6 weeks and VIPs every 1–2 weeks up to the
end of the file; the lapsed (the churners) bought 1–3 times, all more than ~10 months ago; the new bought
once or twice in the last ~10 weeks. The models know none of this: they see purchase days only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import shopsim
from persona_desktop.core.errors import DataError
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.value.run import customer_value

N_SHOPS = 14  # one of each shape in shopsim.SHAPES
EXTRA = ["overlapping_zh_refunds", "taobao_seller"]
NOT_VALUED = {"readme_workbook": "value.reason.customer_list",  # a customer table, not orders
              "restaurant_no_customer": "value.reason.no_customers", "bakery_till": "value.reason.no_customers",
              "tmall_report": "value.reason.no_customers"}  # the report has no buyer column


@pytest.fixture(scope="module")
def valued(tmp_path_factory):
    """(shop, value or the DataError) for every shop, the value checked on the last third as analyze does."""
    folder = tmp_path_factory.mktemp("value_shops")
    shops = [*shopsim.suite(N_SHOPS), *[(shopsim.SHAPES_BY_NAME[name], 11) for name in [*EXTRA, *NOT_VALUED]]]
    runs = []
    for shape, seed in shops:
        shop = shopsim.make_shop(shape, seed, folder)
        try:
            runs.append((shop, customer_value(inspect_file(shop.path), check=True)))
        except DataError as error:
            runs.append((shop, error))
    return runs


def _valued(runs):
    for shop, value in runs:
        if not isinstance(value, DataError):
            truth = pd.Series(shop.truth_for(value.table[value.key]), index=value.table.index)
            yield shop, value, value.table, truth


def test_every_order_export_is_valued_and_the_others_say_why(valued):
    for shop, value in valued:
        name = shop.shape.name
        if name in NOT_VALUED:
            assert isinstance(value, DataError), name
            assert value.message.params["reason"].key == NOT_VALUED[name], (name, value.text("en"))
        else:
            assert not isinstance(value, DataError), (name, value.text("en") if isinstance(value, DataError) else "")
    assert len(list(_valued(valued))) == N_SHOPS - 1 + len(EXTRA)


def test_the_planted_groups_come_back_in_order_of_orders_to_come(valued):
    """VIPs expect the most orders, then regulars, then the new, then the lapsed; the expected orders alone
    tell the active customers (regular, VIP) from the churners."""
    for shop, value, t, truth in _valued(valued):
        mean = t.groupby(truth)["expected_orders"].mean()
        assert mean["vip"] > mean["regular"] > mean["new"] > mean["lapsed"], (shop.path.name, mean.round(2).to_dict())
        sure = truth.isin(["regular", "vip", "lapsed"])
        auc = roc_auc_score(truth[sure] != "lapsed", t.loc[sure, "expected_orders"])
        assert auc > 0.98, (shop.path.name, auc)


def test_the_planted_churners_are_the_ones_unlikely_to_still_be_customers(valued):
    """Where P(alive) is given (repeat buyers under BG/NBD), the regulars and VIPs are near 1 and the lapsed
    well below; no regular or VIP is ever flagged 'at risk, high value'."""
    for shop, value, t, truth in _valued(valued):
        assert value.shows_alive, shop.path.name  # every simulated shop has its churners
        alive = t["p_alive"]
        known = alive.notna()
        assert alive[known & truth.isin(["regular", "vip"])].mean() > 0.95, shop.path.name
        assert alive[known & (truth == "lapsed")].mean() < 0.7, shop.path.name
        flagged = set(truth[t["at_risk"].astype(bool)])
        assert not flagged & {"regular", "vip"}, (shop.path.name, flagged)


def test_values_are_whole_and_never_negative_whatever_the_refunds(valued):
    for shop, value, t, truth in _valued(valued):
        assert value.spend is not None, shop.path.name
        for column in ("expected_orders", "order_value", "clv"):
            assert np.isfinite(t[column]).all() and (t[column] >= 0).all(), (shop.path.name, column)
        # a VIP (three times the baskets, every week or two) is worth more than a lapsed customer, always
        assert t.loc[truth == "vip", "clv"].min() > t.loc[truth == "lapsed", "clv"].median(), shop.path.name


def test_the_check_on_the_last_third_ranks_who_bought_again(valued):
    checked = [(shop, value.backtest) for shop, value, _, _ in _valued(valued) if value.backtest is not None]
    assert len(checked) >= N_SHOPS - 2  # the tiny shop's first two thirds may be too short to check
    for shop, check in checked:
        assert check.auc_expected > 0.9, (shop.path.name, check.auc_expected)
