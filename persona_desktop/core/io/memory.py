"""How much memory this computer has free, without a dependency for it.

A text file is read whole (bytes, then text, then Arrow and pandas columns):
reading Online Retail repeated to 1 GB (11.4 million lines) peaked at 4.4 GB,
4.3 times the file. :func:`check_fits` refuses a file that would need
more than the memory free now, with a message, instead of letting the
computer swap or the reader die.
"""

from __future__ import annotations

import ctypes
import os
import sys

from persona_desktop.core.errors import ReadError

__all__ = ["available_memory", "check_fits", "TEXT_MEMORY_FACTOR"]

TEXT_MEMORY_FACTOR = 5  # peak memory over file size, measured 4.3 (see the module docstring)


def _windows_available() -> int | None:
    class _Status(ctypes.Structure):
        _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                    ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                    ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                    ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                    ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]

    status = _Status()
    status.dwLength = ctypes.sizeof(_Status)
    if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
        return int(status.ullAvailPhys)
    return None


def available_memory() -> int | None:
    """Bytes of memory free for a new allocation now (Linux: MemAvailable), or None if unknown."""
    try:
        if sys.platform.startswith("linux"):
            with open("/proc/meminfo", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        if sys.platform == "win32":
            return _windows_available()
        # macOS: no count of free pages in sysconf; half the installed memory is a fair guess
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (OSError, ValueError, AttributeError):
        return None


def check_fits(name: str, size: int, need: int) -> None:
    """Refuse a file of *size* bytes whose reading needs *need* bytes, more than the memory free now."""
    free = available_memory()
    if free is not None and need > free:
        mb = 1024**2
        raise ReadError("read.needs_memory", file=name, size_mb=max(size // mb, 1), need_mb=need // mb,
                        free_mb=free // mb)
