"""``persona-desktop segment``: its JSON, its options, its workbook and its refusals.

Run in-process through ``persona_desktop.cli.main`` (with ``capsys``), plus one
real subprocess. The workbook is read back with openpyxl and, for the formula
check, as raw sheet XML.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter

import openpyxl
import pandas as pd
import pytest

from persona_desktop.cli import main
from persona_desktop.core.segments.run import segment_inspection
from persona_desktop.core.table.understand import inspect_file

MALL_FEATURES = ["Annual Income (k$)", "Spending Score (1-100)"]
SEGMENT_KEYS = {"id", "name", "size", "share", "revenue_share", "traits", "actions"}
METRIC_KEYS = {"silhouette", "calinski_harabasz", "davies_bouldin", "stability"}
CJK = re.compile(r"[\u4e00-\u9fff]")
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)"]


@pytest.fixture(scope="module")
def mall_path(datasets):
    return datasets / "03_mall_customers" / "Mall_Customers.csv"


def segment_json(capsys, *args: str) -> dict:
    code = main(["segment", *map(str, args), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def sheet_rows(path) -> tuple[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 1
    ws = wb.worksheets[0]
    return ws.title, list(ws.iter_rows(values_only=True))


# ----------------------------------------------------------- JSON
def test_json_document(capsys, mall_path):
    doc = segment_json(capsys, mall_path, "--lang", "en", "--stability", "2")
    assert {"method", "k", "features", "customers", "metrics", "segments"} <= set(doc)
    assert doc["method"] == "kmeans" and doc["customers"] == 200
    assert doc["features"] == ["Age", *MALL_FEATURES]
    assert set(doc["metrics"]) == METRIC_KEYS | {"silhouette_per_segment"}
    assert all(isinstance(doc["metrics"][key], float) for key in METRIC_KEYS)
    assert set(doc["metrics"]["silhouette_per_segment"]) == {str(s["id"]) for s in doc["segments"]}
    assert 0.0 <= doc["metrics"]["stability"] <= 1.0
    segments = doc["segments"]
    assert len(segments) == doc["k"] >= 2
    for s in segments:
        assert SEGMENT_KEYS <= set(s)
        assert isinstance(s["name"], str) and s["traits"] and s["actions"]
        assert s["revenue_share"] is None  # a customer file without spend
    assert [s["id"] for s in segments] == list(range(doc["k"]))
    assert sum(s["size"] for s in segments) == 200
    assert sum(s["share"] for s in segments) == pytest.approx(1.0, abs=1e-3)


def test_options_are_respected(capsys, mall_path):
    doc = segment_json(capsys, mall_path, "--method", "hierarchical", "--k", "3",
                       "--features", ",".join(MALL_FEATURES), "--seed", "5", "--stability", "2", "--lang", "en")
    assert doc["method"] == "hierarchical" and doc["k"] == 3 and doc["features"] == MALL_FEATURES
    # exactly what the core gives for the same options and seed
    api = segment_inspection(inspect_file(mall_path), method="hierarchical", k=3, features=MALL_FEATURES,
                             seed=5, stability_runs=2)
    assert doc == json.loads(json.dumps(api.to_json("en"), ensure_ascii=False, default=str))


@pytest.mark.parametrize("method", ["kmeans", "dbscan", "rfm"])
def test_method_option(capsys, datasets, method):
    path = datasets / "07_chinese" / "consumption_data.xls"
    doc = segment_json(capsys, path, "--method", method, "--stability", "0", "--lang", "en")
    assert doc["method"] == method
    assert sum(s["size"] for s in doc["segments"]) == doc["customers"] == 940
    assert doc["metrics"]["stability"] is None


def test_seed_is_respected(capsys, mall_path):
    first = segment_json(capsys, mall_path, "--seed", 1, "--stability", "3", "--lang", "en")
    again = segment_json(capsys, mall_path, "--seed", 1, "--stability", "3", "--lang", "en")
    other = segment_json(capsys, mall_path, "--seed", 2, "--stability", "3", "--lang", "en")
    assert first == again
    # the seed reaches the core: the resamples of the stability score are those of seed 2
    api = segment_inspection(inspect_file(mall_path), seed=2, stability_runs=3)
    assert other["metrics"]["stability"] == api.segmentation.stability.mean_ari
    assert other["metrics"]["stability"] != first["metrics"]["stability"]


def test_chinese_names(capsys, mall_path):
    doc = segment_json(capsys, mall_path, "--lang", "zh", "--stability", "0")
    for s in doc["segments"]:
        assert s["name"] == s["names"]["zh"] and CJK.search(s["name"])
        assert all(CJK.search(t) for t in s["traits"])
        assert all(CJK.search(a) for a in s["actions"])


def test_text_output(capsys, mall_path):
    code = main(["segment", str(mall_path), "--features", ",".join(MALL_FEATURES), "--stability", "0", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("5 segments of 200 customers (kmeans)\n")
    assert "Quality: silhouette 0.55" in out and "stability –" in out
    assert "Typical customers — 81 customers (40%)" in out


# ----------------------------------------------------------- workbook
@pytest.mark.parametrize("lang, sheet", [("en", "Customers"), ("zh", "客户")])
def test_out_writes_every_customer_with_their_segment(capsys, tmp_path, mall_path, lang, sheet):
    out = tmp_path / f"segments_{lang}.xlsx"
    doc = segment_json(capsys, mall_path, "--out", out, "--lang", lang, "--stability", "0")
    assert doc["out"] == str(out) and out.exists()
    title, rows = sheet_rows(out)
    assert title == sheet
    header, body = rows[0], rows[1:]
    assert header[0] == "CustomerID" and header[-1] == "segment"
    raw = pd.read_csv(mall_path, dtype={"CustomerID": str})
    assert len(body) == 200
    assert [r[0] for r in body] == raw["CustomerID"].tolist()  # ids as text: "0001"…
    names = Counter(r[-1] for r in body)
    assert names == {s["name"]: s["size"] for s in doc["segments"]}
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def test_out_over_the_input_is_refused(capsys, tmp_path, mall_path):
    copy = tmp_path / "Mall_Customers.csv"
    copy.write_bytes(mall_path.read_bytes())
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    for target in (copy, tmp_path / "." / "Mall_Customers.csv"):
        code = main(["segment", str(copy), "--out", str(target), "--lang", "en", "--stability", "0"])
        err = capsys.readouterr().err
        assert code == 3
        assert "Mall_Customers.csv is the file you opened" in err and len(err.strip().splitlines()) == 1
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Mall_Customers.csv"]


def test_names_that_look_like_formulas_stay_text(capsys, tmp_path):
    src = tmp_path / "people.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["customer_id", "name", "age", "annual_income"])
        for i in range(40):
            w.writerow([f"C{i:03d}", FORMULAS[i] if i < len(FORMULAS) else f"Person {i}",
                        20 + (i * 7) % 50, 20 + (i * 13) % 90])
    out = tmp_path / "people.xlsx"
    assert main(["segment", str(src), "--out", str(out), "--stability", "0", "--lang", "en"]) == 0
    capsys.readouterr()
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    col = header.index("name") + 1
    for row, text in enumerate(FORMULAS, start=2):
        cell = ws.cell(row=row, column=col)
        assert cell.data_type == "s" and cell.value == text
    assert ws.max_row == 41
    # no formula element anywhere in the sheet
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


# ----------------------------------------------------------- refusals
def test_k_too_large_is_exit_code_3(capsys, mall_path):
    code = main(["segment", str(mall_path), "--method", "kmeans", "--k", "500", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("persona-desktop: Cannot make 500 segments") and len(err.strip().splitlines()) == 1


def test_a_basket_file_is_exit_code_3_with_one_line(datasets):
    env = dict(os.environ, PERSONA_LANG="zh")
    result = subprocess.run(
        [sys.executable, "-m", "persona_desktop", "segment", str(datasets / "04_groceries" / "groceries.csv")],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=300, check=False)
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "groceries.csv" in lines[0] and "购物篮" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_outlying_accounts_are_a_list_not_a_segment(tmp_path, capsys):
    """Issue 26, point 5: three planted groups of 500 and 6 accounts far from everyone. The six would make
    the best-scoring k a segment of 6 (0.4 %): no persona; they sit in their nearest segment and are listed
    apart — in the JSON, on a sheet of their own and counted on the Summary, in both languages."""
    import numpy as np
    from openpyxl import load_workbook

    rng = np.random.default_rng(3)
    blocks = [rng.normal(centre, 0.35, size=(500, 2)) for centre in ((0, 0), (4, 0), (0, 4))]
    X = np.vstack([*blocks, rng.normal((14, 14), 0.2, size=(6, 2))])
    ids = [f"K{i:05d}" for i in range(len(X))]
    path = tmp_path / "accounts.csv"
    pd.DataFrame({"Customer ID": ids, "Store visits": X[:, 0].round(3) + 10,
                  "Basket score": X[:, 1].round(3) + 10}).to_csv(path, index=False)
    assert main(["segment", str(path), "--json", "--lang", "en", "--method", "kmeans"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["k"] == 3 and sorted(doc["outlying_accounts"]) == ids[1500:]
    assert any("listed apart as outlying accounts" in n for n in doc["notes"])
    for lang, sheet in (("en", "Outlying accounts"), ("zh", "离群客户")):
        out = tmp_path / f"accounts_{lang}.xlsx"
        assert main(["analyze", str(path), "--out", str(out), "--lang", lang]) == 0
        book = load_workbook(out, read_only=True)
        rows = list(book[sheet].iter_rows(values_only=True))
        assert sorted(r[0] for r in rows[1:]) == ids[1500:]
        summary = [r for r in book[book.sheetnames[0]].iter_rows(values_only=True) if r and r[0]]
        assert any(str(r[0]).startswith(("Outlying accounts:", "离群客户：")) and r[1] == 6 for r in summary)
