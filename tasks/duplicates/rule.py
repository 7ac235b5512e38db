"""When two documents are copies: shingle size, MinHash and LSH shape, measure, threshold."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Measure(StrEnum):
    """How two shingle sets are compared."""

    JACCARD = "jaccard"  # shared shingles over all shingles of either
    CONTAINMENT = "containment"  # shared shingles over the smaller set's shingles


@dataclass(frozen=True, slots=True)
class MatchRule:
    """The parameters of near-duplicate detection (chosen in benchmarks/duplicates_quality.py)."""

    shingle: int  # words per shingle
    bands: int  # LSH bands; each band is `rows` consecutive MinHash values
    rows: int
    measure: Measure
    threshold: float  # a pair at or above it, by `measure`, is linked
    # Under containment, the smaller document must hold at least this share of the larger's
    # shingles: a short text inside many long ones would otherwise chain them together.
    min_size_ratio: float = 0.0
    # Pairs whose MinHash estimate falls this far below the threshold are not checked on
    # their shingle sets: 0.2 is over three standard errors of the estimate at 255 values.
    slack: float = 0.2

    @property
    def permutations(self) -> int:
        """MinHash values per signature."""
        return self.bands * self.rows
