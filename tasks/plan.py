"""Which inputs a run must process, and which stored rows it replaces."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from tasks.documents import doc_id_for
from tasks.quality import dropped_for
from tasks.rejection import Reason
from tasks.schema import DOCUMENTS, PARAGRAPHS, REJECTS
from tasks.store import Placement


@dataclass(frozen=True)
class WorkPlan:
    """Sources to process, ids whose stored rows go, and the partitions holding those rows."""

    todo: list[str]
    replaced: set[str]
    touched: dict[str, set[str]] = field(default_factory=dict)
    unchanged: int = 0
    pruned: int = 0


def plan_work(
    current: dict[str, str | None],
    stored: list[Placement],
    *,
    prune: bool = False,
    full_refresh: bool = False,
    drop: frozenset[str] = frozenset(),
) -> WorkPlan:
    """The work for inputs with these content hashes over what is stored.

    `current` maps each source to its SHA-256, or to None when it was not hashed: a source
    with no stored row is new whatever its content. `drop` names the quality rules whose
    failing documents go to `rejects`: a stored row on the wrong side of them is redone.
    """
    by_id: dict[str, list[Placement]] = defaultdict(list)
    for placement in stored:
        by_id[placement.doc_id].append(placement)
    current_ids = {doc_id_for(source): source for source in current}
    todo = [
        source
        for source, sha in current.items()
        if full_refresh or not _is_current(by_id.get(doc_id_for(source), []), sha, drop)
    ]
    gone = {doc_id for doc_id in by_id if doc_id not in current_ids}
    pruned = gone if (prune or full_refresh) else set()
    replaced = {doc_id_for(source) for source in todo} | pruned
    touched: dict[str, set[str]] = defaultdict(set)
    for doc_id in replaced:
        for placement in by_id.get(doc_id, []):
            touched[placement.table].add(placement.partition)
            if placement.table == DOCUMENTS.name:
                touched[PARAGRAPHS.name].add(placement.partition)
    return WorkPlan(
        todo=todo,
        replaced=replaced,
        touched=dict(touched),
        unchanged=len(current) - len(todo),
        pruned=len(pruned),
    )


def _is_current(stored: list[Placement], sha: str | None, drop: frozenset[str]) -> bool:
    """Whether a source's stored rows are exactly one, of this content, in a known table, and
    on the side of `drop` its quality flags put it."""
    return (
        sha is not None
        and len(stored) == 1
        and stored[0].content_sha256 == sha
        and stored[0].table in (DOCUMENTS.name, REJECTS.name)
        and _kept_as_dropping(stored[0], drop)
    )


def _kept_as_dropping(placement: Placement, drop: frozenset[str]) -> bool:
    """Whether a stored row is what dropping documents for the rules in `drop` makes it: a
    document fails none of them, a `low_quality` reject was dropped for exactly those it fails."""
    dropped = tuple(dropped_for(placement.quality_flags, drop))
    if placement.table == DOCUMENTS.name:
        return not dropped
    return placement.partition != Reason.LOW_QUALITY or (
        bool(dropped) and dropped == placement.dropped_for
    )


def batches_of(sources: list[str], *, largest: int, smallest: int, workers: int) -> list[list[str]]:
    """`sources` cut in order into batches that shrink as the work runs out.

    Each batch takes an equal share of what is left per worker, within [smallest, largest]
    (guided self-scheduling): large batches early keep the per-task cost low, and small ones
    at the end let the workers finish together instead of one working alone through a last
    large batch.
    """
    batches: list[list[str]] = []
    start = 0
    while start < len(sources):
        left = len(sources) - start
        size = min(largest, max(smallest, math.ceil(left / workers)))
        if left - size < smallest:  # no batch smaller than `smallest` left over at the end
            size = min(largest, left)
        batches.append(sources[start : start + size])
        start += size
    return batches
