"""One batch of inputs read and turned into rows of the tables it adds to."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import BinaryIO

import pyarrow as pa

from tasks.archives import (
    ArchiveItem,
    BadRecord,
    Record,
    SkippedRecord,
    jsonl_items,
    record_document,
    warc_items,
)
from tasks.discovery import ARCHIVE_FORMATS, input_format
from tasks.documents import Document, text_document
from tasks.duplicates import RULE, document_print, minhash_rows
from tasks.html import html_document
from tasks.identity import content_sha256, record_source
from tasks.input_files import InputReader, Reading
from tasks.output import DOCUMENTS, MINHASH, PARAGRAPHS, REJECTS, stage_rows
from tasks.output.rows import Reject, Run, document_rows, paragraph_rows, reject_rows
from tasks.plan import Part
from tasks.quality import dropped_for, low_quality_detail
from tasks.rejection import Reason, Rejected
from tasks.storage import Folder
from tasks.summary import RunCounts, counts_of

# Rows are staged every this many documents and rejects, so a batch holding a large archive
# keeps a bounded number of documents in memory.
STAGE_EVERY = 2000


@dataclass(frozen=True)
class BatchRows:
    """The rows one batch (or a chunk of it) adds to each table, and the records it skipped."""

    documents: pa.Table
    paragraphs: pa.Table
    rejects: pa.Table
    minhash: pa.Table
    skipped: Counter[str] = field(default_factory=Counter)
    # Documents each quality rule flags, those dropped for it included.
    flagged: Counter[str] = field(default_factory=Counter)


def process_inputs(
    root: Folder,
    parts: list[Part],
    run: Run,
    reading: Reading,
    drop: frozenset[str] = frozenset(),
) -> BatchRows:
    """The rows for the inputs at `parts` (relative to `root`); a bad input becomes a reject,
    and so does a document that fails a quality rule in `drop`."""
    chunks = list(_row_chunks(root, parts, run, reading, drop, every=None))
    return chunks[0]


def stage_batch(
    root: Folder,
    parts: list[Part],
    out: Folder,
    run: Run,
    reading: Reading,
    drop: frozenset[str] = frozenset(),
) -> RunCounts:
    """Process the inputs at `parts` and stage their rows under `out`; their counts."""
    key = "\n".join(f"{part.path}#{part.start}" for part in parts)
    name = hashlib.sha256(key.encode(errors="surrogateescape")).hexdigest()[:16]
    counts = RunCounts(parts=len(parts))
    chunks = _row_chunks(root, parts, run, reading, drop, every=STAGE_EVERY)
    for index, rows in enumerate(chunks):
        chunk = f"{name}-{index}"
        stage_rows(out, run.run_id, DOCUMENTS, chunk, rows.documents)
        stage_rows(out, run.run_id, PARAGRAPHS, chunk, rows.paragraphs)
        stage_rows(out, run.run_id, REJECTS, chunk, rows.rejects)
        stage_rows(out, run.run_id, MINHASH, chunk, rows.minhash)
        counts.add(
            counts_of(rows.documents, rows.paragraphs, rows.rejects, rows.skipped, rows.flagged)
        )
    return counts


def _row_chunks(
    root: Folder,
    parts: list[Part],
    run: Run,
    reading: Reading,
    drop: frozenset[str],
    every: int | None,
) -> Iterator[BatchRows]:
    """The rows of `parts`, `every` documents and rejects at a time (all at once for None)."""
    skipped: Counter[str] = Counter()
    with InputReader(root) as reader:
        outcomes = (
            outcome for part in parts for outcome in _outcomes(reader, part, run, reading, skipped)
        )
        while True:
            chunk = list(itertools.islice(outcomes, every))
            flagged: Counter[str] = Counter()
            for document in (outcome for outcome in chunk if isinstance(outcome, Document)):
                flagged.update(document.quality.flags)
            chunk = [
                (_dropped(outcome, drop) or outcome) if isinstance(outcome, Document) else outcome
                for outcome in chunk
            ]
            documents = [outcome for outcome in chunk if isinstance(outcome, Document)]
            rejects = [outcome for outcome in chunk if isinstance(outcome, Reject)]
            prints = [document_print([p.text for p in doc.paragraphs], RULE) for doc in documents]
            yield BatchRows(
                documents=document_rows(documents, run),
                paragraphs=paragraph_rows(documents, (p.paragraph_hashes for p in prints)),
                rejects=reject_rows(rejects, run),
                minhash=minhash_rows(documents, prints),
                skipped=skipped.copy(),
                flagged=flagged,
            )
            skipped.clear()
            if every is None or len(chunk) < every:
                return


def _outcomes(
    reader: InputReader, part: Part, run: Run, reading: Reading, skipped: Counter[str]
) -> Iterator[Document | Reject]:
    """The documents and rejects of one part; records an archive skips are counted in `skipped`."""
    fmt = input_format(part.path) or "unknown"
    if fmt in ARCHIVE_FORMATS:
        yield from _archive_outcomes(reader, part, fmt, run, reading, skipped)
    else:
        yield _document_or_reject(reader, part.path, run, reading)


def _archive_outcomes(
    reader: InputReader,
    part: Part,
    fmt: str,
    run: Run,
    reading: Reading,
    skipped: Counter[str],
) -> Iterator[Document | Reject]:
    """The documents and rejects of the records of an archive that start in `part`."""
    path = reading.path_of(part.path)
    found = 0
    try:
        with reader.file(path) as (file, size):
            for item in _archive_items(file, size, part, fmt, reading):
                if isinstance(item, SkippedRecord):
                    skipped[item.kind] += 1
                    continue
                found += 1
                yield _record_outcome(part, fmt, item, reading.max_bytes, run)
    except Rejected as rejected:  # the archive could not be opened: one reject for the file
        yield Reject(part.path, part.sha256, fmt, rejected.reason, rejected.detail)
        return
    if found == 0 and part.is_whole:
        # An archive with no record to show must still leave a row, or it is read every run.
        detail = (
            "no records"
            if not skipped
            else "no records but "
            + ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
        )
        kind = "HTML pages" if fmt == "warc" else "records"
        yield Reject(part.path, part.sha256, fmt, Reason.EMPTY, f"{detail} (no {kind} to read)")


def _archive_items(
    file: BinaryIO, size: int, part: Part, fmt: str, reading: Reading
) -> Iterable[ArchiveItem]:
    """The items of one archive part, by the archive's format."""
    if fmt == "warc":
        return warc_items(
            file,
            size,
            compressed=part.path.lower().endswith(".gz"),
            start=part.start,
            stop=part.stop,
            max_bytes=reading.max_bytes,
        )
    return jsonl_items(
        file,
        part.path.lower(),
        reading.fields,
        start=part.start,
        stop=part.stop,
        max_bytes=reading.max_bytes,
    )


def _record_outcome(
    part: Part, fmt: str, item: Record | BadRecord, max_bytes: int, run: Run
) -> Document | Reject:
    """The document of one archive record, or the reject that says why there is none."""
    source = record_source(part.path, item.locator)
    if isinstance(item, BadRecord):
        return Reject(source, part.sha256, fmt, item.reason, item.detail)
    try:
        document = record_document(source, fmt, item, max_bytes, run.started_at)
    except Rejected as rejected:
        return Reject(source, part.sha256, fmt, rejected.reason, rejected.detail)
    except Exception as error:  # a bug must cost one record, never the run
        detail = f"unexpected {type(error).__name__}: {error}"
        return Reject(source, part.sha256, fmt, Reason.INTERNAL_ERROR, detail)
    # Each row of an archive holds the archive's hash: planning finds it unchanged by it.
    return replace(document, content_sha256=part.sha256 or document.content_sha256)


def _dropped(document: Document, drop: frozenset[str]) -> Reject | None:
    """The `low_quality` reject of a document that fails a rule in `drop`; None to keep it."""
    if not dropped_for(document.quality.flags, drop):
        return None
    detail = low_quality_detail(document.quality.flags, drop)
    return Reject(
        document.source, document.content_sha256, document.format, Reason.LOW_QUALITY, detail
    )


def _document_or_reject(
    reader: InputReader, source: str, run: Run, reading: Reading
) -> Document | Reject:
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
        return _document(source, fmt, data, reading.max_bytes, run)
    except Rejected as rejected:
        return Reject(source, content_sha256(data), fmt, rejected.reason, rejected.detail)
    except Exception as error:  # a bug must cost one document, never the run
        detail = f"unexpected {type(error).__name__}: {error}"
        return Reject(source, content_sha256(data), fmt, Reason.INTERNAL_ERROR, detail)


def _document(source: str, fmt: str, data: bytes, max_bytes: int, run: Run) -> Document:
    """The document in the bytes of an input of format `fmt` (a page's cap holds decompressed)."""
    if fmt == "html":  # a page's date is no later than the run's start
        return html_document(source, data, run_started=run.started_at, max_bytes=max_bytes)
    return text_document(source, data)  # read within the cap already
