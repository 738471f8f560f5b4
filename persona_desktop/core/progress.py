"""Progress reporting and cooperative cancellation for long jobs.

Every long core function takes a ``progress`` argument. It calls
``progress.report(fraction, message)`` at natural points and
``progress.check()`` often; ``check`` raises :class:`Cancelled` once the user
asked to stop. Sub-steps get their share of the range with
:meth:`Progress.sub`, so a function never needs to know where it sits in a
larger job::

    def load_and_clean(path, progress=NULL_PROGRESS):
        table = load_table(path, progress=progress.sub(0.0, 0.7))
        return clean(table, progress=progress.sub(0.7, 1.0))

The GUI gives a :class:`Progress` whose callback emits a Qt signal and whose
cancel flag is set by the Cancel button; scripts and tests use
:data:`NULL_PROGRESS` or a :class:`Progress` with a plain callback.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

__all__ = ["Cancelled", "Progress", "NULL_PROGRESS"]


class Cancelled(Exception):
    """Raised by :meth:`Progress.check` when the job was asked to stop.

    It deliberately does not derive from the project's error class: a cancelled
    job is not a failure and is never shown as an error.
    """


Callback = Callable[[float, str], None]


class Progress:
    """Reports a fraction in [0, 1] with a message and carries a cancel flag.

    Parameters
    ----------
    callback : callable, optional
        ``callback(fraction, message)``; called at most every ``min_interval``
        seconds (and always for the final 1.0), so tight loops may report freely.
    cancel_event : threading.Event, optional
        When set, the next :meth:`check` raises :class:`Cancelled`.
    min_interval : float
        Throttle for the callback, in seconds.
    """

    def __init__(
        self,
        callback: Callback | None = None,
        cancel_event: threading.Event | None = None,
        min_interval: float = 0.05,
    ) -> None:
        self._callback = callback
        self._cancel = cancel_event if cancel_event is not None else threading.Event()
        self._min_interval = min_interval
        self._last_time = 0.0
        self._last_message = ""
        self._start = 0.0
        self._span = 1.0
        self._root: Progress = self

    # -- cancellation -------------------------------------------------
    def cancel(self) -> None:
        """Ask the job to stop at its next :meth:`check`."""
        self._root._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._root._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the job was asked to stop."""
        if self._root._cancel.is_set():
            raise Cancelled()

    # -- reporting ----------------------------------------------------
    def report(self, fraction: float, message: str = "") -> None:
        """Report progress of *this* (sub-)range and check for cancellation."""
        self.check()
        fraction = min(max(float(fraction), 0.0), 1.0)
        root = self._root
        if root._callback is None:
            return
        absolute = self._start + self._span * fraction
        now = time.monotonic()
        # a new message always gets through (a status line must not lag a step behind)
        if absolute < 1.0 and now - root._last_time < root._min_interval and message == root._last_message:
            return
        root._last_time = now
        root._last_message = message
        root._callback(absolute, message)

    def sub(self, start: float, end: float) -> "Progress":
        """A view on the part ``[start, end]`` of this range (fractions of it)."""
        child = Progress.__new__(Progress)
        child._root = self._root
        child._start = self._start + self._span * start
        child._span = self._span * (end - start)
        return child

    def steps(self, n: int, message: str = ""):
        """Yield ``0..n-1``, reporting and checking before each step."""
        for i in range(n):
            self.report(i / max(n, 1), message)
            yield i
        self.report(1.0, message)


NULL_PROGRESS = Progress()
"""A progress that reports nowhere and is never cancelled (do not cancel it)."""
