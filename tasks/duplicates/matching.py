"""The cross-document step of a run: new and changed documents matched against the stored index,
and the clusters they touch recomputed, without holding the whole index in memory.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.duplicates.bands import KeySet, band_keys
from tasks.duplicates.clusters import cluster_rows, linked_components
from tasks.duplicates.index import indexed, signature_matrix
from tasks.duplicates.rule import MatchRule
from tasks.output.schema import MINHASH


@dataclass(frozen=True)
class Totals:
    """Documents in a store, and how many distinct stories (clusters of copies) they tell."""

    documents: int
    stories: int


class StoredIndex(Protocol):
    """What the store holds of earlier runs, read a chunk at a time."""

    def signatures(
        self, months: Collection[str] | None = None, shingles: bool = False
    ) -> Iterator[pa.Table]:
        """Stored `minhash` rows, of the `months` partitions only when given: every column if
        `shingles`, else at least doc_id, text_hash, n_shingles and signature."""
        ...

    def clusters(self) -> Iterator[pa.Table]:
        """Stored `duplicates` rows (at least doc_id, cluster_id and month)."""
        ...


@dataclass(frozen=True)
class Reclustering:
    """The `duplicates` rows a run writes and the stored ones they replace."""

    rows: pa.Table  # every document of a cluster the run changed, new documents included
    replaced: set[str]  # doc ids whose stored `duplicates` rows go
    months: set[str]  # the `duplicates` partitions holding those rows
    totals: Totals  # in the store after the run


def recluster(
    new: pa.Table, removed: Collection[str], stored: StoredIndex, rule: MatchRule
) -> Reclustering:
    """Match the `minhash` rows `new` against the stored index, minus the `removed` doc ids, and
    recompute every cluster that gains, loses or changes a document.

    A cluster no new document may link to and no removed document left keeps its rows: its
    pairs are exactly as before, so the result equals clustering everything from scratch.
    The cluster of every stored document sharing a band with a new one is recomputed, linked
    or not, so each pair is judged the same way here as in a full clustering.
    """
    gone_ids = {*removed, *new["doc_id"].to_pylist()}
    near = _candidates(new, stored, rule) - gone_ids
    affected, before = _affected_clusters(stored, near | gone_ids)
    members = _members(stored, affected)
    kept = {doc_id for doc_id in members if doc_id not in gone_ids}
    months = set(members.values())
    pool = pa.concat_tables([new.select(MINHASH.columns), *_rows_of(stored, kept, months)])
    index = indexed(pool, rule.permutations)
    rows = cluster_rows(index, linked_components(index, rule)[0], rule)
    totals = Totals(
        documents=before.documents - len(members) + len(rows),
        stories=before.stories - len(affected) + len(set(rows["cluster_id"].to_pylist())),
    )
    return Reclustering(rows, set(members), months, totals)


def _candidates(new: pa.Table, stored: StoredIndex, rule: MatchRule) -> set[str]:
    """The stored documents that may be copies of some document of `new`: equal normal forms,
    or a shared LSH band.

    Only signatures are read, a chunk at a time; of a chunk only the ids of its matches are
    kept. The pairs are judged on their shingle sets later.
    """
    if not len(new):
        return set()
    query = indexed(new, rule.permutations)
    with_words = query.sizes > 0
    keys = KeySet(band_keys(query.signatures[with_words], rule.bands, rule.rows))
    hashes = pa.array(sorted(set(query.text_hashes)), pa.string())
    found: set[str] = set()
    for chunk in stored.signatures():
        if not len(chunk):
            continue
        sizes = chunk["n_shingles"].to_numpy()
        words = np.flatnonzero(sizes > 0)
        signatures = signature_matrix(chunk["signature"], rule.permutations)
        hits = pc.is_in(chunk["text_hash"], hashes).to_numpy(zero_copy_only=False)
        hits[words[keys.sharing(band_keys(signatures[words], rule.bands, rule.rows))]] = True
        found.update(chunk["doc_id"].filter(pa.array(hits)).to_pylist())
    return found


def _affected_clusters(stored: StoredIndex, doc_ids: set[str]) -> tuple[set[str], Totals]:
    """The stored clusters holding any of `doc_ids`, and the store's totals."""
    wanted = pa.array(sorted(doc_ids), pa.string())
    affected: set[str] = set()
    documents = stories = 0
    for chunk in stored.clusters():
        documents += len(chunk)
        stories += pc.sum(pc.equal(chunk["doc_id"], chunk["cluster_id"])).as_py() or 0
        affected.update(chunk.filter(pc.is_in(chunk["doc_id"], wanted))["cluster_id"].to_pylist())
    return affected, Totals(documents, stories)


def _members(stored: StoredIndex, clusters: set[str]) -> dict[str, str]:
    """The stored members of `clusters`, each with the month partition of its row."""
    if not clusters:
        return {}
    wanted = pa.array(sorted(clusters), pa.string())
    members: dict[str, str] = {}
    for chunk in stored.clusters():
        rows = chunk.filter(pc.is_in(chunk["cluster_id"], wanted))
        members.update(zip(rows["doc_id"].to_pylist(), rows["month"].to_pylist(), strict=True))
    return members


def _rows_of(stored: StoredIndex, doc_ids: set[str], months: set[str]) -> Iterator[pa.Table]:
    """The stored `minhash` rows of `doc_ids`, read from their month partitions only."""
    if not doc_ids:
        return
    wanted = pa.array(sorted(doc_ids), pa.string())
    for chunk in stored.signatures(months, shingles=True):
        yield chunk.filter(pc.is_in(chunk["doc_id"], wanted)).select(MINHASH.columns)
