"""The build's smaller ICU data library (build_scripts/icu_data.py), checked on PySide6's real one."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("icu_data", ROOT / "build_scripts" / "icu_data.py")
icu_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icu_data)


def _wheel_library() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


LIBRARY = _wheel_library() if sys.platform.startswith("linux") else None
needs_tools = pytest.mark.skipif(LIBRARY is None or not all(shutil.which(t) for t in ("gcc", "nm", "readelf")),
                                 reason="Linux, with PySide6's ICU library and gcc, nm, readelf")


@pytest.mark.parametrize("name", [
    "icudt73l/coll/root.res", "icudt73l/coll/zh.res", "icudt73l/coll/zh_Hant.res", "icudt73l/coll/ucadata.icu",
    "icudt73l/brkitr/cjdict.dict", "icudt73l/brkitr/root.res", "icudt73l/brkitr/word.brk",
    "icudt73l/brkitr/en_US_POSIX.res", "icudt73l/zone/tzdbNames.res", "icudt73l/zone/zh_Hans_SG.res",
    "icudt73l/curr/pool.res", "icudt73l/lang/res_index.res", "icudt73l/unit/en_GB.res",
    "icudt73l/de.res", "icudt73l/fr_CA.res", "icudt73l/uts46.nrm", "icudt73l/cnvalias.icu",
    "icudt73l/supplementalData.res", "icudt73l/likelySubtags.res",
])
def test_what_qt_draws_on_for_english_and_chinese_is_kept(name):
    assert icu_data.wanted(name)


@pytest.mark.parametrize("name", [
    "icudt73l/gb18030.cnv", "icudt73l/ibm-1390_P110-2003.cnv", "icudt73l/translit/root.res",
    "icudt73l/rbnf/zh.res", "icudt73l/coll/de.res", "icudt73l/coll/de_.res", "icudt73l/lang/fr_CA.res",
    "icudt73l/zone/ja.res", "icudt73l/brkitr/thaidict.dict", "icudt73l/brkitr/ja.res",
])
def test_what_it_never_uses_is_left_out(name):
    assert not icu_data.wanted(name)


@needs_tools
def test_the_package_keeps_the_wanted_items_byte_for_byte(tmp_path):
    version = LIBRARY.name.rsplit(".", 1)[-1]
    entries = [(f"PySide6/Qt/lib/{LIBRARY.name}", str(LIBRARY), "BINARY"), ("other.so", "other.so", "BINARY")]
    out, sizes = icu_data.smaller_icu_library(entries, tmp_path)
    assert out[1] == entries[1] and out[0][0] == entries[0][0]
    before, after = sizes
    assert after < before / 2
    # what the new library holds, read back through its own symbol, is the wanted items unchanged
    symbol = f"icudt{version}_dat"
    _, items = icu_data.read_package(icu_data.package_in(str(LIBRARY), symbol))
    _, kept = icu_data.read_package(icu_data.package_in(out[0][1], symbol))
    assert kept == [(name, data) for name, data in items if icu_data.wanted(name)]
    assert len(kept) < len(items)


@needs_tools
def test_qt_still_sorts_chinese_by_pinyin_with_the_smaller_library(tmp_path):
    """The smaller library, loaded in place of the wheel's (same soname), serves Qt's collation."""
    out, _ = icu_data.smaller_icu_library([(f"PySide6/Qt/lib/{LIBRARY.name}", str(LIBRARY), "BINARY")], tmp_path)
    code = textwrap.dedent("""
        from PySide6.QtCore import QCollator, QLocale, QStringDecoder
        zh = QCollator(QLocale("zh_CN"))
        print(sorted(["张三", "李四", "王五", "阿明"], key=zh.sortKey))
        de = QCollator(QLocale("de_DE"))  # no German rules left: the root order
        print(sorted(["Zebra", "Äpfel", "apfel"], key=de.sortKey))
        print(QStringDecoder("GB18030").isValid())  # the encoding tables are what was left out
    """)
    env = dict(os.environ, LD_PRELOAD=out[0][1], QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["['阿明', '李四', '王五', '张三']", "['apfel', 'Äpfel', 'Zebra']", "False"]
