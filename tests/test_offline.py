"""The app never touches the network: the whole flow runs with every network call refused.

A fresh process replaces the socket functions that reach another machine
(connect, sendto, name lookup) with ones that record the attempt and fail,
before anything else is imported, then runs ``--selftest``: the sample through
segments, rules, churn, charts, the window with the whole flow clicked through
it, the workbook, the readers. Any attempt is a failure, even one that some
library would have survived.
"""

from __future__ import annotations

import os
import subprocess
import sys

GUARD = r"""
import socket, sys

attempts = []

def _refuse(what):
    def refused(*args, **kwargs):
        attempts.append(what)
        raise OSError(f"network access attempted ({what}); Persona Desktop works offline")
    return refused

def _inet_only(original, what):
    def guarded(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            return _refuse(what)(self, address)
        return original(self, address, *args)
    return guarded

socket.socket.connect = _inet_only(socket.socket.connect, "connect")
socket.socket.connect_ex = _inet_only(socket.socket.connect_ex, "connect_ex")
socket.socket.sendto = lambda self, *a: _refuse("sendto")()
socket.getaddrinfo = _refuse("getaddrinfo")
socket.gethostbyname = _refuse("gethostbyname")
socket.create_connection = _refuse("create_connection")

from persona_desktop.selftest import run_selftest

code = run_selftest()
print("network attempts:", len(attempts), sorted(set(attempts)))
sys.exit(code)
"""


def test_the_whole_flow_runs_with_the_network_refused():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", GUARD], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "network attempts: 0 []" in done.stdout, done.stdout[-1000:]
    assert "selftest: ok" in done.stdout


def test_the_guard_catches_an_attempt():
    """Control: the same guard does see a connection attempt (so the test above can fail)."""
    code = GUARD.split("from persona_desktop.selftest")[0] + (
        "try:\n"
        "    socket.create_connection(('example.org', 80), timeout=1)\n"
        "except OSError:\n"
        "    pass\n"
        "try:\n"
        "    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.connect(('127.0.0.1', 9))\n"
        "except OSError:\n"
        "    pass\n"
        "print('network attempts:', len(attempts), sorted(set(attempts)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "network attempts: 2 ['connect', 'create_connection']" in done.stdout, done.stdout + done.stderr
