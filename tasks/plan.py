"""Which inputs a run must process, in which batches, and which stored rows it replaces."""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tasks.discovery import ARCHIVE_FORMATS, Discovery, input_format
from tasks.identity import archive_of, doc_id_for, readable
from tasks.input_files import input_digests, input_hashes
from tasks.output import (
    DOCUMENTS,
    MINHASH,
    PARAGRAPHS,
    REJECTS,
    TABLES,
    Placement,
    partitions,
    placements,
)
from tasks.quality import dropped_for
from tasks.rejection import Reason
from tasks.storage import Folder

# Each batch costs a task run (API calls from the flow process) and a staged file per
# partition that the commit merges, so batches run to a few thousand documents; the cap
# bounds a worker's memory.
MAX_BATCH = 4000
T = TypeVar("T")
# Batches shrink towards this much work (`part_cost`: text documents' worth, about a second)
# as the work runs out (`batches_of`); a run with less than twice as much is one batch, run
# in the flow process without starting worker processes, each of which first imports the
# steps and loads langdetect's profiles.
MIN_BATCH = 250
# An HTML page costs as much as this many text documents: trafilatura takes 40-100 ms over a
# news page, where a text document takes 2-5 ms (issue 18; benchmarks/README.md, "Speed with
# every signal on"). Batches are sized by this cost, so a few hundred pages keep both cores busy.
HTML_COST = 20


# An archive larger than this is cut into slices of this many stored bytes, each a batch of
# its own, so that the workers share one large file; each slice stages its rows in chunks.
# Sized to tens of seconds of work: 8 MiB of .warc.gz holds ~250 pages (~30 s to extract),
# 16 MiB of JSON Lines ~8,000 texts.
ARCHIVE_SLICE_BYTES = {"warc": 8 * 1024 * 1024, "jsonl": 16 * 1024 * 1024}


@dataclass(frozen=True, slots=True)
class Part:
    """Work on one input: a whole file, or the records of an archive starting in [start, stop)."""

    path: str
    sha256: str | None = None  # an archive's, hashed while planning: each of its rows holds it
    start: int = 0
    stop: int | None = None  # None: to the end of the file

    @property
    def is_whole(self) -> bool:
        """Whether the part is its whole file."""
        return self.start == 0 and self.stop is None


@dataclass(frozen=True)
class WorkPlan:
    """Inputs to process and their batches, ids whose rows go, and the partitions they touch."""

    todo: list[str]
    replaced: frozenset[str]
    touched: dict[str, frozenset[str]] = field(default_factory=dict)
    unchanged: int = 0
    pruned: int = 0
    batches: list[list[Part]] = field(default_factory=list)


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
    # Only a file with stored rows can be unchanged: new files are not read twice. Archives
    # are always hashed, since each of their rows holds the archive's hash.
    stored_ids = {placement.doc_id for placement in stored}
    archives = [path for path in discovery.inputs if is_archive(path)]
    archive_set = set(archives)
    known = [
        path
        for path in discovery.inputs
        if path not in archive_set and doc_id_for(path) in stored_ids
    ]
    hashes: dict[str, str | None] = dict.fromkeys(discovery.inputs)
    hashes.update(zip(known, input_hashes(source, _link_free(discovery, known)), strict=True))
    # An archive's size cuts it into slices: taken from the same read as its hash.
    digests = input_digests(source, _link_free(discovery, archives))
    hashes.update((path, sha) for path, (sha, _) in zip(archives, digests, strict=True))
    sizes = {path: size for path, (_, size) in zip(archives, digests, strict=True)}
    existing = {table.name: set(partitions(out, table)) for table in TABLES} if full_refresh else {}
    return plan_work(
        hashes,
        stored,
        prune=prune,
        full_refresh=full_refresh,
        existing=existing,
        batch_size=batch_size,
        workers=workers,
        archive_sizes=sizes,
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
    archive_sizes: dict[str, int | None] | None = None,
    drop: frozenset[str] = frozenset(),
) -> WorkPlan:
    """The work for inputs with these content hashes over what is stored.

    `current` maps each input file to its SHA-256, or to None when it was not hashed: a file
    with no stored row is new whatever its content. An archive is one unit of change: its
    stored rows are those whose source names it, all replaced when its hash changes.
    `existing` names every partition of each table, all rewritten by a full refresh. `drop`
    names the quality rules whose failing documents go to `rejects`: a stored row on the
    wrong side of them is redone.
    """
    by_id: dict[str, list[Placement]] = defaultdict(list)
    by_archive: dict[str, list[Placement]] = defaultdict(list)
    for placement in stored:
        archive = _archive_key(placement.source)
        if archive is None:
            by_id[placement.doc_id].append(placement)
        else:
            by_archive[archive].append(placement)
    archives = {path for path in current if is_archive(path)}
    todo: list[str] = []
    replaced: set[str] = set()
    for path, sha in current.items():
        if path in archives:
            rows = by_archive.get(readable(path), [])
            if full_refresh or not _is_current_archive(rows, sha, drop):
                todo.append(path)
                replaced.update(row.doc_id for row in rows)
        elif full_refresh or not _is_current(by_id.get(doc_id_for(path), []), sha, drop):
            todo.append(path)
            replaced.add(doc_id_for(path))
    current_ids = {doc_id_for(path) for path in current if path not in archives}
    current_archives = {readable(path) for path in archives}
    gone = {doc_id for doc_id in by_id if doc_id not in current_ids} | {
        row.doc_id
        for archive, rows in by_archive.items()
        if archive not in current_archives
        for row in rows
    }
    pruned = gone if (prune or full_refresh) else set()
    replaced |= pruned
    every = [*by_id.values(), *by_archive.values()]
    touched: dict[str, set[str]] = defaultdict(set)
    for name, values in (existing or {}).items():
        touched[name].update(values)
    for placement in (row for rows in every for row in rows):
        if placement.doc_id in replaced:
            touched[placement.table].add(placement.partition)
            if placement.table == DOCUMENTS.name:
                touched[PARAGRAPHS.name].add(placement.partition)
                touched[MINHASH.name].add(placement.partition)
    sizes = archive_sizes or {}
    files = [Part(path) for path in todo if path not in archives]
    archive_parts = [
        part
        for path in sorted(
            (path for path in todo if path in archives), key=lambda path: -(sizes.get(path) or 0)
        )
        for part in archive_slices(path, current[path], sizes.get(path))
    ]
    return WorkPlan(
        todo=todo,
        replaced=frozenset(replaced),
        touched={name: frozenset(values) for name, values in touched.items() if values},
        unchanged=len(current) - len(todo),
        pruned=len(pruned),
        # Archives first, largest first, a batch per slice; then the files, as they shrink.
        batches=[[part] for part in archive_parts]
        + batches_of(
            files, largest=batch_size, smallest=MIN_BATCH, workers=workers, cost=part_cost
        ),
    )


def _link_free(discovery: Discovery, paths: list[str]) -> list[str]:
    """Where to read each input of `paths`: the link-free path of one found through a link."""
    return [discovery.targets.get(path, path) for path in paths]


def is_archive(path: str) -> bool:
    """Whether the input at `path` is an archive of many records."""
    return input_format(path) in ARCHIVE_FORMATS


def archive_slices(path: str, sha256: str | None, size: int | None) -> list[Part]:
    """The parts of an archive of `size` bytes: one, or a slice per ARCHIVE_SLICE_BYTES."""
    step = ARCHIVE_SLICE_BYTES[input_format(path) or "jsonl"]
    count = max(1, math.ceil((size or 0) / step))
    starts = [index * step for index in range(count)]
    stops: list[int | None] = [*starts[1:], None]
    return [Part(path, sha256, start, stop) for start, stop in zip(starts, stops, strict=True)]


def _archive_key(source: str) -> str | None:
    """The archive a stored row came from: its record's archive, or an archive rejected whole."""
    archive = archive_of(source)
    if archive is not None:
        return archive
    return source if source and is_archive(source) else None


def _is_current(stored: list[Placement], sha: str | None, drop: frozenset[str]) -> bool:
    """Whether a file's stored rows are exactly one, of this content, in a known table, and
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


def _is_current_archive(stored: list[Placement], sha: str | None, drop: frozenset[str]) -> bool:
    """Whether an archive's stored rows all come from this content (and there are some), each
    on the side of `drop` its quality flags put it."""
    return (
        sha is not None
        and bool(stored)
        and all(row.content_sha256 == sha for row in stored)
        and all(row.table in (DOCUMENTS.name, REJECTS.name) for row in stored)
        and all(_kept_as_dropping(row, drop) for row in stored)
    )


def batches_of(
    parts: list[T],
    *,
    largest: int,
    smallest: int,
    workers: int,
    cost: Callable[[T], int] | None = None,
) -> list[list[T]]:
    """`parts` cut in order into batches that shrink as the work runs out.

    Each batch takes half of an equal share of the work left per worker, at least `smallest`
    and at most `largest` parts (factoring): large batches early keep the per-task cost low,
    and small ones at the end let the workers finish together instead of one working alone
    through a last large batch. Half a share, not a whole one (guided self-scheduling), because
    costs are estimates: a first batch of half the run, slower than counted, kept one core
    busy alone for the last fifth of an HTML run (benchmarks/README.md, issue 18). Work is
    counted by `cost` (1 per part without it), so that parts that cost more make smaller
    batches.
    """
    each = map(cost, parts) if cost else itertools.repeat(1, len(parts))
    costs = list(itertools.accumulate(each, initial=0))  # costs[i]: of the parts before i
    shares = 2 * workers if workers > 1 else 1  # one worker has no one to wait for
    batches: list[list[T]] = []
    start = 0
    while start < len(parts):
        left = costs[-1] - costs[start]
        share = min(left, max(smallest, math.ceil(left / shares)))
        if left - share < smallest:  # no batch smaller than `smallest` left over at the end
            share = left
        # The fewest parts whose cost makes the share, and no more than `largest` of them.
        stop = bisect.bisect_left(costs, costs[start] + share, lo=start + 1)
        stop = min(stop, start + largest, len(parts))
        batches.append(parts[start:stop])
        start = stop
    return batches


def part_cost(part: Part) -> int:
    """What processing `part` costs, in text documents' worth of work (about 4 ms each)."""
    return HTML_COST if input_format(part.path) == "html" else 1
