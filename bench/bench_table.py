"""How smoothly the Data screen's table scrolls and sorts with 541,909 rows.

    .venv/bin/python bench/bench_table.py [--file PATH] [--pages 200]

Opens the file in the real main window (offscreen unless DISPLAY is set),
then scrolls page by page and jumps to random rows, repainting the table
after each move, and prints the repaint times (median, 95th percentile,
worst). A frame at 60 Hz is 16.7 ms; anything under that scrolls smoothly.
Also prints how long sorting and filtering the whole table take.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "datasets" / "01_online_retail" / "online_retail.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default=str(DEFAULT))
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication

    from persona_desktop.gui.main_window import MainWindow

    app = QApplication(sys.argv[:1])  # noqa: F841  (alive while the window is)
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    loaded = []
    window.file_loaded.connect(loaded.append)
    window.open_file(args.file, remember=False)
    while not loaded:
        QEventLoop().processEvents()  # app.processEvents() leaks a None ref (PySide6 6.12)
        time.sleep(0.01)
    view = window.data_panel.rows_view
    model = view.model()
    bar = view.verticalScrollBar()

    def repaint_ms() -> float:
        start = time.perf_counter()
        view.viewport().repaint()
        QEventLoop().processEvents()  # app.processEvents() leaks a None ref (PySide6 6.12)
        return (time.perf_counter() - start) * 1000

    page = max(bar.pageStep(), 1)
    pages = [repaint_ms() for _ in range(1)]
    for i in range(args.pages):
        bar.setValue(min(bar.maximum(), i * page))
        pages.append(repaint_ms())
    rng = random.Random(0)
    jumps = []
    for _ in range(args.pages):
        bar.setValue(rng.randint(0, bar.maximum()))
        jumps.append(repaint_ms())

    def summary(name: str, values: list[float]) -> str:
        values = sorted(values)
        return (f"{name:18} median {statistics.median(values):6.1f} ms   p95 {values[int(len(values) * 0.95)]:6.1f} ms"
                f"   worst {values[-1]:6.1f} ms")

    print(f"{Path(args.file).name}: {model.rowCount():,} rows × {model.columnCount()} columns")
    print(summary("page down repaint", pages))
    print(summary("random jump", jumps))
    for column in (4, 3):  # Quantity (numbers), Description (text)
        start = time.perf_counter()
        model.sort(column, Qt.SortOrder.DescendingOrder)
        print(f"sort by {model.headerData(column, Qt.Orientation.Horizontal).splitlines()[0]:12} "
              f"{(time.perf_counter() - start) * 1000:7.0f} ms")
    start = time.perf_counter()
    model.set_filter("retrospot")
    print(f"filter 'retrospot'      {(time.perf_counter() - start) * 1000:7.0f} ms → {model.rowCount():,} rows")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
