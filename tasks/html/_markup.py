"""HTML bytes to markup: gzip undone within a size cap, then the declared or detected charset."""

from __future__ import annotations

import codecs
import re
import zlib

from tasks.decoding import decode_bytes
from tasks.rejection import Reason, Rejected

# Pages past this size (once decompressed) are data dumps, not articles; extraction time and
# memory grow with it, so the cap also bounds what a gzip bomb can cost.
MAX_HTML_BYTES = 5_000_000
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 31  # zlib's code for "gzip header and trailer"
# Browsers find the charset in the first bytes; pages with a long <head> put it further down.
_PRESCAN_BYTES = 16_384
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*(?P<meta>[\w.:-]+)"""
    rb"""|\A\s*<\?xml[^>]*?encoding\s*=\s*["'](?P<xml>[\w.:-]+)""",
    re.IGNORECASE,
)
# What browsers decode these labels as (WHATWG Encoding): the supersets pages rely on.
_BROWSER_ENCODINGS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "utf-16": "utf-8",  # a meta tag cannot be read in UTF-16, so the label is wrong
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}


def html_markup(data: bytes, max_bytes: int = MAX_HTML_BYTES) -> tuple[str, str]:
    """The markup in `data` (gzipped or not) and the name of the encoding it was read with."""
    data = _decompressed(data, max_bytes)
    if not data.strip():
        raise Rejected(Reason.EMPTY, "the page is empty or holds only whitespace")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared is not None:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # mislabelled: detection below does better than a lossy decode
    return decode_bytes(data)


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares in a `<meta>` tag or XML declaration, as browsers read it."""
    match = _DECLARED.search(data[:_PRESCAN_BYTES])
    if match is None:
        return None
    label = (match["meta"] or match["xml"]).decode("ascii", "replace")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _BROWSER_ENCODINGS.get(name, name)


def _decompressed(data: bytes, max_bytes: int) -> bytes:
    """`data` with any gzip compression undone, never more than `max_bytes` of it."""
    if not data.startswith(_GZIP_MAGIC):
        if len(data) > max_bytes:
            raise Rejected(Reason.TOO_LARGE, f"{len(data)} bytes, over the {max_bytes} byte cap")
        return data
    out = bytearray()
    rest = data
    try:
        while rest.startswith(_GZIP_MAGIC):  # a gzip file may hold several members
            member = zlib.decompressobj(_GZIP_WBITS)
            # never ask for more than one byte past the cap: a bomb stops here
            out += member.decompress(rest, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                raise Rejected(Reason.TOO_LARGE, f"over the {max_bytes} byte cap once decompressed")
            if not member.eof:
                raise Rejected(Reason.UNDECODABLE, "the gzip data is truncated")
            rest = member.unused_data
    except zlib.error as error:
        raise Rejected(Reason.UNDECODABLE, f"corrupt gzip data: {error}") from None
    return bytes(out)
