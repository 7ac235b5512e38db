"""Which inputs a run must process, in which batches, and which stored rows it replaces."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from tasks.discovery import Discovery
from tasks.identity import doc_id_for
from tasks.input_files import input_hashes
from tasks.output import DOCUMENTS, PARAGRAPHS, REJECTS, TABLES, Placement, partitions, placements
from tasks.quality import dropped_for
from tasks.rejection import Reason
from tasks.storage import Folder

# Each batch costs a task run (API calls from the flow process) and a staged file per
# partition that the commit merges, so batches run to a few thousand documents; the cap
# bounds a worker's memory.
MAX_BATCH = 4000
# Batches shrink towards this as the work runs out (`batches_of`); a run with fewer than
# twice as many inputs is one batch, run in the flow process without starting worker
# processes, each of which first imports the steps and loads langdetect's profiles.
MIN_BATCH = 250


@dataclass(frozen=True)
class WorkPlan:
    """Sources to process and their batches, ids whose rows go, and the partitions they touch."""

    todo: list[str]
    replaced: frozenset[str]
    touched: dict[str, frozenset[str]] = field(default_factory=dict)
    unchanged: int = 0
    pruned: int = 0
    batches: list[list[str]] = field(default_factory=list)


def planned_work(
    source: Folder,
    out: Folder,
    discovery: Discovery,
    *,
    prune: bool = False,
    full_refresh: bool = False,
    batch_size: int = MAX_BATCH,
    workers: int = 1,
    drop: frozenset[str] = frozenset(),
) -> WorkPlan:
    """The work of a run over `discovery`, by content hash against what OUT holds, documents
    failing a quality rule in `drop` going to `rejects`."""
    # A full refresh reads nothing it replaces, so a damaged store can always be rebuilt.
    stored = [] if full_refresh else placements(out)
    # Only a source with stored rows can be unchanged: new sources are not read twice.
    stored_ids = {placement.doc_id for placement in stored}
    known = [path for path in discovery.inputs if doc_id_for(path) in stored_ids]
    hashes: dict[str, str | None] = dict.fromkeys(discovery.inputs)
    paths = [discovery.targets.get(path, path) for path in known]
    hashes.update(zip(known, input_hashes(source, paths), strict=True))
    existing = {table.name: set(partitions(out, table)) for table in TABLES} if full_refresh else {}
    return plan_work(
        hashes,
        stored,
        prune=prune,
        full_refresh=full_refresh,
        existing=existing,
        batch_size=batch_size,
        workers=workers,
        drop=drop,
    )


def plan_work(
    current: dict[str, str | None],
    stored: list[Placement],
    *,
    prune: bool = False,
    full_refresh: bool = False,
    existing: dict[str, set[str]] | None = None,
    batch_size: int = MAX_BATCH,
    workers: int = 1,
    drop: frozenset[str] = frozenset(),
) -> WorkPlan:
    """The work for inputs with these content hashes over what is stored.

    `current` maps each source to its SHA-256, or to None when it was not hashed: a source
    with no stored row is new whatever its content. `existing` names every partition of each
    table, all rewritten by a full refresh. `drop` names the quality rules whose failing
    documents go to `rejects`: a stored row on the wrong side of them is redone.
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
    for name, values in (existing or {}).items():
        touched[name].update(values)
    for doc_id in replaced:
        for placement in by_id.get(doc_id, []):
            touched[placement.table].add(placement.partition)
            if placement.table == DOCUMENTS.name:
                touched[PARAGRAPHS.name].add(placement.partition)
    return WorkPlan(
        todo=todo,
        replaced=frozenset(replaced),
        touched={name: frozenset(values) for name, values in touched.items() if values},
        unchanged=len(current) - len(todo),
        pruned=len(pruned),
        batches=batches_of(todo, largest=batch_size, smallest=MIN_BATCH, workers=workers),
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
