"""A run's update of the duplicate tables under OUT: the stored index read a chunk at a time,
the new rows staged beside the run's other rows for the one commit."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Set
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from tasks.duplicates.boilerplate import recount
from tasks.duplicates.matching import Totals, recluster
from tasks.duplicates.rule import MatchRule
from tasks.output.datasets import (
    partitions,
    placements,
    stage_rows,
    staged_rows,
    stored_rows,
)
from tasks.output.schema import (
    DOCUMENTS,
    DUPLICATES,
    MINHASH,
    PARAGRAPH_COUNTS,
    PARAGRAPHS,
    Table,
)
from tasks.storage import Folder

_STAGED_NAME = "duplicates"


@dataclass(frozen=True)
class DuplicatesUpdate:
    """What the commit must replace for the duplicate tables, and the store's totals after it."""

    totals: Totals
    reclustered: int = 0  # documents whose clusters the run recomputed
    replaced_in: dict[str, set[str]] = field(default_factory=dict)  # table -> keys whose rows go
    touched: dict[str, set[str]] = field(default_factory=dict)  # table -> partitions to rewrite


class _StoredTables:
    """The index and clusters stored under OUT, read a batch at a time (none when `empty`)."""

    def __init__(self, out: Folder, empty: bool) -> None:
        self.out, self.empty = out, empty

    def signatures(
        self, months: Collection[str] | None = None, shingles: bool = False
    ) -> Iterator[pa.Table]:
        """Stored `minhash` rows: every column if `shingles`, else those matching reads."""
        columns = None if shingles else ["doc_id", "text_hash", "n_shingles", "signature"]
        return self._rows(MINHASH, months, columns)

    def clusters(self) -> Iterator[pa.Table]:
        """Stored `duplicates` rows: doc_id, cluster_id and month."""
        return self._rows(DUPLICATES, None, ["doc_id", "cluster_id"])

    def paragraph_hashes(self, months: Collection[str]) -> Iterator[pa.Table]:
        """Stored `paragraphs` rows of `months`: doc_id and text_hash."""
        return self._rows(PARAGRAPHS, months, ["doc_id", "text_hash"])

    def counts(self, shards: Collection[str]) -> Iterator[pa.Table]:
        """Stored `paragraph_counts` rows of `shards`."""
        return self._rows(PARAGRAPH_COUNTS, shards)

    def _rows(
        self, table: Table, values: Collection[str] | None, columns: list[str] | None = None
    ) -> Iterator[pa.Table]:
        """Stored rows of `table`, unless the run replaces everything."""
        if self.empty:
            return iter(())
        return stored_rows(self.out, table, values, columns)


def update_duplicates(
    out: Folder,
    run_id: str,
    replaced: Set[str],
    paragraph_months: Set[str],
    rule: MatchRule,
    full_refresh: bool,
) -> DuplicatesUpdate:
    """Stage the `duplicates` and `paragraph_counts` rows of the run's documents (its staged
    rows) and of the stored ones it replaces (`replaced`, whose paragraphs lie in
    `paragraph_months`); what the commit must replace."""
    stored = _StoredTables(out, empty=full_refresh)
    new = staged_rows(out, run_id, MINHASH)
    if not len(new) and not replaced:
        return DuplicatesUpdate(totals=_totals(stored))
    clusters = recluster(new, replaced, stored, rule)
    stage_rows(out, run_id, DUPLICATES, _STAGED_NAME, clusters.rows)
    added = staged_rows(out, run_id, PARAGRAPHS, ["doc_id", "text_hash"])
    gone = pa.array(sorted(replaced), pa.string())
    removed = [
        rows.filter(pc.is_in(rows["doc_id"], gone))
        for rows in stored.paragraph_hashes(paragraph_months)
    ]
    counts = recount(added, pa.concat_tables([added.slice(0, 0), *removed]), stored.counts)
    stage_rows(out, run_id, PARAGRAPH_COUNTS, _STAGED_NAME, counts.rows)
    return DuplicatesUpdate(
        totals=clusters.totals,
        reclustered=len(clusters.rows),
        replaced_in={
            DUPLICATES.name: clusters.replaced | replaced,
            PARAGRAPH_COUNTS.name: counts.replaced,
        },
        touched={DUPLICATES.name: clusters.months, PARAGRAPH_COUNTS.name: counts.shards},
    )


def lacks_index(out: Folder) -> bool:
    """Whether OUT holds documents but no duplicate index (written before docprep made one).

    Such a store is rebuilt by a full refresh, which reads nothing it replaces: its stored rows
    are read here first, so that a damaged store still stops the run (DamagedOutput) rather
    than being rebuilt unasked.
    """
    if partitions(out, MINHASH) or not partitions(out, DOCUMENTS):
        return False
    placements(out)
    return True


def _totals(stored: _StoredTables) -> Totals:
    """The store's documents and clusters (one row of each cluster has doc_id = cluster_id)."""
    documents = stories = 0
    for rows in stored.clusters():
        documents += len(rows)
        stories += pc.sum(pc.equal(rows["doc_id"], rows["cluster_id"])).as_py() or 0
    return Totals(documents, stories)
