"""How alike two documents are, estimated from their MinHash signatures and shingle counts."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tasks.duplicates.minhash import Signature
from tasks.duplicates.rule import MatchRule, Measure

Floats = npt.NDArray[np.float64]
Counts = npt.NDArray[np.int64]


def estimated_similarity(
    first: Signature, second: Signature, first_size: Counts, second_size: Counts, measure: Measure
) -> Floats:
    """The similarity of each row pair of (`first`, `second`) by `measure`.

    The share of equal MinHash values estimates the Jaccard index J; with the set sizes it
    gives the shared shingles, J / (1 + J) * (|A| + |B|), and so the containment of the
    smaller set in the larger.
    """
    jaccard: Floats = (first == second).mean(axis=1)
    if measure is Measure.JACCARD:
        return jaccard
    shared = jaccard / (1 + jaccard) * (first_size + second_size)
    smaller = np.maximum(np.minimum(first_size, second_size), 1)
    containment: Floats = np.minimum(shared / smaller, 1.0)
    return containment


def linked(
    first: Signature, second: Signature, first_size: Counts, second_size: Counts, rule: MatchRule
) -> npt.NDArray[np.bool_]:
    """Whether each row pair of (`first`, `second`) is a pair of copies under `rule`."""
    similar = estimated_similarity(first, second, first_size, second_size, rule.measure)
    close = similar >= rule.threshold
    if rule.min_size_ratio > 0:
        ratio = np.minimum(first_size, second_size) / np.maximum(
            np.maximum(first_size, second_size), 1
        )
        close &= ratio >= rule.min_size_ratio
    empty = (first_size == 0) | (second_size == 0)  # only equal text links a text without words
    result: npt.NDArray[np.bool_] = close & ~empty
    return result
