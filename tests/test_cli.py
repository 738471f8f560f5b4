"""``persona-desktop inspect``: its JSON, its text, its exit codes and languages."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from persona_desktop.cli import main

JSON_KEYS = {"file", "format", "encoding", "sheet", "sheets", "rows", "kind", "columns", "cleaning", "customers", "warnings"}


def run_cli(*args: str, lang_env: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PERSONA_LANG", None)
    if lang_env:
        env["LANG"] = lang_env
    return subprocess.run([sys.executable, "-m", "persona_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300, check=False)


def test_inspect_json_on_mall_customers(datasets, capsys):
    code = main(["inspect", str(datasets / "03_mall_customers" / "Mall_Customers.csv"), "--json", "--lang", "en"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert JSON_KEYS <= set(doc)
    assert doc["rows"] == 200 and doc["kind"] == "customers" and doc["customers"] == 200
    roles = {c["name"]: c["role"] for c in doc["columns"]}
    assert roles["CustomerID"] == "customer_id"
    assert roles["Genre"] == "gender"
    assert all({"name", "dtype", "role"} <= set(c) for c in doc["columns"])
    assert all({"step", "rows"} <= set(s) for s in doc["cleaning"])


def test_inspect_json_on_groceries_baskets(datasets, capsys):
    code = main(["inspect", str(datasets / "04_groceries" / "groceries.csv"), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["kind"] == "baskets" and doc["rows"] == 9_835 and doc["baskets"] == 9_835


def test_inspect_text_in_chinese(datasets, capsys):
    code = main(["inspect", str(datasets / "07_chinese" / "meal_order_info.csv"), "--lang", "zh"])
    out = capsys.readouterr().out
    assert code == 0
    assert "文件" in out and "行数" in out and "gbk" in out


@pytest.mark.parametrize("lang, word", [("en", "no such file"), ("zh", "文件不存在")])
def test_unreadable_file_exit_code_3_one_line_no_traceback(tmp_path, lang, word):
    missing = tmp_path / "没有这个文件.csv"
    result = run_cli("inspect", str(missing), "--lang", lang)
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert word in lines[0] and "没有这个文件.csv" in lines[0]
    assert "Traceback" not in result.stderr


def test_binary_junk_exit_code_3(tmp_path):
    junk = tmp_path / "orders.csv"
    junk.write_bytes(bytes(range(256)) * 50)
    result = run_cli("inspect", str(junk), "--json", "--lang", "en")
    assert result.returncode == 3
    assert "orders.csv" in result.stderr and "binary" in result.stderr
    assert "Traceback" not in result.stderr


def test_lang_defaults_to_system_locale(tmp_path):
    result = run_cli("inspect", str(tmp_path / "x.csv"), lang_env="zh_CN.UTF-8")
    assert result.returncode == 3 and "文件不存在" in result.stderr


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert "persona-desktop" in capsys.readouterr().out
    assert main(["--help"]) == 0
    assert "inspect" in capsys.readouterr().out
