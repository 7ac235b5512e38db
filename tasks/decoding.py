"""Bytes to text: BOMs, UTF-8, and legacy encodings detected by charset-normalizer."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from tasks.rejection import Reason, Rejected

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control bytes (other than tab, LF, FF, CR, ESC) above which bytes are not text.
_MAX_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r\x1b")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """The text in `data` and the name of the encoding it was read with."""
    if not data.strip():
        raise Rejected(Reason.EMPTY, "the file is empty or holds only whitespace")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise Rejected(Reason.UNDECODABLE, f"{encoding} BOM, but {error.reason}") from None
    if _looks_binary(data):
        raise Rejected(Reason.BINARY, "the bytes are not text (NUL or control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise Rejected(Reason.UNDECODABLE, "no text encoding fits these bytes")
    return str(best), best.encoding


def _looks_binary(data: bytes) -> bool:
    """Whether `data` holds NUL bytes or too many other control bytes to be text."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(sample)
