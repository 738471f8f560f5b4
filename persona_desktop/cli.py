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
    "cli.sheet.customers": ("Customers", "客户"),
    "cli.segment.head": ("{k} segments of {customers} customers ({method})", "{customers} 位客户分为 {k} 组（{method}）"),
    "cli.segment.metrics": ("Quality: silhouette {sil}, Calinski–Harabasz {ch}, Davies–Bouldin {db}, stability {stab}",
                            "质量：轮廓系数 {sil}，Calinski–Harabasz {ch}，Davies–Bouldin {db}，稳定性 {stab}"),
    "cli.segment.card": ("{name} — {size} customers ({share}), {revenue} of revenue",
                         "{name} — {size} 位客户（{share}），贡献 {revenue} 的收入"),
    "cli.segment.card_no_revenue": ("{name} — {size} customers ({share})", "{name} — {size} 位客户（{share}）"),
    "cli.segment.products": ("Top products", "热门商品"),
    "cli.segment.churn": ("Churn risk", "流失风险"),
    "cli.segment.actions": ("Actions", "建议"),
    "cli.colon": (": ", "："),
    "cli.sheet.rules": ("Rules", "关联规则"),
    "cli.sheet.recommendations": ("Recommendations", "推荐"),
    "cli.sheet.segment_rules": ("Rules by segment", "分组规则"),
    "cli.rules.head": ("{rules} rules from {baskets} baskets of {items} items ({itemsets} frequent itemsets, {backend})",
                       "从 {baskets} 个购物篮、{items} 种商品中得到 {rules} 条规则（{itemsets} 个频繁项集，{backend}）"),
    "cli.rules.thresholds": ("minimum support {support}, minimum confidence {confidence}",
                             "最小支持度 {support}，最小置信度 {confidence}"),
    "cli.rules.figures": ("support {support} · confidence {confidence} · lift {lift}",
                          "支持度 {support} · 置信度 {confidence} · 提升度 {lift}"),
    "cli.rules.none": ("No rule reaches these thresholds; try a lower minimum support or confidence.",
                       "没有规则达到这些阈值；请尝试降低最小支持度或置信度。"),
    "cli.rules.recommended": ("Next products chosen for {n} customers (see --out).",
                              "已为 {n} 位客户挑选了下一步推荐的商品（见 --out）。"),
    "cli.rules.special": ("{x}× as often as all customers", "是全部客户的 {x} 倍"),
    "cli.semicolon": ("; ", "；"),
    "cli.segment.rule": ("Rule", "规则"),
    "cli.segment.written": ("Written: {file}", "已写入：{file}"),
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


def _source_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")
    p.add_argument("--sheet", help="sheet of a workbook (default: the first sheet holding a table)")
    p.add_argument("--encoding", help="text encoding, e.g. utf-8, gbk, utf-16, cp1252 (default: detected)")


def _segment_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop segment",
                                description="Find customer segments and describe them as persona cards.")
    _source_options(p)
    p.add_argument("--method", default="auto", choices=["auto", "kmeans", "dbscan", "hierarchical", "rfm"])
    p.add_argument("--k", type=int, help="number of segments (default: chosen automatically)")
    p.add_argument("--features", help="comma-separated columns to segment on (default: chosen for the table)")
    p.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same segments")
    p.add_argument("--scaling", default="standard", choices=["standard", "robust", "minmax"])
    p.add_argument("--metric", default="euclidean", choices=["euclidean", "manhattan", "cosine"],
                   help="distance for DBSCAN and hierarchical clustering")
    p.add_argument("--linkage", default="ward", choices=["ward", "average", "complete"],
                   help="hierarchical clustering linkage")
    p.add_argument("--eps", type=float, help="DBSCAN radius (default: from the k-distance curve)")
    p.add_argument("--min-samples", type=int, help="DBSCAN neighbours that make a core customer")
    p.add_argument("--stability", type=int, default=5, metavar="RUNS",
                   help="re-fits on resamples to measure stability (0 to skip; default 5)")
    p.add_argument("--out", metavar="OUT.xlsx", help="write every customer with their segment to this workbook")
    p.add_argument("--as-of", metavar="DATE", help="count recency to this date (default: the last date in the file)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _common(p)
    return p


def _cmd_segment(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.analysis import segment_inspection
    from persona_desktop.core.pipeline import inspect_file

    inspection = inspect_file(args.file, sheet=args.sheet, encoding=args.encoding, as_of=_as_of(args.as_of))
    features = [f.strip() for f in args.features.split(",") if f.strip()] if args.features else None
    result = segment_inspection(inspection, method=args.method, k=args.k, features=features, seed=args.seed,
                                scaling=args.scaling, metric=args.metric, linkage=args.linkage, eps=args.eps,
                                min_samples=args.min_samples, stability_runs=args.stability)
    doc = result.to_json(lang)
    if args.out:
        from persona_desktop.core.xlsx import write_workbook

        sheet = tr("cli.sheet.customers", lang)
        written = write_workbook(args.out, {sheet: result.customers_with_segments(lang)}, source=args.file)
        doc["out"] = str(written)
    if args.json:
        _print_json(doc)
    else:
        sys.stdout.write(_segment_text(doc, lang) + "\n")
    return EXIT_OK


def _segment_text(doc: dict, lang: str) -> str:
    def t(key: str, **kw) -> str:
        return tr(key, lang, **kw)

    m = doc["metrics"]

    def num(v, fmt=".2f"):
        return "–" if v is None else format(v, fmt)

    lines = [t("cli.segment.head", method=doc["method"], k=doc["k"], customers=f"{doc['customers']:,}"),
             t("cli.segment.metrics", sil=num(m["silhouette"]), ch=num(m["calinski_harabasz"], ".0f"),
               db=num(m["davies_bouldin"]), stab=num(m["stability"]))]
    for note in doc.get("notes", []):
        lines.append(f"  · {note}")
    for s in doc["segments"]:
        lines.append("")
        if s["revenue_share"] is None:
            lines.append(t("cli.segment.card_no_revenue", name=s["name"], size=f"{s['size']:,}",
                           share=f"{s['share']:.0%}"))
        else:
            lines.append(t("cli.segment.card", name=s["name"], size=f"{s['size']:,}", share=f"{s['share']:.0%}",
                           revenue=f"{s['revenue_share']:.0%}"))
        lines.extend(f"    - {trait}" for trait in s["traits"])
        if s.get("top_products"):
            products = ", ".join(p["product"] for p in s["top_products"][:3])
            lines.append(f"    {t('cli.segment.products')}{t('cli.colon')}{products}")
        if s.get("churn_risk") and s["churn_risk"] != "unknown":
            lines.append(f"    {t('cli.segment.churn')}{t('cli.colon')}{t('churn.' + s['churn_risk'])}")
        if s.get("actions"):
            lines.append(f"    {t('cli.segment.actions')}{t('cli.colon')}" + t("cli.semicolon").join(s["actions"]))
        if s.get("rule"):
            lines.append(f"    {t('cli.segment.rule')}{t('cli.colon')}{s['rule']}")
    if doc.get("out"):
        lines += ["", t("cli.segment.written", file=doc["out"])]
    return "\n".join(lines)


def _rules_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="persona-desktop rules",
                                description="Find what is bought together, and what to offer each customer next.")
    _source_options(p)
    p.add_argument("--min-support", type=float, default=0.01,
                   help="a fraction of the baskets (0.01 = 1%%) or a count of baskets (e.g. 50); default 0.01")
    p.add_argument("--min-confidence", type=float, default=0.3, help="default 0.3")
    p.add_argument("--min-lift", type=float, default=0.0)
    p.add_argument("--max-len", type=int, default=3,
                   help="most items in a rule (default 3: longer rules are rarely worth acting on)")
    p.add_argument("--algorithm", default="auto", choices=["auto", "apriori", "fpgrowth"])
    p.add_argument("--from", dest="source", default="auto", choices=["auto", "orders", "attributes"],
                   help="baskets of products per order, or of attributes per customer (default: by the table)")
    p.add_argument("--contains", help="only rules with this item (comma-separated for several)")
    p.add_argument("--top", type=int, default=50, help="rules to print (default 50, by lift)")
    p.add_argument("--by-segment", action="store_true", help="also find the rules special to each customer segment")
    p.add_argument("--out", metavar="OUT.xlsx", help="write every rule (and recommendations) to this workbook")
    p.add_argument("--json", action="store_true", help="print JSON")
    _common(p)
    return p


def _cmd_rules(args: argparse.Namespace, lang: str) -> int:
    from persona_desktop.core.pipeline import inspect_file
    from persona_desktop.core.rule_analysis import find_rules
    from persona_desktop.core.rules import filter_rules

    inspection = inspect_file(args.file, sheet=args.sheet, encoding=args.encoding)
    result = find_rules(inspection, min_support=args.min_support, min_confidence=args.min_confidence,
                        min_lift=args.min_lift, max_len=args.max_len if args.max_len and args.max_len > 0 else None,
                        algorithm=args.algorithm, source=args.source, by_segment=args.by_segment)
    if args.contains:
        result.rules = filter_rules(result.rules, contains=[c.strip() for c in args.contains.split(",") if c.strip()])
    doc = result.to_json(lang, top=args.top)
    if args.out:
        from persona_desktop.core.xlsx import write_workbook

        sheets = {tr("cli.sheet.rules", lang): result.rules_table(lang)}
        recommendations = result.recommendations_table(lang)
        if recommendations is not None:
            sheets[tr("cli.sheet.recommendations", lang)] = recommendations
        segment_rules = result.segment_rules_table(lang)
        if segment_rules is not None:
            sheets[tr("cli.sheet.segment_rules", lang)] = segment_rules
        doc["out"] = str(write_workbook(args.out, sheets, source=args.file))
    if args.json:
        _print_json(doc)
    else:
        sys.stdout.write(_rules_text(doc, lang) + "\n")
    return EXIT_OK


def _rules_text(doc: dict, lang: str) -> str:
    def t(key: str, **kw) -> str:
        return tr(key, lang, **kw)

    lines = [t("cli.rules.head", rules=f"{doc['rule_count']:,}", baskets=f"{doc['transactions']:,}",
               items=f"{doc['items']:,}", itemsets=f"{doc['itemsets']:,}", backend=doc["backend"]),
             t("cli.rules.thresholds", support=f"{doc['min_support']:g}", confidence=f"{doc['min_confidence']:g}"), ""]
    for rule in doc["rules"]:
        lines.append(f"  • {rule['sentence']}")
        lines.append("    " + t("cli.rules.figures", support=f"{rule['support']:.3f}", confidence=f"{rule['confidence']:.2f}",
                                 lift=f"{rule['lift']:.2f}"))
    if not doc["rules"]:
        lines.append("  " + t("cli.rules.none"))
    if doc.get("customers_with_recommendations") is not None:
        lines += ["", t("cli.rules.recommended", n=f"{doc['customers_with_recommendations']:,}")]
    for segment in doc.get("segments", []):
        lines += ["", f"{segment['segment']}{t('cli.colon').rstrip()}"]
        for r in segment["rules"][:5]:
            special = t("cli.rules.special", x=format(r["special"], ".1f"))
            lines.append(f"  • {r['sentence']} ({special})")
    if doc.get("out"):
        lines += ["", t("cli.segment.written", file=doc["out"])]
    return "\n".join(lines)


VERBS: dict[str, tuple[Callable[[], argparse.ArgumentParser], Callable[[argparse.Namespace, str], int]]] = {
    "inspect": (_inspect_parser, _cmd_inspect),
    "segment": (_segment_parser, _cmd_segment),
    "rules": (_rules_parser, _cmd_rules),
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
            "       persona-desktop segment FILE [--method auto|kmeans|dbscan|hierarchical|rfm] [--k N]\n"
            "                               [--features a,b,c] [--seed N] [--out OUT.xlsx] [--json] [--lang en|zh]\n"
            "       persona-desktop rules FILE [--min-support F] [--min-confidence F] [--max-len N]\n"
            "                             [--algorithm auto|apriori|fpgrowth] [--by-segment] [--out OUT.xlsx] [--json]\n"
            "       persona-desktop --version\n"
        )
        return EXIT_OK
    from persona_desktop.gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
