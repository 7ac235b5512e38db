"""Archives that hold many documents: JSON Lines and WARC files, read record by record."""

from tasks.archives._documents import record_document
from tasks.archives._jsonl import RecordFields, jsonl_items, line_item
from tasks.archives._records import ArchiveItem, BadRecord, Record, SkippedRecord
from tasks.archives._warc import first_record_at, record_end, warc_items

__all__ = [
    "ArchiveItem",
    "BadRecord",
    "Record",
    "RecordFields",
    "SkippedRecord",
    "first_record_at",
    "jsonl_items",
    "line_item",
    "record_document",
    "record_end",
    "warc_items",
]
