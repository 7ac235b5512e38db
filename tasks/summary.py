"""What a run did, in counts: per batch, added up for the run, and as its runs-table row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import pyarrow as pa
import pyarrow.compute as pc

from tasks.output import RunRecord, docprep_version


@dataclass
class RunCounts:
    """Counts of the rows a batch or a run produced."""

    documents: int = 0
    paragraphs: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    first_date: date | None = None
    last_date: date | None = None
    parts: int = 0  # files and archive slices done
    skipped_records: Counter[str] = field(default_factory=Counter)  # archive records, by kind

    @property
    def inputs(self) -> int:
        """Inputs processed: every one is a document or a reject."""
        return self.documents + sum(self.rejects.values())

    def add(self, other: RunCounts) -> None:
        """Add `other`'s counts to these."""
        self.documents += other.documents
        self.paragraphs += other.paragraphs
        self.rejects.update(other.rejects)
        self.languages.update(other.languages)
        self.parts += other.parts
        self.skipped_records.update(other.skipped_records)
        self.first_date = min(filter(None, (self.first_date, other.first_date)), default=None)
        self.last_date = max(filter(None, (self.last_date, other.last_date)), default=None)

    @property
    def date_range(self) -> tuple[date, date] | None:
        """The first and last document date, if any document was dated."""
        if self.first_date is None or self.last_date is None:
            return None
        return self.first_date, self.last_date


@dataclass
class RunSummary:
    """What one run found, did and left alone."""

    run_id: str
    source: str
    output: str
    discovered: int
    counts: RunCounts
    unchanged: int
    pruned: int
    skipped: dict[str, int] = field(default_factory=dict)
    elapsed_seconds: float = 0.0
    dates: tuple[date, date] | None = None
    report: str | None = None  # the address of OUT's HTML report, once written


def run_record(
    summary: RunSummary, deployment: str, started_at: datetime, ended_at: datetime
) -> RunRecord:
    """The runs-table row of a run, started by `deployment` (`cli` outside a deployment)."""
    counts = summary.counts
    return RunRecord(
        run_id=summary.run_id,
        deployment=deployment,
        source=summary.source,
        started_at=started_at,
        ended_at=ended_at,
        discovered=summary.discovered,
        processed=counts.inputs,
        documents=counts.documents,
        paragraphs=counts.paragraphs,
        rejects=sum(counts.rejects.values()),
        unchanged=summary.unchanged,
        pruned=summary.pruned,
        skipped=sum(summary.skipped.values()),
        docprep_version=docprep_version(),
    )


def counts_of(
    documents: pa.Table,
    paragraphs: pa.Table,
    rejects: pa.Table,
    skipped_records: Counter[str] | None = None,
) -> RunCounts:
    """The counts of one batch's rows, and of the archive records it skipped."""
    bounds = pc.min_max(documents["date"])
    return RunCounts(
        first_date=bounds["min"].as_py(),
        last_date=bounds["max"].as_py(),
        documents=documents.num_rows,
        paragraphs=paragraphs.num_rows,
        rejects=_value_counts(rejects["reason"]),
        languages=_value_counts(documents["language"].fill_null("unknown")),
        skipped_records=Counter(skipped_records or {}),
    )


def total(counts: Iterable[RunCounts]) -> RunCounts:
    """The sum of several counts."""
    result = RunCounts()
    for item in counts:
        result.add(item)
    return result


def _value_counts(column: pa.ChunkedArray) -> Counter[str]:
    """How often each value occurs in `column`."""
    return Counter(
        {str(row["values"]): int(row["counts"]) for row in pc.value_counts(column).to_pylist()}
    )
