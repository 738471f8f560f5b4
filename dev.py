"""Set up and run Persona Desktop from a checkout: the README's two commands.

    python3 dev.py demo [ARGS…]   open the app on the bundled sample
    python3 dev.py test [ARGS…]   run the whole test suite (ARGS go to pytest)

Each command sets itself up first, so a fresh machine needs only Python 3.11+:

1. checks the Python version;
2. on Debian/Ubuntu, finds the system libraries Qt needs that are missing and,
   as root, installs them with apt-get (otherwise prints the sudo line);
3. creates .venv next to this file with this interpreter, if it is missing;
4. installs the project into it, editable, with its test tools, whenever
   pyproject.toml changed since the last install (a stamp inside .venv);
5. runs ``persona-desktop --demo`` or ``python -m pytest`` from .venv, with
   Qt offscreen for the tests when there is no display.

Standard library only; works on Linux, macOS and Windows.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "persona-install.sha256"
MIN_PYTHON = (3, 11)

# Debian/Ubuntu packages for Qt (PySide6 wheels bundle Qt itself, not these).
APT_COMMON = [
    "libgl1", "libegl1", "libglib2.0-0", "libxkbcommon0", "libfontconfig1",
    "libdbus-1-3", "libx11-6", "fonts-wqy-microhei",
]
# What the xcb platform plugin (a real window) links against as well.
APT_WINDOW = [
    "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
    "libxcb-shape0", "libxcb-randr0", "libxcb-render-util0", "libxcb-image0",
    "libxcb-xinerama0", "libxcb-xkb1", "libx11-xcb1", "libxcb-sync1",
    "libxcb-xfixes0", "libxcb-shm0", "libxcb-render0", "libxcb-util1",
]
USAGE = "usage: python3 dev.py demo [ARGS…] | python3 dev.py test [PYTEST ARGS…]"


def say(text: str) -> None:
    print(f"dev.py: {text}", flush=True)


def run(cmd: list, **kwargs) -> None:
    """Run a set-up step; stop with its exit code when it fails."""
    code = subprocess.call([str(c) for c in cmd], **kwargs)
    if code != 0:
        say(f"this step failed (exit code {code}): {' '.join(str(c) for c in cmd)}")
        sys.exit(code)


def check_python() -> None:
    if sys.version_info < MIN_PYTHON:
        have = ".".join(map(str, sys.version_info[:3]))
        need = ".".join(map(str, MIN_PYTHON))
        sys.exit(f"dev.py: Persona Desktop needs Python {need} or newer, and this is Python {have}.\n"
                 f"Install a newer Python and run, for example: python{need} dev.py test")


def missing_debs(packages: list) -> list:
    """The packages of *packages* that dpkg does not list as installed."""
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Status}\n", *packages],
                         capture_output=True, text=True).stdout
    installed = {line.split()[0] for line in out.splitlines() if line.endswith(" installed")}
    return [p for p in packages if p not in installed]


def system_packages(packages: list) -> None:
    """Install missing Debian/Ubuntu packages as root; otherwise say how to."""
    if not sys.platform.startswith("linux") or not (shutil.which("apt-get") and shutil.which("dpkg-query")):
        return
    packages = list(packages)
    if not venv_bin("python").exists():
        try:
            import ensurepip  # noqa: F401  (Debian's own Python has it only with pythonX.Y-venv)
        except ImportError:
            packages.append(f"python{sys.version_info[0]}.{sys.version_info[1]}-venv")
    missing = missing_debs(packages)
    if not missing:
        return
    if os.geteuid() != 0:
        say("some system libraries that Qt needs are missing. Please install them with:")
        print(f"    sudo apt-get install --no-install-recommends {' '.join(missing)}", flush=True)
        return
    say(f"Installing system libraries: {' '.join(missing)}…")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if (subprocess.call(["apt-get", "update"], env=env) != 0
            or subprocess.call(["apt-get", "install", "-y", "--no-install-recommends", *missing], env=env) != 0):
        say("apt-get could not install them; carrying on, but Qt may fail to start.")


def venv_bin(name: str) -> Path:
    """A program inside .venv (bin/ on Linux and macOS, Scripts/ on Windows)."""
    if os.name == "nt":
        return VENV / "Scripts" / (name if name.endswith(".exe") else name + ".exe")
    return VENV / "bin" / name


def pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def build_requires() -> list:
    """pyproject.toml's [build-system] requires, so a wheel can be built in .venv."""
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as fh:
        return list(tomllib.load(fh).get("build-system", {}).get("requires", []))


def ensure_venv() -> Path:
    """Create .venv if needed and install the project when pyproject.toml changed."""
    python = venv_bin("python")
    if not python.exists():
        say("Setting up the virtual environment in .venv…")
        run([sys.executable, "-m", "venv", "--clear", VENV])
        say("Upgrading pip…")
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    wanted = pyproject_hash()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        say("Installing Persona Desktop and its dependencies (a few minutes the first time)…")
        run([python, "-m", "pip", "install", "--disable-pip-version-check", *build_requires(),
             "-e", ".[test]"], cwd=ROOT)
        # pyfim (optional, for comparing rule-mining backends) builds from source:
        # try it, and carry on without it where no C compiler is available
        if subprocess.call([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                            "-e", ".[test,fast]"], cwd=ROOT) != 0:
            say("pyfim could not be built here (no C compiler?); the tests that compare with it are skipped.")
        STAMP.write_text(wanted + "\n")
    return python


def main(argv: list) -> int:
    check_python()
    if hasattr(sys.stdout, "reconfigure"):  # a Windows console that cannot show "…"
        sys.stdout.reconfigure(errors="replace")
    if not argv or argv[0] not in ("demo", "test"):
        print(USAGE, file=sys.stderr)
        return 2
    command, extra = argv[0], argv[1:]
    system_packages(APT_COMMON + (APT_WINDOW if command == "demo" else []))
    python = ensure_venv()
    env = dict(os.environ)
    has_display = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if command == "demo":
        if sys.platform.startswith("linux") and not has_display:
            say("no display found (DISPLAY and WAYLAND_DISPLAY are unset); the window may not open.")
        say("Opening Persona Desktop on the bundled sample…")
        cmd = [venv_bin("persona-desktop"), "--demo", *extra]
    else:
        if not has_display:
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
        say("Running the tests…")
        cmd = [python, "-m", "pytest", *extra]
    try:
        return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
