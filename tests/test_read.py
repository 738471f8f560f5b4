"""The readers on the real files in ../shared/datasets and on made-up messy exports."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

from persona_desktop.core.errors import ReadError
from persona_desktop.core.io import list_sheets, load_table
from persona_desktop.core.schema import TableKind


# ------------------------------------------------------------ real datasets
@pytest.mark.slow
@pytest.mark.parametrize("name", ["online_retail.csv", "online_retail.xlsx"])
def test_online_retail_reads_every_line_with_types(datasets, name):
    table = load_table(datasets / "01_online_retail" / name)
    df = table.data
    assert len(df) == 541_909
    assert list(df.columns) == ["InvoiceNo", "StockCode", "Description", "Quantity",
                                "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
    assert pd.api.types.is_datetime64_any_dtype(df["InvoiceDate"])
    assert pd.api.types.is_numeric_dtype(df["Quantity"]) and pd.api.types.is_numeric_dtype(df["UnitPrice"])
    # mixed number/text invoice numbers stay text, cancellations included
    assert df["InvoiceNo"].astype(str).str.startswith("C").sum() == 9_288
    assert df["CustomerID"].isna().sum() == 135_080
    assert df["InvoiceDate"].min() == pd.Timestamp("2010-12-01 08:26:00")
    if name.endswith(".xlsx"):
        assert table.source.sheet == "Online Retail" and table.source.sheets == ["Online Retail"]
    else:
        assert table.source.encoding == "utf-8" and table.source.delimiter == ","


def test_mall_customers_ids_keep_leading_zeros(datasets):
    table = load_table(datasets / "03_mall_customers" / "Mall_Customers.csv")
    df = table.data
    assert len(df) == 200
    assert df["CustomerID"].iloc[0] == "0001"
    assert pd.api.types.is_integer_dtype(df["Annual Income (k$)"])


def test_groceries_is_a_basket_file(datasets):
    table = load_table(datasets / "04_groceries" / "groceries.csv")
    assert table.kind_hint is TableKind.BASKETS
    assert table.source.rows_in_file == 9_835
    df = table.data
    assert df["basket"].nunique() == 9_835
    assert df["item"].nunique() == 169
    support = (df.loc[df["item"] == "whole milk", "basket"].nunique()) / 9_835
    assert support == pytest.approx(0.2555, abs=5e-4)


def test_telco_blank_total_charges_become_missing_numbers(datasets):
    df = load_table(datasets / "05_telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv").data
    assert len(df) == 7_043
    assert pd.api.types.is_float_dtype(df["TotalCharges"])
    assert df["TotalCharges"].isna().sum() == 11
    assert df["customerID"].dtype == "str"


def test_bank_marketing_semicolons(datasets):
    table = load_table(datasets / "06_bank_marketing" / "bank-full.csv")
    assert table.source.delimiter == ";"
    assert table.data.shape == (45_211, 17)
    assert pd.api.types.is_integer_dtype(table.data["balance"])


def test_gbk_meal_orders_keep_chinese_names(datasets):
    table = load_table(datasets / "07_chinese" / "meal_order_info.csv")
    df = table.data
    assert table.source.encoding in ("gbk", "gb18030")
    assert len(df) == 945
    assert df["name"].iloc[0] == "苗宇怡"
    assert df["phone"].iloc[0] == "18688880641"  # 11-digit mobile stays text
    assert pd.api.types.is_datetime64_any_dtype(df["use_start_time"])
    assert df["use_start_time"].iloc[0] == pd.Timestamp("2016-08-01 11:05")
    # the seven all-NA columns are left out and reported
    assert df.shape[1] == 21 - 7
    assert any(w.key == "read.warn.empty_columns" and w.params["n"] == 7 for w in table.warnings)


def test_legacy_xls_files(datasets):
    cons = load_table(datasets / "07_chinese" / "consumption_data.xls")
    assert list(cons.data.columns) == ["Id", "R", "F", "M"] and len(cons.data) == 940
    sales = load_table(datasets / "07_chinese" / "sales_data.xls")
    assert sales.source.sheet == "sales_data" and len(sales.source.sheets) == 3
    assert list(sales.data.columns) == ["序号", "天气", "是否周末", "是否有促销", "销量"]
    assert len(sales.data) == 34
    assert list_sheets(datasets / "07_chinese" / "sales_data.xls") == ["sales_data", "Sheet2", "Sheet3"]
    with pytest.raises(ReadError) as info:
        load_table(datasets / "07_chinese" / "sales_data.xls", sheet="Sheet2")
    assert info.value.code == "read.empty_sheet"


def test_shopify_export_quirks(datasets):
    table = load_table(datasets / "09_shopify_export" / "orders_export.csv")
    df = table.data
    assert len(df) == 40
    assert df["Name"].nunique() == 19
    ids = df["Id"].dropna()
    assert ids.dtype == "str" and ids.str.fullmatch(r"\d{13}").all()  # never a float
    assert df["Created at"].iloc[0] == pd.Timestamp("2025-05-11 09:55:16")  # local time kept
    phones = df["Billing Phone"].dropna()
    assert len(phones) and phones.str.startswith("+").all()
    assert any(w.key == "read.warn.empty_columns" and w.params["n"] == 22 for w in table.warnings)


# ------------------------------------------------------- messy made-up exports
CHINESE_REPORT = (
    "2024年3月销售报表\n导出时间：2024-03-05\n\n"
    "客户编号,姓名,下单时间,实付金额,手机\n"
    '001,张三,2024年3月5日 14:03,"￥1,234.50",+8613800000000\n'
    "002,李四,2024年3月6日 09:10,￥12.00,+8613900000000\n"
    '003,王五,2024年3月7日 10:00,"(￥3.00)",+8613700000000\n'
    '合计,,,"￥1,243.50",\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_title_rows_totals_and_encodings(tmp_path, encoding):
    path = tmp_path / "报表 导出.csv"  # a Unicode file name
    path.write_bytes(CHINESE_REPORT.encode(encoding))
    table = load_table(path)
    df = table.data
    assert table.source.header_row == 2
    assert list(df.columns) == ["客户编号", "姓名", "下单时间", "实付金额", "手机"]
    assert len(df) == 3  # the 合计 row is left out …
    assert table.dropped is not None and len(table.dropped) == 1  # … and kept aside
    assert df["客户编号"].tolist() == ["001", "002", "003"]
    assert df["实付金额"].tolist() == [1234.5, 12.0, -3.0]
    assert df["下单时间"].iloc[0] == pd.Timestamp("2024-03-05 14:03")
    assert df["手机"].iloc[0] == "+8613800000000"
    assert table.source.encoding.replace("-sig", "") in {"utf-8", "gbk", "gb18030", "utf-16"}


def test_cp1252_semicolons_and_decimal_commas(tmp_path):
    path = tmp_path / "kunden.csv"
    text = "Kunde;Stadt;Betrag;Datum\r\nMüller;Köln;1.234,50 €;25/03/2024\r\nCafé Crème;Zürich;12,00 €;05/03/2024\r\n"
    path.write_bytes(text.encode("cp1252"))
    table = load_table(path)
    assert table.source.encoding == "cp1252"
    assert table.data["Kunde"].tolist() == ["Müller", "Café Crème"]
    assert table.data["Betrag"].tolist() == [1234.5, 12.0]
    assert table.data["Datum"].tolist() == [pd.Timestamp("2024-03-25"), pd.Timestamp("2024-03-05")]
    assert table.source.dayfirst is True


def test_encoding_override(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("名字,金额\n张三,1\n李四,2\n".encode("gbk"))
    assert load_table(path, encoding="gbk").data["名字"].tolist() == ["张三", "李四"]
    # the wrong encoding chosen by hand still reads, with a warning about replaced characters
    wrong = load_table(path, encoding="utf-8")
    assert any(w.key == "read.warn.replaced" for w in wrong.warnings)


def test_utf16_tab_separated_unicode_text(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "客户\t金额\n张三\t5\n李四\t7\n".encode("utf-16-le"))
    table = load_table(path)
    assert table.source.format == "tsv"
    assert table.data["金额"].tolist() == [5, 7]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffed(tmp_path, delimiter):
    rows = [["id", "name", "amount"], ["1", "A", "3.5"], ["2", "B", "4"], ["3", "C", "5"]]
    path = tmp_path / "d.txt"
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding="utf-8")
    table = load_table(path)
    assert table.source.delimiter == delimiter
    assert table.data.shape == (3, 3)


def test_space_aligned_text_table(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Name      Age   City\nAlice     30    London\nBob       41    New York\n", encoding="utf-8")
    table = load_table(path)
    assert table.source.format == "fixed"
    assert table.data["City"].tolist() == ["London", "New York"]
    assert table.data["Age"].tolist() == [30, 41]


def test_workbook_with_title_rows_merged_cells_and_totals(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws["A1"] = "nothing here"  # a notes sheet with a single cell: not a table
    data = wb.create_sheet("订单")
    data["A1"] = "三月订单导出"
    data.merge_cells("A1:D1")
    data.append([])
    data.append(["订单编号", "买家ID", "付款时间", "实付金额"])
    data.append(["1001", "0007", "2024/3/5 14:03", "¥10.50"])
    data.append(["1002", "0008", "2024/3/6 09:00", "¥1,000.00"])
    data.append(["总计", None, None, "¥1,010.50"])
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    table = load_table(path)
    assert table.source.sheet == "订单" and table.source.sheets == ["说明", "订单"]
    assert table.source.header_row == 2
    df = table.data
    assert list(df.columns) == ["订单编号", "买家ID", "付款时间", "实付金额"]
    assert df["买家ID"].tolist() == ["0007", "0008"]
    assert df["实付金额"].tolist() == [10.5, 1000.0]
    assert df["付款时间"].iloc[1] == pd.Timestamp("2024-03-06 09:00")


def test_excel_serial_dates_under_a_date_header(tmp_path):
    path = tmp_path / "serial.csv"
    path.write_text("id,Order Date,n\n1,45000,3\n2,45001,4\n", encoding="utf-8")
    assert load_table(path).data["Order Date"].tolist() == [pd.Timestamp("2023-03-15"), pd.Timestamp("2023-03-16")]


# ------------------------------------------------------------------ bad input
def _write(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("empty.csv", b"", "read.empty"),
        ("blank.csv", b"\n\n  \n", "read.empty"),
        ("header_only.csv", b"a,b,c\n", "read.no_rows"),
        ("junk.csv", bytes(range(256)) * 20, "read.binary"),
        ("fake.xlsx", b"\x00\x01\x02garbage" * 100, "read.not_spreadsheet"),
        ("zip.xlsx", None, "read.not_workbook"),
    ],
)
def test_bad_files_raise_a_clear_read_error(tmp_path, name, content, code):
    if content is None:
        import zipfile

        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "not a workbook")
    else:
        path = _write(tmp_path, name, content)
    with pytest.raises(ReadError) as info:
        load_table(path)
    assert info.value.code == code
    assert path.name in info.value.text("en") and path.name in info.value.text("zh")


def test_truncated_workbook(tmp_path, datasets):
    source = datasets / "07_chinese" / "consumption_data.xls"
    import io
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    buffer = io.BytesIO()
    wb.save(buffer)
    path = _write(tmp_path, "cut.xlsx", buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(ReadError) as info:
        load_table(path)
    assert info.value.code in ("read.truncated", "read.bad_workbook")
    assert source.exists()


def test_password_protected_workbook(tmp_path):
    # An encrypted OOXML file is an OLE compound file holding an "EncryptedPackage" stream.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    body = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    path = _write(tmp_path, "secret.xlsx", header + body + b"\x00" * 2048)
    with pytest.raises(ReadError) as info:
        load_table(path)
    assert info.value.code == "read.password"
    assert "密码" in info.value.text("zh")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError) as info:
        load_table(tmp_path / "nope.csv")
    assert info.value.code == "read.not_found"
    with pytest.raises(ReadError) as info:
        load_table(tmp_path)
    assert info.value.code == "read.is_dir"


def test_cancel_stops_reading(datasets):
    from persona_desktop.core.progress import Cancelled, Progress

    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        load_table(datasets / "03_mall_customers" / "Mall_Customers.csv", progress=progress)


def test_a_file_that_cannot_be_opened_says_why(tmp_path, monkeypatch):
    """A file locked by another program (Excel on Windows) or without read permission.

    The tests run as root on CI, where file permissions do not stop reading, so
    the refusal the operating system would give is simulated for this one path.
    """
    import builtins

    path = tmp_path / "客户.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    real_open = builtins.open

    def locked(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", locked)
    with pytest.raises(ReadError) as info:
        load_table(path)
    assert info.value.code == "read.unreadable"
    assert "客户.xlsx" in info.value.text("zh") and "占用" in info.value.text("zh")
    assert "open in another program" in info.value.text("en")


def test_infinite_numbers_are_left_empty_with_a_warning(tmp_path):
    """"1e999" or "inf" is no shop figure: left empty like any unreadable cell, and said so
    (before, the infinities reached numpy and segments, which warned on every step)."""
    path = tmp_path / "inf.csv"
    path.write_text("id,amount,qty\n1,1e999,3\n2,5,inf\n3,7,-inf\n4,8,2\n5,9,1\n", "utf-8")
    table = load_table(path)
    assert table.data["amount"].isna().tolist() == [True, False, False, False, False]
    assert table.data["qty"].isna().sum() == 2 and table.data["qty"].dtype.kind == "f"
    texts = [w.text("en") for w in table.warnings]
    assert any("'amount'" in t and "1 cell" in t for t in texts) and any("'qty'" in t and "2 cell" in t for t in texts)
