"""What an archive holds, record by record: a document's content, a bad record, or one skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tasks.rejection import Reason


@dataclass(frozen=True, slots=True)
class Record:
    """One document's content in an archive, with what the archive says about it."""

    locator: str  # where in its file: `L42` (a line) or `offset=1234` (a WARC record's byte)
    kind: str  # "text" (cleaned like a text file) or "html" (through the HTML path)
    data: bytes  # the text as UTF-8, or the page's bytes
    date: date | None = None  # the record's own date (a JSON Lines date field)
    record_id: str | None = None
    url: str | None = None
    title: str | None = None
    fetched_at: datetime | None = None  # when a crawler fetched the page (WARC-Date), UTC


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record, or the rest of a damaged archive, that cannot become a document."""

    locator: str
    reason: Reason
    detail: str


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record that holds no document (a request, metadata, a non-HTML or failed response)."""

    kind: str


ArchiveItem = Record | BadRecord | SkippedRecord
