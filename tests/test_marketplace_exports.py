"""Issue 27, points 1 and 4: marketplace exports — orders never paid, closed or refunded, money actually
paid net of refunds, and orders without an order number.

Planted (tests/shopsim.py, ``taobao_seller`` and ``tmall_report``; tests/shopsim_write.py,
``marketplace_frame``): beside the shop's purchases, orders never paid (等待买家付款, no payment
time, 0 paid), orders closed unpaid (交易关闭), orders refunded in full (交易关闭 after payment,
退款金额 = 实付) and partial refunds (交易成功, 0 < 退款金额 < 实付); a few buyers who only ever left
unpaid orders. The Taobao seller export has no order number: a buyer's lines at one payment time
are one order. The Tmall order report has an order total (总金额) beside what was actually paid.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import shopsim
from persona_desktop.cli import main
from persona_desktop.core.table.cleaning import clean
from persona_desktop.core.table.customers import build_customers
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.schema import Role as R, TableKind


@pytest.fixture(scope="module")
def taobao(tmp_path_factory):
    return shopsim.make_shop("taobao_seller", 3, tmp_path_factory.mktemp("taobao"))


@pytest.fixture(scope="module")
def tmall(tmp_path_factory):
    return shopsim.make_shop("tmall_report", 5, tmp_path_factory.mktemp("tmall"))


def _rows(inspection, key):
    return next(s.rows for s in inspection.cleaning.steps if s.key == key)


@pytest.mark.parametrize("which", ["taobao", "tmall"])
def test_orders_never_bought_are_set_aside_and_refunds_netted(which, request):
    shop = request.getfixturevalue(which)
    inspection = inspect_file(shop.path)
    planted = shop.planted
    assert _rows(inspection, "unpaid") == planted["unpaid_rows"]
    assert _rows(inspection, "refunds") == planted["full_refund_rows"]
    assert _rows(inspection, "partial_refunds") == planted["partial_rows"]
    assert inspection.money.columns == ("买家实际支付金额",) and inspection.money.refund == "退款金额"
    assert inspection.paid == pytest.approx(planted["paid_total"], abs=0.01)
    assert inspection.roles["退款金额"] is R.REFUND_AMOUNT  # a number, never the status


def test_each_buyer_spent_what_they_paid_less_refunds(taobao):
    table = inspect_file(taobao.path).customers
    got = table.data.set_index("买家会员名")
    money = pd.Series(taobao.planted["money"])
    assert sorted(got.index) == sorted(money.index)
    assert np.abs(got["monetary"].reindex(money.index) - money).max() <= 0.011
    # 4: a buyer's lines at one payment time are one order
    orders = pd.Series(taobao.planted["orders"])
    assert (got["frequency"].reindex(orders.index) == orders).all()
    assert set(table.set_aside["买家会员名"]) == taobao.planted["ghosts"]  # only ever left unpaid orders


def test_orders_formed_from_buyer_and_payment_time_are_said_and_give_the_bundles(taobao, capsys):
    assert main(["inspect", str(taobao.path), "--json", "--lang", "zh"]) == 0
    doc = json.loads(capsys.readouterr().out)
    formed = [c for c in doc["columns"] if c["name"] == "订单（客户+时间）"]
    assert formed and formed[0]["role"] == "order_id"
    assert any("没有订单编号" in w and "订单付款时间" in w for w in doc["warnings"])
    assert any("消费额取自" in w and "退款金额" in w for w in doc["warnings"])
    assert doc["money"] == {"columns": ["买家实际支付金额"], "per_order": False, "refund": "退款金额",
                            "paid": taobao.planted["paid_total"]}
    assert main(["rules", str(taobao.path), "--json", "--lang", "en"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert any("No order number" in n and "at one time" in n for n in rules["notes"])
    top = rules["rules"][:6]
    bundles = [set(b) for b in taobao.bundles]
    for bundle in bundles:
        assert any(set(r["antecedents"] + r["consequents"]) <= bundle for r in top), bundle


def test_the_summary_says_which_columns_decided_the_money(tmall, tmp_path):
    for lang, words in (("en", "Spend counted from “买家实际支付金额”, less “退款金额”"),
                        ("zh", "消费额取自 “买家实际支付金额”，减去 “退款金额”")):
        out = tmp_path / f"tmall_{lang}.xlsx"
        assert main(["analyze", str(tmall.path), "--out", str(out), "--lang", lang]) == 0
        summary = pd.read_excel(out, sheet_name=0, header=None).astype(str)
        assert (summary == words).any().any()
        paid = summary[summary[0].str.contains("net of refunds|扣除退款")]
        assert float(paid.iloc[0, 1]) == pytest.approx(tmall.planted["paid_total"], abs=0.01)


def test_shopify_statuses_and_an_order_level_refunded_amount():
    """Shopify's order export (fill-down done): Financial Status and Refunded Amount on the order's first
    line only, so the refund is the order's and is taken off the order's lines together."""
    df = pd.DataFrame({
        "Name": pd.Series(["#1", "#1", "#2", "#3", "#4", "#4", "#5"], dtype="str"),
        "Email": pd.Series(["a@x", "a@x", "a@x", "b@x", "b@x", "b@x", "c@x"], dtype="str"),
        "Financial Status": pd.Series(["partially_refunded", None, "refunded", "pending", "paid", None, "voided"],
                                      dtype="str"),
        "Lineitem quantity": [1, 2, 1, 1, 1, 1, 1],
        "Lineitem price": [10.0, 20.0, 30.0, 40.0, 5.0, 6.0, 70.0],
        "Refunded Amount": [15.0, None, 30.0, 0.0, 0.0, None, 0.0],
    })
    roles = {"Name": R.ORDER_ID, "Email": R.EMAIL, "Financial Status": R.STATUS, "Lineitem quantity": R.QUANTITY,
             "Lineitem price": R.UNIT_PRICE, "Refunded Amount": R.REFUND_AMOUNT}
    cleaned = clean(df, roles, TableKind.ORDERS)
    assert cleaned.set_aside["refunds"]["Name"].tolist() == ["#2"]
    assert cleaned.set_aside["unpaid"]["Name"].tolist() == ["#3", "#5"]
    table = build_customers(cleaned, roles, TableKind.ORDERS)
    got = table.data.set_index("Email")
    # a@x: order #1 was 50, 15 given back; #2 refunded in full. b@x: #4 is 11. c@x: nothing paid
    assert got.loc["a@x", "monetary"] == 35.0 and got.loc["a@x", "frequency"] == 1
    assert got.loc["b@x", "monetary"] == 11.0 and got.loc["b@x", "frequency"] == 1
    assert set(table.set_aside["Email"]) == {"c@x"}


def test_a_partial_refund_step_switched_off_counts_the_money_paid(taobao):
    from persona_desktop.core.table.clean_options import CleanOptions

    on = inspect_file(taobao.path)
    off = inspect_file(taobao.path, clean_options=CleanOptions(disabled={"partial_refunds"}))
    given_back = float(pd.read_csv(taobao.path).query("订单状态 == '交易成功'")["退款金额"].sum())
    assert off.paid == pytest.approx(on.paid + given_back, abs=0.05)
    assert next(s for s in off.cleaning.steps if s.key == "partial_refunds").enabled is False
