"""The output contract: one explicit Arrow schema per table, and the partition key of each."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

_UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
# Rows are gathered into row groups of about this much memory before writing: they are read
# back 8,192 rows at a time, and readers skip and scan far better by large groups.
ROW_GROUP_BYTES = 64 * 1024 * 1024
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

# --- Duplicates and syndication (issue 15, tasks/duplicates/): columns on the core tables. ---
# The hash of a paragraph's normal form, counted across documents in `paragraph_counts`.
_PARAGRAPH_DUPLICATES = [pa.field("text_hash", pa.string(), nullable=False)]
# --- end of issue 15's columns ---
# Quality signals of a document's text (tasks/quality, README "Quality signals"): null where a
# signal does not apply to the text's language; then the rules of published filters the text
# fails (datatrove's names), [] if none.
_QUALITY = [
    pa.field("gopher_words", pa.int32()),
    pa.field("gopher_mean_word_length", pa.float64()),
    pa.field("gopher_hash_ratio", pa.float64()),
    pa.field("gopher_ellipsis_ratio", pa.float64()),
    pa.field("gopher_bullet_line_ratio", pa.float64()),
    pa.field("gopher_ellipsis_line_ratio", pa.float64()),
    pa.field("gopher_alpha_word_ratio", pa.float64()),
    pa.field("gopher_stop_words", pa.int32()),
    pa.field("dup_para_frac", pa.float64()),
    pa.field("dup_para_char_frac", pa.float64()),
    pa.field("dup_line_frac", pa.float64()),
    pa.field("dup_line_char_frac", pa.float64()),
    pa.field("top_2_gram_frac", pa.float64()),
    pa.field("top_3_gram_frac", pa.float64()),
    pa.field("top_4_gram_frac", pa.float64()),
    pa.field("dup_5_gram_frac", pa.float64()),
    pa.field("dup_6_gram_frac", pa.float64()),
    pa.field("dup_7_gram_frac", pa.float64()),
    pa.field("dup_8_gram_frac", pa.float64()),
    pa.field("dup_9_gram_frac", pa.float64()),
    pa.field("dup_10_gram_frac", pa.float64()),
    pa.field("line_punct_ratio", pa.float64()),
    pa.field("short_line_ratio", pa.float64()),
    pa.field("char_dup_ratio", pa.float64()),
    pa.field("list_ratio", pa.float64()),
    pa.field("c4_sentences", pa.int32()),
    pa.field("c4_lorem_ipsum_lines", pa.int32()),
    pa.field("c4_curly_bracket_lines", pa.int32()),
    pa.field("quality_flags", pa.list_(pa.string()), nullable=False),
]


@dataclass(frozen=True)
class Table:
    """A Parquet dataset under OUT: its name, schema and Hive partition column (a string)."""

    name: str
    schema: pa.Schema
    partition: str
    # Where an empty table keeps one zero-row file, so readers' globs still find a schema.
    placeholder: str
    # The column whose values name the rows a commit replaces.
    key: str = "doc_id"
    # The Arrow memory of one row group: what a reader of a partition holds at once.
    row_group_bytes: int = ROW_GROUP_BYTES

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
            *_QUALITY,
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
            *_PARAGRAPH_DUPLICATES,
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

# --- Duplicates and syndication (issue 15, tasks/duplicates/): tables of their own. ---

# The near-duplicate index: each document's MinHash signature and shingle set.
MINHASH = Table(
    "minhash",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("date", pa.date32()),
            pa.field("text_hash", pa.string(), nullable=False),
            pa.field("n_shingles", pa.int32(), nullable=False),
            pa.field("signature", pa.list_(pa.uint32()), nullable=False),
            pa.field("shingles", pa.list_(pa.uint32()), nullable=False),
            pa.field("month", pa.string(), nullable=False),
        ]
    ),
    partition="month",
    placeholder="undated",
    # Read whole at every run that matches new documents: small groups bound its memory
    # (a 4 MiB group holds about 1,300 seed-sized documents' signatures and shingles).
    row_group_bytes=4 * 1024 * 1024,
)

# Each document's cluster of copies: one row per document, joinable to `documents` by doc_id.
DUPLICATES = Table(
    "duplicates",
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("date", pa.date32()),
            pa.field("text_hash", pa.string(), nullable=False),
            pa.field("cluster_id", pa.string(), nullable=False),
            pa.field("canonical_id", pa.string(), nullable=False),
            pa.field("cluster_size", pa.int64(), nullable=False),
            pa.field("similarity", pa.float64(), nullable=False),
            pa.field("month", pa.string(), nullable=False),
        ]
    ),
    partition="month",
    placeholder="undated",
)

# How many distinct documents hold each normalized paragraph (`paragraphs.text_hash`).
PARAGRAPH_COUNTS = Table(
    "paragraph_counts",
    pa.schema(
        [
            pa.field("text_hash", pa.string(), nullable=False),
            pa.field("documents", pa.int64(), nullable=False),
            pa.field("shard", pa.string(), nullable=False),
        ]
    ),
    partition="shard",
    placeholder="0",
    key="text_hash",
)
_DUPLICATE_TABLES = (MINHASH, DUPLICATES, PARAGRAPH_COUNTS)
# --- end of issue 15's tables ---

# Paragraphs first and documents last: a document row is the mark that its source is done.
TABLES: tuple[Table, ...] = (PARAGRAPHS, REJECTS, *_DUPLICATE_TABLES, DOCUMENTS)
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
