"""The ``persona-desktop`` command: the desktop app, or a headless verb.

``persona-desktop [FILE] [--demo] [--lang en|zh]`` opens the window;
``persona-desktop inspect FILE …`` prints what was found in a file. Later
verbs (segment, rules, predict, analyze) join ``VERBS``.

Exit codes: 0 success, 2 bad command line, 3 the input cannot be used (the
message names the file and the reason, in the chosen language), 1 an
internal error (a one-line message; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, Sequence

from persona_desktop import __version__
from persona_desktop.core.i18n import normalize_lang, register, tr

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3

register({
    "cli.internal": ("internal error: {reason} (run again with --debug for details)",
                     "内部错误：{reason}（加 --debug 重新运行可查看详情）"),
    "cli.cancelled": ("cancelled", "已取消"),
    "cli.file": ("File", "文件"),
    "cli.format": ("Format", "格式"),
    "cli.encoding": ("Encoding", "编码"),
    "cli.sheet": ("Sheet", "工作表"),
    "cli.rows": ("Rows", "行数"),
    "cli.kind": ("Table", "表类型"),
    "cli.customers": ("Customers", "客户数"),
    "cli.columns": ("Columns", "列"),
    "cli.cleaning": ("Cleaning", "清洗"),
    "cli.warnings": ("Warnings", "提示"),
    "cli.rows_affected": ("{rows} rows", "{rows} 行"),
})


def _print_json(doc: dict) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(text + "\n")


def _inspect_text(doc: dict, lang: str) -> str:
    def t(key: str) -> str:
        return tr(key, lang)

    lines = [
        f"{t('cli.file')}: {doc['file']}",
        f"{t('cli.format')}: {doc['format']}"
        + (f"   {t('cli.encoding')}: {doc['encoding']}" if doc.get("encoding") else "")
        + (f"   {t('cli.sheet')}: {doc['sheet']}" if doc.get("sheet") else ""),
        f"{t('cli.rows')}: {doc['rows']:,}   {t('cli.kind')}: {tr('kind.' + doc['kind'], lang)}"
        + (f"   {t('cli.customers')}: {doc['customers']:,}" if doc.get("customers") is not None else ""),
        f"{t('cli.columns')}:",
    ]
    width = max((len(c["name"]) for c in doc["columns"]), default=0)
    for c in doc["columns"]:
        lines.append(f"  {c['name']:<{width}}  {tr('role.' + c['role'], lang)} ({c['dtype']})")
    if doc.get("cleaning"):
        lines.append(f"{t('cli.cleaning')}:")
        for step in doc["cleaning"]:
            rows = tr("cli.rows_affected", lang, rows=f"{step['rows']:,}")
            lines.append(f"  {step.get('label', step['step'])}: {rows}")
    if doc.get("warnings"):
        lines.append(f"{t('cli.warnings')}:")
        lines.extend(f"  - {w}" for w in doc["warnings"])
    return "\n".join(lines)


def _cmd_inspect(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.pipeline import inspect_file, inspection_to_json

    result = inspect_file(args.file, sheet=args.sheet, encoding=args.encoding, dayfirst=args.dayfirst,
                          as_of=_as_of(args.as_of))
    doc = inspection_to_json(result, lang)
    if args.json:
        _print_json(doc)
    else:
        sys.stdout.write(_inspect_text(doc, lang) + "\n")
    return EXIT_OK


def _as_of(text: str | None):
    """The --as-of date, or a usage error (exit code 2) naming what was wrong."""
    if text is None:
        return None
    import pandas as pd

    try:
        return pd.Timestamp(text)
    except (ValueError, TypeError):
        sys.stderr.write(f"persona-desktop: --as-of: not a date: {text!r} (use YYYY-MM-DD)\n")
        raise SystemExit(EXIT_USAGE) from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=["en", "zh"], help="language of messages (default: system locale)")
    p.add_argument("--debug", action="store_true", help="show the traceback of internal errors")


def _inspect_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop inspect", description="Print what was found in a customer or order file.")
    p.add_argument("file")
    p.add_argument("--sheet", help="sheet of a workbook (default: the first sheet holding a table)")
    p.add_argument("--encoding", help="text encoding, e.g. utf-8, gbk, utf-16, cp1252 (default: detected)")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True, help="read 05/03/2024 as 5 March")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False, help="read 05/03/2024 as May 3")
    p.add_argument("--as-of", metavar="DATE", help="count recency to this date (default: the last date in the file)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _common(p)
    return p


VERBS: dict[str, tuple[Callable[[], argparse.ArgumentParser], Callable[[argparse.Namespace, str], int]]] = {
    "inspect": (_inspect_parser, _cmd_inspect),
}


def _run_verb(verb: str, argv: Sequence[str]) -> int:
    make_parser, command = VERBS[verb]
    args = make_parser().parse_args(argv)
    lang = normalize_lang(args.lang)
    for stream in (sys.stdout, sys.stderr):  # Chinese text on a Windows console
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    from persona_desktop.core.errors import PersonaError
    from persona_desktop.core.progress import Cancelled

    try:
        return command(args, lang)
    except PersonaError as exc:
        sys.stderr.write(f"persona-desktop: {exc.text(lang)}\n")
        return EXIT_INPUT
    except Cancelled:
        sys.stderr.write(f"persona-desktop: {tr('cli.cancelled', lang)}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write(f"persona-desktop: {tr('cli.cancelled', lang)}\n")
        return 130
    except Exception as exc:  # a bug: one line, not a traceback, unless asked
        if args.debug:
            raise
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        sys.stderr.write(f"persona-desktop: {tr('cli.internal', lang, reason=reason)}\n")
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``persona-desktop`` and ``python -m persona_desktop``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in VERBS:
        return _run_verb(argv[0], argv[1:])
    if argv and argv[0] in ("--version", "-V"):
        sys.stdout.write(f"persona-desktop {__version__}\n")
        return EXIT_OK
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(
            "usage: persona-desktop [FILE] [--demo] [--lang en|zh] [--screenshot DIR]\n"
            "       persona-desktop inspect FILE [--sheet NAME] [--encoding E] [--json] [--lang en|zh]\n"
            "       persona-desktop --version\n"
        )
        return EXIT_OK
    from persona_desktop.gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
