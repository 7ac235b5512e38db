"""Near-duplicate detection measured on real newswire: pairs against exact similarity, and
syndicated copies made from real articles.

Usage: python benchmarks/duplicates_quality.py CORPORA_DIR [--sweep] [--copies N] [--seed S]

CORPORA_DIR holds `reuters21578/` (the Reuters-21578 SGML files). Its 19,043 items with a body
become seed-shaped texts (date header, headline, paragraphs, the `Reuter` sign-off) and are read
by docprep's own cleaning, date header and paragraph steps.

1. Pairs: every pair of articles whose exact word-shingle similarity (computed from the shingle
   sets, all pairs, by prefix filtering) is at or above the threshold, against docprep's
   clusters: recall is the share of those pairs docprep puts in one cluster, precision the
   share of the pairs docprep links directly (the links that join its clusters) that are.
2. Syndication: copies of N real articles of 3+ paragraphs, each with a new first line, a
   byline or dateline, a dropped last paragraph or an added one, 2-5% of words substituted and
   a footer (each edit alone too), clustered with the whole corpus: the share of copies in
   their original's cluster, and the articles wrongly merged into a copy's cluster (not in
   the original's cluster without the copies).

`--sweep` prints the second for several shingle sizes, measures and thresholds; without it, the
rule docprep uses (tasks/duplicates/rule.py) is measured, and the MinHash libraries found
(datasketch, rensa) are compared with docprep's code for speed and agreement.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.reuters import reuters_items  # noqa: E402
from tasks.cleaning import clean_text  # noqa: E402
from tasks.date_header import parse_date_header  # noqa: E402
from tasks.duplicates import RULE, MatchRule, Measure  # noqa: E402
from tasks.duplicates.clusters import cluster_rows, linked_components  # noqa: E402
from tasks.duplicates.index import indexed  # noqa: E402
from tasks.duplicates.minhash import minhash, shingle_hashes  # noqa: E402
from tasks.duplicates.normal_form import normal_form  # noqa: E402
from tasks.duplicates.prints import DocumentPrint, document_print, index_rows  # noqa: E402
from tasks.paragraphs import split_paragraphs  # noqa: E402

EDITS = ("first line", "byline", "drop last", "add paragraph", "substitute", "footer")
HEADLINES = ["UPDATE 1-", "WRAPUP-", "FOCUS-", "Breaking: ", "Markets: ", "World news - "]
BYLINES = [
    "By Anna Keller, Staff Reporter",
    "From our correspondent in Chicago",
    "NEW YORK (Wire) -",
    "By John Smith and Maria Lopez",
    "LONDON, March 3 -",
]
FOOTERS = [
    "Copyright 1987 The Daily Courier. All rights reserved.",
    "Subscribe to our newsletter for the latest market news, delivered every morning.",
    "Reporting by staff; editing by the business desk. Contact us at news@example.com.",
    "This article was republished from a news agency feed. Read more on our website.",
]


@dataclass(frozen=True)
class Article:
    """A document as docprep reads it: name, date and paragraphs."""

    name: str
    day: date | None
    paragraphs: list[str]


def articles(corpus: Path) -> list[Article]:
    """Every Reuters item, through docprep's cleaning, date header and paragraph steps."""
    found = []
    for name, text in reuters_items(corpus):
        day, body = parse_date_header(clean_text(text))
        found.append(Article(name, day, split_paragraphs(body)))
    return found


def syndicated(
    original: Article,
    edits: tuple[str, ...],
    others: list[Article],
    rng: random.Random,
    number: int,
) -> Article:
    """A copy of `original` with `edits` applied, as another outlet would publish it."""
    paragraphs = list(original.paragraphs)
    if "drop last" in edits and len(paragraphs) > 2:
        paragraphs = (
            paragraphs[:-2] + paragraphs[-1:] if paragraphs[-1] == "Reuter" else paragraphs[:-1]
        )
    if "add paragraph" in edits:
        donor = rng.choice([doc for doc in others if len(doc.paragraphs) >= 4]).paragraphs
        paragraphs.insert(rng.randrange(1, len(paragraphs)), rng.choice(donor[1:-1]))
    if "substitute" in edits:
        paragraphs = _substituted(paragraphs, rng.uniform(0.02, 0.05), others, rng)
    if "byline" in edits:
        paragraphs.insert(1 if len(paragraphs) > 1 else 0, rng.choice(BYLINES))
    if "first line" in edits:
        paragraphs[0] = rng.choice(HEADLINES) + paragraphs[0].title()
    if "footer" in edits:
        paragraphs.append(rng.choice(FOOTERS))
    return Article(f"copy-{number:05d}-of-{original.name}", original.day, paragraphs)


def _substituted(
    paragraphs: list[str], share: float, others: list[Article], rng: random.Random
) -> list[str]:
    """`paragraphs` with `share` of their words replaced by words of other articles."""
    words = [paragraph.split() for paragraph in paragraphs]
    places = [(p, w) for p, paragraph in enumerate(words) for w in range(len(paragraph))]
    vocabulary = " ".join(rng.choice(others).paragraphs[-2] for _ in range(20)).split()
    for p, w in rng.sample(places, max(1, round(share * len(places)))):
        words[p][w] = rng.choice(vocabulary)
    return [" ".join(paragraph) for paragraph in words]


_PRINTS: dict[tuple[str, int, int], DocumentPrint] = {}


def minhash_table(documents: list[Article], rule: MatchRule) -> pa.Table:
    """The `minhash` rows docprep's workers would write for `documents` (named by their names)."""
    prints = [_print(doc, rule) for doc in documents]
    return index_rows([doc.name for doc in documents], [doc.day for doc in documents], prints)


def _print(doc: Article, rule: MatchRule) -> DocumentPrint:
    """A document's print under `rule`, computed once per shingle size and permutations."""
    key = (doc.name, rule.shingle, rule.permutations)
    if key not in _PRINTS:
        _PRINTS[key] = document_print(doc.paragraphs, rule)
    return _PRINTS[key]


def clustered(
    documents: list[Article], rule: MatchRule
) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """Each document's cluster id, and the pairs linked directly, as a full refresh makes them."""
    index = indexed(minhash_table(documents, rule), rule.permutations)
    labels, pairs = linked_components(index, rule)
    rows = cluster_rows(index, labels, rule)
    clusters = dict(zip(rows["doc_id"].to_pylist(), rows["cluster_id"].to_pylist(), strict=True))
    names = index.doc_ids
    links = {tuple(sorted((names[a], names[b]))) for a, b in pairs}
    return clusters, links  # type: ignore[return-value]


# --- exact similarity of all pairs ---------------------------------------------------------


def shingle_sets(documents: list[Article], shingle: int) -> list[frozenset[str]]:
    """The exact set of word shingles of each document, in docprep's normal form."""
    sets = []
    for doc in documents:
        words = " ".join(f for f in (normal_form(p) for p in doc.paragraphs) if f).split()
        width = min(shingle, len(words))
        sets.append(
            frozenset(" ".join(words[i : i + width]) for i in range(len(words) - width + 1))
        )
    return sets


def exact_pairs(
    sets: list[frozenset[str]], lowest: float
) -> dict[tuple[int, int], tuple[float, float, float]]:
    """Every pair with containment of the smaller set at least `lowest` (Jaccard is never
    higher): its (Jaccard, containment, size ratio). Exact: prefix filtering over all pairs."""
    frequency = Counter(s for shingles in sets for s in shingles)
    ordered = [sorted(shingles, key=lambda s: (frequency[s], s)) for shingles in sets]
    postings: dict[str, list[int]] = defaultdict(list)
    for doc, shingles in enumerate(ordered):
        for s in shingles:
            postings[s].append(doc)
    found: dict[tuple[int, int], tuple[float, float, float]] = {}
    for a, shingles in enumerate(ordered):
        size = len(shingles)
        if not size:
            continue
        # A set sharing at least ceil(lowest * size) shingles with this one meets its prefix.
        prefix = size - math.ceil(lowest * size) + 1
        candidates = {b for s in shingles[:prefix] for b in postings[s] if b != a}
        for b in candidates:
            other = len(sets[b])
            if other < size or (other == size and b < a):
                continue  # the pair is found from its smaller side
            shared = len(sets[a] & sets[b])
            containment = shared / size
            if containment >= lowest:
                found[(min(a, b), max(a, b))] = (
                    shared / (size + other - shared),
                    containment,
                    size / other,
                )
    return found


def is_copy(similarity: tuple[float, float, float], rule: MatchRule) -> bool:
    """Whether an exactly measured pair is a pair of copies under `rule`."""
    jaccard, containment, ratio = similarity
    if rule.measure is Measure.JACCARD:
        return jaccard >= rule.threshold
    return containment >= rule.threshold and ratio >= rule.min_size_ratio


# --- the two measurements ------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The four figures for one rule."""

    pair_recall: float
    pair_precision: float
    true_pairs: int
    copy_recall: float
    wrongly_merged: int
    copy_precision: float
    copies: int
    seconds: float


def measure(
    rule: MatchRule,
    corpus: list[Article],
    copies: list[Copy],
    exact: dict[tuple[int, int], tuple[float, float, float]] | None,
) -> Figures:
    """Both measurements for `rule` (the syndication one only, without `exact`)."""
    started = time.perf_counter()
    base_clusters, links = clustered(corpus, rule)
    names = [doc.name for doc in corpus]
    pair_recall = pair_precision = math.nan
    true: set[tuple[str, ...]] = set()
    if exact is not None:
        true = {
            tuple(sorted((names[a], names[b])))
            for (a, b), sim in exact.items()
            if is_copy(sim, rule)
        }
        together = sum(base_clusters[a] == base_clusters[b] for a, b in true)
        pair_recall = together / len(true) if true else 1.0
        pair_precision = len(true & links) / len(links) if links else 1.0
    with_copies, _ = clustered(corpus + [c.copy for c in copies], rule)
    seconds = time.perf_counter() - started
    landed = sum(with_copies[c.copy.name] == with_copies[c.original.name] for c in copies)
    # Members of a copy's cluster that were not in its original's cluster before the copies.
    members: dict[str, set[str]] = defaultdict(set)
    for name, cluster in with_copies.items():
        members[cluster].add(name)
    wrong: set[str] = set()
    related_pairs = unrelated_pairs = 0
    for c in copies:
        before = base_clusters[c.original.name]
        for name in members[with_copies[c.copy.name]]:
            if name.startswith("copy-"):
                continue
            if base_clusters[name] == before:
                related_pairs += 1
            else:
                unrelated_pairs += 1
                wrong.add(name)
    return Figures(
        pair_recall,
        pair_precision,
        len(true),
        landed / len(copies),
        len(wrong),
        related_pairs / max(1, related_pairs + unrelated_pairs),
        len(copies),
        seconds,
    )


@dataclass(frozen=True)
class Copy:
    """A syndicated copy, its original, and the edits that made it."""

    original: Article
    copy: Article
    edits: str


def make_copies(corpus: list[Article], count: int, seed: int) -> list[Copy]:
    """`count` copies with every edit, then `count` // 5 with each edit alone (plus the
    substitutions), of articles with at least three paragraphs besides headline and sign-off."""
    rng = random.Random(seed)
    long_enough = [doc for doc in corpus if len(doc.paragraphs) >= 5]
    made: list[Copy] = []
    plans: list[tuple[str, ...]] = [EDITS] * count
    for edit in EDITS:
        plans += [(edit,) if edit == "substitute" else (edit, "substitute")] * (count // 5)
    for number, edits in enumerate(plans):
        original = rng.choice(long_enough)
        copy = syndicated(original, edits, corpus, rng, number)
        made.append(Copy(original, copy, "all edits" if edits == EDITS else " + ".join(edits)))
    return made


def lsh_shape(lowest_jaccard: float, permutations: int) -> tuple[int, int]:
    """The (bands, rows) that find a pair at `lowest_jaccard` with probability >= 0.99 with
    the fewest candidates below it (the most rows per band), and at least 3 rows: fewer make
    nearly every pair of news articles a candidate."""
    best = (permutations // 3, 3)
    for rows in range(3, 9):
        bands = permutations // rows
        if 1 - (1 - lowest_jaccard**rows) ** bands >= 0.99:
            best = (bands, rows)
    return best


def rule_for(
    shingle: int, measure_: Measure, threshold: float, ratio: float, permutations: int
) -> MatchRule:
    """A rule whose LSH shape suits its threshold."""
    lowest = (
        threshold
        if measure_ is Measure.JACCARD
        else threshold * ratio / (1 + ratio - threshold * ratio)
    )
    bands, rows = lsh_shape(lowest, permutations)
    return MatchRule(
        shingle, bands, rows, measure_, threshold, ratio if measure_ is Measure.CONTAINMENT else 0.0
    )


def _describe(rule: MatchRule) -> str:
    """One line naming a rule's parameters."""
    ratio = f", size ratio >= {rule.min_size_ratio}" if rule.min_size_ratio else ""
    return (
        f"{rule.shingle}-word shingles, {rule.measure} >= {rule.threshold}{ratio}, "
        f"{rule.permutations} permutations in {rule.bands} bands of {rule.rows}"
    )


def _print_figures(rule: MatchRule, figures: Figures) -> None:
    """One table row."""
    print(
        f"{rule.shingle:>2} {rule.measure:<11} {rule.threshold:>4.2f} {rule.min_size_ratio:>5.2f} "
        f"{rule.bands:>3}x{rule.rows:<2} {figures.pair_recall:>7.3f} "
        f"{figures.pair_precision:>7.3f} "
        f"{figures.true_pairs:>6} {figures.copy_recall:>7.3f} {figures.copy_precision:>7.3f} "
        f"{figures.wrongly_merged:>6} {figures.seconds:>6.1f}",
        flush=True,
    )


HEADER = " k measure     thr ratio  LSH   pair-R  pair-P  pairs  copy-R  copy-P  wrong  sec"


SWEEP = {
    3: [
        (Measure.CONTAINMENT, 0.7, 0.5),
        (Measure.CONTAINMENT, 0.6, 0.4),
        (Measure.JACCARD, 0.5, 0.0),
        (Measure.JACCARD, 0.4, 0.0),
    ],
    2: [
        (Measure.CONTAINMENT, 0.7, 0.5),
        (Measure.CONTAINMENT, 0.6, 0.4),
        (Measure.JACCARD, 0.4, 0.0),
    ],
    5: [(Measure.JACCARD, 0.8, 0.0), (Measure.CONTAINMENT, 0.6, 0.4)],
}


def sweep(corpus: list[Article], copies: list[Copy], permutations: int) -> None:
    """The figures for several shingle sizes, measures and thresholds."""
    print(HEADER)
    for shingle, rules in SWEEP.items():
        for measure_, threshold, ratio in rules:
            rule = rule_for(shingle, measure_, threshold, ratio, permutations)
            _print_figures(rule, measure(rule, corpus, copies, None))


def per_edit(rule: MatchRule, corpus: list[Article], copies: list[Copy]) -> None:
    """The share of copies in their original's cluster, by the edits they carry."""
    with_copies, _ = clustered(corpus + [c.copy for c in copies], rule)
    by_plan: dict[str, list[bool]] = defaultdict(list)
    for c in copies:
        by_plan[c.edits].append(with_copies[c.copy.name] == with_copies[c.original.name])
    for plan, landed in by_plan.items():
        print(f"  {plan:<40} {sum(landed) / len(landed):.3f} of {len(landed)}")


def compare_libraries(corpus: list[Article], rule: MatchRule) -> None:
    """docprep's MinHash against datasketch and rensa, where installed: speed and agreement."""
    sample = corpus[:3000]
    sets = shingle_sets(sample, rule.shingle)
    forms = [" ".join(f for f in (normal_form(p) for p in doc.paragraphs) if f) for doc in sample]
    exact = exact_pairs(sets, 0.3)
    implementations: dict[str, Callable[[int], Iterator[np.ndarray]]] = {}

    def ours(perms: int) -> Iterator[np.ndarray]:
        for form in forms:
            yield minhash(shingle_hashes(form, rule.shingle), perms)

    implementations["docprep (numpy)"] = ours
    try:
        from datasketch import MinHash

        def datasketch_(perms: int) -> Iterator[np.ndarray]:
            for shingles in sets:
                m = MinHash(num_perm=perms)
                m.update_batch([s.encode() for s in shingles])
                yield m.hashvalues

        implementations["datasketch"] = datasketch_
    except ImportError:
        print("datasketch not installed: skipped")
    try:
        from rensa import RMinHash

        def rensa_(perms: int) -> Iterator[np.ndarray]:
            for shingles in sets:
                m = RMinHash(num_perm=perms, seed=42)
                m.update(list(shingles))
                yield np.array(m.digest(), np.uint64)

        implementations["rensa"] = rensa_
    except ImportError:
        print("rensa not installed: skipped")
    pairs = list(exact.items())
    print(
        f"MinHash libraries on {len(sample)} articles, {len(pairs)} pairs with containment >= 0.3:"
    )
    for name, implementation in implementations.items():
        started = time.perf_counter()
        signatures = list(implementation(rule.permutations))
        per_doc = (time.perf_counter() - started) / len(sample) * 1e6
        errors = [
            abs(float(np.mean(signatures[a] == signatures[b])) - sim[0]) for (a, b), sim in pairs
        ]
        mean, tail = np.mean(errors), np.quantile(errors, 0.95)
        print(
            f"  {name:<16} {per_doc:>7.0f} us/doc (shingling included for docprep), "
            f"Jaccard error mean {mean:.3f}, 95th percentile {tail:.3f}"
        )


def main() -> None:
    """Load the corpus, make the copies, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--copies", type=int, default=1000, help="copies with every edit")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--permutations", type=int, default=RULE.permutations)
    args = parser.parse_args()
    corpus_dir = args.corpora / "reuters21578"
    if not any(corpus_dir.glob("reut2-*.sgm.gz")):
        print(f"skipped: no Reuters-21578 files under {corpus_dir}")
        return
    corpus = articles(corpus_dir)
    copies = make_copies(corpus, args.copies, args.seed)
    originals = len({c.original.name for c in copies})
    print(f"{len(corpus)} articles; {len(copies)} syndicated copies of {originals} of them")
    if args.sweep:
        sweep(corpus, copies, args.permutations)
        return
    rule = RULE if args.permutations == RULE.permutations else replace(RULE)
    print(f"rule: {_describe(rule)}")
    exact = exact_pairs(shingle_sets(corpus, rule.shingle), rule.threshold)
    print(HEADER)
    _print_figures(rule, measure(rule, corpus, copies, exact))
    print("copies in their original's cluster, by edit:")
    per_edit(rule, corpus, copies)
    compare_libraries(corpus, rule)


if __name__ == "__main__":
    main()
