"""Duplicate detection's pure steps: normal form, shingles, MinHash, links, clusters, counts."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Collection, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tasks.documents import Document, text_document
from tasks.duplicates import RULE, bands, clusters, document_print, minhash_rows
from tasks.duplicates import minhash as minhash_module
from tasks.duplicates.boilerplate import recount
from tasks.duplicates.clusters import _Forest, _labels, cluster_rows, linked_components
from tasks.duplicates.index import indexed
from tasks.duplicates.matching import recluster
from tasks.duplicates.minhash import minhash, numpy_minhash, shingle_hashes
from tasks.duplicates.normal_form import normal_form, normal_hash
from tasks.identity import doc_id_for
from tasks.output.schema import DUPLICATES, MINHASH, PARAGRAPH_COUNTS
from tests.syndication import EDITS, OTHER_STORY, edited


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("The Council met on Monday.", "the council met on monday", True),
        ("The  council\n\nmet   on Monday", "The council met on Monday", True),
        ("“Yes,” he said — it’s done!", '"Yes" he said... its done', True),
        ("U.S. output rose 2.3 pct", "US output rose 23 pct", True),
        ("ＦＵＬＬ width", "full width", True),
        ("The council met on Monday", "The council met on Tuesday", False),
        ("1,750 dlrs", "1,850 dlrs", False),
    ],
)
def test_copies_differing_in_case_spacing_or_punctuation_share_the_text_hash(
    first: str, second: str, same: bool
) -> None:
    assert (normal_hash(normal_form(first)) == normal_hash(normal_form(second))) is same


def exact_shingles(text: str, k: int) -> set[tuple[str, ...]]:
    """Word k-grams of `text` computed the plain way: lowercase, punctuation deleted."""
    words = re.sub(r"[^\w\s]", "", text.lower()).split()
    if not words:
        return set()
    width = min(k, len(words))
    return {tuple(words[i : i + width]) for i in range(len(words) - width + 1)}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one",
        "two words",
        "the cat sat on the mat",
        "a b a b a b a b",
        "Déjà vu: the café's menu, again and again and again.",
    ],
)
@pytest.mark.parametrize("k", [1, 3, 5])
def test_shingle_hashes_count_the_distinct_word_ngrams(text: str, k: int) -> None:
    assert len(shingle_hashes(normal_form(text), k)) == len(exact_shingles(text, k))


def seed_paragraphs(seed_bytes: bytes) -> list[str]:
    """The sample article's paragraphs as docprep reads them."""
    return [p.text for p in text_document("seed.txt", seed_bytes).paragraphs]


def containment(first: list[str], second: list[str]) -> float:
    """The exact share of the smaller document's 3-word shingles that the other holds."""
    a, b = (exact_shingles(" ".join(doc), RULE.shingle) for doc in (first, second))
    return len(a & b) / min(len(a), len(b))


def jaccard(first: list[str], second: list[str]) -> float:
    """The exact Jaccard index of two documents' 3-word shingles."""
    a, b = (exact_shingles(" ".join(doc), RULE.shingle) for doc in (first, second))
    return len(a & b) / len(a | b)


def test_minhash_estimates_the_exact_jaccard_index(seed_bytes: bytes) -> None:
    original = seed_paragraphs(seed_bytes)
    for keep in (4, 6, 8, 10):
        other = original[:keep]
        first, second = (document_print(doc, RULE).signature for doc in (original, other))
        estimate = float(np.mean(first == second))
        assert abs(estimate - jaccard(original, other)) < 0.12, keep


def with_words_replaced(paragraphs: list[str], every: int) -> list[str]:
    """`paragraphs` with every `every`-th word replaced by a word they do not hold."""
    counter = iter(range(10**6))
    return [
        " ".join(
            f"zq{next(counter)}" if (i + 1) % every == 0 else word
            for i, word in enumerate(p.split())
        )
        for p in paragraphs
    ]


def linked_together(first: list[str], second: list[str]) -> bool:
    """Whether docprep links the two documents directly."""
    rows = pa.concat_tables([prints_table({"a": first}), prints_table({"b": second})])
    labels, links = linked_components(indexed(rows, RULE.permutations), RULE)
    assert (len(links) == 1) is bool(labels[0] == labels[1])
    return bool(labels[0] == labels[1])


def prints_table(documents: dict[str, list[str]], day: str = "2024-01-01") -> pa.Table:
    """`minhash` rows of documents named by their keys, all of one date."""
    docs = [document_of(name, paragraphs, day) for name, paragraphs in documents.items()]
    prints = [document_print([p.text for p in doc.paragraphs], RULE) for doc in docs]
    return minhash_rows(docs, prints)


def document_of(name: str, paragraphs: list[str], day: str) -> Document:
    """The document docprep reads from a file `name` of these paragraphs, dated `day`."""
    return text_document(name, f"date {day} ".encode() + "\n\n".join(paragraphs).encode())


@pytest.mark.parametrize(("every", "expected"), [(25, True), (10, True), (3, False), (2, False)])
def test_pairs_either_side_of_the_threshold(seed_bytes: bytes, every: int, expected: bool) -> None:
    original = seed_paragraphs(seed_bytes)
    copy = with_words_replaced(original, every)
    exact = containment(original, copy)
    margin = 0.08
    assert (exact >= RULE.threshold + margin) if expected else (exact < RULE.threshold - margin)
    assert linked_together(original, copy) is expected


@pytest.mark.parametrize("edit", EDITS)
def test_each_syndication_edit_keeps_the_copy_linked(seed_bytes: bytes, edit: str) -> None:
    original = seed_paragraphs(seed_bytes)
    assert linked_together(original, edited(original, edit, random.Random(3)))


def test_all_edits_at_once_still_link_but_another_story_does_not(seed_bytes: bytes) -> None:
    original = seed_paragraphs(seed_bytes)
    copy = original
    for edit in EDITS:
        copy = edited(copy, edit, random.Random(5))
    assert linked_together(original, copy)
    other = [OTHER_STORY, "Residents said the plans should be published before the vote."]
    assert not linked_together(original, other)
    assert not linked_together(original, [original[0]])  # one paragraph is not a copy


def cluster_table(documents: dict[str, tuple[str, list[str]]]) -> dict[str, tuple[object, ...]]:
    """doc name -> (cluster name, canonical name, size, similarity) of a full clustering."""
    rows = pa.concat_tables(
        prints_table({name: paragraphs}, day) for name, (day, paragraphs) in documents.items()
    )
    index = indexed(rows, RULE.permutations)
    clusters = cluster_rows(index, linked_components(index, RULE)[0], RULE)
    names = {doc_id_for(name): name for name in documents}
    return {
        names[row["doc_id"]]: (
            names[row["cluster_id"]],
            names[row["canonical_id"]],
            row["cluster_size"],
            round(row["similarity"], 2),
        )
        for row in clusters.to_pylist()
    }


def test_a_cluster_has_the_smallest_id_and_the_earliest_document_as_canonical(
    seed_bytes: bytes,
) -> None:
    original = seed_paragraphs(seed_bytes)
    names = sorted(["early.txt", "late.txt", "undated-ish.txt", "tie.txt"], key=doc_id_for)
    documents = {
        "late.txt": ("2024-11-05", edited(original, "footer", random.Random(1))),
        "early.txt": ("2024-11-01", edited(original, "byline", random.Random(1))),
        "tie.txt": ("2024-11-01", original),
        "alone.txt": ("2024-10-01", [OTHER_STORY]),
    }
    table = cluster_table(documents)
    smallest = min(["late.txt", "early.txt", "tie.txt"], key=doc_id_for)
    canonical = min(["early.txt", "tie.txt"], key=doc_id_for)  # same day: the smaller doc_id
    assert names  # the ids are hashes of the names: the order is not the names' order
    for name in ("late.txt", "early.txt", "tie.txt"):
        assert table[name][:3] == (smallest, canonical, 3)
    assert table[canonical][3] == 1.0
    for name in ("late.txt", "early.txt", "tie.txt"):  # exact, as the test computes it
        expected = containment(documents[name][1], documents[canonical][1])
        assert table[name][3] == pytest.approx(expected, abs=0.01)
    assert table["alone.txt"] == ("alone.txt", "alone.txt", 1, 1.0)


class MemoryIndex:
    """A store's `minhash` and `duplicates` tables held in memory, served in small chunks."""

    def __init__(self) -> None:
        self.minhash = MINHASH.schema.empty_table()
        self.duplicates = DUPLICATES.schema.empty_table()

    def signatures(
        self, months: Collection[str] | None = None, shingles: bool = False
    ) -> Iterator[pa.Table]:
        rows = self.minhash if shingles else self.minhash.drop_columns(["shingles"])
        if months is not None:
            rows = rows.filter(pc.is_in(rows["month"], pa.array(sorted(months), pa.string())))
        return iter([rows.slice(i, 2) for i in range(0, len(rows), 2)])

    def clusters(self) -> Iterator[pa.Table]:
        rows = self.duplicates
        return iter([rows.slice(i, 3) for i in range(0, len(rows), 3)])

    def run(self, new: pa.Table, removed: set[str]) -> None:
        """One run: match, then apply the result as the commit does."""
        result = recluster(new, removed, self, RULE)
        drop = pa.array(sorted(result.replaced | removed), pa.string())
        kept = self.duplicates.filter(pc.invert(pc.is_in(self.duplicates["doc_id"], drop)))
        self.duplicates = pa.concat_tables([kept, result.rows])
        gone = pa.array(sorted(removed | set(new["doc_id"].to_pylist())), pa.string())
        kept_index = self.minhash.filter(pc.invert(pc.is_in(self.minhash["doc_id"], gone)))
        self.minhash = pa.concat_tables([kept_index, new])
        assert result.totals.documents == len(self.duplicates)
        assert result.totals.stories == len(set(self.duplicates["cluster_id"].to_pylist()))


def sorted_rows(table: pa.Table) -> list[dict[str, object]]:
    """The rows of `table` by doc_id."""
    return table.sort_by("doc_id").to_pylist()


def test_incremental_runs_equal_one_full_clustering(seed_bytes: bytes) -> None:
    original = seed_paragraphs(seed_bytes)
    rng = random.Random(11)
    half_a, half_b = original[:8], original[5:]  # each over half of it, sharing a third
    stories = {
        "seed.txt": ("2024-11-02", original),
        "byline.txt": ("2024-11-03", edited(original, "byline", rng)),
        "trimmed.txt": ("2024-11-01", edited(original, "dropped last paragraph", rng)),
        "first-half.txt": ("2024-11-04", half_a),
        "second-half.txt": ("2024-11-04", half_b),
        "other.txt": ("2024-10-01", [OTHER_STORY]),
        "other-copy.txt": ("2024-12-01", [OTHER_STORY.upper()]),
    }
    # The whole article links both halves (each is contained in it); the halves alone do not.
    assert not linked_together(half_a, half_b)
    runs: list[tuple[dict[str, tuple[str, list[str]]], set[str]]] = [
        ({k: stories[k] for k in ("first-half.txt", "other.txt", "byline.txt")}, set()),
        ({k: stories[k] for k in ("second-half.txt", "seed.txt", "other-copy.txt")}, set()),
        # byline.txt changes into another story; trimmed.txt arrives, earlier than all.
        (
            {
                "byline.txt": ("2024-11-03", [OTHER_STORY, "An update."]),
                "trimmed.txt": stories["trimmed.txt"],
            },
            set(),
        ),
        ({}, {"seed.txt"}),  # the bridge between the halves goes: they part
        ({"seed.txt": stories["seed.txt"]}, set()),  # and comes back
        ({}, {"other.txt", "trimmed.txt"}),
    ]
    store = MemoryIndex()
    current: dict[str, tuple[str, list[str]]] = {}
    for number, (changes, removed) in enumerate(runs):
        new = pa.concat_tables(
            [MINHASH.schema.empty_table()]
            + [prints_table({name: paragraphs}, day) for name, (day, paragraphs) in changes.items()]
        )
        store.run(new, {doc_id_for(name) for name in removed | set(changes)})
        current.update(changes)
        for name in removed:
            current.pop(name)
        full = MemoryIndex()
        full.run(pa.concat_tables(prints_table({n: p}, d) for n, (d, p) in current.items()), set())
        assert sorted_rows(store.duplicates) == sorted_rows(full.duplicates), f"run {number}"
        assert sorted_rows(store.minhash) == sorted_rows(full.minhash), f"run {number}"
    final = {row["doc_id"]: row for row in store.duplicates.to_pylist()}
    halves = [
        final[doc_id_for(name)]["cluster_id"] for name in ("first-half.txt", "second-half.txt")
    ]
    assert halves[0] == halves[1] == final[doc_id_for("seed.txt")]["cluster_id"]
    assert (
        final[doc_id_for("byline.txt")]["cluster_id"]
        == final[doc_id_for("other-copy.txt")]["cluster_id"]
    )


def test_a_run_that_links_nothing_leaves_other_clusters_alone(seed_bytes: bytes) -> None:
    original = seed_paragraphs(seed_bytes)
    store = MemoryIndex()
    store.run(
        prints_table({"a.txt": original, "b.txt": edited(original, "footer", random.Random(2))}),
        set(),
    )
    result = recluster(prints_table({"c.txt": [OTHER_STORY]}), set(), store, RULE)
    assert result.replaced == set()
    assert result.rows["doc_id"].to_pylist() == [doc_id_for("c.txt")]
    assert (result.totals.documents, result.totals.stories) == (3, 2)


def paragraph_rows(documents: dict[str, list[str]]) -> pa.Table:
    """(doc_id, text_hash) rows of documents named by their keys."""
    return pa.table(
        {
            "doc_id": [name for name, ps in documents.items() for _ in ps],
            "text_hash": [normal_hash(normal_form(p)) for ps in documents.values() for p in ps],
        }
    )


def counts_of(table: pa.Table) -> dict[str, int]:
    """text_hash -> documents."""
    return dict(zip(table["text_hash"].to_pylist(), table["documents"].to_pylist(), strict=True))


def test_paragraph_counts_follow_additions_and_removals() -> None:
    h = {text: normal_hash(normal_form(text)) for text in ("Reuter", "Body one.", "Body two.")}
    first = recount(
        paragraph_rows({"a": ["Body one.", "Reuter"], "b": ["Body two.", "REUTER", "Reuter"]}),
        paragraph_rows({}),
        lambda shards: [],
    )
    assert counts_of(first.rows) == {h["Reuter"]: 2, h["Body one."]: 1, h["Body two."]: 1}
    assert first.shards == {value[0] for value in h.values()}
    # b is replaced by a version without the sign-off; c adds one; a is removed.
    second = recount(
        paragraph_rows({"b": ["Body two."], "c": ["Reuter"]}),
        paragraph_rows({"a": ["Body one.", "Reuter"], "b": ["Body two.", "Reuter"]}),
        lambda shards: [first.rows.filter(pc.is_in(first.rows["shard"], pa.array(sorted(shards))))],
    )
    assert counts_of(second.rows) == {h["Reuter"]: 1, h["Body two."]: 1}
    assert second.replaced == set(h.values())  # "Body one." has no document left: no row
    assert second.rows.schema == PARAGRAPH_COUNTS.schema


def test_signatures_are_the_same_in_another_process() -> None:
    # Fixed seeds: a signature computed now matches one an earlier run stored.
    code = (
        "from tasks.duplicates.minhash import minhash, shingle_hashes;"
        "print(minhash(shingle_hashes('the cat sat on the mat', 3), 8).tolist())"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    printed = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout
    assert printed.strip() == str(minhash(shingle_hashes("the cat sat on the mat", 3), 8).tolist())


def test_the_installed_package_computes_signatures_compiled() -> None:
    assert minhash_module._compiled_signature is not None, (
        "tasks/duplicates/_signature.pyx is not built: run `make install`"
    )


def test_compiled_signatures_are_numpys(seed_bytes: bytes) -> None:
    generator = np.random.default_rng(18)
    sets = [np.empty(0, np.uint64), np.array([0, 2**32 - 1], np.uint64)]
    sets += [np.unique(generator.integers(0, 2**32, size, np.uint64)) for size in (1, 7, 5000)]
    sets += [shingle_hashes(normal_form(" ".join(seed_paragraphs(seed_bytes))), RULE.shingle)]
    for hashes in sets:
        for permutations in (1, 8, RULE.permutations):
            compiled = minhash(hashes, permutations)
            assert compiled.dtype == np.uint32
            assert np.array_equal(compiled, numpy_minhash(hashes, permutations)), len(hashes)


@pytest.mark.parametrize("seed", range(5))
def test_cluster_labels_are_each_positions_root(seed: int) -> None:
    shuffled = random.Random(seed)
    forest = _Forest(2000)
    for _ in range(shuffled.randrange(100, 3000)):
        forest.union(shuffled.randrange(2000), shuffled.randrange(2000))

    labels = _labels(forest)

    assert labels.tolist() == [forest.root(position) for position in range(2000)]
    assert len(set(labels.tolist())) < 2000  # some positions were joined


def test_matching_a_slice_at_a_time_links_as_all_at_once(
    seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = seed_paragraphs(seed_bytes)
    rng = random.Random(3)
    documents = {f"copy-{i}.txt": edited(original, EDITS[i % len(EDITS)], rng) for i in range(40)}
    documents |= {f"other-{i}.txt": [OTHER_STORY, f"Update number {i}."] for i in range(10)}
    index = indexed(prints_table(documents), RULE.permutations)
    labels, links = linked_components(index, RULE)

    # Far fewer than the stars' pairs, their buckets' members and the documents.
    monkeypatch.setattr(clusters, "_STAR_PAIRS", 7)
    monkeypatch.setattr(clusters, "_STAR_MEMBERS", 5)
    monkeypatch.setattr(bands, "_DOCUMENTS_AT_ONCE", 3)
    sliced_labels, sliced_links = linked_components(index, RULE)

    assert sliced_labels.tolist() == labels.tolist() and sliced_links == links
    assert len(set(labels.tolist())) < len(documents)  # copies were linked
