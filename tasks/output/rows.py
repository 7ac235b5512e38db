"""Documents and rejects as Arrow tables in the output schema."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from tasks.identity import doc_id_for, readable
from tasks.output.schema import DOCUMENTS, PARAGRAPHS, REJECTS, UNDATED, Table

if TYPE_CHECKING:
    from tasks.documents import Document


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
                **_read_from(doc.source, doc.content_sha256, doc.format),
                "encoding": doc.encoding,
                "date": doc.date,
                "date_source": doc.date_source,
                "date_modified": doc.date_modified,
                "language": doc.language.language,
                "language_score": doc.language.score,
                **asdict(doc.metadata),  # title, author, url, sitename
                "record_id": doc.record_id,
                "fetched_at": doc.fetched_at,
                "text": doc.text,
                "n_paragraphs": len(doc.paragraphs),
                **_sizes(doc.text),
                **doc.quality.values(),
                "quality_flags": list(doc.quality.flags),
                **_written_by(run),
                "month": month_partition(doc.date),
            }
            for doc in documents
        ),
    )


def paragraph_rows(documents: Iterable[Document], text_hashes: Iterable[list[str]]) -> pa.Table:
    """The `paragraphs` rows (with their partition column) of `documents`, whose paragraphs'
    normalized-text hashes are `text_hashes`."""
    # Built a column at a time, a document at a time: a dict per paragraph cost ~1 ms a page.
    columns: dict[str, list[Any]] = {name: [] for name in PARAGRAPHS.schema.names}
    for doc, hashes in zip(documents, text_hashes, strict=True):
        paragraphs, guesses = doc.paragraphs, doc.paragraph_languages
        if not len(paragraphs) == len(guesses) == len(hashes):
            raise ValueError(f"{doc.source}: paragraphs, languages and hashes differ in number")
        texts = [paragraph.text for paragraph in paragraphs]
        each = len(paragraphs)
        columns["doc_id"] += [doc_id_for(doc.source)] * each
        columns["paragraph_index"] += [paragraph.index for paragraph in paragraphs]
        columns["date"] += [doc.date] * each
        columns["text"] += texts
        columns["language"] += [guess.language for guess in guesses]
        columns["language_score"] += [guess.score for guess in guesses]
        columns["n_words"] += [_word_count(text) for text in texts]
        columns["n_chars"] += [len(text) for text in texts]
        columns["char_start"] += [paragraph.char_start for paragraph in paragraphs]
        columns["char_end"] += [paragraph.char_end for paragraph in paragraphs]
        columns["text_hash"] += hashes
        columns["month"] += [month_partition(doc.date)] * each
    return pa.Table.from_pydict(columns, schema=PARAGRAPHS.schema)


def reject_rows(rejects: Iterable[Reject], run: Run) -> pa.Table:
    """The `rejects` rows (with their partition column) of `rejects`."""
    return _table(
        REJECTS,
        (
            {
                **_read_from(reject.source, reject.content_sha256, reject.format),
                "reason": reject.reason,
                "detail": readable(reject.detail),
                **_written_by(run),
            }
            for reject in rejects
        ),
    )


def _read_from(source: str, content_sha256: str | None, fmt: str) -> dict[str, object]:
    """The `doc_id`, `source`, `content_sha256` and `format` columns of an input's row."""
    return {
        "doc_id": doc_id_for(source),
        "source": readable(source),
        "content_sha256": content_sha256,
        "format": fmt,
    }


def _sizes(text: str) -> dict[str, int]:
    """The `n_words` and `n_chars` columns of a text."""
    return {"n_words": _word_count(text), "n_chars": len(text)}


def _word_count(text: str) -> int:
    """The `n_words` of a text: its runs of non-space characters."""
    return len(text.split())


def _written_by(run: Run) -> dict[str, object]:
    """The `run_id` and `ingested_at` columns of the rows a run writes."""
    return {"run_id": run.run_id, "ingested_at": run.started_at}


def _table(table: Table, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """`rows` as an Arrow table in `table`'s schema."""
    return pa.Table.from_pylist(list(rows), schema=table.schema)
