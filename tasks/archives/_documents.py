"""An archive record turned into a document, through the text or the HTML path."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tasks.archives._records import Record
from tasks.cleaning import clean_text
from tasks.documents import Content, DateSource, Document, document_from
from tasks.html import html_content, latest_publication
from tasks.paragraphs import split_paragraphs
from tasks.rejection import Reason, Rejected


def record_document(
    source: str, fmt: str, record: Record, max_bytes: int, run_started: datetime
) -> Document:
    """The document of one archive record read from `source` by a run started at `run_started`."""
    if record.kind == "html":
        # A page was published before it was fetched (WARC-Date) and before the run started.
        page = html_content(
            record.data,
            max_bytes=max_bytes,
            latest=latest_publication(run_started, record.fetched_at),
            fetched_from=record.url,
        )
        content = replace(page, format=fmt)
    else:
        content = _text_content(fmt, record)
    if record.date is not None:  # the record's own date outranks any the page gives
        content = replace(content, date=record.date, date_source=DateSource.RECORD)
    metadata = content.metadata
    # A page's own canonical URL is the better address; the archive's is the fallback.
    content = replace(
        content,
        metadata=replace(
            metadata, url=metadata.url or record.url, title=record.title or metadata.title
        ),
    )
    document = document_from(source, record.data, content)
    return replace(document, record_id=record.record_id, fetched_at=record.fetched_at)


def _text_content(fmt: str, record: Record) -> Content:
    """The cleaned paragraphs of a text record (its date comes from the record, not a header)."""
    text = clean_text(record.data.decode("utf-8", "replace"))
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise Rejected(Reason.EMPTY, "no text left after cleaning")
    source = DateSource.RECORD if record.date is not None else None
    return Content(fmt, "utf-8", paragraphs, record.date, source)
