"""The ``persona-desktop`` command: the desktop app, or a headless verb.

``persona-desktop [FILE] [--demo] [--lang en|zh]`` opens the window;
``persona-desktop inspect FILE …`` prints what was found in a file. The
verbs segment, rules, predict, value and analyze are in ``VERBS``.

Exit codes: 0 success, 2 bad command line, 3 the input cannot be used (the
message names the file and the reason, in the chosen language), 1 an
internal error (a one-line message; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from persona_desktop import __version__
from persona_desktop.cli_args import (
    ROLE_NAMES,
    analyze_parser,
    inspect_parser,
    value_parser,
    predict_parser,
    rules_parser,
    segment_parser,
)
from persona_desktop.cli_text import (
    analyze_text,
    inspect_text,
    predict_text,
    value_text,
    rules_text,
    segment_text,
)
from persona_desktop.cli_progress import cli_progress
from persona_desktop.core.i18n import normalize_lang, tr

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


def _print_json(doc: dict) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(text + "\n")


def _roles(args: argparse.Namespace, lang: str) -> dict[str, str]:
    """The --role COLUMN=ROLE options as a mapping, or a usage error (exit 2) listing the valid roles."""
    roles = {}
    for given in args.role:
        column, sep, role = given.rpartition("=")
        role = role.strip().lower().replace(" ", "_")
        if not sep or not column.strip() or role not in ROLE_NAMES:
            sys.stderr.write("persona-desktop: " + tr("cli.error.role", lang, given=given, roles=", ".join(ROLE_NAMES)) + "\n")
            raise SystemExit(EXIT_USAGE)
        roles[column.strip()] = role
    return roles


def _open(args: argparse.Namespace, lang: str, progress=None, path: str | None = None, **options):
    """The file of the command read and understood with its source options (--sheet, --encoding, --role)."""
    from persona_desktop.core.table.understand import inspect_file
    from persona_desktop.core.progress import NULL_PROGRESS

    return inspect_file(path or args.file, sheet=args.sheet, encoding=args.encoding, roles=_roles(args, lang) or None,
                        strict_roles=True, progress=progress or NULL_PROGRESS, **options)


def _cmd_inspect(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.table.understand import inspection_to_json

    result = _open(args, lang, dayfirst=args.dayfirst, as_of=_as_of(args.as_of))
    result.check()  # nothing to analyse: say what is missing, exit 3
    doc = inspection_to_json(result, lang)
    if args.json:
        _print_json(doc)
    else:
        sys.stdout.write(inspect_text(doc, lang) + "\n")
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


def _answer(args: argparse.Namespace, doc: dict, text, sheets) -> int:
    """A verb's ending: the workbook ``--out`` (*sheets()* gives ``{sheet name: table}``), then the JSON
    or the text (*text(doc)*) on stdout."""
    if args.out:
        from persona_desktop.core.export.xlsx import write_workbook

        doc["out"] = str(write_workbook(args.out, sheets(), source=args.file))
    if args.json:
        _print_json(doc)
    else:
        sys.stdout.write(text(doc) + "\n")
    return EXIT_OK


def _cmd_segment(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.segments.run import segment_inspection

    progress = cli_progress(args.progress)
    inspection = _open(args, lang, progress.sub(0.0, 0.3), as_of=_as_of(args.as_of))
    features = [f.strip() for f in args.features.split(",") if f.strip()] if args.features else None
    result = segment_inspection(inspection, method=args.method, k=args.k, features=features, seed=args.seed,
                                scaling=args.scaling, metric=args.metric, linkage=args.linkage, eps=args.eps,
                                min_samples=args.min_samples, stability_runs=args.stability,
                                progress=progress.sub(0.3, 1.0))
    progress.close()
    return _answer(args, result.to_json(lang), lambda doc: segment_text(doc, lang),
                   lambda: {tr("cli.sheet.customers", lang): result.customers_with_segments(lang)})


def _cmd_rules(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.rules.run import find_rules
    from persona_desktop.core.rules.association import filter_rules

    progress = cli_progress(args.progress)
    inspection = _open(args, lang, progress.sub(0.0, 0.3))
    result = find_rules(inspection, min_support=args.min_support, min_confidence=args.min_confidence,
                        min_lift=args.min_lift, max_len=args.max_len if args.max_len and args.max_len > 0 else None,
                        algorithm=args.algorithm, source=args.source, by_segment=args.by_segment, lang=lang,
                        progress=progress.sub(0.3, 1.0))
    progress.close()
    if args.contains:
        result.rules = filter_rules(result.rules, contains=[c.strip() for c in args.contains.split(",") if c.strip()])
    doc = result.to_json(lang, top=args.top)

    def sheets() -> dict:
        out = {tr("cli.sheet.rules", lang): result.rules_table(lang)}
        for key, table in (("cli.sheet.recommendations", result.recommendations_table(lang)),
                           ("cli.sheet.segment_rules", result.segment_rules_table(lang))):
            if table is not None:
                out[tr(key, lang)] = table
        return out

    return _answer(args, doc, lambda doc: rules_text(doc, lang), sheets)


def _cmd_predict(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.predict.model_files import TrainedModel, apply_model_to_file, save_model
    from persona_desktop.core.predict.run import train
    from persona_desktop.core.predict.targets import (
        churn_target,
        segment_target,
        target_from_column,
    )

    progress = cli_progress(args.progress)
    inspection = _open(args, lang, progress.sub(0.0, 0.15))
    inspection.check()
    exclude = [c.strip() for c in args.exclude.split(",") if c.strip()] if args.exclude else []
    include = [c.strip() for c in args.include.split(",") if c.strip()] if args.include else []
    if args.churn_days is not None:
        target = churn_target(inspection, args.churn_days, _as_of(args.cutoff), exclude=exclude, folds=args.folds,
                              lang=lang)
        customers = None
    elif args.segments:
        from persona_desktop.core.segments.run import segment_inspection

        segments = segment_inspection(inspection, stability_runs=0)
        names = segments.names_by_segment(lang)
        target = segment_target(inspection.customers, segments.labels, names, exclude=exclude, folds=args.folds, lang=lang,
                                include=include)
        customers = inspection.customers
    else:
        if inspection.customers is None:
            from persona_desktop.core.errors import DataError

            raise DataError("analysis.no_customers", file=args.file, reason=tr("analysis.reason.baskets", lang))
        target = target_from_column(inspection.customers, args.target, exclude=exclude, folds=args.folds, include=include)
        customers = inspection.customers
    prediction = train(target, args.model, folds=args.folds, progress=progress.sub(0.15, 1.0))
    progress.close()
    doc = prediction.to_json(lang)
    roles = customers.roles if customers is not None else {}
    trained = TrainedModel.from_prediction(prediction, roles)
    sheets: dict = {}
    if args.apply:
        # an export of the same kind, opened with the command's source options
        applied = apply_model_to_file(trained, args.apply, lang=lang, sheet=args.sheet, encoding=args.encoding,
                                      roles=_roles(args, lang) or None, strict_roles=True)
        doc["applied"] = {"file": args.apply, "customers": len(applied.scored), "missing_columns": applied.missing,
                          "extra_columns": applied.extra, "warnings": [w.text(lang) for w in applied.warnings]}
        sheets[tr("cli.sheet.applied", lang)] = applied.scored
    if args.save_model:
        doc["model_file"] = str(save_model(args.save_model, trained))

    def workbook_sheets() -> dict:
        from persona_desktop.core.export.model_sheet import model_rows

        return {tr("cli.sheet.model", lang): model_rows(prediction, lang),
                tr("cli.sheet.scored", lang): prediction.scored_table(lang=lang), **sheets}

    return _answer(args, doc, lambda doc: predict_text(doc, prediction, lang), workbook_sheets)


def _cmd_value(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.value.run import customer_value

    for name, value, low in (("--days", args.days, 1), ("--months", args.months, 1)):
        if value < low:
            sys.stderr.write(f"persona-desktop: {name}: must be at least {low}\n")
            raise SystemExit(EXIT_USAGE)
    if not 0 <= args.discount < 1:
        sys.stderr.write("persona-desktop: --discount: a monthly rate between 0 and 1 (0.01 = 1 %)\n")
        raise SystemExit(EXIT_USAGE)
    progress = cli_progress(args.progress)
    inspection = _open(args, lang, progress.sub(0.0, 0.3), as_of=_as_of(args.as_of))
    result = customer_value(inspection, days=args.days, months=args.months, discount=args.discount, unit=args.unit,
                            model=args.model, check=args.backtest, progress=progress.sub(0.3, 1.0))
    doc = result.to_json(lang, top=args.top)
    progress.close()
    return _answer(args, doc, lambda doc: value_text(doc, lang),
                   lambda: {tr("cli.sheet.value", lang): result.customers_table(lang)})


def _cmd_analyze(args: argparse.Namespace, lang: str) -> int:
    import time

    from persona_desktop.core.workflow import run_analysis
    from persona_desktop.core.export.workbook import write_owner_workbook

    if args.report and args.out and Path(args.report).resolve() == Path(args.out).resolve():
        sys.stderr.write("persona-desktop: --report and --out name the same file\n")
        return EXIT_USAGE
    progress = cli_progress(args.progress)
    analysis = run_analysis(args.file, sheet=args.sheet, encoding=args.encoding, seed=args.seed,
                            min_support=args.min_support, churn_days=args.churn_days, lang=lang,
                            roles=_roles(args, lang) or None, progress=progress)
    progress.close()
    doc = analysis.to_json(lang)
    clock = time.perf_counter()
    from persona_desktop.core.export.privacy import privacy_for

    doc["out"] = str(write_owner_workbook(args.out, analysis, lang, privacy=privacy_for(args.personal)))
    doc["steps"].append({"step": "workbook", "name": tr("cli.step.workbook", lang),
                         "seconds": round(time.perf_counter() - clock, 2)})
    if args.report:
        from persona_desktop.core.export.report import write_persona_report

        clock = time.perf_counter()
        doc["report"] = str(write_persona_report(args.report, analysis, lang))
        doc["steps"].append({"step": "report", "name": tr("cli.step.report", lang),
                             "seconds": round(time.perf_counter() - clock, 2)})
    doc["seconds"] = round(sum(s["seconds"] for s in doc["steps"]), 2)
    if args.json:
        _print_json(doc)
    else:
        sys.stdout.write(analyze_text(doc, lang) + "\n")
    return EXIT_OK


VERBS: dict[str, tuple[Callable[[], argparse.ArgumentParser], Callable[[argparse.Namespace, str], int]]] = {
    "inspect": (inspect_parser, _cmd_inspect),
    "segment": (segment_parser, _cmd_segment),
    "rules": (rules_parser, _cmd_rules),
    "predict": (predict_parser, _cmd_predict),
    "value": (value_parser, _cmd_value),
    "analyze": (analyze_parser, _cmd_analyze),
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
            "       persona-desktop inspect FILE [--sheet NAME] [--encoding E] [--role COLUMN=ROLE] [--json] [--lang en|zh]\n"
            "       persona-desktop segment FILE [--method auto|kmeans|dbscan|hierarchical|rfm] [--k N]\n"
            "                               [--features a,b,c] [--seed N] [--out OUT.xlsx] [--json] [--lang en|zh]\n"
            "       persona-desktop rules FILE [--min-support F] [--min-confidence F] [--max-len N]\n"
            "                             [--algorithm auto|apriori|fpgrowth] [--by-segment] [--out OUT.xlsx] [--json]\n"
            "       persona-desktop predict FILE (--target COLUMN | --churn-days N [--cutoff DATE] | --segments)\n"
            "                             [--model tree|forest|logistic|svm|boosting|mlp|compare] [--folds N]\n"
            "                             [--apply NEWFILE] [--save-model M.pdmodel] [--out OUT.xlsx] [--json]\n"
            "       persona-desktop value FILE [--days N] [--months M] [--discount R] [--unit days|weeks|months]\n"
            "                             [--model auto|bgnbd|paretonbd] [--backtest] [--out OUT.xlsx] [--json]\n"
            "       persona-desktop analyze FILE --out OUT.xlsx [--report OUT.pdf] [--personal keep|mask|code] [--json] [--lang en|zh]\n"
            "       every verb that reads a file also takes --role COLUMN=ROLE (repeatable) and --progress\n"
            "       persona-desktop --version\n"
        )
        return EXIT_OK
    from persona_desktop.gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
