"""Clusters of copies: connected components of linked pairs, each with its canonical document."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from tasks.duplicates.bands import band_keys, shared_buckets
from tasks.duplicates.index import Indexed
from tasks.duplicates.rule import MatchRule
from tasks.duplicates.similarity import candidates, exact_similarity, first_linked
from tasks.output.schema import DUPLICATES

Labels = npt.NDArray[np.int64]
# Buckets up to this size have all their pairs estimated at once; larger ones (thousands of
# copies of one story) compare a document only with the clusters it is not yet part of.
_PAIRWISE_BUCKET = 32
_CHUNK_PAIRS = 2048
_STAR_PAIRS = 16384  # ~35 MiB of signatures compared at once
_STAR_MEMBERS = 1 << 20  # bucket members turned into pairs at once
Links = list[tuple[int, int]]


class _Forest:
    """Union-find over positions; each tree's root is its smallest position."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))

    def root(self, node: int) -> int:
        """The smallest position connected to `node`."""
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: int, b: int) -> None:
        """Connect `a` and `b`."""
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def linked_components(index: Indexed, rule: MatchRule) -> tuple[Labels, Links]:
    """For each document of `index`, the smallest position of its cluster; and the linked
    pairs that joined the clusters.

    Documents are linked when their normal forms are equal, or when they share an LSH band and
    their similarity passes `rule`. First each document is checked against the first member
    of every bucket it is in, all at once (copies of one story mostly join there); then only
    the buckets still holding more than one cluster are searched, comparing only documents
    not yet connected, so a bucket of thousands of near-identical copies costs one check per
    copy, not one per pair. The components are those of every linked pair all the same.
    """
    forest = _Forest(len(index))
    links: Links = []
    first_of: dict[str, int] = {}
    for position, text_hash in enumerate(index.text_hashes):
        first = first_of.setdefault(text_hash, position)
        if first != position:
            forest.union(first, position)
            links.append((first, position))
    firsts = np.fromiter(first_of.values(), np.int64, len(first_of))
    firsts = firsts[index.sizes[firsts] > 0]
    keys = band_keys(index.signatures[firsts], rule.bands, rule.rows)
    owners, starts, ends = shared_buckets(keys)
    owners = firsts[owners]
    _join_stars(index, owners, starts, ends, forest, rule, links)
    labels = _labels(forest)
    lowest = np.minimum.reduceat(labels[owners], starts) if len(starts) else starts
    highest = np.maximum.reduceat(labels[owners], starts) if len(starts) else starts
    pairs: list[npt.NDArray[np.int64]] = []
    mixed = lowest != highest  # buckets still holding more than one cluster
    for start, end in zip(starts[mixed].tolist(), ends[mixed].tolist(), strict=True):
        members = owners[start:end]
        if len(members) <= _PAIRWISE_BUCKET:
            left, right = _pairs_of(len(members))
            pairs.append(np.stack((members[left], members[right]), axis=1))
        else:
            _join(index, members.tolist(), forest, rule, links)
    _join_pairs(index, pairs, forest, rule, links)
    return _labels(forest), links


def _join_stars(
    index: Indexed,
    owners: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    forest: _Forest,
    rule: MatchRule,
    links: Links,
) -> None:
    """Connect each member of a bucket (owners[start:end]) to the bucket's first member when
    they are linked, estimating and checking every such pair at once."""
    if not len(starts):
        return
    codes = _star_codes(owners, starts, ends, len(index))
    a, b = codes // len(index), codes % len(index)
    # Estimated a slice at a time: each pair compares two signatures of `rule.permutations`
    # values, and a first run's stars hold about a pair per document and band.
    close = np.concatenate(
        [
            candidates(index, a[piece], index, b[piece], rule)
            for piece in (
                slice(start, start + _STAR_PAIRS) for start in range(0, len(a), _STAR_PAIRS)
            )
        ]
        or [np.zeros(0, np.bool_)]
    )
    a, b = a[close], b[close]
    # In rounds, one pair per cluster: checking every pair at once would check thousands
    # within one story that the first few already connect.
    while len(a):
        labels = _labels(forest)
        apart = labels[a] != labels[b]
        a, b = a[apart], b[apart]
        chosen = np.unique(labels[b], return_index=True)[1]
        similar = exact_similarity(index, a[chosen], index, b[chosen], rule.measure)
        linked = chosen[similar >= rule.threshold]
        for first, second in zip(a[linked].tolist(), b[linked].tolist(), strict=True):
            if forest.root(first) != forest.root(second):
                forest.union(first, second)
                links.append((first, second))
        a, b = np.delete(a, chosen), np.delete(b, chosen)


def _star_codes(
    owners: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    count: int,
) -> npt.NDArray[np.int64]:
    """Each pair of a bucket's first member and another member, as low * count + high, sorted
    and without repeats."""
    # Buckets a slice at a time: their members number about documents x bands, while the
    # distinct pairs among them are far fewer (copies of a story share their first members).
    sizes = np.cumsum(ends - starts)
    cuts = np.searchsorted(sizes, np.arange(_STAR_MEMBERS, sizes[-1], _STAR_MEMBERS), "right")
    found = [np.empty(0, np.int64)]
    for low, high in itertools.pairwise([0, *cuts.tolist(), len(starts)]):
        first, last = starts[low:high], ends[low:high]
        lengths = last - first
        anchors = np.repeat(owners[first], lengths)
        offsets = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
        members = owners[np.arange(lengths.sum()) + offsets]
        apart = anchors != members
        anchors, members = anchors[apart], members[apart]
        found.append(np.unique(np.minimum(anchors, members) * count + np.maximum(anchors, members)))
    return np.unique(np.concatenate(found))


def _labels(forest: _Forest) -> Labels:
    """Each position's root."""
    # Each position's ancestor twice as far up, until every one is its root: the roots that
    # `root` finds, in a few array steps instead of a Python call per position.
    labels = np.asarray(forest.parent, dtype=np.int64)
    while True:
        jumped = labels[labels]
        if np.array_equal(jumped, labels):
            return labels
        labels = jumped


@cache
def _pairs_of(size: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The positions (i, j), i < j, of every pair among `size` items."""
    first, second = np.triu_indices(size, 1)
    return first.astype(np.int64), second.astype(np.int64)


def _join_pairs(
    index: Indexed,
    pairs: list[npt.NDArray[np.int64]],
    forest: _Forest,
    rule: MatchRule,
    links: Links,
) -> None:
    """Connect the linked pairs of small buckets, estimated a chunk at a time; a pair already
    connected through others is not compared."""
    if not pairs:
        return
    ordered = np.sort(np.concatenate(pairs), axis=1)
    codes = np.unique(ordered[:, 0] * len(index) + ordered[:, 1])  # one integer per pair
    both = np.stack((codes // len(index), codes % len(index)), axis=1)
    for start in range(0, len(both), _CHUNK_PAIRS):
        chunk = both[start : start + _CHUNK_PAIRS]
        apart = np.fromiter(
            (forest.root(a) != forest.root(b) for a, b in chunk.tolist()), np.bool_, len(chunk)
        )
        chunk = chunk[apart]
        for a, b in chunk[candidates(index, chunk[:, 0], index, chunk[:, 1], rule)].tolist():
            if forest.root(a) == forest.root(b):
                continue
            exact = exact_similarity(index, np.array([a]), index, np.array([b]), rule.measure)
            if exact[0] >= rule.threshold:
                forest.union(a, b)
                links.append((a, b))


def _join(
    index: Indexed, members: list[int], forest: _Forest, rule: MatchRule, links: Links
) -> None:
    """Connect the members of one bucket that are linked, comparing only across clusters."""
    groups: dict[int, list[int]] = defaultdict(list)
    for member in members:
        groups[forest.root(member)].append(member)
    merged: list[list[int]] = []
    for group in groups.values():
        joined = [other for other in merged if _link_any(index, group, other, forest, rule, links)]
        merged = [other for other in merged if not any(other is j for j in joined)]
        merged.append([member for part in (group, *joined) for member in part])


def _link_any(
    index: Indexed,
    group: list[int],
    other: list[int],
    forest: _Forest,
    rule: MatchRule,
    links: Links,
) -> bool:
    """Whether a member of `group` is linked to one of `other`; if so, connect them."""
    others = np.array(other, np.int64)
    for member in group:
        found = first_linked(index, member, others, rule)
        if found is not None:
            forest.union(member, found)
            links.append((min(member, found), max(member, found)))
            return True
    return False


def cluster_rows(index: Indexed, labels: Labels, rule: MatchRule) -> pa.Table:
    """The `duplicates` rows of the documents of `index` (sorted by doc_id), clustered by
    `labels` (the smallest position of each one's cluster).

    A cluster's id is its smallest doc_id; its canonical document is the earliest by date
    (undated last), ties broken by doc_id.
    """
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(labels.tolist()):
        members[label].append(position)
    canonical = np.empty(len(index), np.int64)
    size = np.empty(len(index), np.int64)
    for group in members.values():
        first = min(group, key=lambda i: (_date_order(index.dates[i]), index.doc_ids[i]))
        canonical[group] = first
        size[group] = len(group)
    everyone = np.arange(len(index), dtype=np.int64)
    similarity = exact_similarity(index, everyone, index, canonical, rule.measure)
    similarity[canonical == everyone] = 1.0
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
