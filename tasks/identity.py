"""Stable ids and content hashes: what planning needs, without the text steps' libraries."""

from __future__ import annotations

import hashlib
import re

# Where in an archive a record is: a line of a JSON Lines file, or a WARC record's first byte.
_LOCATED = re.compile(r"(?P<file>.+)#(?:L\d+|offset=\d+)", re.DOTALL)


def doc_id_for(source: str) -> str:
    """The stable id of the document read from `source` (the same across content changes)."""
    return hashlib.sha256(_name_bytes(source)).hexdigest()[:32]


def record_source(path: str, locator: str) -> str:
    """The `source` of a record in the archive at `path`: `feeds/a.jsonl#L42`, `c.warc#offset=9`."""
    return f"{path}#{locator}"


def archive_of(source: str) -> str | None:
    """The archive's path in a record's `source`, or None when the source is a whole file."""
    match = _LOCATED.fullmatch(source)
    return match["file"] if match else None


def readable(text: str) -> str:
    """`text` (a file name, or a message quoting one) as valid UTF-8: undecodable bytes as \\xNN."""
    return _name_bytes(text).decode("utf-8", "backslashreplace")


def _name_bytes(name: str) -> bytes:
    """The bytes of a file name: its UTF-8, where the OS's surrogate escapes are the raw bytes."""
    # A name that is not valid UTF-8 comes from the OS with each undecodable byte escaped as a
    # lone surrogate (PEP 383); "surrogateescape" gives the byte back, and is a no-op otherwise.
    return name.encode("utf-8", "surrogateescape")


def content_sha256(data: bytes) -> str:
    """The hex SHA-256 of an input's bytes."""
    return hashlib.sha256(data).hexdigest()
