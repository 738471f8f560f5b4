"""Writing any output file safely: never over the input, never half-written.

Every export (workbook, CSV, chart, PDF report) goes through :func:`atomic_target`:
the content is written to a hidden temporary file in the target's folder and
renamed over the target only once it is complete. A crash, a ``kill -9`` or
a Cancel in the middle leaves the previous file as it was, and at most a
``.name.*.part`` file that the next write cleans up after itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import register

__all__ = ["FORMULA_STARTS", "all_or_nothing", "atomic_target", "check_target", "defuse_formula", "free_name"]

# Text starting with one of these is read as a formula by spreadsheet programs
# (OWASP, "CSV Injection"): a tab and a carriage return too, as some programs strip them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

register({
    "export.same_as_input": ("{file} is the file you opened; choose another name so it is not overwritten",
                             "{file} 是您打开的原始文件；请换一个文件名，以免覆盖原文件"),
    "export.locked": ("{file} is open in another program or cannot be written ({reason}); "
                      "close it, or save as {other}",
                      "{file} 正被其他程序打开或无法写入（{reason}）；请关闭该文件，或另存为 {other}"),
    "export.write_failed": ("{file} could not be written ({reason}); nothing was changed",
                            "无法写入 {file}（{reason}）；没有任何文件被修改"),
    "export.folder": ("The folder {folder} does not exist or cannot be written", "文件夹 {folder} 不存在或无法写入"),
})


def defuse_formula(text: str) -> str:
    """*text* with a leading apostrophe if a spreadsheet would run it as a formula.

    A number such as ``-2.5`` is a value, not a formula, and is left alone.
    """
    if text and text.startswith(FORMULA_STARTS):
        if text[0] in "+-":
            try:
                float(text)
                return text
            except ValueError:
                pass
        return "'" + text
    return text


def free_name(path: Path) -> Path:
    """``report (2).xlsx``, ``report (3).xlsx``… the first that does not exist."""
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def check_target(path: str | os.PathLike, sources=()) -> Path:
    """The target as a Path, after refusing an input file or a missing folder.

    *sources*: the input file, several, or None."""
    target = Path(path)
    if sources is None or isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    for source in [s for s in sources if s]:
        if target.exists() and Path(source).exists() and target.resolve() == Path(source).resolve():
            raise DataError("export.same_as_input", file=target.name)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise DataError("export.folder", folder=str(folder))
    return target


# inside all_or_nothing(): the finished files waiting for their rename, [(temporary, target)]
_STAGED: ContextVar[list | None] = ContextVar("persona_staged_files", default=None)


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError as exc:  # Excel holds the target open (Windows)
        raise DataError("export.locked", file=target.name, reason=exc.strerror or "locked",
                        other=free_name(target).name) from exc
    except OSError as exc:
        raise DataError("export.write_failed", file=target.name, reason=exc.strerror or str(exc)) from exc


@contextmanager
def all_or_nothing(check: Callable[[], None] | None = None) -> Iterator[None]:
    """Every :func:`atomic_target` inside the block renames only when the whole block succeeds.

    An export of several files (workbook, CSV, charts, report) cancelled or failed at its last
    part then leaves the folder as it was, not with some parts new and some old. *check* is
    called before the renames (``progress.check``: a Cancel at the last moment still counts).
    """
    staged: list[tuple[Path, Path]] = []
    token = _STAGED.set(staged)
    try:
        yield
        if check is not None:
            check()
        while staged:
            tmp, target = staged[0]
            _replace(tmp, target)
            staged.pop(0)
    finally:
        _STAGED.reset(token)
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()


@contextmanager
def atomic_target(path: str | os.PathLike, sources=(), check=None) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces *path*.

    Parameters
    ----------
    path : path-like
        The file to produce.
    sources : path or paths
        Input files: writing over one is refused.
    check : callable, optional
        Called before the rename (e.g. ``progress.check`` so a Cancel at the
        last moment still leaves the old file).

    Inside :func:`all_or_nothing` the rename waits for the end of that block.
    """
    target = check_target(path, sources)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f"{target.suffix}.part",
                                    dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    tmp = Path(tmp_name)
    staged = _STAGED.get()
    handed_over = False  # to all_or_nothing, which renames or removes it
    try:
        try:
            yield tmp
        except OSError as exc:  # a full disk, a vanished folder…
            raise DataError("export.write_failed", file=target.name, reason=exc.strerror or str(exc)) from exc
        if check is not None:
            check()
        try:
            with open(tmp, "rb+") as f:  # on disk before the rename, so a power cut cannot leave it empty
                os.fsync(f.fileno())
        except OSError as exc:
            raise DataError("export.write_failed", file=target.name, reason=exc.strerror or str(exc)) from exc
        if staged is not None:
            staged.append((tmp, target))
            handed_over = True
        else:
            _replace(tmp, target)
    finally:
        if not handed_over and tmp.exists():
            tmp.unlink()
