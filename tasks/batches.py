"""One batch of inputs read and turned into rows of the three tables."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

import pyarrow as pa

from tasks.discovery import input_format
from tasks.documents import Document, text_document
from tasks.html import html_document
from tasks.identity import content_sha256
from tasks.input_files import InputReader, Reading
from tasks.output import DOCUMENTS, PARAGRAPHS, REJECTS, stage_rows
from tasks.output.rows import Reject, Run, document_rows, paragraph_rows, reject_rows
from tasks.quality import dropped_for, low_quality_detail
from tasks.rejection import Reason, Rejected
from tasks.storage import Folder
from tasks.summary import RunCounts, counts_of


@dataclass(frozen=True)
class BatchRows:
    """The rows one batch adds to each table."""

    documents: pa.Table
    paragraphs: pa.Table
    rejects: pa.Table
    # Documents each quality rule flags, those dropped for it included.
    flagged: Counter[str]


def process_inputs(
    root: Folder,
    sources: list[str],
    run: Run,
    reading: Reading,
    drop: frozenset[str] = frozenset(),
) -> BatchRows:
    """The rows for the inputs at `sources` (relative to `root`); a bad input becomes a reject,
    and so does a document that fails a quality rule in `drop`."""
    documents: list[Document] = []
    rejects: list[Reject] = []
    flagged: Counter[str] = Counter()
    with InputReader(root) as reader:
        for source in sources:
            outcome = _document_or_reject(reader, source, reading)
            if isinstance(outcome, Document):
                flagged.update(outcome.quality.flags)
                outcome = _dropped(outcome, drop) or outcome
            if isinstance(outcome, Document):
                documents.append(outcome)
            else:
                rejects.append(outcome)
    return BatchRows(
        documents=document_rows(documents, run),
        paragraphs=paragraph_rows(documents),
        rejects=reject_rows(rejects, run),
        flagged=flagged,
    )


def stage_batch(
    root: Folder,
    sources: list[str],
    out: Folder,
    run: Run,
    reading: Reading,
    drop: frozenset[str] = frozenset(),
) -> RunCounts:
    """Process the inputs at `sources` and stage their rows under `out`; their counts."""
    rows = process_inputs(root, sources, run, reading, drop)
    name = hashlib.sha256("\n".join(sources).encode(errors="surrogateescape")).hexdigest()[:16]
    stage_rows(out, run.run_id, DOCUMENTS, name, rows.documents)
    stage_rows(out, run.run_id, PARAGRAPHS, name, rows.paragraphs)
    stage_rows(out, run.run_id, REJECTS, name, rows.rejects)
    return counts_of(rows.documents, rows.paragraphs, rows.rejects, rows.flagged)


def _dropped(document: Document, drop: frozenset[str]) -> Reject | None:
    """The `low_quality` reject of a document that fails a rule in `drop`; None to keep it."""
    if not dropped_for(document.quality.flags, drop):
        return None
    detail = low_quality_detail(document.quality.flags, drop)
    return Reject(
        document.source, document.content_sha256, document.format, Reason.LOW_QUALITY, detail
    )


def _document_or_reject(reader: InputReader, source: str, reading: Reading) -> Document | Reject:
    """The document read from `source`, or the reject that explains why there is none."""
    fmt = input_format(source) or "unknown"
    path = reading.path_of(source)
    try:
        data = reader.read(path, reading.max_bytes)
    except Rejected as rejected:
        # An input too large to read is still hashed (in bounded chunks), so that a re-run
        # finds it unchanged instead of rejecting it again.
        sha = reader.sha256(path) if rejected.reason == Reason.TOO_LARGE else None
        return Reject(source, sha, fmt, rejected.reason, rejected.detail)
    try:
        return _document(source, fmt, data, reading.max_bytes)
    except Rejected as rejected:
        return Reject(source, content_sha256(data), fmt, rejected.reason, rejected.detail)
    except Exception as error:  # a bug must cost one document, never the run
        detail = f"unexpected {type(error).__name__}: {error}"
        return Reject(source, content_sha256(data), fmt, Reason.INTERNAL_ERROR, detail)


def _document(source: str, fmt: str, data: bytes, max_bytes: int) -> Document:
    """The document in the bytes of an input of format `fmt` (a page's cap holds decompressed)."""
    if fmt == "html":
        return html_document(source, data, max_bytes=max_bytes)
    return text_document(source, data)  # read within the cap already
