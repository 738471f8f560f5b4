"""How the shop simulator writes a shop out: the layouts real shop backends export.

:mod:`shopsim` plants the customers and their orders; the functions here turn
them into a file: order lines (English or Chinese headers), Shopify's
fill-down order export, a customer workbook behind a readme sheet, and a
purchase log (one line per purchase, no order number) as whitespace-aligned
text or CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from shopsim import Shape

HEADERS = {
    "en": {"order": "InvoiceNo", "code": "StockCode", "product": "Description", "qty": "Quantity",
           "date": "InvoiceDate", "price": "UnitPrice", "customer": "CustomerID", "region": "Country"},
    "zh": {"order": "订单编号", "code": "商品编码", "product": "商品名称", "qty": "数量", "date": "下单时间",
           "price": "单价", "customer": "客户编号", "region": "省份", "amount": "实付金额", "status": "订单状态"},
}
REGIONS = {"en": ["United Kingdom", "France", "Germany", "Spain"], "zh": ["广东", "浙江", "江苏", "北京", "上海"]}



def make_ids(people: pd.DataFrame, shape: Shape, rng: np.random.Generator) -> dict[int, str]:
    if shape.layout == "log":  # numbered from 1 with leading zeros: 00001, 00002…
        return {c: f"{i + 1:05d}" for i, c in enumerate(people["cust"])}
    if shape.layout == "restaurant":  # member numbers
        return {c: str(n) for c, n in zip(people["cust"], 100 + rng.choice(50_000, size=len(people), replace=False))}
    top = 99999 if len(people) < 80_000 else 9_999_999  # five-digit ids, like Online Retail's, while they last
    numbers = rng.choice(np.arange(10000, top), size=len(people), replace=False)
    if shape.layout == "shopify":
        return {c: f"customer{n}@example.com" for c, n in zip(people["cust"], numbers)}
    if shape.lang == "zh":
        return {c: f"KH{n}" for c, n in zip(people["cust"], numbers)}
    return {c: str(n) for c, n in zip(people["cust"], numbers)}


def write_text(frame: pd.DataFrame, path: Path, shape: Shape) -> None:
    text = frame.to_csv(index=False, sep=shape.sep, lineterminator="\r\n" if shape.encoding == "utf-16" else "\n")
    if shape.title_rows:
        title = "销售明细报表" if shape.lang == "zh" else "Sales report"
        span = "导出时间：2025-01-02" if shape.lang == "zh" else "Exported 2025-01-02"
        text = f"{title}\n{span}\n\n" + text
    if shape.totals_row:
        cells = [""] * len(frame.columns)
        cells[0] = "合计" if shape.lang == "zh" else "Total"
        cells[-1] = f"{len(frame)}"
        text += shape.sep.join(cells) + "\n"
    path.write_bytes(text.encode(shape.encoding))


def lines_frame(shape: Shape, lines: pd.DataFrame, refunds: pd.DataFrame, people: pd.DataFrame,
                 ids: dict[int, str], rng: np.random.Generator) -> pd.DataFrame:
    h = HEADERS[shape.lang]
    region = dict(zip(people["cust"], rng.choice(REGIONS[shape.lang], size=len(people))))
    sale = lines.assign(kind="sale")
    back = refunds.assign(kind="refund")
    both = pd.concat([sale, back], ignore_index=True).sort_values("date", kind="stable")
    both["date"] = pd.to_datetime(both["date"])
    codes = {p: f"{20000 + i}" for i, p in enumerate(sorted(set(both["product"])))}
    if shape.lang == "zh":
        out = pd.DataFrame({
            h["order"]: [f"T{o}" if k == "sale" else f"T{o}" for o, k in zip(both["order"], both["kind"])],
            h["customer"]: both["cust"].map(ids),
            h["product"]: both["product"],
            h["code"]: both["product"].map(codes),
            h["qty"]: both["qty"],
            h["price"]: both["price"],
            h["amount"]: (both["qty"] * both["price"]).round(2),
            h["date"]: both["date"].dt.strftime("%Y/%m/%d %H:%M"),
            h["status"]: np.where(both["kind"] == "sale", "交易成功", "退款成功"),
            h["region"]: both["cust"].map(region),
        })
    else:
        price = both["price"]
        if shape.encoding == "cp1252":  # a European till: "€ 12,50"
            price = price.map(lambda v: f"€ {v:.2f}".replace(".", ","))
        out = pd.DataFrame({
            h["order"]: [str(o) if k == "sale" else f"C{o}" for o, k in zip(both["order"], both["kind"])],
            h["code"]: both["product"].map(codes),
            h["product"]: both["product"],
            h["qty"]: both["qty"],
            h["date"]: both["date"].dt.strftime("%Y-%m-%d %H:%M:%S"),
            h["price"]: price,
            h["customer"]: both["cust"].map(ids),
            h["region"]: both["cust"].map(region),
        })
    return out


def shopify_frame(lines: pd.DataFrame, refund_rate: float, ids: dict[int, str],
                   rng: np.random.Generator) -> pd.DataFrame:
    """Shopify's order export: one row per line item, order fields only on each order's first row.

    A share *refund_rate* of the orders is refunded in full ("refunded"): a shop refunds orders, not
    lines, so big baskets are no likelier to be refunded than small ones.
    """
    orders = lines["order"].unique()
    refunded_orders = set(orders[rng.random(len(orders)) < refund_rate])
    lines = lines.assign(total=(lines["qty"] * lines["price"]).groupby(lines["order"]).transform("sum").round(2))
    first = ~lines["order"].duplicated()
    status = np.where(lines["order"].isin(refunded_orders), "refunded", "paid")
    stamp = lines["date"].dt.strftime("%Y-%m-%d %H:%M:%S +0000")
    return pd.DataFrame({
        "Name": "#" + lines["order"].astype(str),
        "Email": lines["cust"].map(ids).where(first, ""),
        "Financial Status": pd.Series(status).where(first.to_numpy(), ""),
        "Paid at": stamp.where(first, ""),
        "Total": lines["total"].where(first, np.nan),
        "Lineitem quantity": lines["qty"],
        "Lineitem name": lines["product"],
        "Lineitem price": lines["price"],
        "Created at": stamp,
    })


def customer_table(lines: pd.DataFrame, people: pd.DataFrame, ids: dict[int, str], rng: np.random.Generator,
                   as_of: pd.Timestamp) -> pd.DataFrame:
    spend = (lines["qty"] * lines["price"]).groupby(lines["cust"]).sum()
    orders = lines.groupby("cust")["order"].nunique()
    last = lines.groupby("cust")["date"].max()
    first = lines.groupby("cust")["date"].min()
    c = people["cust"]
    return pd.DataFrame({
        "客户编号": c.map(ids),
        "性别": rng.choice(["男", "女"], size=len(c)),
        "年龄": rng.integers(18, 70, size=len(c)),
        "最近一次消费距今天数": (as_of - c.map(last)).dt.days,
        "累计消费次数": c.map(orders),
        "累计消费金额": c.map(spend).round(2),
        "首次消费距今天数": (as_of - c.map(first)).dt.days,
    })


def write_workbook(table: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    readme = book.active
    readme.title = "说明"
    for line in ("本表由店铺后台导出，每行一位客户。", "金额单位：元；天数截至 2024-12-31。", "如有疑问请联系店铺客服。"):
        readme.append([line])
    sheet = book.create_sheet("客户数据")
    sheet.append(["客户消费汇总"])
    sheet.append(["导出时间：2025-01-02"])
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([v.item() if hasattr(v, "item") else v for v in row])
    book.save(path)


def repeat_some_orders(lines: pd.DataFrame, rng: np.random.Generator, share: float = 0.02) -> pd.DataFrame:
    """A share of the orders bought again the same day, alike in every figure (a second, real purchase)."""
    orders = lines["order"].unique()
    again = orders[rng.random(len(orders)) < share]
    copy = lines[lines["order"].isin(again)].copy()
    copy["order"] = copy["order"] + 10_000_000
    return pd.concat([lines, copy], ignore_index=True).sort_values(["date", "order"], kind="stable")


def write_log(lines: pd.DataFrame, ids: dict[int, str], path: Path, shape: Shape) -> None:
    """One line per purchase: customer, date as YYYYMMDD, items and amount; no order number.

    ``sep=" "`` writes the columns aligned by spaces under a header whose words are
    set apart by one or two spaces, as old systems print them; otherwise a CSV.
    """
    per_order = lines.assign(amount=lines["qty"] * lines["price"]).groupby("order", sort=False).agg(
        cust=("cust", "first"), date=("date", "first"), items=("qty", "sum"), amount=("amount", "sum"))
    day = per_order["date"].dt.strftime("%Y%m%d")
    who = per_order["cust"].map(ids)
    if shape.sep == " ":
        rows = [f"{c} {d} {int(n):>2} {a:>8.2f}" for c, d, n, a in zip(who, day, per_order["items"], per_order["amount"])]
        path.write_text(" customer_id  date number_of_items  dollar_value\n" + "\n".join(rows) + "\n",
                        encoding=shape.encoding)
        return
    names = ("客户编号", "日期", "件数", "金额") if shape.lang == "zh" else ("customer_id", "date", "items", "amount")
    frame = pd.DataFrame(dict(zip(names, (who, day, per_order["items"], per_order["amount"].round(2)))))
    frame.to_csv(path, index=False, sep=shape.sep, encoding=shape.encoding)


def restaurant_frame(lines: pd.DataFrame, ids: dict[int, str], rng: np.random.Generator) -> pd.DataFrame:
    """A restaurant's order lines under headers no rule knows: the dish, its count and amount, the order's time
    and the diner's member number (``emp_id``)."""
    return pd.DataFrame({
        "order_id": lines["order"] - 100000,
        "dishes_name": lines["product"],
        "counts": lines["qty"],
        "amounts": (lines["qty"] * lines["price"]).round(2),
        "place_order_time": lines["date"].dt.strftime("%Y/%m/%d %H:%M"),
        "emp_id": lines["cust"].map(ids).astype(int),
    })


def write_call_list(path: Path, seed: int, lang: str = "en", n: int = 3000) -> dict:
    """A bank's call list (issue 26, point 7): customers, not purchases. Planted: a rate with one value per
    month (the period, not the customer), ``pdays`` = 999 for the never contacted (85 %), the call's
    duration (known only after the outcome), years at this address as whole numbers (地址 in Chinese),
    and a yes/no outcome that follows the balance."""
    rng = np.random.default_rng([seed, 26])
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    month = rng.choice(months, n)
    rate = dict(zip(months, np.round(np.linspace(4.9, 3.1, 12) + rng.normal(0, 0.05, 12), 3)))
    balance = np.round(rng.lognormal(7, 1, n), 0)
    outcome = (np.log(balance) + rng.normal(0, 0.6, n)) > 7.6
    contacted = rng.random(n) < 0.15
    names = {"en": ("customer_id", "age", "balance", "years_at_address", "month", "euribor3m", "pdays", "duration", "y"),
             "zh": ("客户编号", "年龄", "存款余额", "地址", "月份", "利率", "距上次联系天数", "通话时长", "是否认购")}[lang]
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    frame = pd.DataFrame(dict(zip(names, (
        [f"B{i:05d}" for i in range(n)], rng.integers(18, 90, n), balance, rng.integers(0, 35, n), month,
        [rate[m] for m in month], np.where(contacted, rng.integers(0, 30, n), 999),
        np.round(rng.gamma(2, 120, n) * np.where(outcome, 2.5, 1.0)), np.where(outcome, yes, no)))))
    frame.to_csv(path, index=False, encoding="utf-8")
    return {"period": names[5], "sentinel": (names[6], 999), "after": names[7], "address": names[3],
            "target": names[8], "month": names[4]}


def till_frame(lines: pd.DataFrame) -> pd.DataFrame:
    """A bakery's till log: ``Date`` day-first (30-10-2016) and ``Time`` apart, the transaction and the item,
    one line per unit sold (no quantity: two of an item are two identical lines), no customer."""
    units = lines.loc[lines.index.repeat(lines["qty"].clip(upper=3))]
    return pd.DataFrame({
        "Date": units["date"].dt.strftime("%d-%m-%Y").to_numpy(),
        "Time": units["date"].dt.strftime("%H:%M:%S").to_numpy(),
        "Transaction": (units["order"] - 100000).to_numpy(),
        "Item": units["product"].to_numpy(),
    })


def write_shopify_customers(path: Path, seed: int, n: int = 1500) -> dict:
    """A Shopify customer export (issue 27, point 5): most rows are newsletter sign-ups who never ordered.
    Planted: which people are prospects (0 orders, 0 spent) and which are buyers."""
    rng = np.random.default_rng([seed, 275])
    orders = np.where(rng.random(n) < 0.79, 0, rng.integers(1, 15, n))
    ids = [f"{7_000_000_000 + 37 * i}" for i in range(n)]
    pd.DataFrame({
        "Customer ID": ids,
        "First Name": rng.choice(["Ann", "Bo", "Cy", "Dee"], n),
        "Email": [f"person{i}@example.com" for i in range(n)],
        "Accepts Email Marketing": rng.choice(["yes", "no"], n),
        "Total Spent": np.round(orders * rng.uniform(20, 80, n), 2),
        "Total Orders": orders,
        "Province Code": rng.choice(["ON", "BC", "QC"], n),
    }).to_csv(path, index=False)
    return {"prospects": {i for i, o in zip(ids, orders) if o == 0}, "buyers": {i for i, o in zip(ids, orders) if o > 0}}


PROVINCES = ["广东省", "浙江省", "江苏省", "北京", "上海", "四川省"]


def marketplace_frame(lines: pd.DataFrame, ids: dict[int, str], rng: np.random.Generator,
                      layout: str) -> tuple[pd.DataFrame, dict]:
    """A Chinese marketplace export (issue 27, points 1 and 4) and what it plants.

    ``taobao``: a seller's line export without an order number (买家会员名, 宝贝标题, 宝贝总数量,
    买家实际支付金额, 订单付款时间, 订单状态, 退款金额): an order is a buyer's lines at one payment time.
    ``tmall``: an order report, one row per order, no buyer (订单编号, 总金额, 买家实际支付金额, 收货地址,
    订单创建时间, 订单付款时间, 退款金额).

    Beside the planted purchases: orders never paid (等待买家付款: no payment time, 0 paid), orders closed
    unpaid (交易关闭), orders refunded in full (交易关闭 after payment, 退款金额 = 实付) and partial
    refunds on real purchases (交易成功, 0 < 退款金额 < 实付); a few buyers only ever left unpaid orders.
    """
    lines = lines.assign(amount=(lines["qty"] * lines["price"]).round(2))
    # payment to the second, so two orders of one buyer never share a payment time
    seconds = pd.Series(rng.integers(0, 60, lines["order"].max() + 1))
    lines["paid_at"] = lines["date"] + pd.to_timedelta(seconds[lines["order"]].to_numpy(), unit="s")
    first = ~lines["order"].duplicated()
    real = lines.assign(status="交易成功", paid=lines["amount"], refund=0.0)
    orders = real.loc[first, "order"].to_numpy()
    partial = set(orders[rng.random(len(orders)) < 0.06])
    share = rng.uniform(0.1, 0.6, len(real))
    on_first = real["order"].isin(partial) & first  # part of one line given back
    real.loc[on_first, "refund"] = (real.loc[on_first, "amount"] * share[on_first.to_numpy()]).round(2)
    extras = []
    for status, share_of_orders, pays, refunds in (("等待买家付款", 0.08, False, False), ("交易关闭", 0.06, False, False),
                                                   ("交易关闭", 0.05, True, True)):
        picked = rng.choice(orders, size=int(share_of_orders * len(orders)), replace=False)
        copy = real[real["order"].isin(picked)].copy()
        shift = pd.to_timedelta(rng.integers(1, 20, len(picked)), unit="D")
        copy["paid_at"] = copy["paid_at"] + pd.Series(shift, index=picked).loc[copy["order"]].to_numpy()
        copy["date"] = copy["paid_at"]
        copy["order"] = copy["order"] + 1_000_000 * (len(extras) + 1)
        copy = copy.assign(status=status, refund=copy["amount"] if refunds else 0.0)
        copy["paid"] = copy["amount"] if pays else 0.0
        if not pays:
            copy["paid_at"] = pd.NaT
        extras.append(copy)
    ghosts = sorted({f"ghost_{i:03d}" for i in range(max(3, len(ids) // 100))})
    ghost_lines = real.iloc[: len(ghosts)].assign(cust=-1, status="等待买家付款", paid=0.0, refund=0.0, paid_at=pd.NaT,
                                                   order=np.arange(len(ghosts)) + 9_000_000)
    ghost_ids = dict(zip(ghost_lines["order"], ghosts))
    every = pd.concat([real, *extras, ghost_lines], ignore_index=True)
    buyer = every["cust"].map(ids).where(every["cust"] >= 0, every["order"].map(ghost_ids))
    never_paid = sum(len(e) for e in extras[:2]) + len(ghost_lines)
    truth = {
        "unpaid_rows": never_paid, "full_refund_rows": len(extras[2]), "partial_rows": int(on_first.sum()),
        "paid_total": round(float(real["amount"].sum() - real["refund"].sum()), 2),
        "money": (real["amount"] - real["refund"]).groupby(real["cust"].map(ids)).sum().round(2).to_dict(),
        "orders": real.groupby(real["cust"].map(ids))["order"].nunique().to_dict(),
        "ghosts": set(ghosts),
    }
    every = every.sample(frac=1.0, random_state=int(rng.integers(1 << 31))) if layout == "tmall" else \
        every.sort_values(["date", "order"], kind="stable")
    stamp = every["paid_at"].dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
    if layout == "taobao":
        frame = pd.DataFrame({"买家会员名": buyer, "宝贝标题": every["product"], "宝贝总数量": every["qty"],
                              "买家实际支付金额": every["paid"].round(2), "订单付款时间": stamp,
                              "订单状态": every["status"], "退款金额": every["refund"]})
        return frame.reset_index(drop=True), truth
    per_order = every.groupby("order", sort=False).agg(
        total=("amount", "sum"), paid=("paid", "sum"), refund=("refund", "sum"), created=("date", "first"),
        paid_at=("paid_at", "first"), cust=("cust", "first"))
    created = per_order["created"] - pd.to_timedelta(rng.integers(1, 40, len(per_order)), unit="m")
    frame = pd.DataFrame({
        "订单编号": (per_order.index.to_numpy() * 7 + 1_234_567_890_123).astype(str),
        "总金额": per_order["total"].round(2).to_numpy(),
        "买家实际支付金额": per_order["paid"].round(2).to_numpy(),
        "收货地址": rng.choice(PROVINCES, len(per_order)),
        "订单创建时间": created.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
        "订单付款时间": per_order["paid_at"].dt.strftime("%Y-%m-%d %H:%M:%S").fillna("").to_numpy(),
        "退款金额": per_order["refund"].round(2).to_numpy(),
    })
    orders_truth = {"unpaid_rows": int(per_order.index.isin(pd.concat([*extras[:2], ghost_lines])["order"]).sum()),
                    "full_refund_rows": int(extras[2]["order"].nunique()),
                    "partial_rows": len(partial)}
    return frame, {**truth, **orders_truth}
