"""The job pattern every long GUI step uses: worker thread, progress, Cancel, errors."""

from __future__ import annotations

import threading
import time

import pytest

from persona_desktop.core.errors import ReadError
from persona_desktop.core.progress import Progress
from persona_desktop.gui.jobs import JobFailure, JobRunner

pytestmark = pytest.mark.gui


def _slow(n: int, *, progress: Progress, seen: list | None = None) -> int:
    for i in progress.steps(n, "working"):
        time.sleep(0.01)
    if seen is not None:
        seen.append(threading.current_thread() is threading.main_thread())
    return n


def test_result_arrives_on_the_gui_thread_with_progress(qtbot):
    runner = JobRunner()
    fractions: list[float] = []
    runner.progress.connect(lambda f, m: fractions.append(f))
    seen: list[bool] = []
    with qtbot.waitSignal(runner.finished, timeout=10_000) as blocker:
        runner.start("count", _slow, 20, seen=seen)
        assert runner.busy
    assert blocker.args == [20]
    assert seen == [False]  # the work ran off the GUI thread
    assert fractions and fractions[-1] == pytest.approx(1.0)
    assert fractions == sorted(fractions)
    assert not runner.busy


def test_cancel_stops_the_job_and_its_result_never_arrives(qtbot):
    runner = JobRunner()
    results: list = []
    runner.finished.connect(results.append)
    with qtbot.waitSignal(runner.cancelled, timeout=5_000):
        runner.start("long", _slow, 10_000)
        qtbot.wait(50)
        runner.cancel()
    assert runner.wait(5_000)
    qtbot.wait(50)
    assert results == [] and not runner.busy


def test_a_new_job_supersedes_the_running_one(qtbot):
    runner = JobRunner()
    results: list = []
    runner.finished.connect(results.append)
    runner.start("first", _slow, 10_000)
    qtbot.wait(30)
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        runner.start("second", _slow, 5)
    runner.wait(5_000)
    qtbot.wait(50)
    assert results == [5]


def test_a_persona_error_becomes_a_plain_message(qtbot):
    def bad(*, progress):
        raise ReadError("read.empty", file="订单.csv")

    runner = JobRunner(lang=lambda: "zh")
    with qtbot.waitSignal(runner.failed, timeout=5_000) as blocker:
        runner.start("open", bad)
    failure: JobFailure = blocker.args[0]
    assert failure.message == "订单.csv 是空文件" and not failure.internal and not failure.details


def test_a_bug_is_reported_with_its_traceback_and_the_runner_stays_usable(qtbot):
    def buggy(*, progress):
        return {}["missing"]

    runner = JobRunner()
    with qtbot.waitSignal(runner.failed, timeout=5_000) as blocker:
        runner.start("oops", buggy)
    failure: JobFailure = blocker.args[0]
    assert failure.internal and "KeyError" in failure.message and "Traceback" in failure.details
    with qtbot.waitSignal(runner.finished, timeout=5_000):
        runner.start("again", _slow, 3)


def test_a_memory_error_becomes_advice(qtbot):
    def hungry(*, progress):
        raise MemoryError()

    runner = JobRunner()
    with qtbot.waitSignal(runner.failed, timeout=5_000) as blocker:
        runner.start("mine", hungry)
    assert "memory" in blocker.args[0].message
