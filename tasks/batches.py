"""One batch of inputs read and turned into rows of the three tables."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from tasks.discovery import input_format
from tasks.documents import Document, content_sha256, text_document
from tasks.html_document import html_document
from tasks.records import Reject, Run, document_rows, paragraph_rows, reject_rows
from tasks.rejection import Reason, Rejected
from tasks.schema import DOCUMENTS, PARAGRAPHS, REJECTS
from tasks.storage import Folder
from tasks.store import stage_rows
from tasks.summary import RunCounts, counts_of

# How the bytes of each input format become a document in a run (HTML dates end at its start).
_READERS: dict[str, Callable[[str, bytes, Run], Document]] = {
    "txt": lambda source, data, _: text_document(source, data),
    "html": lambda source, data, run: html_document(source, data, run_started=run.started_at),
}


@dataclass(frozen=True)
class BatchRows:
    """The rows one batch adds to each table."""

    documents: pa.Table
    paragraphs: pa.Table
    rejects: pa.Table


def process_inputs(root: Folder, sources: list[str], run: Run) -> BatchRows:
    """The rows for the inputs at `sources` (relative to `root`); a bad input becomes a reject."""
    documents: list[Document] = []
    rejects: list[Reject] = []
    for source in sources:
        outcome = _document_or_reject(root, source, run)
        if isinstance(outcome, Document):
            documents.append(outcome)
        else:
            rejects.append(outcome)
    return BatchRows(
        documents=document_rows(documents, run),
        paragraphs=paragraph_rows(documents),
        rejects=reject_rows(rejects, run),
    )


def stage_batch(root: Folder, sources: list[str], out: Folder, run: Run) -> RunCounts:
    """Process the inputs at `sources` and stage their rows under `out`; their counts."""
    rows = process_inputs(root, sources, run)
    name = hashlib.sha256("\n".join(sources).encode()).hexdigest()[:16]
    stage_rows(out, run.run_id, DOCUMENTS, name, rows.documents)
    stage_rows(out, run.run_id, PARAGRAPHS, name, rows.paragraphs)
    stage_rows(out, run.run_id, REJECTS, name, rows.rejects)
    return counts_of(rows.documents, rows.paragraphs, rows.rejects)


def _document_or_reject(root: Folder, source: str, run: Run) -> Document | Reject:
    """The document read from `source`, or the reject that explains why there is none."""
    fmt = input_format(source) or "unknown"
    try:
        data = root.read_bytes(source)
    except OSError as error:
        return Reject(source, None, fmt, Reason.UNREADABLE, f"cannot read the file: {error}")
    try:
        return _READERS[fmt](source, data, run)
    except Rejected as rejected:
        return Reject(source, content_sha256(data), fmt, rejected.reason, rejected.detail)
    except Exception as error:  # a bug must cost one document, never the run
        detail = f"unexpected {type(error).__name__}: {error}"
        return Reject(source, content_sha256(data), fmt, Reason.INTERNAL_ERROR, detail)
