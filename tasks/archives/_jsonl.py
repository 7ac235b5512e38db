"""JSON Lines records: one JSON object per line, its text or HTML and what it says of itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import orjson

from tasks.archives._dates import record_date
from tasks.archives._lines import DamagedStream, Line, owned_lines
from tasks.archives._records import ArchiveItem, BadRecord, Record
from tasks.rejection import Reason, Rejected

COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}


@dataclass(frozen=True)
class RecordFields:
    """The JSON fields a record's parts are read from; an empty name means none."""

    text: str = "text"
    html: str = "html"
    date: str = "date"
    id: str = "id"
    url: str = "url"
    title: str = "title"


def jsonl_items(
    file: BinaryIO,
    name: str,
    fields: RecordFields,
    *,
    start: int = 0,
    stop: int | None = None,
    max_bytes: int,
) -> Iterator[ArchiveItem]:
    """The records of the JSON Lines file `name` whose lines start in [start, stop)."""
    compression = next((kind for end, kind in COMPRESSIONS.items() if name.endswith(end)), None)
    try:
        for line in owned_lines(file, compression, start, stop, max_bytes):
            if line.data is None:
                yield BadRecord(
                    f"L{line.number}",
                    Reason.TOO_LARGE,
                    f"a line of {line.size} bytes, over the {max_bytes} byte cap",
                )
            elif line.data.strip():
                yield line_item(line, fields)
    except DamagedStream as damage:
        yield BadRecord(
            f"L{damage.line}",
            Reason.DAMAGED_ARCHIVE,
            f"{damage.detail}: line {damage.line} and any after it are lost",
        )


def line_item(line: Line, fields: RecordFields) -> Record | BadRecord:
    """The record on one line, or why it cannot be one."""
    locator = f"L{line.number}"
    try:
        value = orjson.loads(line.data or b"")
    except orjson.JSONDecodeError as error:
        return BadRecord(locator, Reason.INVALID_JSON, f"not valid JSON: {error}")
    if not isinstance(value, dict):
        return BadRecord(
            locator, Reason.INVALID_JSON, f"a JSON {type(value).__name__}, not an object"
        )
    try:
        return _record(locator, value, fields)
    except Rejected as rejected:
        return BadRecord(locator, rejected.reason, rejected.detail)


def _record(locator: str, value: dict[str, object], fields: RecordFields) -> Record:
    """The record held in one JSON object."""
    text = _field(value, fields.text)
    html = _field(value, fields.html) if text is None else None
    if text is None and html is None:
        named = " or ".join(f"'{name}'" for name in (fields.text, fields.html) if name)
        raise Rejected(Reason.MISSING_TEXT, f"no {named} field holding a string")
    raw_date = value.get(fields.date) if fields.date else None
    day = record_date(raw_date) if raw_date is not None else None
    if day is None and text is not None and fields.date:
        raise Rejected(
            Reason.MISSING_DATE,
            f"a text record needs a '{fields.date}' field (or --date-field '' for none)",
        )
    return Record(
        locator=locator,
        kind="text" if text is not None else "html",
        data=(text if text is not None else html or "").encode("utf-8", "surrogatepass"),
        date=day,
        record_id=_identifier(value.get(fields.id)) if fields.id else None,
        url=_field(value, fields.url),
        title=_field(value, fields.title),
    )


def _field(value: dict[str, object], name: str) -> str | None:
    """The string field `name` of a record, or None when absent, empty or not a string."""
    found = value.get(name) if name else None
    return found if isinstance(found, str) and found.strip() else None


def _identifier(found: object) -> str | None:
    """A record's id as a string: JSON strings and whole numbers are ids."""
    if isinstance(found, str):
        return found or None
    if isinstance(found, int) and not isinstance(found, bool):
        return str(found)
    return None
