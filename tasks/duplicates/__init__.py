"""Duplicates and syndication: exact copies, near-duplicate clusters, boilerplate paragraphs.

Workers compute each document's print (`document_print`, `minhash_rows`); once per run,
`update_duplicates` matches the new prints against the stored index and stages the changed
clusters and paragraph counts for the commit.
"""

from __future__ import annotations

from tasks.duplicates.matching import Totals
from tasks.duplicates.prints import DocumentPrint, document_print, minhash_rows
from tasks.duplicates.rule import MatchRule, Measure
from tasks.duplicates.update import DuplicatesUpdate, lacks_index, update_duplicates

# Chosen by measurement on Reuters-21578 (benchmarks/duplicates_quality.py, benchmarks/README.md).
RULE = MatchRule(
    shingle=3, bands=85, rows=3, measure=Measure.CONTAINMENT, threshold=0.5, min_size_ratio=0.3
)

__all__ = [
    "RULE",
    "DocumentPrint",
    "DuplicatesUpdate",
    "MatchRule",
    "Measure",
    "Totals",
    "document_print",
    "lacks_index",
    "minhash_rows",
    "update_duplicates",
]
