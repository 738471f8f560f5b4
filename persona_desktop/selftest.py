"""``persona-desktop --selftest``: does this build work? Headless, about half a minute.

Loads the bundled sample, segments it, finds rules, predicts churn, renders a
chart, builds the window offscreen in both languages (Qt's platform plugin and
our translations must load), writes the workbook into a temporary folder, reads
it back and a Parquet copy of the sample (every reader the app has), and
deletes the folder. Each step prints one line on stdout; the exit code is 0 when all
worked, 1 otherwise (the failing step and its error on stderr). When all is
well nothing at all is written to stderr: the packaged build's CI fails on
any stderr output (a missing Qt plugin, a font-cache warning).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

__all__ = ["run_selftest"]


def _say(text: str) -> None:
    sys.stdout.write(f"selftest: {text}\n")
    sys.stdout.flush()


def run_selftest() -> int:
    """Run the checks; see the module docstring.

    A windowed Windows executable has no stdout or stderr: with
    ``PERSONA_SELFTEST_LOG`` set, both go to that file instead (stdout, then a
    line ``--- stderr ---``, then stderr), which build_scripts/build.py reads.
    """
    log = os.environ.get("PERSONA_SELFTEST_LOG")
    if not log:
        return _run()
    import io

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = _run()
    finally:
        sys.stdout, sys.stderr = saved
        Path(log).write_text(out.getvalue() + "--- stderr ---\n" + err.getvalue(), encoding="utf-8")
    return code


def _run() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    step = "start"
    try:
        with tempfile.TemporaryDirectory(prefix="persona-selftest-") as folder:
            step = "load"
            from persona_desktop.core.results import Analysis
            from persona_desktop.core.workflow import add_churn, add_rules, add_segments
            from persona_desktop.core.paths import sample_path
            from persona_desktop.core.table.understand import inspect_file

            path = sample_path()
            analysis = Analysis(Path(path), inspect_file(path))
            _say(f"loaded {path.name}: {len(analysis.inspection.table.data):,} rows")
            step = "segments"
            add_segments(analysis)
            _say(f"segments: {analysis.segments.segmentation.n_segments}")
            step = "rules"
            add_rules(analysis)
            _say(f"rules: {len(analysis.rules.rules)}")
            step = "prediction"
            add_churn(analysis, model="logistic")
            chosen = analysis.churn.chosen
            _say(f"churn model: {chosen.name}, ROC AUC {chosen.cv.roc_auc:.2f}")
            step = "chart"
            from persona_desktop.core.charts.figures import analysis_figures
            from persona_desktop.core.export.files import save_figures

            (Path(folder) / "charts").mkdir()
            charts = save_figures(Path(folder) / "charts", analysis, fmt="png")
            if not charts or any(p.stat().st_size < 1000 for p in charts):
                raise RuntimeError(f"charts not rendered ({len(charts)} of {len(analysis_figures(analysis))})")
            _say(f"charts: {len(charts)} PNG files")
            step = "window"
            _window_check()
            _say("window: built offscreen in English and Chinese; the sample's whole flow ran through it")
            step = "workbook"
            from persona_desktop.core.export.bundle import ExportChoice, export_results

            written = export_results(analysis, ExportChoice(folder=folder, name="selftest", workbook=True))
            from openpyxl import load_workbook

            book = load_workbook(written[0], read_only=True)
            sheets = len(book.sheetnames)
            book.close()
            _say(f"workbook: {sheets} sheets, {written[0].stat().st_size:,} bytes")
            step = "readers"
            _say(_readers_check(written[0], analysis.inspection.table.data, Path(folder)))
        _say(f"ok in {time.perf_counter() - start:.1f} s")
        return 0
    except Exception:  # the self-test reports any failure, whatever it is
        sys.stderr.write(f"selftest: FAILED at {step}\n{traceback.format_exc()}")
        return 1


def _readers_check(workbook: Path, table, folder: Path) -> str:
    """The other file kinds the app opens: a workbook (fastexcel) and Parquet (pyarrow)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from persona_desktop.core.io import load_table

    book = load_table(workbook)
    if len(book.data) == 0:
        raise RuntimeError(f"the workbook's first sheet read back empty: {workbook.name}")
    parquet = folder / "sample.parquet"
    pq.write_table(pa.Table.from_pandas(table.head(1000), preserve_index=False), parquet)
    back = load_table(parquet)
    if len(back.data) != 1000:
        raise RuntimeError(f"Parquet read back {len(back.data)} rows of 1000")
    return f"readers: workbook {len(book.data)} rows, Parquet {len(back.data)} rows"


# Said by Qt's headless platform plugins (offscreen, minimal) whenever a window is shown: it is
# about the plugin the self-test itself chose, never about the build.
_HEADLESS_NOTICES = ("This plugin does not support propagateSizeHints()",)


def _qt_messages(mode, context, message: str) -> None:
    if message not in _HEADLESS_NOTICES:
        sys.stderr.write(f"Qt: {message}\n")


def _window_check() -> None:
    """The real window, offscreen: built in both languages (plugins, translations, icons), then the
    sample's whole flow clicked through it as ``--demo`` does (the jobs, the warm-up, the charts)."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    qInstallMessageHandler(_qt_messages)
    from persona_desktop.gui import i18n, warmup
    from persona_desktop.gui.demo import DemoDriver
    from persona_desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    for lang, file_menu in (("en", "File"), ("zh", "文件")):
        i18n.set_language(lang)
        window = MainWindow()
        window.show()
        app.processEvents()
        if file_menu not in window.file_menu.title():
            raise RuntimeError(f"the {lang} translation did not load (File menu: {window.file_menu.title()!r})")
        if lang == "zh":
            DemoDriver(window, None, app).start()  # open, segments, rules, churn, export; then app.exit(code)
            if app.exec() != 0:
                raise RuntimeError("the flow through the window failed (its message is above)")
        window.close()
        window.deleteLater()
    app.processEvents()
    if warmup.missing:
        raise RuntimeError(f"the warm-up could not import {', '.join(warmup.missing)}: left out of the build?")
