"""Hostile and huge files: what each one costs before it is refused (or read), in its own process.

Run by hand (numbers, not pass/fail; Linux: the child's memory is capped):

    .venv/bin/python bench/bench_hostile.py            # the hostile files
    .venv/bin/python bench/bench_hostile.py --big 1    # also a 1 GB CSV (Online Retail ×21), ~1 min

Each file is built by tests/test_hostile_files.py's builders and read by
``load_table`` in a fresh process under a 4 GB address-space cap; printed:
the outcome (loaded, or the message key), seconds, and the child's peak
memory. Baseline: without the guard (``core/io/zipguard.py``) the first three
workbooks abort the process ("memory allocation of 549755813888 bytes
failed"), the bomb is read until memory runs out, and the .ods took 66 s and 7.7 GB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import test_hostile_files as h  # noqa: E402  (the builders)


def _cases(folder: Path) -> dict[str, Path]:
    def blanks(f, mb=300):
        f.write(f"{h.HEAD}<worksheet {h.NS}><sheetData>{h.ROWS}".encode())
        for _ in range(mb):
            f.write(b" " * (1 << 20))
        f.write(b"</sheetData></worksheet>")

    cases = {
        "ordinary workbook (48 rows)": h._workbook(folder / "ok.xlsx"),
        "far cell A1 + XFD1048576 (2 KB)": h._workbook(folder / "far.xlsx", h.ROWS + '<row r="1048576">'
                                                       '<c r="XFD1048576"><v>1</v></c></row>'),
        "stray cell ZZ1000000 in row 50": h._workbook(folder / "stray.xlsx", h.ROWS + '<row r="50">'
                                                      '<c r="ZZ1000000"><v>1</v></c></row>'),
        "600 unreferenced cells in row 999,999": h._workbook(folder / "counted.xlsx", h.ROWS + '<row r="999999">'
                                                             + "<c><v>1</v></c>" * 600 + "</row>"),
        "zip bomb: 300 MB sheet in 300 KB": h._workbook(folder / "bomb.xlsx", big_sheet=blanks),
        "billion laughs in shared strings": None,
        "8 MB line in a CSV": folder / "long.csv",
        "3 GB sparse CSV": folder / "huge.csv",
    }
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    cases["billion laughs in shared strings"] = h._workbook(
        folder / "laughs.xlsx", shared=f'{h.HEAD}<!DOCTYPE lolz [{entities}]><sst {h.NS} count="2" uniqueCount="2">'
                                       '<si><t>customer&lol9;</t></si><si><t>amount</t></si></sst>')
    rows = h.ROWS + "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(50, 120_000))
    liar = h._workbook(folder / "liar.xlsx", rows)
    with zipfile.ZipFile(liar) as z:
        real = z.getinfo("xl/worksheets/sheet1.xml").file_size.to_bytes(4, "little")
    liar.write_bytes(liar.read_bytes().replace(real, (1000).to_bytes(4, "little")))
    cases["archive lying about its sizes"] = liar
    (folder / "wide.csv").write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n")
    cases["a million columns in a CSV"] = folder / "wide.csv"
    header = "<table:table-row>" + h._cell("customer") + h._cell("amount") + "</table:table-row>"
    cases[".ods: a row of 1,000 cells repeated 90,000 times"] = h._ods(folder / "repeat.ods", header + (
        '<table:table-row table:number-rows-repeated="90000"><table:table-cell table:number-columns-repeated="1000" '
        'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'))
    (folder / "long.csv").write_text("customer,note,amount\n1,short,3\n2," + "x" * 8_000_000 + ",4\n", "utf-8")
    with open(folder / "huge.csv", "wb") as fh:
        fh.write(b"customer,amount\n" + b"".join(b"%d,2\n" % i for i in range(3000)))
        fh.seek(3 * 1024**3)
        fh.write(b"\n")
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=0, help="also read a CSV of about N GB (Online Retail repeated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = _cases(folder)
        if args.big:
            source = ROOT.parent / "shared" / "datasets" / "01_online_retail" / "online_retail.csv"
            lines = source.read_bytes().split(b"\n", 1)
            with open(folder / "big.csv", "wb") as out:
                out.write(lines[0] + b"\n")
                for _ in range(21 * args.big):
                    out.write(lines[1])
            cases[f"{args.big} GB CSV (Online Retail ×{21 * args.big})"] = folder / "big.csv"
        print(f"{'file':42} {'size':>26} {'outcome':28} {'seconds':>8} {'peak MB':>8}")
        for name, path in cases.items():
            size = path.stat().st_size
            shown = f"{size / 1024**2:.1f} MB" if size >= 1024**2 else f"{size / 1024:.1f} KB"
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as z:
                    shown += f" ({sum(i.file_size for i in z.infolist()) / 1024**2:.0f} MB unzipped)"
            h.CAP_GB = 8 if args.big else 4
            r = h._read_in_child(path)
            outcome = r["outcome"] if r["outcome"] == "loaded" else r["key"]
            print(f"{name:42} {shown:>26} {outcome:28} {r['seconds']:8.2f} {r['peak_mb']:8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
