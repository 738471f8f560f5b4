"""``persona-desktop --selftest``: exit 0 and a silent stderr when the installation works; 1 and the
failing step when it does not (the packaged build's CI relies on both)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui


def test_selftest_passes_with_nothing_on_stderr(tmp_path):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the self-test chooses its headless platform itself
    done = subprocess.run([sys.executable, "-m", "persona_desktop", "--selftest"], capture_output=True, text=True,
                          timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    for step in ("loaded", "segments:", "rules:", "churn model:", "charts:", "window:", "workbook:", "readers:", "ok in"):
        assert any(line.startswith(f"selftest: {step}") for line in lines), (step, done.stdout)
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_selftest_names_the_failing_step(monkeypatch, capsys, tmp_path):
    from persona_desktop import selftest
    from persona_desktop.core import paths

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x00\x01\x02 not a table")
    monkeypatch.setattr(paths, "sample_path", lambda: broken)
    assert selftest.run_selftest() == 1
    err = capsys.readouterr().err
    assert "FAILED at load" in err


def test_the_warm_up_records_a_missing_module_and_carries_on(monkeypatch):
    """A module left out of a build must not stop files from loading; the self-test reports it."""
    from persona_desktop.gui import warmup

    monkeypatch.setattr(warmup, "_done", False)
    monkeypatch.setattr(warmup, "missing", [])
    monkeypatch.setattr(warmup, "WARM_MODULES", (("json", "persona_desktop_no_such_module", "csv"),))
    warmup.warm_up()
    assert warmup.missing == ["persona_desktop_no_such_module"]
    assert warmup._done
