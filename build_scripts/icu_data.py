"""A smaller ICU data library for the Linux build: Qt's 32 MB of ICU data, cut to what the app uses.

PySide6's Linux wheels bring ``libicudata.so.73``: one symbol, ``icudt73_dat``,
holding an ICU "common data" package of about 3,900 items. Qt draws on a
few of them; most serve locales, encodings and features the app never
touches. This keeps everything Qt can reach for English and Chinese, and leaves
out:

- **legacy encoding tables** (``*.cnv``, 5 MB). Qt's ``QStringDecoder`` uses them
  for named encodings such as GB18030; the app decodes files in Python, never
  through Qt. UTF-8/16/32 and Latin-1 need no table.
- **transliteration and number spelling** (``translit/``, ``rbnf/``), which Qt
  never calls.
- **per-locale collation, display names, currencies, units and time-zone names**
  of the languages other than English and Chinese, in ``coll/``, ``lang/``,
  ``region/``, ``curr/``, ``unit/``, ``zone/`` and ``brkitr/``. The root data
  stays, so another locale falls back to it: a German file dialog still sorts,
  by the root order instead of German rules. The locales' main data (top level)
  stays whole.
- **the Thai, Lao, Khmer and Burmese word dictionaries**; the Chinese and
  Japanese one (``cjdict``) stays, so Chinese text still breaks at words.

Measured on the Linux one-file build: the package goes from 32.0 to 10.2 MB,
12.4 to 4.4 MB compressed. ``tests/test_build_trim.py`` checks the choice and
the package format; the frozen app's ``--selftest`` and a Chinese collation
check ran against the result.

The package is rebuilt in Python (the format: a data header, a table of
contents of name and data offsets, then the items, each 16-byte aligned) and
linked into a new library with the C compiler (``.incbin``). Without gcc,
objcopy or nm, the wheel's library is kept as it is.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination, source, type code)

__all__ = ["wanted", "read_package", "write_package", "smaller_package", "package_in", "smaller_icu_library"]

_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$")  # af, zh_Hant_TW, de_ (a legacy alias)
_LOCALE_TREES = ("curr", "lang", "region", "unit", "zone", "coll", "brkitr")
_LANGUAGES = ("en", "zh")
_LIBRARY = re.compile(r"libicudata\.so\.(\d+)$")


def wanted(name: str) -> bool:
    """Whether the package item *name* (``icudt73l/coll/zh.res``) is kept."""
    parts = name.split("/")[1:]  # without the package's own name
    if not parts:
        return True
    if parts[0] in ("translit", "rbnf"):
        return False
    if len(parts) == 1:
        return not parts[0].endswith(".cnv")  # cnvalias.icu stays: the names of the built-in encodings
    tree, leaf = parts[0], parts[-1]
    stem, _, ext = leaf.rpartition(".")
    if tree == "brkitr" and ext == "dict":
        return stem == "cjdict"
    if tree in _LOCALE_TREES and ext == "res" and _LOCALE.match(stem) and stem not in ("root", "pool", "res_index"):
        return stem.split("_")[0] in _LANGUAGES
    return True


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """A common-data package's header and its items (name, bytes), in the package's (sorted) order."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27":
        raise ValueError("not an ICU data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    offsets = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(offsets):
        start = header_size + name_at
        name = data[start:data.index(b"\0", start)].decode("ascii")
        end = header_size + offsets[i + 1][1] if i + 1 < count else len(data)
        items.append((name, data[header_size + data_at:end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package with *items* (already sorted by name, as ICU searches them)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    first = -(-(toc_size + len(names)) // 16) * 16
    offsets, body, name_at = [], bytearray(), toc_size
    for name, data in items:
        offsets.append((name_at, first + len(body)))
        name_at += len(name) + 1
        body += data + b"\0" * (-len(data) % 16)
    toc = struct.pack("<I", len(items)) + b"".join(struct.pack("<II", *pair) for pair in offsets)
    return header + toc + names + b"\0" * (first - toc_size - len(names)) + bytes(body)


def smaller_package(data: bytes) -> bytes:
    """*data* without the items :func:`wanted` leaves out."""
    header, items = read_package(data)
    return write_package(header, [(name, item) for name, item in items if wanted(name)])


def _symbol(library: str, name: str) -> tuple[int, int]:
    """The address and size of the exported data symbol *name*."""
    out = subprocess.run(["nm", "-D", "--defined-only", "-S", library], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[3] == name:
            return int(fields[0], 16), int(fields[1], 16)
    raise ValueError(f"{library} exports no {name}")


def _section(library: str, name: str) -> tuple[int, int]:
    """The address and file offset of section *name*."""
    out = subprocess.run(["readelf", "-S", "-W", library], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.replace("]", "] ").split()
        if name in fields:
            at = fields.index(name)
            return int(fields[at + 2], 16), int(fields[at + 3], 16)
    raise ValueError(f"{library} has no {name} section")


def package_in(library: str, symbol: str) -> bytes:
    """The data package the ICU data *library* exports as *symbol* (``icudt73_dat``)."""
    address, size = _symbol(library, symbol)
    section_address, section_offset = _section(library, ".rodata")
    with open(library, "rb") as f:
        f.seek(section_offset + address - section_address)
        return f.read(size)


def _rebuild(library: str, target: Path, version: str) -> tuple[int, int]:
    """Write the smaller *library* to *target*; (package bytes before, after)."""
    symbol = f"icudt{version}_dat"
    data = package_in(library, symbol)
    smaller = smaller_package(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    package = target.with_name(f"icudt{version}l.dat")
    package.write_bytes(smaller)
    source = target.with_name("icudata.S")
    source.write_text(f"""    .section .rodata
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{package.name}"
    .size {symbol}, .-{symbol}
    .section .note.GNU-stack,"",@progbits
""")
    subprocess.run(["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{Path(library).name}", "-o", str(target),
                    source.name], cwd=target.parent, check=True)
    if _symbol(str(target), symbol)[1] != len(smaller):
        raise ValueError(f"{target}: {symbol} is not the package written")
    return len(data), len(smaller)


def smaller_icu_library(binaries: list[Entry], workdir: Path) -> tuple[list[Entry], tuple[int, int] | None]:
    """*binaries* with Qt's ICU data library replaced by the smaller one; (entries, package bytes before, after).

    Linux only (Windows and macOS Qt wheels use the system's ICU or none), and only
    with gcc, nm and readelf at hand; otherwise the entries come back as they are.
    """
    if not sys.platform.startswith("linux") or not all(shutil.which(t) for t in ("gcc", "nm", "readelf")):
        return binaries, None
    out, sizes = [], None
    for dest, src, kind in binaries:
        found = _LIBRARY.search(dest.replace("\\", "/"))
        if found and kind == "BINARY" and "PySide6" in dest and sizes is None:
            target = workdir / "icu" / Path(dest).name
            sizes = _rebuild(src, target, found.group(1))
            out.append((dest, str(target), kind))
        else:
            out.append((dest, src, kind))
    return out, sizes
