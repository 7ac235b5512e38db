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
# Share of control bytes (NUL included; not tab, LF, FF, CR, ESC) above which bytes are not text.
_MAX_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r\x1b")
_PREFERRED = "cp1252"
_CHAOS_TOLERANCE = 0.1


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
    matches = list(from_bytes(data))
    if not matches:
        raise Rejected(Reason.UNDECODABLE, "no text encoding fits these bytes")
    # Short Western text fits many single-byte code pages almost equally well; among the
    # near-best, prefer the one most legacy files are really in.
    least_chaos = min(match.chaos for match in matches)
    near_best = [match for match in matches if match.chaos <= least_chaos + _CHAOS_TOLERANCE]
    best = next(
        (match for match in near_best if _PREFERRED in match.could_be_from_charset), matches[0]
    )
    return str(best), best.encoding


def _looks_binary(data: bytes) -> bool:
    """Whether `data` holds too many NUL and other control bytes to be text."""
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(sample)
