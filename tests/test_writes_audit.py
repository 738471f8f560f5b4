"""Nothing is written outside the chosen output folder and the app's own settings and cache folders.

A fresh process installs an audit hook (``sys.addaudithook``) before anything
else is imported, then runs ``--selftest``: the sample through segments,
rules, churn and charts, the window with the whole flow clicked through it
(open, segments, rules, churn, export), the workbook and the readers. The
hook records every file-system change Python makes: ``open`` with a writing
mode (w, a, x, +) or writing flags (O_WRONLY, O_RDWR, O_CREAT, O_APPEND,
O_TRUNC), ``os.rename``/``os.replace``, ``os.remove``/``os.unlink``,
``os.mkdir``, ``os.rmdir``, ``os.symlink``, ``os.link``, ``os.truncate``,
``os.chmod``/``os.chown``/``os.utime``, every ``shutil.*`` and
``tempfile.*`` event; a path relative to a ``dir_fd`` (``shutil.rmtree``
removes a tree that way) is resolved through ``/proc/self/fd``. It also
records every child process started: a child's writes escape the hook, so only
two read-only programs are allowed, ``lscpu`` (loky's count of physical cores,
asked by scikit-learn's K-Means) and ``fc-list`` (matplotlib's font search when
it builds its font cache); fontconfig, were it to refresh its cache, would
write under ``XDG_CACHE_HOME``, inside the HOME that must stay empty.

The process runs with its working folder a fresh empty one, ``HOME`` a fresh
empty one (``XDG_CONFIG_HOME``, ``XDG_CACHE_HOME`` and ``XDG_DATA_HOME`` inside
it: the app itself never reads them while ``PERSONA_CONFIG_DIR`` and
``PERSONA_CACHE_DIR`` are set, but Qt and native libraries do), ``TMPDIR`` a
fresh empty one, the app's settings and cache folders pointed at fresh ones
with ``PERSONA_CONFIG_DIR`` and ``PERSONA_CACHE_DIR`` (how the app and the
tests redirect them, persona_desktop/core/paths.py), and ``MPLCONFIGDIR``
*unset*: the app points matplotlib at ``<cache>/matplotlib`` itself
(persona_desktop/core/charts/__init__.py, ``configure_fonts``), which is what
is being checked. ``PYTHONDONTWRITEBYTECODE=1``: the interpreter's own
``__pycache__`` files (not the app's doing; a packaged build has none) would
otherwise be written into the checkout while another change is being made.

Every recorded path must be under one of:

* the self-test's output folders, made with ``tempfile.mkdtemp`` in TMPDIR:
  ``persona-selftest-*`` (selftest.py: charts, workbook, CSV, report,
  Parquet) and ``persona-demo-*`` (gui/demo.py: the window's Export step);
  both are removed at the end;
* the settings folder (Qt writes ``settings.ini`` there from C++, which no
  audit event shows; it is seen in the folder afterwards);
* the cache folder (``matplotlib/``: the font list, its lock file, the
  app's ``persona-system-fonts.txt``);
* TMPDIR itself, only for what legitimately goes there, all of it removed
  before the process ends:
  - ``openpyxl.*``: openpyxl's write-only workbook keeps each worksheet in a
    temporary file until it is saved (persona_desktop/core/export/xlsx.py
    ``write_workbook``, ``Workbook(write_only=True)``); the ``open`` event of
    ``NamedTemporaryFile`` names the folder itself (its opener makes the
    file), so TMPDIR itself appears, from tempfile.py, for those;
  - one file of random name written and removed by ``tempfile`` the first
    time it picks its folder (``tempfile._get_default_tempdir`` checks the
    folder is writable);
* ``os.devnull`` (nothing written there can persist). Not seen at the time of
  writing; ``/dev/shm`` (joblib's memory-mapping folder) is *not* allowed: it
  was not written to, and a folder left there would outlive the app.

After the run: the fresh HOME, working folder and TMPDIR are empty (which also
covers writes by native code there), new files are only in the settings and
cache folders, and the bundled sample is byte for byte what it was.

The control test runs the same hook over deliberate writes to a folder outside
those, with every kind of operation, and checks each is recorded and flagged
(so the main test can fail), while a read is not recorded and a write to the
cache folder is not flagged.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(sys.platform != "linux", reason="dir_fd paths are resolved through /proc/self/fd"),
]

HOOK = r"""
import os, sys, threading

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_EVENTS = {"open", "os.rename", "os.replace", "os.remove", "os.unlink", "os.mkdir", "os.rmdir", "os.symlink",
           "os.link", "os.truncate", "os.chmod", "os.chown", "os.utime"}
_SPAWN = ("subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.exec",
          "pty.spawn")
_records, _spawned = [], []
_inside = threading.local()


def _resolve(path, dir_fd=None):
    if isinstance(path, int):  # an open file descriptor: its open was recorded when it was made
        return None
    path = os.fsdecode(path)
    if not os.path.isabs(path):
        base = os.getcwd()
        if isinstance(dir_fd, int) and dir_fd >= 0:
            try:
                base = os.readlink(f"/proc/self/fd/{dir_fd}")
            except OSError:
                base = f"<fd {dir_fd}>"
        path = os.path.join(base, path)
    return os.path.normpath(path)


def _stack():
    frame, inner, ours = sys._getframe(2), None, None
    while frame is not None:
        code = frame.f_code
        where = f"{code.co_filename}:{frame.f_lineno}:{code.co_name}"
        inner = inner or where
        if ours is None and "persona_desktop" in code.co_filename:
            ours = where
        frame = frame.f_back
    return inner, ours


def _paths(event, args):
    if event == "open":
        path, mode, flags = args
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
            (isinstance(flags, int) and flags & _WRITE_FLAGS)
        return [(path, None)] if writes else []
    if event in ("os.rename", "os.replace", "os.link"):  # src, dst, src_dir_fd, dst_dir_fd
        return [(args[0], args[2]), (args[1], args[3])]
    if event == "os.symlink":  # src, dst, dir_fd: only dst is made
        return [(args[1], args[2])]
    if event in ("os.remove", "os.unlink", "os.rmdir"):  # path, dir_fd
        return [(args[0], args[1])]
    if event == "os.mkdir":  # path, mode, dir_fd
        return [(args[0], args[2])]
    if event in ("os.chmod", "os.chown", "os.utime"):  # path, …, dir_fd
        return [(args[0], args[-1])]
    if event in ("shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.copytree"):  # src, dst
        return [(args[1], None)]
    if event == "shutil.move":  # src, dst: both change
        return [(args[0], None), (args[1], None)]
    if event == "shutil.rmtree":  # path, dir_fd
        return [(args[0], args[1])]
    if event == "shutil.unpack_archive":  # filename, extract_dir, format
        return [(args[1], None)]
    return [(args[0], None)] if args and isinstance(args[0], (str, bytes, os.PathLike)) else []


def _hook(event, args):
    if not (event in _EVENTS or event.startswith(("shutil.", "tempfile.", *_SPAWN))):
        return
    if getattr(_inside, "busy", False):
        return
    _inside.busy = True
    try:
        if event.startswith(_SPAWN):
            program = args[0] if args and isinstance(args[0], (str, bytes, os.PathLike)) else None
            if program is None and event == "subprocess.Popen" and args[1]:
                program = args[1] if isinstance(args[1], (str, bytes)) else args[1][0]
            inner, ours = _stack()
            _spawned.append({"event": event, "program": None if program is None else os.fsdecode(program),
                             "args": repr(args)[:300], "inner": inner, "ours": ours})
            return
        paths = _paths(event, args)
        if paths:
            inner, ours = _stack()
            _records.append({"event": event, "paths": [_resolve(p, fd) for p, fd in paths],
                             "inner": inner, "ours": ours})
    finally:
        _inside.busy = False


def _report():
    import json as _json

    sys.stdout.write("AUDIT:" + _json.dumps({"records": _records, "spawned": _spawned}) + "\n")
    sys.stdout.flush()


sys.addaudithook(_hook)
"""

# Child processes that only read (their own writes are not audited): loky's count of physical cores, run
# by scikit-learn's K-Means (segment_methods.py ``_fit_k``), and matplotlib's font search when it builds its
# font cache (charts/__init__.py ``configure_fonts``). fontconfig would keep its cache under
# XDG_CACHE_HOME, which is inside the fresh HOME that must be empty afterwards.
READ_ONLY_CHILDREN = {"lscpu", "fc-list"}

RUN_SELFTEST = HOOK + r"""
from persona_desktop.selftest import run_selftest

code = run_selftest()
_report()
sys.exit(code)
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sandbox(root: Path) -> dict[str, Path]:
    box = {name: root / name for name in ("home", "cwd", "tmp", "config", "cache")}
    for name in ("home", "cwd", "tmp"):
        box[name].mkdir()
    return box


def _env(box: dict[str, Path]) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(box["home"]),
               XDG_CONFIG_HOME=str(box["home"] / ".config"), XDG_CACHE_HOME=str(box["home"] / ".cache"),
               XDG_DATA_HOME=str(box["home"] / ".local" / "share"), TMPDIR=str(box["tmp"]),
               PERSONA_CONFIG_DIR=str(box["config"]), PERSONA_CACHE_DIR=str(box["cache"]),
               PYTHONDONTWRITEBYTECODE="1")
    for name in ("MPLCONFIGDIR", "PERSONA_SELFTEST_LOG"):
        env.pop(name, None)
    return env


def _audit(stdout: str) -> dict:
    line = next((x for x in stdout.splitlines() if x.startswith("AUDIT:")), None)
    assert line is not None, stdout[-2000:]
    return json.loads(line.removeprefix("AUDIT:"))


def _real(path: str) -> Path:
    return Path(os.path.realpath(path))


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _legitimate_temp_use(record: dict, path: Path, tmp: Path) -> bool:
    """What legitimately goes directly into TMPDIR (see the module docstring)."""
    inner = record["inner"] or ""
    if path == tmp:  # NamedTemporaryFile's open event names the folder; its opener makes the file
        return record["event"] == "open" and "/tempfile.py:" in inner and inner.endswith(":NamedTemporaryFile")
    return path.parent == tmp and (path.name.startswith("openpyxl.") or inner.endswith(":_get_default_tempdir"))


def _classify(records: list[dict], box: dict[str, Path]) -> tuple[dict[str, set[Path]], list[str]]:
    """Each written path's place (output, settings, cache, tmp, devnull), and the writes outside all of them."""
    tmp, config, cache = _real(box["tmp"]), _real(box["config"]), _real(box["cache"])
    outputs = {_real(r["paths"][0]) for r in records
               if r["event"] == "tempfile.mkdtemp" and _real(r["paths"][0]).parent == tmp
               and _real(r["paths"][0]).name.startswith(("persona-selftest-", "persona-demo-"))}
    places: dict[str, set[Path]] = {"output": set(), "settings": set(), "cache": set(), "tmp": set(),
                                    "devnull": set()}
    outside = []
    for r in records:
        for raw in r["paths"]:
            if raw is None:  # a descriptor (its opening was recorded with its path)
                continue
            path = _real(raw)
            inner = r["inner"] or ""
            if raw == os.devnull:
                places["devnull"].add(path)
            elif any(_under(path, out) for out in outputs):
                places["output"].add(next(out for out in outputs if _under(path, out)))
            elif _under(path, config):
                places["settings"].add(path)
            elif _under(path, cache):
                places["cache"].add(path)
            elif _legitimate_temp_use(r, path, tmp):
                places["tmp"].add(path)
            else:
                outside.append(f"{r['event']} {raw} (at {inner}; app frame {r['ours']})")
    return places, outside


def _folder(event: str, path: Path, box: dict[str, Path]) -> Path:
    """The folder a recorded path changed: the path itself for a folder, else its parent."""
    if event in ("os.mkdir", "os.rmdir", "shutil.rmtree", "tempfile.mkdtemp") or path == _real(box["tmp"]):
        return path
    return path.parent


def _files(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.exists() else set()


def test_the_whole_flow_writes_only_to_its_output_settings_and_cache_folders(tmp_path):
    from persona_desktop.core.paths import sample_path

    box = _sandbox(tmp_path)
    sample = sample_path()
    before = _sha(sample)
    done = subprocess.run([sys.executable, "-c", RUN_SELFTEST], capture_output=True, text=True, encoding="utf-8",
                          env=_env(box), cwd=box["cwd"], timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "selftest: ok" in done.stdout
    audit = _audit(done.stdout)
    places, outside = _classify(audit["records"], box)
    folders = sorted({str(_folder(r["event"], p, box)) for r in audit["records"]
                      for p in map(_real, filter(None, r["paths"]))})
    print("folders written to:", *folders, sep="\n  ")
    print("child processes:", *(f"{c['args']} (from {c['ours']})" for c in audit["spawned"]), sep="\n  ")

    assert outside == [], "written outside the output, settings and cache folders:\n" + "\n".join(outside)
    children = [c for c in audit["spawned"] if os.path.basename(c["program"] or "") not in READ_ONLY_CHILDREN]
    assert children == [], "a child process (its writes are not audited):\n" + "\n".join(map(str, children))
    # the hook did see the flow: both output folders and the cache were written to
    assert {p.name.split("-")[1] for p in places["output"]} == {"selftest", "demo"}, places["output"]
    assert any(p.name.startswith("fontlist-") for p in places["cache"]), places["cache"]
    # nothing left where nothing belongs, including by native code (Qt, fontconfig) the hook cannot see
    for name in ("home", "cwd", "tmp"):
        assert _files(box[name]) == set(), (name, sorted(_files(box[name])))
    left = {p for p in _files(tmp_path) if p.is_file()}
    assert left and all(_under(p, box["config"]) or _under(p, box["cache"]) for p in left), sorted(left)
    assert {p.name for p in _files(box["config"])} == {"settings.ini"}  # Qt's settings, written from C++
    assert _sha(sample) == before


CONTROL = HOOK + r"""
import shutil, tempfile
from pathlib import Path

elsewhere, cache = Path(sys.argv[1]), Path(sys.argv[2])
cache.mkdir(parents=True)
(cache / "ok.txt").write_text("a cache file")                      # allowed: not flagged
Path(tempfile.mkdtemp(prefix="persona-selftest-"), "out.txt").write_text("output")  # allowed
read_me = elsewhere / "read_me.txt"
os.mkdir(elsewhere)                                                 # os.mkdir
with open(elsewhere / "w.txt", "w") as f: f.write("w")              # open w
with open(elsewhere / "a.txt", "a") as f: f.write("a")              # open a
with open(elsewhere / "x.txt", "x") as f: f.write("x")              # open x
with open(elsewhere / "w.txt", "r+") as f: f.write("+")             # open +
os.close(os.open(elsewhere / "flags.txt", os.O_WRONLY | os.O_CREAT))  # os.open flags
read_me.write_bytes(b"read")                                        # open wb
f = open(read_me, "rb"); f.read(); f.close()                        # a read: not recorded
os.rename(elsewhere / "a.txt", elsewhere / "renamed.txt")           # os.rename
os.replace(elsewhere / "x.txt", elsewhere / "replaced.txt")         # os.replace
os.truncate(elsewhere / "renamed.txt", 0)                           # os.truncate
os.symlink(elsewhere / "w.txt", elsewhere / "link.txt")             # os.symlink
shutil.copyfile(elsewhere / "w.txt", elsewhere / "copied.txt")      # shutil.copyfile
os.remove(elsewhere / "copied.txt")                                 # os.remove
os.unlink(elsewhere / "link.txt")                                   # os.unlink
(elsewhere / "tree" / "sub").mkdir(parents=True)
(elsewhere / "tree" / "sub" / "leaf.txt").write_text("leaf")
shutil.rmtree(elsewhere / "tree")                                   # shutil.rmtree, os.remove with dir_fd
os.mkdir(elsewhere / "empty"); os.rmdir(elsewhere / "empty")       # os.rmdir
Path(tempfile.gettempdir(), "stray.txt").write_text("TMPDIR is no free-for-all")  # flagged
_report()
"""


def test_the_hook_records_and_flags_a_write_outside(tmp_path):
    """Control: writes of every kind to a folder outside are recorded and flagged (the test above can fail)."""
    box = _sandbox(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    done = subprocess.run([sys.executable, "-c", CONTROL, str(elsewhere), str(box["cache"])], capture_output=True,
                          text=True, encoding="utf-8", env=_env(box), cwd=box["cwd"], timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    records = _audit(done.stdout)["records"]
    events = {r["event"] for r in records}
    assert {"open", "os.mkdir", "os.rename", "os.truncate", "os.symlink", "shutil.copyfile", "os.remove",
            "shutil.rmtree", "os.rmdir", "tempfile.mkdtemp"} <= events, events
    places, outside = _classify(records, box)
    flagged = {Path(line.split(" ")[1]) for line in outside}
    stray = box["tmp"] / "stray.txt"
    assert stray in flagged  # TMPDIR is allowed only for what the module docstring lists
    assert all(_under(p, elsewhere) for p in flagged - {stray}), sorted(flagged)  # nothing allowed is flagged
    flagged = {p.relative_to(elsewhere).as_posix() for p in flagged - {stray}}
    assert {".", "w.txt", "a.txt", "x.txt", "flags.txt", "read_me.txt", "renamed.txt", "replaced.txt", "link.txt",
            "copied.txt", "tree", "tree/sub", "tree/sub/leaf.txt", "empty"} <= flagged, sorted(flagged)
    assert not any("ok.txt" in line or "out.txt" in line for line in outside)
    assert places["cache"] and places["output"]  # the allowed writes were seen, and not flagged
    # a read is never recorded: the only records of read_me.txt are its creation by write_bytes
    reads = [r for r in records if any(p and p.endswith("read_me.txt") for p in r["paths"])]
    assert len(reads) == 1 and reads[0]["event"] == "open", reads
