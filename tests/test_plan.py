"""Planning a run: which inputs to process, and how they are cut into batches."""

from __future__ import annotations

import heapq
import math
from dataclasses import replace

import pytest

from tasks.identity import doc_id_for
from tasks.output import Placement
from tasks.plan import (
    ARCHIVE_SLICE_BYTES,
    HTML_COST,
    MAX_BATCH,
    MIN_BATCH,
    Part,
    batches_of,
    part_cost,
    plan_work,
)


def placement(
    source: str, sha: str | None, table: str = "documents", partition: str = "2024-01"
) -> Placement:
    """A stored row of `source` in `partition` of `table`."""
    return Placement(doc_id_for(source), sha, table, partition, source)


def test_an_archive_is_one_unit_of_change() -> None:
    stored = [
        placement("same.jsonl#L1", "aaa"),
        placement("same.jsonl#L2", "aaa", "rejects", "invalid_json"),
        placement("changed.warc.gz#offset=0", "bbb"),
        placement("changed.warc.gz#offset=900", "bbb", partition="2023-05"),
        placement("gone.jsonl.gz#L4", "ddd", partition="2022-02"),
        placement("empty.warc", "eee", "rejects", "empty"),  # rejected whole
        placement("loose.txt", "fff"),
    ]
    current = {
        "same.jsonl": "aaa",
        "changed.warc.gz": "ccc",
        "empty.warc": "eee",
        "loose.txt": "fff",
        "new.ndjson": "ggg",
    }
    work = plan_work(current, stored, prune=True, archive_sizes={"new.ndjson": 10})
    assert work.todo == ["changed.warc.gz", "new.ndjson"]
    assert work.unchanged == 3
    gone = {doc_id_for("gone.jsonl.gz#L4")}
    changed = {doc_id_for("changed.warc.gz#offset=0"), doc_id_for("changed.warc.gz#offset=900")}
    assert work.replaced == changed | gone
    assert work.pruned == 1
    assert work.touched == {
        "documents": {"2024-01", "2023-05", "2022-02"},
        "paragraphs": {"2024-01", "2023-05", "2022-02"},
        "minhash": {"2024-01", "2023-05", "2022-02"},
    }
    # each archive part carries its hash, so every row read from it holds the archive's
    assert sorted(part.sha256 or "" for batch in work.batches for part in batch) == ["ccc", "ggg"]


def test_a_large_archive_is_cut_into_slices_that_cover_it_once() -> None:
    step = ARCHIVE_SLICE_BYTES["warc"]
    size = 5 * step + 123
    work = plan_work({"big.warc.gz": "abc", "a.txt": None}, [], archive_sizes={"big.warc.gz": size})
    slices = [batch for batch in work.batches if batch[0].path == "big.warc.gz"]
    assert [len(batch) for batch in slices] == [1] * 6
    parts = [batch[0] for batch in slices]
    assert [(part.start, part.stop) for part in parts] == [
        *((index * step, (index + 1) * step) for index in range(5)),
        (5 * step, None),  # the last runs to the end, however long the file has grown
    ]
    assert work.batches[-1] == [Part("a.txt")]


def test_new_sources_need_no_hash_and_stored_ones_are_compared() -> None:
    stored = [placement("same.txt", "aaa"), placement("changed.txt", "bbb")]
    current = {"same.txt": "aaa", "changed.txt": "ccc", "new.txt": None}
    work = plan_work(current, stored)
    assert work.todo == ["changed.txt", "new.txt"]
    assert work.replaced == {doc_id_for("changed.txt"), doc_id_for("new.txt")}
    # A document's paragraphs and index rows live in its month too.
    months = {"2024-01"}
    assert work.touched == {"documents": months, "paragraphs": months, "minhash": months}
    assert work.unchanged == 1


def test_an_unhashed_source_is_never_taken_as_current() -> None:
    # An unreadable input is rejected with no hash: None must not match it.
    work = plan_work({"lost.txt": None}, [placement("lost.txt", None, "rejects")])
    assert work.todo == ["lost.txt"]


SHORT = ("gopher_short_doc", "list_ratio")


@pytest.mark.parametrize(
    ("stored", "drop", "redone"),
    [
        # a document: kept while it fails none of the dropped rules
        (Placement("id", "aaa", "documents", "2024-01", quality_flags=SHORT), frozenset(), False),
        (
            Placement("id", "aaa", "documents", "2024-01", quality_flags=SHORT),
            frozenset({"top_2_gram"}),
            False,
        ),
        (
            Placement("id", "aaa", "documents", "2024-01", quality_flags=SHORT),
            frozenset({"list_ratio"}),
            True,
        ),
        # a low_quality reject: kept while it is dropped for exactly the dropped rules it fails
        (
            Placement(
                "id", "aaa", "rejects", "low_quality", quality_flags=SHORT, dropped_for=SHORT
            ),
            frozenset(SHORT),
            False,
        ),
        (
            Placement(
                "id", "aaa", "rejects", "low_quality", quality_flags=SHORT, dropped_for=SHORT[1:]
            ),
            frozenset(SHORT[1:]) | {"top_2_gram"},
            False,
        ),
        (
            Placement(
                "id", "aaa", "rejects", "low_quality", quality_flags=SHORT, dropped_for=SHORT
            ),
            frozenset(),
            True,
        ),
        (
            Placement(
                "id", "aaa", "rejects", "low_quality", quality_flags=SHORT, dropped_for=SHORT[1:]
            ),
            frozenset(SHORT),
            True,
        ),
        # other rejects have no quality flags
        (Placement("id", "aaa", "rejects", "missing_date"), frozenset(SHORT), False),
    ],
)
def test_a_stored_row_on_the_wrong_side_of_the_dropped_rules_is_redone(
    stored: Placement, drop: frozenset[str], redone: bool
) -> None:
    source = "doc.txt"
    work = plan_work({source: "aaa"}, [replace(stored, doc_id=doc_id_for(source))], drop=drop)
    assert (work.todo == [source]) == redone


@pytest.mark.parametrize("count", [0, 1, 249, 499, 500, 1_000, 5_000, 20_000, 100_001])
@pytest.mark.parametrize("workers", [1, 2, 8])
def test_batches_cover_every_source_once_in_order_and_shrink(count: int, workers: int) -> None:
    sources = [f"doc{n:06d}.txt" for n in range(count)]
    batches = batches_of(sources, largest=2000, smallest=250, workers=workers)
    assert [source for batch in batches for source in batch] == sources
    sizes = [len(batch) for batch in batches]
    assert all(0 < size <= 2000 for size in sizes)
    assert all(size >= 250 for size in sizes[:-1])  # no small batch but possibly the last
    if count < 500:
        assert len(batches) == min(count, 1)  # a small run is one batch, in the flow process
    # Shrinking, so the workers finish together: only the last may take up a remainder.
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)
    if workers > 1 and len(sizes) > 2:  # one worker has no one to finish together with
        assert sizes[-1] <= 2 * 250


def test_enough_batches_to_keep_every_worker_busy() -> None:
    batches = batches_of([str(n) for n in range(5_000)], largest=2000, smallest=250, workers=2)
    assert len(batches) >= 2 * 2
    # Each takes half of one worker's share of what is left: 5,000 / 4, then 3,750 / 4, ...
    assert [len(batch) for batch in batches] == [1250, 938, 703, 528, 396, 297, 250, 250, 388]


def _finish_time(batches: list[list[int]], workers: int) -> int:
    """When the last of `workers` is done, each taking the next batch once free (its parts'
    values being what each really costs)."""
    free = [0] * workers
    for batch in batches:
        heapq.heappush(free, heapq.heappop(free) + sum(batch))
    return max(free)


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_finish_together_when_the_first_documents_cost_more_than_counted(
    workers: int,
) -> None:
    # Counted alike, but the first half really costs three times the second (one corpus of
    # long pages, then one of short ones): no worker may be left alone with a large batch.
    costs = [3] * 5_000 + [1] * 5_000
    batches = batches_of(costs, largest=4000, smallest=250, workers=workers)
    ideal = sum(costs) / workers
    assert _finish_time(batches, workers) <= 1.15 * ideal


@pytest.mark.parametrize("pages", [1, 24, 25, 362, 2_076])
def test_html_pages_are_batched_by_their_cost_so_every_worker_works(pages: int) -> None:
    parts = [Part(f"page{n:05d}.html") for n in range(pages)]
    batches = batches_of(parts, largest=MAX_BATCH, smallest=MIN_BATCH, workers=2, cost=part_cost)
    assert [part for batch in batches for part in batch] == parts
    work = [sum(map(part_cost, batch)) for batch in batches]
    assert all(cost >= MIN_BATCH for cost in work[:-1])
    if pages * HTML_COST < 2 * MIN_BATCH:
        assert len(batches) == 1  # under a second or two of work: no worker processes
    else:
        assert len(batches) >= 2  # both cores work
        assert work[:-1] == sorted(work[:-1], reverse=True)


def test_text_and_html_mixed_share_the_work_by_cost() -> None:
    parts = [Part(f"doc{n:05d}.{'html' if n % 10 == 0 else 'txt'}") for n in range(3_000)]
    batches = batches_of(parts, largest=MAX_BATCH, smallest=MIN_BATCH, workers=2, cost=part_cost)
    assert [part for batch in batches for part in batch] == parts
    total = sum(map(part_cost, parts))
    assert total == 2_700 + 300 * HTML_COST
    # The first batch is a quarter of the work (half a worker's share), not a quarter of the
    # documents: sized by cost.
    first = sum(map(part_cost, batches[0]))
    assert total / 4 <= first < total / 4 + HTML_COST


def _by_count(parts: list[Part], largest: int, smallest: int, workers: int) -> list[list[Part]]:
    """Batches as docprep cut them by document count, before work was counted by cost."""
    batches, start = [], 0
    while start < len(parts):
        left = len(parts) - start
        size = min(largest, max(smallest, math.ceil(left / (2 * workers if workers > 1 else 1))))
        if left - size < smallest:
            size = min(largest, left)
        batches.append(parts[start : start + size])
        start += size
    return batches


@pytest.mark.parametrize("count", [0, 1, 249, 499, 500, 2_100, 5_000, 20_001])
@pytest.mark.parametrize(("largest", "workers"), [(2000, 1), (2000, 2), (4000, 8), (2, 2)])
def test_text_files_batch_as_they_did_by_count(count: int, largest: int, workers: int) -> None:
    parts = [Part(f"doc{n:05d}.txt") for n in range(count)]
    by_cost = batches_of(parts, largest=largest, smallest=250, workers=workers, cost=part_cost)
    assert by_cost == _by_count(parts, largest, 250, workers)


def test_the_largest_size_wins_over_the_smallest() -> None:
    batches = batches_of(list("abcdefg"), largest=2, smallest=250, workers=2)
    assert [len(batch) for batch in batches] == [2, 2, 2, 1]
