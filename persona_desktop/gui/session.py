"""The analysis the window shows, and the jobs that move it forward.

A :class:`Session` holds one core :class:`~persona_desktop.core.workflow.Analysis`
and runs every step on it through the window's one
:class:`~persona_desktop.gui.jobs.JobRunner`: load, clean, segment, rules,
predict, export, and opening a project. Each step works on a fork of the
analysis and the session takes the result only when the step succeeds, so a
cancelled or failed step leaves the screens exactly as they were.

The job functions here are thin: they call the core and return its result.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from persona_desktop.gui.i18n import current_lang
from persona_desktop.gui.jobs import JobFailure, JobRunner

__all__ = ["Session", "STEPS"]

# the screens in order; each is a step of the flow
STEPS = ("open", "data", "segments", "personas", "value", "rules", "predict", "export")


# -- the jobs (worker thread; core code only) -------------------------------------
def _load(path: str, *, sheet=None, encoding=None, progress):
    from persona_desktop.core.results import Analysis
    from persona_desktop.core.table.understand import inspect_file
    from persona_desktop.gui.warmup import warm_up

    inspection = inspect_file(path, sheet=sheet, encoding=encoding, progress=progress.sub(0.0, 0.85))
    warm_up(progress.sub(0.85, 1.0))  # the later steps' libraries, loaded now: no pauses in those steps
    return Analysis(Path(path), inspection)


def _reclean(analysis, options, roles, *, progress):
    from persona_desktop.core.results import Analysis
    from persona_desktop.core.table.understand import understand

    ins = analysis.inspection
    inspection = understand(ins.table, roles=roles or ins.roles, clean_options=options or ins.clean_options,
                            progress=progress)
    return Analysis(analysis.source, inspection)  # later steps were made on other data: start again


def _ready_to_draw(analysis):
    """Build the chart lists of *analysis* here in the worker, so that the window only draws.

    The core computes each chart's data (the customer map's projection, ROC
    curves…) with the list and keeps it on the result (matplotlib itself was
    loaded by the warm-up of the load job).
    """
    from persona_desktop.core.charts.figures import analysis_figures

    analysis_figures(analysis)
    return analysis


def _segment(analysis, options, lang, *, progress):
    from persona_desktop.core.workflow import add_segments

    twin = analysis.fork()
    twin.rules = None  # rules by segment belong to the old segments
    add_segments(twin, lang=lang, progress=progress, **options)
    return _ready_to_draw(twin)


def _rules(analysis, options, lang, *, progress):
    from persona_desktop.core.workflow import add_rules

    twin = analysis.fork()
    add_rules(twin, lang=lang, progress=progress, **options)
    return _ready_to_draw(twin)


def _value(analysis, options, lang, *, progress):
    from persona_desktop.core.workflow import add_value

    twin = analysis.snapshot()  # the cards get their value figures: copies, not the ones on screen
    add_value(twin, lang=lang, progress=progress, **options)
    return _ready_to_draw(twin)


def _predict(analysis, spec, lang, *, progress):
    from persona_desktop.core.workflow import add_churn, add_prediction

    twin = analysis.fork()
    spec = dict(spec)
    kind = spec.pop("kind")
    if kind == "churn":
        add_churn(twin, lang=lang, progress=progress, **spec)
    else:
        add_prediction(twin, segments=kind == "segment", lang=lang, progress=progress, **spec)
    return _ready_to_draw(twin)


def _apply(analysis, path, lang, *, progress):
    from persona_desktop.core.predict.model_files import TrainedModel, apply_model_to_file

    trained = TrainedModel.from_prediction(analysis.model, analysis.inspection.customers.roles)
    return apply_model_to_file(trained, path, lang=lang, progress=progress)


def _export(analysis, choice, *, progress):
    from persona_desktop.core.export.bundle import export_results

    return export_results(analysis, choice, progress=progress)


def _open_project(path, *, progress):
    from persona_desktop.core.project import load_project, reopen
    from persona_desktop.gui.warmup import warm_up

    warm_up()
    project = load_project(path)
    analysis, notes = reopen(project, progress=progress)
    return _ready_to_draw(analysis), notes


class Session(QObject):
    """One analysis and its jobs; see the module docstring.

    Signals
    -------
    changed(str)         a step produced a new result ("data", "segments", "value", "rules", "predict")
    exported(object)     the list of paths an export wrote
    applied(object)      an ApplyResult (a model applied to a new file)
    loaded(object, bool) a file or project was opened: the Analysis, and whether to list it as recent
    kept(str)            a step failed or was cancelled (its kind): the analysis is the one before it
    """

    changed = Signal(str)
    exported = Signal(object)
    applied = Signal(object)
    loaded = Signal(object, bool)
    notes = Signal(object)  # list of Message to show (a changed source file…)
    kept = Signal(str)  # a step failed or was cancelled: its kind; the screens keep the analysis as it was

    def __init__(self, runner: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.analysis = None
        self.project_path: str | None = None
        self._kind: str | None = None
        self._context: dict = {}
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self._on_failed)
        runner.cancelled.connect(self._on_cancelled)

    # -- starting jobs --------------------------------------------------------
    def _start(self, kind: str, title: str, func, *args, **kwargs) -> None:
        self.runner.start(title, func, *args, **kwargs)  # cancels a running job first (its kind is reset)
        self._kind = kind

    def load(self, path: str, *, sheet=None, encoding=None, remember: bool = True) -> None:
        self._context = {"path": path, "remember": remember}
        self._start("load", self.tr("Opening {0}").format(Path(path).name), _load, path, sheet=sheet,
                    encoding=encoding)

    def reclean(self, options=None, roles=None) -> None:
        if self.analysis is not None:
            self._start("clean", self.tr("Cleaning"), _reclean, self.analysis, options, roles)

    def segment(self, options: dict) -> None:
        if self.analysis is not None:
            self._start("segments", self.tr("Finding segments"), _segment, self.analysis, options, current_lang())

    def rules(self, options: dict) -> None:
        if self.analysis is not None:
            self._start("rules", self.tr("Finding rules"), _rules, self.analysis, options, current_lang())

    def value(self, options: dict) -> None:
        if self.analysis is not None:
            self._start("value", self.tr("Predicting customer value"), _value, self.analysis, options, current_lang())

    def predict(self, spec: dict) -> None:
        if self.analysis is not None:
            self._start("predict", self.tr("Training models"), _predict, self.analysis, spec, current_lang())

    def apply_model(self, path: str) -> None:
        if self.analysis is not None:
            self._start("apply", self.tr("Applying the model to {0}").format(Path(path).name), _apply,
                        self.analysis, path, current_lang())

    def export(self, choice) -> None:
        if self.analysis is not None:
            # a snapshot: the owner may rename a card while the worker writes the workbook
            self._start("export", self.tr("Exporting"), _export, self.analysis.snapshot(), choice)

    def open_project(self, path: str) -> None:
        self._context = {"path": path}
        self._start("project", self.tr("Opening project {0}").format(Path(path).name), _open_project, path)

    # -- results ------------------------------------------------------------------
    @Slot(object)
    def _on_finished(self, result) -> None:
        kind, self._kind = self._kind, None
        if kind == "load":
            self.project_path = None
            self.analysis = result
            self.loaded.emit(result, bool(self._context.get("remember", True)))
            self.changed.emit("data")
        elif kind == "project":
            self.analysis, notes = result
            self.project_path = self._context.get("path")
            self.loaded.emit(self.analysis, True)
            self.changed.emit("data")
            if self.analysis.segments is not None:
                self.changed.emit("segments")
            if notes:
                self.notes.emit(notes)
        elif kind == "clean":
            self.analysis = result
            self.changed.emit("data")
        elif kind in ("segments", "value", "rules", "predict"):
            self.analysis = result
            self.changed.emit(kind)
        elif kind == "apply":
            self.applied.emit(result)
        elif kind == "export":
            self.exported.emit(result)

    @Slot(object)
    def _on_failed(self, _failure: JobFailure) -> None:
        self._on_cancelled()  # the message is the window's to show; the analysis stays as it was either way

    @Slot()
    def _on_cancelled(self) -> None:
        kind, self._kind = self._kind, None
        if kind:
            self.kept.emit(kind)

    # -- what can run -------------------------------------------------------------
    def reason_unavailable(self, step: str):
        """A Message saying why *step* cannot run now, or None."""
        if self.analysis is None:
            return None if step == "open" else "no_file"
        if step in ("open", "data", "export"):
            return None
        from persona_desktop.core.workflow import unavailable

        if step == "personas":
            if unavailable(self.analysis, "segments") is None and self.analysis.segments is None:
                from persona_desktop.core.i18n import Message

                return Message("step.skipped.no_segments")
            return unavailable(self.analysis, "segments")
        if step == "predict":
            return unavailable(self.analysis, "predict")
        return unavailable(self.analysis, step)
