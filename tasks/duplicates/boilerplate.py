"""How many distinct documents hold each normalized paragraph, kept up to date run by run."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from tasks.output.schema import PARAGRAPH_COUNTS

StoredCounts = Callable[[Collection[str]], Iterable[pa.Table]]


@dataclass(frozen=True)
class Recount:
    """The `paragraph_counts` rows a run writes and the stored ones they replace."""

    rows: pa.Table
    replaced: set[str]  # paragraph hashes whose stored rows go
    shards: set[str]  # the partitions holding those rows


def recount(added: pa.Table, removed: pa.Table, stored: StoredCounts) -> Recount:
    """The new `paragraph_counts` rows of every paragraph hash the run adds or removes.

    `added` and `removed` are (doc_id, text_hash) rows of the documents the run writes and
    of the stored documents it replaces; `stored(shards)` yields the stored `paragraph_counts`
    rows of those shards. A hash no document holds any more keeps no row.
    """
    changes = pa.concat_tables([_per_document(added, 1), _per_document(removed, -1)])
    hashes = pc.unique(changes["text_hash"])
    shards = set(pc.unique(_shards(hashes)).to_pylist())
    before = (chunk.filter(pc.is_in(chunk["text_hash"], hashes)) for chunk in stored(shards))
    parts = [changes, *(chunk.select(["text_hash", "documents"]) for chunk in before)]
    counts = (
        pa.concat_tables(parts, promote_options="permissive")
        .group_by("text_hash")
        .aggregate([("documents", "sum")])
    )
    counts = counts.rename_columns(["text_hash", "documents"])
    counts = counts.filter(pc.greater(counts["documents"], 0)).sort_by("text_hash")
    rows = pa.table(
        {
            "text_hash": counts["text_hash"],
            "documents": counts["documents"],
            "shard": _shards(counts["text_hash"]),
        },
        schema=PARAGRAPH_COUNTS.schema,
    )
    return Recount(rows, set(hashes.to_pylist()), shards)


def _shards(hashes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The `paragraph_counts` partition of each paragraph hash: its first hex digit."""
    return pc.utf8_slice_codeunits(hashes, 0, 1)


def _per_document(rows: pa.Table, sign: int) -> pa.Table:
    """One (text_hash, documents=sign) row per distinct (document, paragraph hash) of `rows`."""
    distinct = rows.select(["doc_id", "text_hash"]).group_by(["doc_id", "text_hash"]).aggregate([])
    return pa.table(
        {
            "text_hash": distinct["text_hash"].cast(pa.string()),
            "documents": pa.array([sign] * len(distinct), pa.int64()),
        }
    )
