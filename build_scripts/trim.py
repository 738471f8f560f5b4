"""What the PyInstaller build leaves out or shares, as plain functions the spec calls.

Every rule says why. Each one was measured against the Linux one-file build
(README, "A file to double-click"); ``tests/test_build_trim.py`` checks the rules
without building. Never strips symbols: ``strip`` breaks NumPy's bundled
OpenBLAS. Only DWARF debug sections, which the running program never maps,
are removed, and only from binaries that are not wheel-vendored libraries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from persona_desktop.core.project import file_checksum

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination, source, type code)

__all__ = ["keep", "orphans", "share_duplicates", "drop_dangling_links", "without_debug_sections"]

# pyarrow's network and engine libraries behind the modules the spec excludes (Flight RPC, cloud
# file systems); libarrow_substrait stays, pyarrow's core module links it
_ARROW_UNUSED = ("libarrow_flight", "libarrow_python_flight", "libarrow_s3", "libarrow_gcs", "libarrow_azure")
# platform plugins for embedded devices (framebuffer, VNC, EGL without a window system)
_EMBEDDED_PLATFORMS = ("linuxfb", "vnc", "eglfs", "minimalegl", "vkkhrdisplay")
# Wayland parts that only Qt-based compositors (server buffers), cars (IVI), kiosks (fullscreen) and
# old compositors (wl-shell, qt-shell) use; the client, xdg-shell and the EGL integration stay
_WAYLAND_UNUSED = ("dmabuf-server", "drm-egl-server", "shm-emulation-server", "vulkan-server", "libivi-shell",
                   "libwl-shell-plugin", "libqt-shell", "libfullscreen-shell")
# image formats never read or written (PNG is built in; SVG, ICO, ICNS, JPEG and GIF stay)
_IMAGE_FORMATS_UNUSED = ("qtiff", "qwebp", "qtga", "qwbmp")
# matplotlib's fonts: charts use DejaVu Sans (plus the user's CJK font) and LastResort for a
# glyph no font has. Serif, Mono, Display, STIX and Computer Modern serve mathtext and other
# families, and the charts never parse mathtext (text.parse_math is off: labels are data);
# the AFM metrics serve only PDF/PS core fonts, which are off by default
_MPL_FONTS_USED = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
                   "LastResortHE-Regular.ttf", "LICENSE_DEJAVU")


def keep(dest: str) -> bool:
    """Whether the file collected at *dest* (a path inside the bundle) is shipped."""
    dest = dest.replace("\\", "/")
    # Qt's own translations: only the Chinese ones the app installs (qtbase_zh_CN), not ~40 languages
    if "/translations/" in dest and "PySide6" in dest:
        return "zh_CN" in dest and "qtbase" in dest
    if any(lib in dest for lib in _ARROW_UNUSED):
        return False
    # pyarrow's C++ headers and Cython sources: nothing reads them at run time
    if dest.startswith("pyarrow/") and (dest.startswith("pyarrow/include/")
                                        or dest.endswith((".pyx", ".pxi", ".pxd", ".h", ".cc"))):
        return False
    # the GTK platform theme loads GTK into the process and warns where GTK is missing; Qt's own
    # Fusion look serves instead
    if "platformthemes/libqgtk3" in dest:
        return False
    if "/platforms/" in dest and any(p in dest for p in _EMBEDDED_PLATFORMS):
        return False
    # evdev/TUIO input plugins and the EGLFS device integrations serve the embedded platforms only
    # (the TUIO plugin alone pulls in QtNetwork and Kerberos)
    if any(part in dest for part in ("/plugins/generic/", "/plugins/egldeviceintegrations/", "libQt6EglFS",
                                      "libQt6EglFsKmsSupport")):
        return False
    if any(p in dest for p in _WAYLAND_UNUSED):
        return False
    if "/imageformats/" in dest and any(p in dest for p in _IMAGE_FORMATS_UNUSED):
        return False
    # matplotlib's example data: only its gallery reads it
    if "mpl-data/sample_data/" in dest:
        return False
    if "mpl-data/fonts/" in dest:
        return dest.rsplit("/", 1)[-1] in _MPL_FONTS_USED
    return True


def orphans(kept: list[Entry], dropped: list[Entry], needs: Callable[[str], Iterable[str]]) -> set[str]:
    """Destinations of shared libraries that only dropped binaries need.

    E.g. the GTK theme's GTK, Pango and cairo, or the TUIO plugin's QtNetwork
    and Kerberos: left alone they would still be copied in, used by nothing.
    *needs(source)* names the libraries a binary links (file names). Python
    extension modules and Qt plugins are loaded by name, never as a dependency,
    so they are never orphans.
    """
    libraries = {dest for dest, _src, kind in kept if kind == "BINARY" and "plugins" not in dest}

    def needed(entries: list[Entry]) -> set[str]:
        out: set[str] = set()
        for _dest, src, kind in entries:
            if kind != "SYMLINK":
                out.update(os.path.basename(name) for name in needs(src))
        return out

    found: set[str] = set()
    while True:  # a chain: a library that only an orphan needs is an orphan too
        live = [e for e in kept if e[0] not in found]
        gone = dropped + [e for e in kept if e[0] in found]
        only_gone = needed(gone) - needed(live)
        new = {d for d in libraries if os.path.basename(d) in only_gone} - found
        if not new:
            return found
        found |= new


def share_duplicates(binaries: list[Entry]) -> list[Entry]:
    """Identical binaries become links to the first copy (not on Windows, where links need rights).

    pyarrow's wheel holds libarrow_python three times (.so, .so.2600,
    .so.2600.1.0) and SciPy's holds NumPy's gfortran and quadmath again.
    """
    if sys.platform == "win32":
        return binaries
    first: dict[tuple[int, str], str] = {}
    out: list[Entry] = []
    for dest, src, kind in binaries:
        if kind == "SYMLINK" or not os.path.isfile(src):
            out.append((dest, src, kind))
            continue
        key = (os.path.getsize(src), file_checksum(src))
        if key in first:
            target = os.path.relpath(first[key], os.path.dirname(dest) or ".")
            out.append((dest, target, "SYMLINK"))
        else:
            first[key] = dest
            out.append((dest, src, kind))
    return out


def drop_dangling_links(binaries: list[Entry]) -> list[Entry]:
    """Links whose target was left out (PyInstaller adds top-level links to Qt's libraries)."""
    dests = {os.path.normpath(dest) for dest, _src, kind in binaries if kind != "SYMLINK"}
    out = []
    for dest, src, kind in binaries:
        if kind == "SYMLINK" and os.path.normpath(os.path.join(os.path.dirname(dest), src)) not in dests:
            continue
        out.append((dest, src, kind))
    return out


def _debug_sections_to_drop(path: str) -> bool:
    """It has DWARF sections, and patchelf never rewrote it (auditwheel's $ORIGIN search path)."""
    done = subprocess.run(["readelf", "-S", "-d", "-W", path], capture_output=True, text=True)
    return done.returncode == 0 and ".debug_info" in done.stdout and "$ORIGIN" not in done.stdout


def without_debug_sections(binaries: list[Entry], workdir: Path) -> tuple[list[Entry], list[str]]:
    """Copies of ELF binaries without their DWARF debug sections, in *workdir*; (entries, what changed).

    A Python built from source (pyenv, actions/setup-python) carries about
    15 MB of them in libpython and its extension modules, as do a few wheels
    built with ``-g``. Symbol tables stay (``objcopy --strip-debug``), and
    neither wheel-vendored libraries (``*.libs/``, where NumPy's OpenBLAS
    lives) nor any binary that auditwheel's patchelf rewrote (an ``$ORIGIN``
    search path) is touched: those are what ``strip`` breaks. Linux only: Windows keeps debug data in .pdb files and
    python.org's macOS build has none inside.
    """
    if not sys.platform.startswith("linux") or not shutil.which("objcopy") or not shutil.which("readelf"):
        return binaries, []
    out, changed = [], []
    for dest, src, kind in binaries:
        posix = dest.replace("\\", "/")
        if kind in ("BINARY", "EXTENSION") and ".libs/" not in posix and _debug_sections_to_drop(src):
            target = workdir / "without-debug" / posix
            target.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["objcopy", "--strip-debug", src, str(target)], check=True)
            shutil.copymode(src, target)
            out.append((dest, str(target), kind))
            changed.append(dest)
        else:
            out.append((dest, src, kind))
    return out, changed
