"""An exception inside any job is reported and the app carries on (the real window, offscreen).

For every job the window runs (load, clean, segments, rules, predict, export,
opening a project, applying the model to a new file) the core function the job
calls is replaced by one that raises ``RuntimeError("injected fault")``; the
job is started as a user would start it. The failure must arrive as an
internal error carrying that message, the failure dialog must be shown, the
analysis on screen must be the very one from before, and once the fault is
gone the same step must run again and succeed. Mining that runs out of memory
must give the advice to raise the minimum support (English and Chinese) and
keep the previous results.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from persona_desktop.core.paths import sample_path

pytestmark = pytest.mark.gui

FAULT = "injected fault"

# job → (module, function): the core function the job imports when it runs (gui/session.py)
TARGETS = {
    "load": ("persona_desktop.core.table.understand", "inspect_file"),
    "clean": ("persona_desktop.core.table.understand", "understand"),
    "segments": ("persona_desktop.core.workflow", "add_segments"),
    "rules": ("persona_desktop.core.workflow", "add_rules"),
    "predict": ("persona_desktop.core.workflow", "add_churn"),
    "export": ("persona_desktop.core.export.bundle", "export_results"),
    "project": ("persona_desktop.core.project", "reopen"),
    "apply": ("persona_desktop.core.predict.model_files", "apply_model"),
}


# -- driving the window as a user would --------------------------------------------------------
def _open(qtbot, window, path=None):
    with qtbot.waitSignal(window.file_loaded, timeout=120_000):
        window.open_file(str(path or sample_path()))


def _press_f5(qtbot, window, step: str) -> None:
    window.show_step(step)
    assert window.stack.currentWidget() is window.screens[step]
    window.activateWindow()  # a closed dialog may have had the focus
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_F5)


def _run(qtbot, window, step: str) -> None:
    with qtbot.waitSignal(window.step_done, timeout=180_000, check_params_cb=lambda what: what == step):
        _press_f5(qtbot, window, step)


def _visible_failure_dialogs(window) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox, "failureDialog") if box.isVisible()]


def _choose_file_for_apply(monkeypatch, path) -> None:
    """The Predict screen's "apply to a file" asks for a file: answer with *path*."""
    from persona_desktop.gui import predict_panel

    monkeypatch.setattr(predict_panel.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))


class Job:
    """How to prepare, start, and see the success of one job through the window."""

    def __init__(self, qtbot, window, tmp_path, monkeypatch):
        self.qtbot, self.window, self.tmp_path, self.monkeypatch = qtbot, window, tmp_path, monkeypatch
        self.project_path = None

    # what the window holds before the faulty run
    def prepare(self, kind: str) -> None:
        qtbot, window = self.qtbot, self.window
        _open(qtbot, window)
        panel = window.predict_panel
        panel.model_box.setCurrentIndex(panel.model_box.findData("logistic"))  # one quick model
        if kind == "apply":
            _run(qtbot, window, "predict")
            assert window.analysis.churn is not None and window.predict_panel.apply_button.isVisible()
        if kind == "project":
            window.segments_panel.k_spin.setValue(3)
            _run(qtbot, window, "segments")
            self.project_path = window.save_project(path=str(self.tmp_path / "shop.persona.json"))
            assert self.project_path
        if kind == "export":
            (self.tmp_path / "out").mkdir()

    def start(self, kind: str) -> None:
        qtbot, window = self.qtbot, self.window
        if kind == "load":
            window.sample_action.trigger()
        elif kind == "clean":
            window.show_step("data")
            window.data_panel.steps.box("duplicates").setChecked(False)  # the user unticks "remove duplicates"
        elif kind in ("segments", "rules", "predict"):
            _press_f5(qtbot, window, kind)
        elif kind == "export":
            window.show_step("export")
            window.export_panel.folder_edit.setText(str(self.tmp_path / "out"))
            window.export_action.trigger()  # Ctrl+E
        elif kind == "project":
            window.open_file(self.project_path)  # a .persona.json from the recent list or dropped on the window
        elif kind == "apply":
            _choose_file_for_apply(self.monkeypatch, sample_path())
            window.show_step("predict")
            qtbot.mouseClick(window.predict_panel.apply_button, Qt.MouseButton.LeftButton)
        else:
            raise AssertionError(kind)

    def success_signal(self, kind: str):
        window = self.window
        if kind in ("load", "clean", "project"):
            return window.file_loaded, None
        if kind == "apply":
            return window.session.applied, None
        return window.step_done, (lambda what: what == kind)

    def check_success(self, kind: str, before) -> None:
        window = self.window
        after = window.analysis
        if kind == "apply":
            assert after is before
            assert window.predict_panel.scored_model.rowCount() > 100
            return
        if kind == "export":
            assert after is before
            names = sorted(p.name for p in (self.tmp_path / "out").iterdir())
            choice = window.export_panel.choice()
            assert f"{choice.name}.xlsx" in names and f"{choice.name}_customers.csv" in names
            return
        assert after is not before
        if kind == "clean":
            box = window.data_panel.steps.box("duplicates")
            assert after.inspection.cleaning.step("duplicates").enabled == box.isChecked()
        elif kind == "segments":
            assert after.segments is not None and after.segments.segmentation.n_segments >= 2
        elif kind == "rules":
            assert after.rules is not None and len(after.rules.rules) > 0
        elif kind == "predict":
            assert after.churn is not None and after.churn.chosen.name == "logistic"
        elif kind == "project":
            assert after.segments is not None and after.segments.segmentation.n_segments == 3


def _raise_fault(*args, **kwargs):
    raise RuntimeError(FAULT)


@pytest.mark.parametrize("kind", list(TARGETS))
def test_a_fault_in_a_job_is_reported_and_the_app_carries_on(qtbot, window, tmp_path, monkeypatch, kind):
    import importlib

    job = Job(qtbot, window, tmp_path, monkeypatch)
    job.prepare(kind)
    before = window.analysis
    assert before is not None
    shown_inspection = window.data_panel.inspection
    listing = sorted(p.name for p in tmp_path.rglob("*"))

    module, name = TARGETS[kind]
    monkeypatch.setattr(importlib.import_module(module), name, _raise_fault)
    finished: list = []
    window.runner.finished.connect(finished.append)
    with qtbot.waitSignal(window.runner.failed, timeout=120_000) as blocker:
        job.start(kind)
    failure = blocker.args[0]
    assert failure.internal, failure
    assert FAULT in failure.message and "RuntimeError" in failure.message
    assert FAULT in failure.details and "Traceback" in failure.details  # the details section
    assert finished == []

    # the user sees the failure and closes it
    qtbot.waitUntil(lambda: len(_visible_failure_dialogs(window)) == 1, timeout=5_000)
    dialog = _visible_failure_dialogs(window)[0]
    assert FAULT in dialog.informativeText() and "Traceback" not in dialog.text()
    dialog.accept()
    qtbot.waitUntil(lambda: not _visible_failure_dialogs(window), timeout=5_000)

    # nothing changed, nothing is left running
    assert window.analysis is before
    assert window.data_panel.inspection is shown_inspection
    assert not window.runner.busy and not window.cancel_action.isEnabled()
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing  # no file written (export), none half-written

    if kind == "clean":  # the box shows what the data shown was cleaned with, not the failed untick
        assert window.data_panel.steps.box("duplicates").isChecked()
        assert shown_inspection.cleaning.step("duplicates").enabled

    # the fault is gone: the same step runs again and succeeds
    monkeypatch.undo()
    signal, check = job.success_signal(kind)
    with qtbot.waitSignal(signal, timeout=180_000, check_params_cb=check):
        job.start(kind)
    job.check_success(kind, before)
    if kind == "clean":
        assert not window.analysis.inspection.cleaning.step("duplicates").enabled
    assert not _visible_failure_dialogs(window)
    assert not window.runner.busy


def test_mining_out_of_memory_advises_a_higher_support_and_keeps_the_results(qtbot, window, monkeypatch):
    from persona_desktop.core.rules import itemsets
    from persona_desktop.core.i18n import Message

    _open(qtbot, window)
    window.rules_panel.support.setValue(2.0)
    _run(qtbot, window, "rules")
    before = window.analysis
    rules = before.rules
    assert rules is not None and len(rules.rules) > 0

    calls: list = []

    def no_memory(*args, **kwargs):
        calls.append(args)
        raise MemoryError()

    monkeypatch.setattr(itemsets, "_eclat", no_memory)  # what frequent_itemsets mines with
    window.rules_panel.support.setValue(0.5)
    support = f"{window.rules_panel.options()['min_support']:g}"
    for lang, words in (("en", ("not enough memory", "0.005", "raise it")), ("zh", ("内存不足", "0.005", "请提高最小支持度"))):
        window.set_language(lang)
        with qtbot.waitSignal(window.runner.failed, timeout=120_000) as blocker:
            _press_f5(qtbot, window, "rules")
        failure = blocker.args[0]
        assert not failure.internal  # advice, not a bug report
        assert failure.message == Message("itemsets.error.memory", {"support": support}).text(lang)
        assert all(w in failure.message for w in words), failure.message
        qtbot.waitUntil(lambda: len(_visible_failure_dialogs(window)) == 1, timeout=5_000)
        dialog = _visible_failure_dialogs(window)[0]
        assert dialog.text() == failure.message
        dialog.accept()
        qtbot.waitUntil(lambda: not _visible_failure_dialogs(window), timeout=5_000)
        assert window.analysis is before and window.analysis.rules is rules
        assert window.rules_panel.rules_model.rowCount() == len(rules.rules)  # the old rules still shown
    assert len(calls) == 2

    window.set_language("en")
    monkeypatch.undo()
    window.rules_panel.support.setValue(1.0)
    _run(qtbot, window, "rules")
    assert window.analysis is not before and len(window.analysis.rules.rules) > len(rules.rules)
