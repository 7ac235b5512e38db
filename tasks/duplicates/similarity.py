"""How alike two documents are: estimated from MinHash signatures, confirmed on shingle sets."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tasks.duplicates.index import Indexed
from tasks.duplicates.minhash import Signature
from tasks.duplicates.rule import MatchRule, Measure

Floats = npt.NDArray[np.float64]
Counts = npt.NDArray[np.int64]
Positions = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
# Pairs whose shingles are compared in one sort: ~400 shingles each, a few MiB at a time.
_PAIRS_AT_ONCE = 1024


def estimated_similarity(
    first: Signature, second: Signature, first_size: Counts, second_size: Counts, measure: Measure
) -> Floats:
    """The similarity of each row pair of (`first`, `second`) by `measure`, estimated.

    The share of equal MinHash values estimates the Jaccard index J; with the set sizes it
    gives the shared shingles, J / (1 + J) * (|A| + |B|), and so the containment of the
    smaller set in the larger.
    """
    jaccard: Floats = (first == second).mean(axis=1)
    if measure is Measure.JACCARD:
        return jaccard
    shared = jaccard / (1 + jaccard) * (first_size + second_size)
    return _containment(shared, first_size, second_size)


def exact_similarity(
    first: Indexed, i: Positions, second: Indexed, j: Positions, measure: Measure
) -> Floats:
    """The similarity by `measure` of documents first[i] and second[j], from their shingles."""
    shared = np.concatenate(
        [
            _shared_shingles(first, i[start : start + _PAIRS_AT_ONCE], second, j[start:])
            for start in range(0, len(i), _PAIRS_AT_ONCE)
        ]
        or [np.empty(0, np.int64)]
    )
    sizes_a, sizes_b = first.sizes[i], second.sizes[j]
    if measure is Measure.JACCARD:
        union = np.maximum(sizes_a + sizes_b - shared, 1)
        jaccard: Floats = shared / union
        return jaccard
    return _containment(shared, sizes_a, sizes_b)


def _shared_shingles(first: Indexed, i: Positions, second: Indexed, j: Positions) -> Counts:
    """How many shingles documents first[i] and second[j[:len(i)]] share, for all pairs at once.

    Each shingle is tagged with its pair's number; both sets are free of repeats, so a tagged
    value found twice in the sorted union is a shingle the pair shares.
    """
    assert first.shingles is not None and second.shingles is not None
    pairs = np.arange(len(i), dtype=np.uint64)
    left = [first.shingles[a] for a in i.tolist()]
    right = [second.shingles[b] for b in j[: len(i)].tolist()]
    lengths = np.fromiter((len(s) for s in (*left, *right)), np.int64, 2 * len(i))
    tags = np.repeat(np.concatenate((pairs, pairs)), lengths) << np.uint64(32)
    values = np.concatenate([*left, *right, np.empty(0, np.uint32)]).astype(np.uint64)
    # Each side is one sorted run (pairs in order, each set sorted): a stable sort (timsort)
    # merges the two runs where quicksort sorts from scratch (3-10x as long, 2.8 million values).
    merged = np.sort(tags | values, kind="stable")
    twice = merged[1:][merged[1:] == merged[:-1]]
    counts: Counts = np.bincount((twice >> np.uint64(32)).astype(np.int64), minlength=len(i))
    return counts


def candidates(
    first: Indexed, i: Positions, second: Indexed, j: Positions, rule: MatchRule
) -> Mask:
    """Whether each pair (first[i], second[j]) may be a pair of copies: its estimated
    similarity is within `rule.slack` of the threshold, and its sizes are close enough."""
    sizes_a, sizes_b = first.sizes[i], second.sizes[j]
    estimate = estimated_similarity(
        first.signatures[i], second.signatures[j], sizes_a, sizes_b, rule.measure
    )
    close: Mask = estimate >= rule.threshold - rule.slack
    if rule.min_size_ratio > 0:
        close &= np.minimum(sizes_a, sizes_b) >= rule.min_size_ratio * np.maximum(sizes_a, sizes_b)
    close &= (sizes_a > 0) & (sizes_b > 0)  # only equal text links a text without words
    return close


def first_linked(index: Indexed, member: int, others: Positions, rule: MatchRule) -> int | None:
    """The first of `others` that document `member` is a copy of: a candidate whose exact
    similarity reaches the threshold; None if there is none."""
    mine = np.full(len(others), member, np.int64)
    for position in others[candidates(index, mine, index, others, rule)].tolist():
        exact = exact_similarity(index, mine[:1], index, np.array([position]), rule.measure)
        if exact[0] >= rule.threshold:
            return int(position)
    return None


def _containment(shared: Floats | Counts, first_size: Counts, second_size: Counts) -> Floats:
    """The share of the smaller set that the other holds."""
    smaller = np.maximum(np.minimum(first_size, second_size), 1)
    containment: Floats = np.minimum(shared / smaller, 1.0)
    return containment
