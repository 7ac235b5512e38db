"""Clusters of copies: connected components of linked pairs, each with its canonical document."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from tasks.duplicates.bands import Pairs, band_keys, pairs_within
from tasks.duplicates.index import Indexed
from tasks.duplicates.rule import MatchRule
from tasks.duplicates.similarity import exact_similarity, linked
from tasks.schema import DUPLICATES


def linked_pairs(index: Indexed, rule: MatchRule) -> Pairs:
    """The pairs of documents of `index` that are copies: equal normal forms, or LSH
    candidates whose similarity passes `rule`.

    LSH runs over one document per normal form; the others follow it by their equal hash.
    """
    first_of: dict[str, int] = {}
    exact: list[tuple[int, int]] = []
    for position, text_hash in enumerate(index.text_hashes):
        first = first_of.setdefault(text_hash, position)
        if first != position:
            exact.append((first, position))
    firsts = np.fromiter(first_of.values(), np.int64, len(first_of))
    firsts = firsts[index.sizes[firsts] > 0]
    keys = band_keys(index.signatures[firsts], rule.bands, rule.rows)
    candidates = firsts[pairs_within(keys)]
    confirmed = candidates[linked(index, candidates[:, 0], index, candidates[:, 1], rule)]
    return np.concatenate((np.array(exact, np.int64).reshape(-1, 2), confirmed))


def components(count: int, pairs: Pairs) -> npt.NDArray[np.int64]:
    """For each of `count` nodes, the smallest node of its connected component under `pairs`."""
    parent = list(range(count))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs.tolist():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.fromiter((root(node) for node in range(count)), np.int64, count)


def cluster_rows(index: Indexed, pairs: Pairs, rule: MatchRule) -> pa.Table:
    """The `duplicates` rows of the documents of `index` (sorted by doc_id), clustered by `pairs`.

    A cluster's id is its smallest doc_id; its canonical document is the earliest by date
    (undated last), ties broken by doc_id.
    """
    labels = components(len(index), pairs)
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(labels.tolist()):
        members[label].append(position)
    canonical = np.empty(len(index), np.int64)
    size = np.empty(len(index), np.int64)
    for group in members.values():
        first = min(group, key=lambda i: (_date_order(index.dates[i]), index.doc_ids[i]))
        canonical[group] = first
        size[group] = len(group)
    similarity = exact_similarity(index, np.arange(len(index)), index, canonical, rule.measure)
    similarity[canonical == np.arange(len(index))] = 1.0
    return pa.Table.from_pydict(
        {
            "doc_id": index.doc_ids,
            "date": index.dates,
            "text_hash": index.text_hashes,
            "cluster_id": [index.doc_ids[i] for i in labels.tolist()],
            "canonical_id": [index.doc_ids[i] for i in canonical.tolist()],
            "cluster_size": size,
            "similarity": similarity,
            "month": index.months,
        },
        schema=DUPLICATES.schema,
    )


def _date_order(day: date | None) -> tuple[bool, date]:
    """A sort key that puts undated documents after every dated one."""
    return (day is None, day or date.min)
