"""Which text encoding a shop export uses, and the file's format by its bytes.

The encodings our users' files really come in: UTF-8 with or without BOM
(web shops), GBK/GB18030 (Chinese Excel "CSV" and many Chinese back ends),
UTF-16 with BOM (Excel's "Unicode text"), cp1252 (Western Excel). A BOM
settles it; otherwise strict UTF-8 is tried first (it almost never decodes
by accident), then charset-normalizer chooses among the remaining
candidates, and cp1252 is the last resort because it decodes anything.
"""

from __future__ import annotations

import codecs

__all__ = ["detect_encoding", "decode", "sniff_format", "ENCODING_CHOICES"]

# What the user can pick in an "encoding" override (GUI and --encoding).
ENCODING_CHOICES = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "cp1252", "latin-1", "big5", "shift_jis")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SAMPLE = 256 * 1024


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM: every other byte is NUL for ASCII content."""
    if len(head) < 8:
        return None
    even = head[0:2000:2].count(0)
    odd = head[1:2000:2].count(0)
    n = len(head[0:2000:2])
    if odd > 0.4 * n and even < 0.05 * n:
        return "utf-16-le"
    if even > 0.4 * n and odd < 0.05 * n:
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        decoder.decode(data, final=False)  # a multi-byte char cut at the end is fine
        return True
    except UnicodeDecodeError:
        return False


def detect_encoding(data: bytes) -> str:
    """Best guess of the encoding of *data* (the start of a text file suffices)."""
    head = data[:_SAMPLE]
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    guess = _utf16_without_bom(head)
    if guess:
        return guess
    if _decodes(head, "utf-8"):
        return "utf-8"
    chinese = _decodes(head, "gb18030")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(
            head[:64 * 1024],
            cp_isolation=["gb18030", "big5", "cp1252", "shift_jis", "euc_kr", "latin_1"],
        ).best()
    except Exception:  # charset-normalizer is an aid; its failure must not stop reading
        best = None
    if best is not None:
        name = best.encoding.replace("_", "-")
        if name in ("gb18030", "gbk", "gb2312"):
            return "gb18030"
        if chinese and name in ("big5", "shift-jis", "euc-kr") and _cjk_share(head, "gb18030") > 0.5:
            return "gb18030"
        return {"latin-1": "cp1252"}.get(name, name)
    return "gb18030" if chinese and _cjk_share(head, "gb18030") > 0.5 else "cp1252"


def _cjk_share(head: bytes, encoding: str) -> float:
    """Share of non-ASCII characters that are common CJK ideographs."""
    text = head.decode(encoding, errors="ignore")
    high = [c for c in text if ord(c) > 127]
    if not high:
        return 0.0
    return sum("\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               for c in high) / len(high)


def decode(data: bytes, encoding: str | None) -> tuple[str, str, int]:
    """Decode the whole file; return (text, encoding used, characters replaced).

    When the detected encoding fails further into the file than the sample
    reached, the usual candidates are tried on the whole file; as a last
    resort undecodable bytes are replaced and counted, so the caller can warn.
    An encoding chosen by the user is used as it is.
    """
    first = encoding or detect_encoding(data)
    candidates = [first] if encoding else [first, "utf-8", "gb18030", "cp1252"]
    for enc in dict.fromkeys(candidates):
        try:
            return data.decode(enc), _display_name(enc, data), 0
        except UnicodeDecodeError:
            continue
    text = data.decode(first, errors="replace")
    return text, _display_name(first, data), text.count("\ufffd")


def _display_name(enc: str, data: bytes) -> str:
    """The name shown to the user: 'gbk' when GBK suffices, since that is what they know."""
    if enc == "gb18030":
        try:
            data.decode("gbk")
            return "gbk"
        except UnicodeDecodeError:
            return "gb18030"
    return enc


# ------------------------------------------------------------------ format
def sniff_format(head: bytes) -> str:
    """'zip', 'cfb' (legacy .xls or an encrypted workbook), 'parquet', 'text', 'binary' or 'empty'."""
    if not head:
        return "empty"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "cfb"
    for bom, _ in _BOMS:
        if head.startswith(bom):
            return "text"
    if _utf16_without_bom(head):
        return "text"
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary"
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12, 27))
    return "binary" if control > 0.01 * len(sample) + 2 else "text"
