"""Files made to harm: each is refused with our message, in bounded memory (times: bench/bench_hostile.py).

The workbooks are built here, byte by byte where needed. Each one is read in a
child process with its address space capped (Linux), because the failure they
provoke without our guard is not an exception: calamine aborts the process
when an allocation fails ("memory allocation of 549755813888 bytes failed").
The child prints the outcome, the time and its peak memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from persona_desktop.core.errors import ReadError
from persona_desktop.core.io import load_table

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the memory cap of the child is Linux's RLIMIT_AS")

CAP_GB = 4  # the child's address space; the worst files below ask calamine for 550 GB
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PARTS = {
    "[Content_Types].xml": HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": HEAD + f'<workbook {NS} '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": HEAD + '<Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>',
}
SHARED = f'<sst {NS} count="2" uniqueCount="2"><si><t>customer</t></si><si><t>amount</t></si></sst>'
# a header and 48 ordinary rows
ROWS = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' + "".join(
    f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>c{i}</t></is></c><c r="B{i}"><v>{i}</v></c></row>'
    for i in range(2, 50))


def _workbook(path: Path, sheet_rows: str = ROWS, shared: str = HEAD + SHARED, big_sheet=None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        z.writestr("xl/sharedStrings.xml", shared)
        if big_sheet is None:
            z.writestr("xl/worksheets/sheet1.xml", f"{HEAD}<worksheet {NS}><sheetData>{sheet_rows}</sheetData></worksheet>")
        else:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                big_sheet(f)
    return path


_CHILD = textwrap.dedent("""
    import json, resource, sys, time
    cap = int(sys.argv[2]) * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    from persona_desktop.core.errors import PersonaError
    from persona_desktop.core.io import load_table
    start = time.perf_counter()
    try:
        table = load_table(sys.argv[1])
        outcome, key = "loaded", list(table.data.shape)
    except PersonaError as exc:
        outcome, key = "refused", exc.code
        assert "{" not in exc.text("en") + exc.text("zh")
    # VmHWM, not ru_maxrss: Linux carries the parent's high-water mark in ru_maxrss across fork and exec
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"outcome": outcome, "key": key, "seconds": time.perf_counter() - start,
                      "peak_mb": peak / 1024}))
""")


def _read_in_child(path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(CAP_GB)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, f"the reader died (rc {proc.returncode}): {proc.stderr[-600:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_an_ordinary_workbook_built_here_loads(tmp_path):
    result = _read_in_child(_workbook(tmp_path / "ok.xlsx"))
    assert result["outcome"] == "loaded" and result["key"] == [48, 2]


def test_a_cell_in_the_last_column_is_refused_before_calamine_allocates_550_gb(tmp_path):
    """A1 and XFD1048576: 2 KB that asked calamine for 549,755,813,888 bytes and aborted the app."""
    path = _workbook(tmp_path / "far.xlsx", ROWS + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    result = _read_in_child(path)
    assert result["outcome"] == "refused" and result["key"] == "read.too_many_columns"
    assert result["peak_mb"] < 500


def test_a_stray_cell_far_down_inside_an_ordinary_row_is_refused(tmp_path):
    """The row says 50, the cell says ZZ1000000: calamine places it by the cell (22 GB asked)."""
    path = _workbook(tmp_path / "stray.xlsx", ROWS + '<row r="50"><c r="ZZ1000000"><v>1</v></c></row>')
    result = _read_in_child(path)
    assert result["outcome"] == "refused" and result["key"] == "read.far_cell"
    assert result["peak_mb"] < 500


def test_cells_without_references_far_down_are_measured_and_refused(tmp_path):
    """No r= on the cells: they are placed by counting, so the guard counts them too."""
    far_row = '<row r="999999">' + "<c><v>1</v></c>" * 600 + "</row>"
    result = _read_in_child(_workbook(tmp_path / "counted.xlsx", ROWS + far_row))
    assert result["outcome"] == "refused" and result["key"] == "read.far_cell"


def test_a_stray_cell_that_fits_in_memory_still_loads(tmp_path):
    """A900000 is 26 columns by 900,000 rows at most: calamine can hold that, and the empty rows go."""
    result = _read_in_child(_workbook(tmp_path / "fits.xlsx", ROWS + '<row r="900000"><c r="A900000"><v>1</v></c></row>'))
    assert result["outcome"] == "loaded" and result["key"][0] == 49


def test_a_zip_bomb_sheet_is_refused_from_the_archive_directory(tmp_path):
    """300 MB of blanks in a 300 KB file: refused from the sizes the archive declares, nothing inflated."""
    def blanks(f):
        f.write(f"{HEAD}<worksheet {NS}><sheetData>{ROWS}".encode())
        chunk = b" " * (1 << 20)
        for _ in range(300):
            f.write(chunk)
        f.write(b"</sheetData></worksheet>")

    path = _workbook(tmp_path / "bomb.xlsx", big_sheet=blanks)
    assert path.stat().st_size < 1_000_000
    result = _read_in_child(path)
    assert result["outcome"] == "refused" and result["key"] == "read.zip_ratio"
    assert result["peak_mb"] < 300


def test_an_archive_that_lies_about_its_sizes_is_refused_as_damaged(tmp_path):
    """The sheet says it is 1,000 bytes and inflates to 5 MB: the zip reader stops at the declared size
    and the checksum fails, before calamine sees it."""
    rows = ROWS + "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(50, 120_000))
    path = _workbook(tmp_path / "liar.xlsx", rows)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    data = path.read_bytes()
    assert data.count(real) == 2  # the local header and the central directory
    path.write_bytes(data.replace(real, (1000).to_bytes(4, "little")))
    result = _read_in_child(path)
    assert result["outcome"] == "refused" and result["key"] in ("read.truncated", "read.bad_workbook")


def test_a_billion_laughs_in_the_shared_strings_is_refused(tmp_path):
    """Entity expansion: ten levels of ten make 10^9 "lol"s if a parser expands them; ours refuses the DTD."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    shared = (f'{HEAD}<!DOCTYPE lolz [{entities}]><sst {NS} count="2" uniqueCount="2">'
              '<si><t>customer&lol9;</t></si><si><t>amount</t></si></sst>')
    result = _read_in_child(_workbook(tmp_path / "laughs.xlsx", shared=shared))
    assert result["outcome"] == "refused" and result["peak_mb"] < 400


def test_a_line_of_eight_megabytes_loads(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("customer,note,amount\n1,short,3\n2," + "x" * 8_000_000 + ",4\n3,ok,5\n", "utf-8")
    result = _read_in_child(path)
    assert result["outcome"] == "loaded" and result["key"] == [3, 3]
    assert result["peak_mb"] < 600


def test_a_text_file_over_two_gigabytes_is_refused_at_once(tmp_path):
    """A sparse 3 GB file: refused from its size, before a byte is read."""
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.write(b"customer,amount\n" + b"".join(b"%d,2\n" % i for i in range(3000)))  # text at the start
        fh.seek(3 * 1024**3)
        fh.write(b"\n")
    result = _read_in_child(path)
    assert result["outcome"] == "refused" and result["key"] == "read.too_large" and result["peak_mb"] < 300


def test_a_text_file_larger_than_free_memory_allows_is_refused(monkeypatch, datasets):
    """Online Retail's 48 MB need about 240 MB; with 100 MB free the reader says so instead of swapping."""
    import persona_desktop.core.io.memory as memory

    monkeypatch.setattr(memory, "available_memory", lambda: 100 * 1024**2)
    with pytest.raises(ReadError) as caught:
        load_table(datasets / "01_online_retail" / "online_retail.csv")
    assert caught.value.code == "read.needs_memory"
    assert "100 MB" in caught.value.text("en") and "100 MB" in caught.value.text("zh")


def test_a_parquet_file_is_measured_from_its_footer(monkeypatch, datasets):
    import persona_desktop.core.io.memory as memory

    monkeypatch.setattr(memory, "available_memory", lambda: 50 * 1024**2)
    with pytest.raises(ReadError) as caught:
        load_table(datasets / "01_online_retail" / "online_retail.parquet")
    assert caught.value.code == "read.needs_memory"


def test_the_guard_scans_online_retail_without_refusing_it(datasets):
    from persona_desktop.core.io.zipguard import check_sheets

    check_sheets(datasets / "01_online_retail" / "online_retail.xlsx")  # 212 MB of XML: no far cell


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet><table:table table:name="S">'
            '<table:table-column table:number-columns-repeated="1024"/>')
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _cell(value) -> str:
    kind = "float" if isinstance(value, (int, float)) else "string"
    extra = f' office:value="{value}"' if kind == "float" else ""
    return f'<table:table-cell office:value-type="{kind}"{extra}><text:p>{value}</text:p></table:table-cell>'


def _ods(path: Path, rows: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", ODS_HEAD + rows + ODS_TAIL)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '</manifest:manifest>')
    return path


def test_an_ods_repeating_a_row_of_cells_90000_times_is_refused(tmp_path):
    """1.5 KB that unfold to 90 million cells: read, it took 66 s and 7.7 GB before the guard."""
    header = "<table:table-row>" + _cell("customer") + _cell("amount") + "</table:table-row>"
    bomb = ('<table:table-row table:number-rows-repeated="90000"><table:table-cell '
            'table:number-columns-repeated="1000" office:value-type="float" office:value="1">'
            '<text:p>1</text:p></table:table-cell></table:table-row>')
    result = _read_in_child(_ods(tmp_path / "repeat.ods", header + bomb))
    assert result["outcome"] == "refused" and result["key"] == "read.too_many_cells"
    assert result["peak_mb"] < 400


def test_an_ods_with_libreoffice_empty_rows_to_the_end_loads(tmp_path):
    """LibreOffice writes empty repeated cells and rows to the sheet's end: they unfold to nothing."""
    rows = "<table:table-row>" + _cell("customer") + _cell("amount") + \
        '<table:table-cell table:number-columns-repeated="1022"/></table:table-row>'
    rows += "".join("<table:table-row>" + _cell(f"c{i}") + _cell(i) +
                    '<table:table-cell table:number-columns-repeated="1022"/></table:table-row>' for i in range(1, 30))
    rows += ('<table:table-row table:number-rows-repeated="1048546">'
             '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    result = _read_in_child(_ods(tmp_path / "libre.ods", rows))
    assert result["outcome"] == "loaded" and result["key"] == [29, 2]


def test_a_workbook_larger_than_free_memory_allows_is_refused(monkeypatch, datasets):
    """Online Retail's 212 MB sheet needs about 530 MB; with 200 MB free the reader says so first."""
    import persona_desktop.core.io.memory as memory

    monkeypatch.setattr(memory, "available_memory", lambda: 200 * 1024**2)
    with pytest.raises(ReadError) as caught:
        load_table(datasets / "01_online_retail" / "online_retail.xlsx")
    assert caught.value.code == "read.needs_memory" and "200 MB" in caught.value.text("zh")
