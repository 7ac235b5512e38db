"""Planning a run: which inputs to process, and how they are cut into batches."""

from __future__ import annotations

import pytest

from tasks.identity import doc_id_for
from tasks.output import Placement
from tasks.plan import ARCHIVE_SLICE_BYTES, Part, batches_of, plan_work


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
    assert work.touched == {"documents": {"2024-01"}, "paragraphs": {"2024-01"}}
    assert work.unchanged == 1


def test_an_unhashed_source_is_never_taken_as_current() -> None:
    # An unreadable input is rejected with no hash: None must not match it.
    work = plan_work({"lost.txt": None}, [placement("lost.txt", None, "rejects")])
    assert work.todo == ["lost.txt"]


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
    assert [len(batch) for batch in batches] == [2000, 1500, 750, 375, 375]
    assert len(batches[0]) == 2000  # the largest: one worker's share of the work is 2,500


def test_the_largest_size_wins_over_the_smallest() -> None:
    batches = batches_of(list("abcdefg"), largest=2, smallest=250, workers=2)
    assert [len(batch) for batch in batches] == [2, 2, 2, 1]
