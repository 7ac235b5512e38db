"""WARC records: HTML responses as pages, other records counted, damage found and reported once."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from tasks.archives._records import ArchiveItem, BadRecord, Record, SkippedRecord
from tasks.rejection import Reason

if TYPE_CHECKING:
    from fastwarc.warc import WarcRecord

_GZIP_MEMBER = b"\x1f\x8b\x08"  # how each record of a .warc.gz begins
_GZIP_WBITS = 31
_RECORD_START = b"WARC/1."
_HEADER_END = b"\r\n\r\n"
_SCAN_BYTES = 1 << 20  # read at a time while looking for a slice's first record
_HEADER_LIMIT = 1 << 16  # a WARC header longer than this is not one
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SNIFF_BYTES = 1024


@dataclass(frozen=True, slots=True)
class _Held:
    """A record read, held back until the archive shows that it is whole."""

    position: int
    item: ArchiveItem


def warc_items(
    file: BinaryIO,
    size: int,
    *,
    compressed: bool,
    start: int = 0,
    stop: int | None = None,
    max_bytes: int,
) -> Iterator[ArchiveItem]:
    """The records of a WARC file that begin in [start, stop) of its stored bytes.

    Records are read one at a time. A slice after the first begins at the first record found
    at or after `start`; a record is yielded once the next one has been read or its end
    checked, so a truncated last record is reported as damage, never passed on half read.
    """
    from fastwarc.warc import ArchiveIterator

    limit = size if stop is None else min(stop, size)
    begin = 0 if start == 0 else first_record_at(file, start, limit, compressed=compressed)
    if begin is None or begin >= limit:
        return
    file.seek(begin)
    held: _Held | None = None
    error: Exception | None = None
    try:
        for record in ArchiveIterator(file, parse_http=True, auto_decode="all"):
            if record.stream_pos >= limit:
                break  # the next slice's: the one held is whole
            if held is not None:
                yield held.item
            held = _Held(record.stream_pos, _item(record, max_bytes))
    except Exception as problem:  # fastwarc raises OSError on data it cannot read
        error = problem
    end = begin
    if held is not None:
        held_end = record_end(file, held.position, compressed=compressed)
        if held_end is None:  # cut off by the end of the file
            yield _damage(held.position, limit, "its last record is cut short")
            return
        yield held.item
        end = held_end
    if error is not None or end < limit:
        cause = f"unreadable ({error})" if error is not None else "not WARC records"
        yield _damage(end, limit, f"the bytes from there are {cause}")


def first_record_at(file: BinaryIO, start: int, limit: int, *, compressed: bool) -> int | None:
    """Where the first WARC record at or after `start` (and before `limit`) begins, if any."""
    mark = _GZIP_MEMBER if compressed else _HEADER_END + _RECORD_START
    # A plain record starts after the blank line that ends the one before it.
    skip = 0 if compressed else len(_HEADER_END)
    position = max(0, start - skip)
    while position < limit:
        file.seek(position)
        window = file.read(_SCAN_BYTES + len(mark))
        if not window:
            return None
        found = window.find(mark)
        while found >= 0:
            candidate = position + found + skip
            if candidate >= limit:
                return None
            if candidate >= start and _is_record(file, candidate, compressed=compressed):
                return candidate
            found = window.find(mark, found + 1)
        position += _SCAN_BYTES
    return None


def record_end(file: BinaryIO, position: int, *, compressed: bool) -> int | None:
    """Where the record beginning at `position` ends; None when the file ends first."""
    file.seek(position)
    if compressed:
        member = zlib.decompressobj(_GZIP_WBITS)
        consumed = 0  # bytes of the member before the chunk being read
        try:
            while chunk := file.read(_SCAN_BYTES):
                rest = chunk
                while rest and not member.eof:  # its output is not wanted, only where it ends
                    member.decompress(rest, _SCAN_BYTES)
                    rest = member.unconsumed_tail
                if member.eof:
                    return position + consumed + len(chunk) - len(member.unused_data)
                consumed += len(chunk)
        except zlib.error:
            return None
        return None
    header = file.read(_HEADER_LIMIT)
    length = _content_length(header)
    if length is None:
        return None
    end = position + header.index(_HEADER_END) + len(_HEADER_END) + length + len(_HEADER_END)
    file.seek(0, 2)
    return end if end <= file.tell() else None


def _is_record(file: BinaryIO, position: int, *, compressed: bool) -> bool:
    """Whether a whole WARC record begins at `position` (not just bytes that look like one)."""
    file.seek(position)
    if compressed:
        try:
            head = zlib.decompressobj(_GZIP_WBITS).decompress(file.read(_HEADER_LIMIT), 16)
        except zlib.error:
            return False
        return head.startswith(_RECORD_START)
    end = record_end(file, position, compressed=False)
    if end is None:
        return False
    file.seek(end - len(_HEADER_END))
    after = file.read(len(_HEADER_END) + len(_RECORD_START))
    return after in (_HEADER_END, _HEADER_END + _RECORD_START)


def _content_length(header: bytes) -> int | None:
    """The Content-Length of the plain WARC header at the start of `header`, if it is one."""
    if not header.startswith(_RECORD_START) or _HEADER_END not in header:
        return None
    for line in header[: header.index(_HEADER_END)].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return int(value)
    return None


def _item(record: WarcRecord, max_bytes: int) -> ArchiveItem:
    """What one WARC record holds for docprep: a page, a record too large, or a skipped kind."""
    from fastwarc.warc import WarcRecordType

    if record.record_type != WarcRecordType.response:
        return SkippedRecord(f"{_type_name(record)} records")
    if not record.is_http or record.http_headers is None:
        return SkippedRecord("responses without HTTP")
    if record.http_headers.status_code != 200:
        return SkippedRecord("non-200 responses")
    payload = record.reader.read(max_bytes + 1)
    if not _is_html(record.http_content_type, payload):
        return SkippedRecord("non-HTML responses")
    locator = f"offset={record.stream_pos}"
    if len(payload) > max_bytes:
        return BadRecord(locator, Reason.TOO_LARGE, f"a page over the {max_bytes} byte cap")
    record_id = record.record_id
    return Record(
        locator=locator,
        kind="html",
        data=payload,
        record_id=record_id.strip("<>") if record_id else None,
        url=record.headers.get("WARC-Target-URI"),
        fetched_at=record.record_date,
    )


def _is_html(content_type: str | None, payload: bytes) -> bool:
    """Whether a response is an HTML page: by its type, or by its first bytes when it has none."""
    if content_type:
        return content_type.strip().lower().startswith(_HTML_TYPES)
    head = payload[:_SNIFF_BYTES].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _type_name(record: WarcRecord) -> str:
    """The WARC-Type of a record as written in its header."""
    return str(record.headers.get("WARC-Type") or "untyped").lower()


def _damage(position: int, limit: int, what: str) -> BadRecord:
    """The reject for the part of an archive that cannot be read, from `position` to `limit`."""
    return BadRecord(
        f"offset={position}",
        Reason.DAMAGED_ARCHIVE,
        f"the archive is damaged at byte {position}: {what}; the records before it are kept, "
        f"any from there to byte {limit} are lost",
    )
