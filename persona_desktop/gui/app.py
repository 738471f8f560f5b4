"""Starting the desktop app: ``persona-desktop [FILE] [--demo] [--lang en|zh]``.

Start-up is kept short: only Qt and the window's own modules are imported
before the window is shown; pandas, scikit-learn, mlxtend and matplotlib are
imported by the jobs that need them (together they cost seconds here).
With ``PERSONA_STARTUP_PROBE=1`` the app prints ``persona-desktop: window
shown`` once the window's first show has been processed, and quits — the
measurement point of ``bench/bench_startup.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop", description="Persona Desktop: know your customers.")
    p.add_argument("file", nargs="?", help="a customer or order file to open")
    p.add_argument("--demo", action="store_true", help="open the bundled sample shop")
    p.add_argument("--lang", choices=["en", "zh"], help="language of the window (default: saved or system)")
    p.add_argument("--screenshot", metavar="DIR",
                   help="with --demo: run the whole flow on the sample, save a PNG of each screen into DIR, "
                        "and quit (exit code 0 when every step worked); with a FILE: a picture of its Data screen")
    p.add_argument("--selftest", action="store_true",
                   help="check this installation headless (sample → segments, rules, prediction, chart, window, "
                        "workbook) and quit: exit code 0 when all works")
    p.add_argument("--size", metavar="WxH", default="1366x768", help="window size for --screenshot (default 1366x768)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.selftest:
        from persona_desktop.selftest import run_selftest

        return run_selftest()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from persona_desktop import APP_NAME, __version__
    from persona_desktop.gui import i18n
    from persona_desktop.gui.main_window import MainWindow
    from persona_desktop.gui.settings import app_settings

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Persona Desktop")
    app.setDesktopFileName("persona-desktop")
    saved = app_settings().value("language")
    i18n.set_language(args.lang or (str(saved) if saved else None))
    window = MainWindow()
    window.show()

    if os.environ.get("PERSONA_STARTUP_PROBE") == "1":
        def shown() -> None:
            sys.stdout.write("persona-desktop: window shown\n")
            sys.stdout.flush()
            app.quit()

        QTimer.singleShot(0, shown)
        return app.exec()

    if args.screenshot:
        width, _, height = args.size.partition("x")
        window.resize(int(width), int(height))
    if args.screenshot and args.demo:
        from persona_desktop.gui.demo import DemoDriver

        DemoDriver(window, args.screenshot, app).start()
        return app.exec()
    if args.demo:
        QTimer.singleShot(0, window.open_sample)
    elif args.file:
        QTimer.singleShot(0, lambda: window.open_file(os.path.abspath(args.file)))
    if args.screenshot:
        target = os.path.join(args.screenshot, "data.png") if not args.screenshot.endswith(".png") else args.screenshot

        def grab(_inspection=None) -> None:
            os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
            QTimer.singleShot(300, lambda: (window.grab().save(target), app.quit()))

        if args.file:
            window.file_loaded.connect(grab)
            window.runner.failed.connect(grab)
        else:
            grab()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
