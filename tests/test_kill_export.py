"""``kill -9`` in the middle of an export leaves the previous output exactly as it was.

A child process exports Online Retail's 541,909 order lines as CSV over a file
that already exists; the parent kills it with SIGKILL once the hidden
temporary file is being filled, then checks the old file byte for byte.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = r"""
import sys
from persona_desktop.core.export.files import write_csv
from persona_desktop.core.io import load_table

table = load_table(sys.argv[1]).data
print("loaded", flush=True)
write_csv(sys.argv[2], table, chunk=20_000)
print("finished", flush=True)
"""


def test_kill_9_in_the_middle_of_an_export_leaves_the_previous_file(datasets, tmp_path):
    target = tmp_path / "customers.csv"
    previous = "the previous export\r\nkept, byte for byte\r\n".encode("utf-8-sig")
    target.write_bytes(previous)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(datasets / "01_online_retail" / "online_retail.csv"),
                              str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "loaded", child.stderr.read()
    deadline = time.monotonic() + 60
    part = None
    while time.monotonic() < deadline:
        parts = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
        if parts and parts[0].stat().st_size > 1_000_000:  # well into the write
            part = parts[0]
            break
        time.sleep(0.01)
    assert part is not None, "the export never started writing its temporary file"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    rest = child.stdout.read()
    assert child.returncode == -signal.SIGKILL
    assert "finished" not in rest  # it really was killed in the middle
    assert target.read_bytes() == previous
    # what is left is only the hidden temporary file, never a half-written customers.csv
    assert sorted(p.name for p in tmp_path.iterdir() if p != part) == ["customers.csv"]
    assert part.name.startswith(".customers.")
