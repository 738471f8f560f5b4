"""Column roles and table kinds: on the real files, on made-up Chinese exports, and user overrides.

Roles come from headers checked against values (``roles.detect_roles``), the
kind from the roles (``roles.detect_kind``), and the user's corrections win
through ``pipeline.understand(table, roles={...})``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from persona_desktop.core.io import load_table
from persona_desktop.core.table.understand import understand
from persona_desktop.core.table.roles import (
    apply_roles,
    customer_key,
    detect_kind,
    detect_roles,
)
from persona_desktop.core.schema import (
    SINGLE_ROLES,
    LoadedTable,
    Role,
    SourceInfo,
    TableKind,
)

R = Role


def loaded(df: pd.DataFrame, name: str = "made_up.csv") -> LoadedTable:
    return LoadedTable(df, SourceInfo(name, "csv"))


def text(values) -> pd.Series:
    return pd.Series(values, dtype="str")


def assert_single_roles_unique(roles: dict) -> None:
    for role in SINGLE_ROLES:
        holders = [c for c, r in roles.items() if r is role]
        assert len(holders) <= 1, f"{role.value} held by {holders}"


# ------------------------------------------------------------ real files
REAL_FILES = {
    "03_mall_customers/Mall_Customers.csv": {
        "CustomerID": R.CUSTOMER_ID, "Genre": R.GENDER, "Age": R.AGE, "Annual Income (k$)": R.INCOME,
        "Spending Score (1-100)": R.NUMERIC,
    },
    "09_shopify_export/orders_export.csv": {
        "Name": R.ORDER_ID, "Email": R.EMAIL, "Created at": R.ORDER_DATE, "Total": R.ORDER_TOTAL,
        "Lineitem name": R.PRODUCT, "Billing Phone": R.PHONE, "Lineitem quantity": R.QUANTITY,
        "Lineitem price": R.UNIT_PRICE, "Lineitem sku": R.PRODUCT_CODE, "Billing Name": R.CUSTOMER_NAME,
        "Billing City": R.CITY, "Billing Country": R.COUNTRY, "Financial Status": R.STATUS,
        "Paid at": R.DATE,  # a date, but "Created at" is the order date
        "Billing Street": R.TEXT, "Billing Zip": R.ID,  # personal details that are never features
    },
    "05_telco_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv": {
        "customerID": R.CUSTOMER_ID, "gender": R.GENDER, "SeniorCitizen": R.CATEGORICAL,
        "tenure": R.NUMERIC, "TotalCharges": R.NUMERIC, "Churn": R.CATEGORICAL,
    },
    "07_chinese/meal_order_info.csv": {
        "phone": R.PHONE, "name": R.CUSTOMER_NAME, "order_id": R.ORDER_ID, "use_start_time": R.ORDER_DATE,
        "accounts_payable": R.ORDER_TOTAL,
    },
    "07_chinese/consumption_data.xls": {"Id": R.CUSTOMER_ID, "R": R.NUMERIC, "F": R.NUMERIC, "M": R.NUMERIC},
    "06_bank_marketing/bank-full.csv": {"age": R.AGE, "balance": R.NUMERIC, "job": R.CATEGORICAL},
    "04_groceries/groceries.csv": {"basket": R.ORDER_ID, "item": R.PRODUCT},
}


@pytest.fixture(scope="module")
def real(datasets):
    """Each real file read once for the module: ``real(name)``."""
    cache: dict[str, LoadedTable] = {}

    def get(name: str) -> LoadedTable:
        if name not in cache:
            cache[name] = load_table(datasets / name)
        return cache[name]

    return get


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_roles_on_real_files(real, name):
    table = real(name)
    roles = detect_roles(table.data, table.kind_hint)
    assert list(roles) == list(table.data.columns)  # every column, in order
    assert {c: roles[c] for c in REAL_FILES[name]} == REAL_FILES[name]
    assert_single_roles_unique(roles)


def test_bank_marketing_has_no_customer_id(real):
    table = real("06_bank_marketing/bank-full.csv")
    roles = detect_roles(table.data)
    assert customer_key(roles) is None


@pytest.fixture(scope="module")
def retail(datasets):
    return load_table(datasets / "01_online_retail" / "online_retail.csv")


@pytest.mark.slow
def test_roles_on_online_retail(retail):
    roles = detect_roles(retail.data)
    assert roles == {
        "InvoiceNo": R.ORDER_ID, "StockCode": R.PRODUCT_CODE, "Description": R.PRODUCT, "Quantity": R.QUANTITY,
        "InvoiceDate": R.ORDER_DATE, "UnitPrice": R.UNIT_PRICE, "CustomerID": R.CUSTOMER_ID, "Country": R.COUNTRY,
    }
    assert detect_kind(retail.data, roles) is TableKind.ORDERS


@pytest.mark.parametrize("name, kind", [
    ("03_mall_customers/Mall_Customers.csv", TableKind.CUSTOMERS),
    ("05_telco_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", TableKind.CUSTOMERS),
    ("06_bank_marketing/bank-full.csv", TableKind.CUSTOMERS),
    ("07_chinese/consumption_data.xls", TableKind.CUSTOMERS),
    ("07_chinese/meal_order_info.csv", TableKind.ORDERS),
    ("09_shopify_export/orders_export.csv", TableKind.ORDERS),
    ("04_groceries/groceries.csv", TableKind.BASKETS),
])
def test_kind_of_real_files(real, name, kind):
    table = real(name)
    roles = detect_roles(table.data, table.kind_hint)
    assert detect_kind(apply_roles(table.data, roles), roles, table.kind_hint) is kind


# ------------------------------------------------ made-up Chinese exports
N = 12
NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
CHINESE_COLUMNS = {
    # header: (values, expected role when the column stands alone)
    "客户编号": (text([f"C{i:04d}" for i in range(N)]), R.CUSTOMER_ID),
    "买家ID": (text([f"tb_{7301 + i}" for i in range(N)]), R.CUSTOMER_ID),
    "会员名": (text([NAMES[i % 6] for i in range(N)]), R.CUSTOMER_NAME),
    "订单编号": (text([f"3{i:017d}" for i in range(N)]), R.ORDER_ID),
    "下单时间": (pd.Series(pd.date_range("2024-03-01 09:00", periods=N, freq="7h")), R.ORDER_DATE),
    "付款时间": (pd.Series(pd.date_range("2024-03-01 09:05", periods=N, freq="7h")), R.ORDER_DATE),
    "商品名称": (text([["连衣裙", "纯棉T恤", "牛仔裤"][i % 3] for i in range(N)]), R.PRODUCT),
    "购买数量": (pd.Series([1, 2, 1, 3, 1, 1, 2, 1, 4, 1, 1, 2]), R.QUANTITY),
    "单价": (pd.Series([99.0, 49.5, 129.0, 49.5, 99.0, 129.0, 49.5, 99.0, 49.5, 129.0, 99.0, 49.5]), R.UNIT_PRICE),
    "实付金额": (pd.Series([99.0, 99.0, 129.0, 148.5, 99.0, 129.0, 99.0, 99.0, 198.0, 129.0, 99.0, 99.0]),
             R.LINE_AMOUNT),
    "退款状态": (text(["没有申请退款"] * 10 + ["退款成功", "退款关闭"]), R.STATUS),
    "性别": (text([["男", "女"][i % 2] for i in range(N)]), R.GENDER),
    "年龄": (pd.Series([23, 35, 41, 29, 52, 23, 35, 41, 29, 52, 23, 35]), R.AGE),
    "省份": (text([["广东", "浙江", "江苏"][i % 3] for i in range(N)]), R.REGION),
}


@pytest.mark.parametrize("header", list(CHINESE_COLUMNS))
def test_chinese_header_alone(header):
    values, expected = CHINESE_COLUMNS[header]
    df = pd.DataFrame({header: values, "备注": text([f"第{i}行" for i in range(N)])})
    assert detect_roles(df)[header] is expected


TAOBAO_ORDER = ["买家ID", "会员名", "订单编号", "下单时间", "付款时间", "商品名称", "购买数量", "单价", "实付金额",
                "退款状态", "性别", "年龄", "省份"]


def taobao_orders() -> pd.DataFrame:
    df = pd.DataFrame({h: CHINESE_COLUMNS[h][0] for h in TAOBAO_ORDER})
    df["买家ID"] = text([f"tb_{7301 + i % 5}" for i in range(N)])  # five buyers, several orders each
    return df


def test_chinese_order_export_roles_and_kind():
    df = taobao_orders()
    roles = detect_roles(df)
    assert roles == {
        "买家ID": R.CUSTOMER_ID, "会员名": R.CUSTOMER_NAME, "订单编号": R.ORDER_ID, "下单时间": R.ORDER_DATE,
        "付款时间": R.DATE,  # the order date is taken by 下单时间 (a stronger header)
        "商品名称": R.PRODUCT, "购买数量": R.QUANTITY, "单价": R.UNIT_PRICE, "实付金额": R.LINE_AMOUNT,
        "退款状态": R.STATUS, "性别": R.GENDER, "年龄": R.AGE, "省份": R.REGION,
    }
    assert detect_kind(df, roles) is TableKind.ORDERS
    assert customer_key(roles) == "买家ID"


def test_chinese_customer_table_roles_and_kind():
    df = pd.DataFrame({h: CHINESE_COLUMNS[h][0] for h in ["客户编号", "会员名", "性别", "年龄", "省份"]})
    roles = detect_roles(df)
    assert roles == {"客户编号": R.CUSTOMER_ID, "会员名": R.CUSTOMER_NAME, "性别": R.GENDER, "年龄": R.AGE,
                     "省份": R.REGION}
    assert detect_kind(df, roles) is TableKind.CUSTOMERS


def test_two_customer_id_headers_give_the_role_to_one_column_only():
    df = pd.DataFrame({h: CHINESE_COLUMNS[h][0] for h in ["客户编号", "买家ID", "性别"]})
    roles = detect_roles(df)
    assert [c for c, r in roles.items() if r is R.CUSTOMER_ID] == ["客户编号"]  # equal score: first column
    assert roles["买家ID"] is R.ID


def test_amount_repeated_on_every_line_of_an_order_is_the_order_total():
    df = pd.DataFrame({
        "订单编号": text(["A1", "A1", "A2", "A2", "A3", "A3"]),
        "商品名称": text(["连衣裙", "T恤", "连衣裙", "牛仔裤", "T恤", "牛仔裤"]),
        "实付金额": [228.0, 228.0, 178.0, 178.0, 99.5, 99.5],
    })
    assert detect_roles(df)["实付金额"] is R.ORDER_TOTAL


@pytest.mark.parametrize("header, values, not_role", [
    ("下单时间", text(["昨天", "今天", "上周", "昨天"] * 3), R.ORDER_DATE),  # a date header without dates
    ("年龄", pd.Series([1200, 3400, 5600, 7800] * 3), R.AGE),  # no one is 1,200 years old
    ("邮箱", text(["无", "没有", "不详", "无"] * 3), R.EMAIL),  # an email header without addresses
    ("购买数量", text(["一", "二", "三", "四"] * 3), R.QUANTITY),  # a quantity must be a number
])
def test_header_rule_is_checked_against_values(header, values, not_role):
    df = pd.DataFrame({header: values, "客户编号": CHINESE_COLUMNS["客户编号"][0]})
    assert detect_roles(df)[header] is not not_role


def test_values_alone_reveal_email_and_gender():
    df = pd.DataFrame({
        "客户编号": CHINESE_COLUMNS["客户编号"][0],
        "联系": text([f"user{i}@example.cn" for i in range(N)]),
        "列3": text([["男", "女", "女"][i % 3] for i in range(N)]),
    })
    roles = detect_roles(df)
    assert roles["联系"] is R.EMAIL
    assert roles["列3"] is R.GENDER


def test_apply_roles_turns_numeric_identifiers_into_text():
    df = pd.DataFrame({"CustomerID": [17850.0, 13047.0, None], "StockCode": [85123, 71053, 84406],
                       "Quantity": [6, 8, 2]})
    roles = {"CustomerID": R.CUSTOMER_ID, "StockCode": R.PRODUCT_CODE, "Quantity": R.QUANTITY}
    out = apply_roles(df, roles)
    assert out["CustomerID"].tolist()[:2] == ["17850", "13047"] and pd.isna(out["CustomerID"].iloc[2])
    assert out["StockCode"].tolist() == ["85123", "71053", "84406"]
    assert out["Quantity"].tolist() == [6, 8, 2] and pd.api.types.is_integer_dtype(out["Quantity"])
    assert df["CustomerID"].dtype == "float64"  # the input is not changed


# ----------------------------------------------------------- detect_kind
def test_detect_kind_hint_wins():
    df = pd.DataFrame({"客户编号": CHINESE_COLUMNS["客户编号"][0]})
    assert detect_kind(df, {"客户编号": R.CUSTOMER_ID}, TableKind.BASKETS) is TableKind.BASKETS


@pytest.mark.parametrize("role", [R.ORDER_ID, R.ORDER_DATE])
def test_detect_kind_order_id_or_date_means_orders(role):
    df = pd.DataFrame({"x": [1, 2, 3], "客户编号": text(["a", "b", "c"])})
    assert detect_kind(df, {"x": role, "客户编号": R.CUSTOMER_ID}) is TableKind.ORDERS


@pytest.mark.parametrize("ids, kind", [
    (["a", "b", "a"], TableKind.ORDERS),  # one customer on several product lines
    (["a", "b", "c"], TableKind.CUSTOMERS),  # one row each: a favourite-product column
])
def test_detect_kind_repeated_customer_with_products(ids, kind):
    df = pd.DataFrame({"客户编号": text(ids), "商品名称": text(["连衣裙", "T恤", "牛仔裤"])})
    assert detect_kind(df, {"客户编号": R.CUSTOMER_ID, "商品名称": R.PRODUCT}) is kind


def test_detect_kind_without_orders_is_customers():
    df = pd.DataFrame({"性别": text(["男", "女"]), "年龄": [30, 40]})
    assert detect_kind(df, {"性别": R.GENDER, "年龄": R.AGE}) is TableKind.CUSTOMERS


# -------------------------------------------------------- user overrides
@pytest.fixture(scope="module")
def mall(real):
    return real("03_mall_customers/Mall_Customers.csv")


def test_user_overrides_win_and_other_columns_keep_their_role(mall):
    detected = understand(mall).roles
    ins = understand(mall, roles={"Spending Score (1-100)": "ignore", "Age": R.NUMERIC})
    assert ins.roles["Spending Score (1-100)"] is R.IGNORE
    assert ins.roles["Age"] is R.NUMERIC
    others = [c for c in detected if c not in ("Spending Score (1-100)", "Age")]
    assert {c: ins.roles[c] for c in others} == {c: detected[c] for c in others}


def test_override_of_unknown_column_is_ignored(mall):
    ins = understand(mall, roles={"no such column": "email"})
    assert list(ins.roles) == list(mall.data.columns)
    assert ins.roles == understand(mall).roles


def test_override_with_unknown_role_is_refused(mall):
    with pytest.raises(ValueError):
        understand(mall, roles={"Age": "shoe size"})


def test_override_to_identifier_makes_the_column_text(mall):
    ins = understand(mall, roles={"Annual Income (k$)": R.ID})
    column = ins.cleaning.frame["Annual Income (k$)"]
    assert pd.api.types.is_string_dtype(column)
    assert column.tolist() == mall.data["Annual Income (k$)"].astype(str).tolist()


def test_override_to_order_date_turns_a_customer_table_into_orders():
    df = pd.DataFrame({"客户编号": CHINESE_COLUMNS["客户编号"][0],
                       "注册": pd.Series(pd.date_range("2024-01-01", periods=N, freq="D"))})
    assert understand(loaded(df)).kind is TableKind.CUSTOMERS
    ins = understand(loaded(df), roles={"注册": "order_date"})
    assert ins.roles["注册"] is R.ORDER_DATE
    assert ins.kind is TableKind.ORDERS


def test_override_of_email_changes_how_customers_are_told_apart(real):
    table = real("09_shopify_export/orders_export.csv")
    assert understand(table).customers.key == "Email"
    ins = understand(table, roles={"Email": "ignore"})
    assert ins.roles["Email"] is R.IGNORE
    assert ins.customers.key != "Email"


def test_override_of_customer_id_decides_the_customer_key():
    df = pd.DataFrame({
        "CustomerID": text(["1", "2", "3", "4", "1", "2"]),  # e.g. a till number the detector took for the customer
        "Member": text(["m1", "m2", "m1", "m2", "m1", "m2"]),  # the user: this is the customer
        "Order": text(["o1", "o2", "o3", "o4", "o5", "o6"]),
        "Product": text(["mug", "cup", "mug", "cup", "mug", "cup"]),
    })
    ins = understand(loaded(df), roles={"Member": "customer_id"})
    assert ins.roles["Member"] is R.CUSTOMER_ID
    assert_single_roles_unique(ins.roles)
    assert ins.customers.key == "Member"
    assert sorted(ins.customers.data["Member"]) == ["m1", "m2"]
