"""Build the double-click executable with PyInstaller.

    python build_scripts/build.py             # dist/persona-desktop (.exe on Windows): one windowed file
    python build_scripts/build.py --onedir    # dist/persona-desktop/: one folder (starts faster)
    python build_scripts/build.py --selftest  # then run the build's --selftest; fail on any stderr output

Run it with the Python environment the app is installed in (``pip install .``);
PyInstaller is installed into it when missing. The name and version come from
pyproject.toml; the recipe is build_scripts/persona_desktop.spec. Prints the
size of what it built.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build_scripts" / "persona_desktop.spec"


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "pyinstaller>=6.10"], check=True)


def windows_version_file(version: str, name: str) -> Path:
    """The version resource Windows shows in the file's Properties → Details."""
    parts = [int(p) for p in (version.split(".") + ["0", "0", "0"])[:4] if p.isdigit()] + [0] * 4
    v = tuple(parts[:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'Persona Desktop'),
      StringStruct('FileDescription', 'Persona Desktop: customer segments and personas'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', '{name}'),
      StringStruct('OriginalFilename', '{name}.exe'),
      StringStruct('ProductName', 'Persona Desktop'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    path = ROOT / "build" / "version_info.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def icons() -> None:
    """The application icon as .ico (Windows) and .icns (macOS), drawn from our SVG with Qt."""
    if sys.platform not in ("win32", "darwin"):
        return  # Linux executables carry no icon; desktop files name one
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841
    icon = QIcon(str(ROOT / "resources" / "icons" / "persona-desktop.svg"))
    out = ROOT / "build" / "icon"
    out.mkdir(parents=True, exist_ok=True)
    fmt = "ico" if sys.platform == "win32" else "icns"
    pixmap = icon.pixmap(256, 256)
    if not pixmap.save(str(out / f"persona-desktop.{fmt}")):
        pixmap.save(str(out / "persona-desktop.png"))  # Qt lacks the writer: PyInstaller converts PNG (Pillow)


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def built_path(name: str, onedir: bool) -> tuple[Path, Path]:
    """(what was built, the executable to run)."""
    dist = ROOT / "dist"
    exe = name + (".exe" if sys.platform == "win32" else "")
    if sys.platform == "darwin":
        app = dist / "Persona Desktop.app"
        return app, app / "Contents" / "MacOS" / name
    if onedir:
        return dist / name, dist / name / exe
    return dist / exe, dist / exe


def selftest(exe: Path) -> int:
    """Run the build's --selftest; any output on stderr is a failure (a missing plugin, a warning)."""
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    log = ROOT / "build" / "selftest.log"
    env["PERSONA_SELFTEST_LOG"] = str(log)  # a windowed Windows executable has no stdout/stderr
    log.unlink(missing_ok=True)
    done = subprocess.run([str(exe), "--selftest"], capture_output=True, text=True, env=env, timeout=900)
    out, err = done.stdout, done.stderr
    if log.exists():
        text = log.read_text(encoding="utf-8")
        out, _, logged_err = text.partition("--- stderr ---\n")
        err += logged_err
    sys.stdout.write(out)
    if err.strip():
        sys.stdout.write(f"self-test wrote to stderr (a failure):\n{err}")
        return 1
    if done.returncode != 0:
        sys.stdout.write(f"self-test exit code {done.returncode}\n")
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onedir", action="store_true", help="one folder instead of one file")
    parser.add_argument("--selftest", action="store_true", help="run the built executable's --selftest")
    args = parser.parse_args()
    meta = project()
    name, version = meta["name"], meta["version"]
    ensure_pyinstaller()
    icons()
    if sys.platform == "win32":
        windows_version_file(version, name)
    # zlib level 9 for the Python archive too (PyInstaller's default there is 6): 0.5 MB less, no slower to read
    env = dict(os.environ, PERSONA_BUILD_ONEDIR="1" if args.onedir else "0", PYINSTALLER_ZLIB_COMPRESSION_LEVEL="9")
    target, exe = built_path(name, args.onedir)
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"), str(SPEC)]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    print(f"built {target.relative_to(ROOT)} ({name} {version}): {size_of(target) / 1e6:.1f} MB")
    return selftest(exe) if args.selftest else 0


if __name__ == "__main__":
    raise SystemExit(main())
