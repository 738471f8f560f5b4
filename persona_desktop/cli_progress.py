"""Progress of a long command-line step, on stderr, never in the output.

At a terminal the line ``[ 42%] Comparing models…`` is rewritten in place and
erased when the step ends, so stdout (text or ``--json``) stays clean; with
``--progress`` each new step is printed on its own line instead, for logs and
scripts. Piped and not asked for, nothing is printed: a script reading stderr
sees only real messages.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from persona_desktop.core.progress import Progress

__all__ = ["cli_progress"]


class _StderrReporter:
    def __init__(self, stream: TextIO, in_place: bool, every: float) -> None:
        self.stream = stream
        self.in_place = in_place
        self.every = every
        self.last_message = ""
        self.last_time = 0.0
        self.width = 0

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        message = message or self.last_message
        changed = message != self.last_message
        if not changed and now - self.last_time < self.every:
            return
        self.last_message, self.last_time = message, now
        line = f"[{min(max(fraction, 0.0), 1.0) * 100:3.0f}%] {message}".rstrip()
        try:
            if self.in_place:
                self.stream.write("\r" + line.ljust(self.width))
                self.width = len(line)
            else:
                self.stream.write(line + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken stderr: progress is not worth failing for
            pass

    def close(self) -> None:
        if self.in_place and self.width:
            try:
                self.stream.write("\r" + " " * self.width + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass


class CliProgress(Progress):
    """A :class:`Progress` that reports on stderr; ``close()`` erases the in-place line."""

    def __init__(self, reporter: _StderrReporter | None) -> None:
        super().__init__(reporter, min_interval=0.2)
        self._reporter = reporter

    def close(self) -> None:
        if self._reporter is not None:
            self._reporter.close()


def cli_progress(forced: bool = False, stream: TextIO | None = None) -> CliProgress:
    """Progress for one command: in place at a terminal, one line per step with *forced*, else silent."""
    stream = stream if stream is not None else sys.stderr
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):
        tty = False
    if not (tty or forced):
        return CliProgress(None)
    return CliProgress(_StderrReporter(stream, in_place=tty and not forced, every=1.0 if tty else 10.0))
