"""Documents and rejects as Arrow tables in the output schema."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from tasks.documents import Document, doc_id_for
from tasks.schema import DOCUMENTS, PARAGRAPHS, REJECTS, UNDATED, Table


@dataclass(frozen=True, slots=True)
class Run:
    """The run that writes the rows: its id and start time (UTC)."""

    run_id: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that did not become a document."""

    source: str
    content_sha256: str | None
    format: str
    reason: str
    detail: str


def month_partition(day: date | None) -> str:
    """The `month` partition value of a date: `YYYY-MM`, or `undated`."""
    return f"{day.year:04d}-{day.month:02d}" if day else UNDATED


def document_rows(documents: Iterable[Document], run: Run) -> pa.Table:
    """The `documents` rows (with their partition column) of `documents`."""
    return _table(
        DOCUMENTS,
        (
            {
                "doc_id": doc_id_for(doc.source),
                "source": doc.source,
                "content_sha256": doc.content_sha256,
                "format": doc.format,
                "encoding": doc.encoding,
                "date": doc.date,
                "date_source": doc.date_source,
                "date_modified": doc.date_modified,
                "language": doc.language.language,
                "language_score": doc.language.score,
                "title": doc.title,
                "author": doc.author,
                "url": doc.url,
                "sitename": doc.sitename,
                "text": doc.text,
                "n_paragraphs": len(doc.paragraphs),
                "n_words": len(doc.text.split()),
                "n_chars": len(doc.text),
                "run_id": run.run_id,
                "ingested_at": run.started_at,
                "month": month_partition(doc.date),
            }
            for doc in documents
        ),
    )


def paragraph_rows(documents: Iterable[Document]) -> pa.Table:
    """The `paragraphs` rows (with their partition column) of `documents`."""
    return _table(
        PARAGRAPHS,
        (
            {
                "doc_id": doc_id_for(doc.source),
                "paragraph_index": paragraph.index,
                "date": doc.date,
                "text": paragraph.text,
                "language": guess.language,
                "language_score": guess.score,
                "n_words": len(paragraph.text.split()),
                "n_chars": len(paragraph.text),
                "char_start": paragraph.char_start,
                "char_end": paragraph.char_end,
                "month": month_partition(doc.date),
            }
            for doc in documents
            for paragraph, guess in zip(doc.paragraphs, doc.paragraph_languages, strict=True)
        ),
    )


def reject_rows(rejects: Iterable[Reject], run: Run) -> pa.Table:
    """The `rejects` rows (with their partition column) of `rejects`."""
    return _table(
        REJECTS,
        (
            {
                "doc_id": doc_id_for(reject.source),
                "source": reject.source,
                "content_sha256": reject.content_sha256,
                "format": reject.format,
                "reason": reject.reason,
                "detail": reject.detail,
                "run_id": run.run_id,
                "ingested_at": run.started_at,
            }
            for reject in rejects
        ),
    )


def _table(table: Table, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """`rows` as an Arrow table in `table`'s schema."""
    return pa.Table.from_pylist(list(rows), schema=table.schema)
