"""The PyInstaller build's trimming rules (build_scripts/trim.py), checked without building."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("trim", ROOT / "build_scripts" / "trim.py")
trim = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trim)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/imageformats/qico.dll",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/lib/libicudata.so.73",
    "pyarrow/libarrow.so.2600",
    "pyarrow/libarrow_substrait.so.2600",
    "pyarrow/lib.cpython-311-x86_64-linux-gnu.so",
    "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
    "matplotlib/mpl-data/fonts/ttf/DejaVuSans-Bold.ttf",
    "matplotlib/mpl-data/fonts/ttf/LastResortHE-Regular.ttf",
    "matplotlib/mpl-data/matplotlibrc",
    "resources/translations/persona_desktop_zh_CN.qm",
    "resources/sample/online_retail_sample.csv",
])
def test_what_the_app_needs_is_kept(dest):
    assert trim.keep(dest)
    assert trim.keep(dest.replace("/", "\\"))  # Windows separators


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/generic/libqtuiotouchplugin.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-x11-integration.so",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
    "PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so",
    "PySide6/Qt/plugins/wayland-graphics-integration-client/libvulkan-server.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qtdeclarative_zh_CN.qm",
    "pyarrow/libarrow_flight.so.2600",
    "pyarrow/libarrow_s3.so.2600",
    "pyarrow/include/arrow/api.h",
    "pyarrow/table.pxi",
    "matplotlib/mpl-data/sample_data/goog.npz",
    "matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf",
    "matplotlib/mpl-data/fonts/ttf/DejaVuSerif.ttf",
    "matplotlib/mpl-data/fonts/ttf/DejaVuSansMono.ttf",
    "matplotlib/mpl-data/fonts/afm/phvr8a.afm",
])
def test_what_it_never_uses_is_left_out(dest):
    assert not trim.keep(dest)
    assert not trim.keep(dest.replace("/", "\\"))


def test_orphans_are_libraries_only_dropped_binaries_need():
    needs = {
        "src/ext.so": ["libqt.so", "libc.so.6"],
        "src/libqt.so": ["libglib.so"],
        "src/libglib.so": [],
        "src/libgtk.so": ["libpango.so", "libglib.so"],
        "src/libpango.so": ["libcairo.so"],
        "src/libcairo.so": [],
        "src/theme.so": ["libgtk.so", "libqt.so"],
        "src/other_ext.so": [],
    }
    kept = [
        ("pkg/ext.so", "src/ext.so", "EXTENSION"),
        ("libqt.so", "src/libqt.so", "BINARY"),
        ("libglib.so", "src/libglib.so", "BINARY"),
        ("libgtk.so", "src/libgtk.so", "BINARY"),
        ("libpango.so", "src/libpango.so", "BINARY"),
        ("libcairo.so", "src/libcairo.so", "BINARY"),
        ("pkg/other_ext.so", "src/other_ext.so", "EXTENSION"),  # needed by nothing, but loaded by name
        ("libgtk.so.0", "libgtk.so", "SYMLINK"),
    ]
    dropped = [("PySide6/Qt/plugins/platformthemes/theme.so", "src/theme.so", "BINARY")]
    found = trim.orphans(kept, dropped, lambda src: needs[src])
    # the whole chain theme -> gtk -> pango -> cairo goes; what the kept extension needs stays
    assert found == {"libgtk.so", "libpango.so", "libcairo.so"}
    assert trim.drop_dangling_links([e for e in kept if e[0] not in found]) == [
        e for e in kept if e[0] not in found and e[2] != "SYMLINK"]


@pytest.mark.skipif(sys.platform == "win32", reason="links are not used on Windows")
def test_identical_binaries_become_links_to_the_first(tmp_path):
    for name, data in (("a.so", b"same"), ("b.so", b"same"), ("c.so", b"other")):
        (tmp_path / name).write_bytes(data)
    entries = [("numpy.libs/libgfortran.so", str(tmp_path / "a.so"), "BINARY"),
               ("scipy.libs/libgfortran.so", str(tmp_path / "b.so"), "BINARY"),
               ("scipy.libs/libopenblas.so", str(tmp_path / "c.so"), "BINARY")]
    shared = trim.share_duplicates(entries)
    assert shared[0] == entries[0] and shared[2] == entries[2]
    assert shared[1] == ("scipy.libs/libgfortran.so", os.path.join("..", "numpy.libs", "libgfortran.so"), "SYMLINK")
    assert trim.drop_dangling_links(shared) == shared  # the link's target is shipped


def _stdlib_extension_with_debug_info() -> Path | None:
    if not sys.platform.startswith("linux") or not (shutil.which("objcopy") and shutil.which("readelf")):
        return None
    import _json

    candidate = getattr(_json, "__file__", None)  # None when built into the interpreter
    if candidate and ".debug_info" in subprocess.run(["readelf", "-S", "-W", candidate], capture_output=True,
                                                     text=True).stdout:
        return Path(candidate)
    return None


def test_debug_sections_go_symbols_stay_and_the_module_still_loads(tmp_path):
    module = _stdlib_extension_with_debug_info()
    if module is None:
        pytest.skip("this Python's extension modules carry no debug sections (or no binutils)")
    dest = f"python3.11/lib-dynload/{module.name}"
    entries, changed = trim.without_debug_sections([(dest, str(module), "EXTENSION"),
                                                    ("numpy.libs/libopenblas.so", str(module), "BINARY")], tmp_path)
    assert changed == [dest]  # never a wheel-vendored library
    assert entries[1][1] == str(module)
    copy = Path(entries[0][1])
    sections = subprocess.run(["readelf", "-S", "-W", str(copy)], capture_output=True, text=True).stdout
    assert ".debug_info" not in sections and ".symtab" in sections
    assert copy.stat().st_size < module.stat().st_size
    # the stripped copy is the one imported, and it works
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import _json; "
            "assert _json.__file__.startswith(sys.argv[1]), _json.__file__; "
            "import json; print(json.dumps({'a': [1, 2]}))")
    done = subprocess.run([sys.executable, "-c", code, str(copy.parent)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '{"a": [1, 2]}'
