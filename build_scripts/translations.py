"""Update the Qt translation files from the GUI's source and compile them.

    .venv/bin/python build_scripts/translations.py          # lupdate + lrelease
    .venv/bin/python build_scripts/translations.py --check  # exit 1 if a string is untranslated

``pyside6-lupdate`` collects every ``self.tr()`` / ``QCoreApplication.translate()``
string of ``persona_desktop/gui`` into ``resources/translations/*.ts`` (edit
those in Qt Linguist, ``pyside6-linguist``); ``pyside6-lrelease`` compiles them
to the ``.qm`` files the app loads. The ``.qm`` files are committed so that
``pip install .`` needs no Qt tools.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_FILES = [ROOT / "resources" / "translations" / "persona_desktop_zh_CN.ts"]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def untranslated(ts: Path) -> list[str]:
    """Source strings of *ts* without a finished translation (obsolete ones ignored)."""
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        kind = translation.get("type") if translation is not None else "unfinished"
        if kind in ("obsolete", "vanished"):
            continue
        if translation is None or kind == "unfinished" or not (translation.text or "").strip():
            missing.append(message.findtext("source") or "")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report untranslated strings")
    args = parser.parse_args()
    if not args.check:
        sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "persona_desktop" / "gui").glob("*.py"))
        for ts in TS_FILES:
            subprocess.run([_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(ts.relative_to(ROOT))],
                           cwd=ROOT, check=True)
            subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    status = 0
    for ts in TS_FILES:
        missing = untranslated(ts)
        for source in missing:
            print(f"{ts.name}: untranslated: {source!r}")
        status |= bool(missing)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
