"""The one way the GUI runs long work: off the GUI thread, with progress and Cancel.

A :class:`JobRunner` belongs to a window or panel. ``runner.start(title,
func, *args)`` calls ``func(*args, progress=…)`` — a plain core function —
in a worker thread. The core reports through the
:class:`~persona_desktop.core.progress.Progress` it is given; the runner
turns that into queued Qt signals, so slots always run on the GUI thread.

Rules every job follows (after Orange's ``ConcurrentMixin`` and napari's
``thread_worker``):

* one job at a time per runner: starting a new one cancels the running one,
  and a cancelled or superseded job never delivers its result (its signals
  carry its id, and stale ids are dropped);
* Cancel sets the progress's flag; the core raises
  :class:`~persona_desktop.core.progress.Cancelled` at its next check and
  the runner reports ``cancelled`` — never an error;
* the project's own errors (:class:`~persona_desktop.core.errors.PersonaError`)
  arrive as ``failed`` with the user's message; any other exception is a
  bug and arrives as ``failed`` with the traceback for the details section.
  The app stays usable either way.
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from persona_desktop.core.progress import Cancelled, Progress

__all__ = ["JobRunner", "JobFailure"]


@dataclass(frozen=True)
class JobFailure:
    """Why a job failed: a message for the user and, for bugs, the details."""

    title: str
    message: str
    details: str = ""
    internal: bool = False  # a bug in Persona Desktop, not the input's fault


class _Bridge(QObject):
    """Carries a worker's news to the GUI thread (emitted from the worker: queued)."""

    progress = Signal(int, float, str)
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)


class _Task(QRunnable):
    def __init__(self, job_id: int, title: str, func: Callable[..., Any], args: tuple, kwargs: dict,
                 progress: Progress, bridge: _Bridge, lang: Callable[[], str]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.job_id, self.title, self.func = job_id, title, func
        self.args, self.kwargs, self.progress, self.bridge, self.lang = args, kwargs, progress, bridge, lang

    def run(self) -> None:  # runs in a pool thread
        from persona_desktop.core.errors import PersonaError

        try:
            result = self.func(*self.args, progress=self.progress, **self.kwargs)
        except Cancelled:
            self.bridge.cancelled.emit(self.job_id)
        except PersonaError as exc:
            self.bridge.failed.emit(self.job_id, JobFailure(self.title, exc.text(self.lang())))
        except MemoryError:
            message = QCoreApplication.translate(
                "JobRunner", "There was not enough memory for this step. Close other programs, "
                "or work on a smaller part of the file, and try again.")
            self.bridge.failed.emit(self.job_id, JobFailure(self.title, message, traceback.format_exc()))
        except Exception as exc:  # a bug: reported with its traceback, the app carries on
            message = f"{type(exc).__name__}: {exc}"
            self.bridge.failed.emit(self.job_id, JobFailure(self.title, message, traceback.format_exc(), internal=True))
        else:
            if self.progress.cancelled:
                self.bridge.cancelled.emit(self.job_id)
            else:
                self.bridge.finished.emit(self.job_id, result)


class JobRunner(QObject):
    """Runs one job at a time in a worker thread; see the module docstring.

    Signals
    -------
    started(str)            a job began (its title)
    progress(float, str)    fraction in [0, 1] and a message
    finished(object)        the job's return value
    failed(object)          a :class:`JobFailure`
    cancelled()             the job stopped on request
    busy_changed(bool)
    """

    started = Signal(str)
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, lang: Callable[[], str] = lambda: "en") -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)  # the current job, plus a cancelled one winding down
        self._bridge = _Bridge()
        self._bridge.progress.connect(self._on_progress)
        self._bridge.finished.connect(self._on_finished)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.cancelled.connect(self._on_cancelled)
        self._next_id = 0
        self._current: int | None = None
        self._progress: Progress | None = None
        self._title = ""
        self._lang = lang

    # -- public -----------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._current is not None

    @property
    def title(self) -> str:
        return self._title

    def start(self, title: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Run ``func(*args, progress=…, **kwargs)`` in a worker thread; return the job id.

        A job already running is cancelled first; its result will not arrive.
        """
        self.cancel()
        self._next_id += 1
        job_id = self._next_id
        bridge = self._bridge

        def report(fraction: float, message: str) -> None:
            bridge.progress.emit(job_id, fraction, message)

        self._progress = Progress(report, threading.Event(), min_interval=0.05)
        self._current = job_id
        self._title = title
        self._pool.start(_Task(job_id, title, func, args, kwargs, self._progress, bridge, self._lang))
        self.started.emit(title)
        self.busy_changed.emit(True)
        return job_id

    def cancel(self) -> None:
        """Ask the running job to stop; nothing more will be heard of it."""
        if self._current is None:
            return
        assert self._progress is not None
        self._progress.cancel()
        self._current = None
        self.cancelled.emit()
        self.busy_changed.emit(False)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker thread is idle (for tests and shutdown)."""
        return self._pool.waitForDone(msecs)

    # -- from the worker (queued onto the GUI thread) -----------------------
    @Slot(int, float, str)
    def _on_progress(self, job_id: int, fraction: float, message: str) -> None:
        if job_id == self._current:
            self.progress.emit(fraction, message)

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: Any) -> None:
        if job_id == self._current:
            self._done()
            self.finished.emit(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, failure: JobFailure) -> None:
        if job_id == self._current:
            self._done()
            self.failed.emit(failure)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        if job_id == self._current:  # cancelled from inside (not through cancel())
            self._done()
            self.cancelled.emit()

    def _done(self) -> None:
        self._current = None
        self._progress = None
        self.busy_changed.emit(False)
