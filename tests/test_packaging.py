"""What ships: packages listed in pyproject.toml, data in the wheel, the README's
quick start matching CI, and the bundled sample opening as an order file."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample" / "online_retail_sample.csv"
LICENCE = ROOT / "resources" / "LICENSES" / "CC-BY-4.0.txt"
QUICK_START = ["python3 dev.py demo", "python3 dev.py test"]


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


def _python_dirs(top: Path, prefix: str) -> set[str]:
    """Dotted names of *top* and every folder below it that holds Python files."""
    found = set()
    for folder in [top, *(p for p in top.rglob("*") if p.is_dir())]:
        if "__pycache__" in folder.parts or folder.name.endswith(".egg-info"):
            continue
        if any(folder.glob("*.py")):
            rel = folder.relative_to(top).parts
            found.add(".".join((prefix, *rel)))
    return found


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    present = _python_dirs(ROOT / "persona_desktop", "persona_desktop")
    present |= _python_dirs(ROOT / "resources", "persona_desktop.resources")
    assert not present - listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(present - listed)}"
    assert "persona_desktop.resources" in listed


def test_every_listed_package_exists():
    config = _pyproject()["tool"]["setuptools"]
    roots = config.get("package-dir", {})
    for name in config["packages"]:
        if name in roots:
            folder = ROOT / roots[name]
        else:
            base = max((p for p in roots if name.startswith(p + ".")), key=len, default=None)
            folder = ROOT / roots[base] / name[len(base) + 1:].replace(".", "/") if base else ROOT / name.replace(".", "/")
        if name.startswith("persona_desktop.resources."):  # a data-only folder of resources/
            assert folder.is_dir() and any(folder.iterdir()), f"{name} is listed in pyproject.toml but {folder} is empty"
            continue
        assert (folder / "__init__.py").exists(), f"{name} is listed in pyproject.toml but {folder} has no __init__.py"


def _missing_build_tools() -> list[str]:
    """The [build-system] requirements not met in this environment."""
    missing = []
    for requirement in _pyproject()["build-system"]["requires"]:
        match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(?:>=\s*([\d.]+))?", requirement)
        name, minimum = match.group(1), match.group(2)
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(f"{requirement} (not installed)")
            continue
        if minimum and tuple(map(int, re.findall(r"\d+", have)[:3])) < tuple(map(int, minimum.split("."))):
            missing.append(f"{requirement} (have {have})")
    return missing


@pytest.mark.slow
def test_wheel_ships_the_sample_and_licences(tmp_path):
    missing = _missing_build_tools()
    if missing:
        pytest.skip("building a wheel without build isolation needs " + ", ".join(missing)
                    + " in this environment; `python3 dev.py test` installs them")
    # Build from a copy, so no build/ folder from an earlier build can leak into the wheel.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("persona_desktop", "resources"):
        shutil.copytree(ROOT / name, src / name, ignore=skip)
    out = tmp_path / "wheels"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--disable-pip-version-check",
         "-q", "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = out.glob("persona_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    assert "persona_desktop/resources/sample/online_retail_sample.csv" in names
    assert "persona_desktop/resources/LICENSES/CC-BY-4.0.txt" in names
    # Everything the package-data patterns are meant to ship, including any
    # file in a sub-folder (which "icons/*" would not match).
    res = ROOT / "resources"
    meant = [p for d in ("sample", "LICENSES", "icons") if (res / d).exists() for p in (res / d).rglob("*") if p.is_file()]
    meant += list((res / "translations").glob("*.qm"))
    expected = {"persona_desktop/resources/" + p.relative_to(res).as_posix() for p in meant}
    assert not expected - names, f"not in the wheel: {sorted(expected - names)}"


def _quick_start_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\s*$(.*?)(?=^## )", text, re.M | re.S)
    assert section, "README.md has no '## Quick start' section"
    block = re.search(r"^```[^\n]*\n(.*?)^```", section.group(1), re.M | re.S)
    assert block, "the Quick start section has no code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_quick_start_matches_ci():
    commands = _quick_start_block()
    assert commands == QUICK_START
    test_command = next(c for c in commands if c.split()[2:3] == ["test"])

    run = ROOT / ".ci" / "run"
    lines = [line.strip() for line in run.read_text(encoding="utf-8").splitlines()]
    commands_in_ci = [line for line in lines if line and not line.startswith("#")]
    assert commands_in_ci[-1] == test_command
    if os.name == "posix":
        assert os.access(run, os.X_OK), ".ci/run is not executable"


def test_sample_opens_as_orders():
    from persona_desktop.core.table.understand import inspect_file

    result = inspect_file(SAMPLE)
    assert result.kind.value == "orders"
    assert result.customers is not None
    assert len(result.customers.data) > 100


def test_sample_attribution_is_shipped():
    licence = LICENCE.read_text(encoding="utf-8")
    for needed in ("Daqing Chen", "10.24432/C5BW33", "https://creativecommons.org/licenses/by/4.0/",
                   "Attribution 4.0 International"):
        assert needed in licence
