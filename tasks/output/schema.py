"""The output contract: one explicit Arrow schema per table, and the partition key of each."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

_UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
# Column groups that several tables share, declared once.
_LANGUAGE = [pa.field("language", pa.string()), pa.field("language_score", pa.float64())]
_SIZES = [
    pa.field("n_words", pa.int32(), nullable=False),
    pa.field("n_chars", pa.int32(), nullable=False),
]
_WRITTEN_BY = [
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("ingested_at", _UTC_TIMESTAMP, nullable=False),
]


@dataclass(frozen=True)
class Table:
    """A Parquet dataset under OUT: its name, schema and Hive partition column (a string)."""

    name: str
    schema: pa.Schema
    partition: str
    # Where an empty table keeps one zero-row file, so readers' globs still find a schema.
    placeholder: str

    @property
    def columns(self) -> list[str]:
        """Column names as readers see them, the partition column included."""
        return list(self.schema.names)

    @property
    def file_schema(self) -> pa.Schema:
        """The schema inside each Parquet file: the partition column lives in the path."""
        return self.schema.remove(self.schema.get_field_index(self.partition))


DOCUMENTS = Table(
    "documents",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("source", pa.string(), nullable=False),
            pa.field("content_sha256", pa.string(), nullable=False),
            pa.field("format", pa.string(), nullable=False),
            pa.field("encoding", pa.string()),
            pa.field("date", pa.date32()),
            pa.field("date_source", pa.string()),
            pa.field("date_modified", pa.date32()),  # the day an HTML page says it changed
            *_LANGUAGE,
            pa.field("title", pa.string()),
            pa.field("author", pa.string()),
            pa.field("url", pa.string()),
            pa.field("sitename", pa.string()),
            pa.field("record_id", pa.string()),  # the id an archive record gives itself
            pa.field("fetched_at", _UTC_TIMESTAMP),  # a crawl's fetch time (WARC-Date)
            pa.field("text", pa.string(), nullable=False),
            pa.field("n_paragraphs", pa.int32(), nullable=False),
            *_SIZES,
            *_WRITTEN_BY,
            pa.field("month", pa.string(), nullable=False),
        ]
    ),
    partition="month",
    placeholder="undated",
)

PARAGRAPHS = Table(
    "paragraphs",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("paragraph_index", pa.int32(), nullable=False),
            pa.field("date", pa.date32()),
            pa.field("text", pa.string(), nullable=False),
            *_LANGUAGE,
            *_SIZES,
            pa.field("char_start", pa.int32(), nullable=False),
            pa.field("char_end", pa.int32(), nullable=False),
            pa.field("month", pa.string(), nullable=False),
        ]
    ),
    partition="month",
    placeholder="undated",
)

REJECTS = Table(
    "rejects",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("source", pa.string(), nullable=False),
            pa.field("content_sha256", pa.string()),
            pa.field("format", pa.string(), nullable=False),
            pa.field("reason", pa.string(), nullable=False),
            pa.field("detail", pa.string(), nullable=False),
            *_WRITTEN_BY,
        ]
    ),
    partition="reason",
    placeholder="none",
)

# Paragraphs first and documents last: a document row is the mark that its source is done.
TABLES: tuple[Table, ...] = (PARAGRAPHS, REJECTS, DOCUMENTS)
UNDATED = DOCUMENTS.placeholder

# The `runs` table: one row per committed run, kept in one unpartitioned file (tasks/runs.py).
RUNS_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("deployment", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("started_at", _UTC_TIMESTAMP, nullable=False),
        pa.field("ended_at", _UTC_TIMESTAMP, nullable=False),
        pa.field("discovered", pa.int64(), nullable=False),
        pa.field("processed", pa.int64(), nullable=False),
        pa.field("documents", pa.int64(), nullable=False),
        pa.field("paragraphs", pa.int64(), nullable=False),
        pa.field("rejects", pa.int64(), nullable=False),
        pa.field("unchanged", pa.int64(), nullable=False),
        pa.field("pruned", pa.int64(), nullable=False),
        pa.field("skipped", pa.int64(), nullable=False),
        pa.field("docprep_version", pa.string(), nullable=False),
    ]
)
