"""What the quality signals cost per document, against the rest of a document's processing.

Usage: python benchmarks/quality_cost.py [--docs N] [--rounds R] [CORPORA_DIR]

Process CPU time, best of `--rounds`, of turning input bytes into a Document (decode, clean,
date, paragraphs, languages, quality signals: `text_document`) and of `quality_signals` alone
on the same texts, for the throughput benchmark's seed-shaped corpus and, when CORPORA_DIR
holds it, the first N Reuters-21578 items written as dated text files. The signals' share is
signals / (document - signals).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.corpus import sample_article, write_corpus  # noqa: E402
from benchmarks.quality_agreement import reuters_files  # noqa: E402
from tasks.documents import text_document  # noqa: E402
from tasks.quality import quality_signals  # noqa: E402
from tasks.quality._gopher_repetition import n_gram_chars, python_n_gram_chars  # noqa: E402
from tasks.quality._parts import text_parts  # noqa: E402
from tasks.rejection import Rejected  # noqa: E402


def best_seconds(work: Callable[[], object], rounds: int) -> float:
    """The least process CPU time of `rounds` runs of `work` (outside load only slows it)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def measure(name: str, inputs: list[tuple[str, bytes]], rounds: int) -> None:
    """Print the per-document CPU of the document and of its signals."""
    documents = [text_document(source, data) for source, data in inputs]  # warm both up
    whole = best_seconds(lambda: [text_document(s, d) for s, d in inputs], rounds)
    signals = best_seconds(
        lambda: [quality_signals(doc.text, doc.language.language) for doc in documents], rounds
    )
    count = len(inputs)
    rest = whole - signals
    print(
        f"{name}: {count} documents; per document {1000 * whole / count:.2f} ms, of which "
        f"quality signals {1000 * signals / count:.2f} ms: +{signals / rest:.1%} on the rest"
    )
    words = [text_parts(doc.text, doc.language.language).words for doc in documents]
    python = best_seconds(lambda: [python_n_gram_chars(w) for w in words], rounds)
    used = best_seconds(lambda: [n_gram_chars(w) for w in words], rounds)
    print(
        f"{name}: n-gram counts per document: Python {1000 * python / count:.3f} ms, "
        f"as used {1000 * used / count:.3f} ms ({python / used:.1f}x)"
    )


def main() -> None:
    """Build the inputs, time both, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, nargs="?")
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docprep-quality-cost-") as work:
        paths = write_corpus(Path(work), args.docs, sample_article())
        measure("seed-shaped corpus", [(str(p), p.read_bytes()) for p in paths], args.rounds)
    if args.corpora is None or not (args.corpora / "reuters21578").is_dir():
        print("reuters21578: skipped (give CORPORA_DIR to measure real newswire)")
        return
    measure("reuters21578", _readable(reuters_files(args.corpora), args.docs), args.rounds)


def _readable(inputs: Iterable[tuple[str, bytes]], count: int) -> list[tuple[str, bytes]]:
    """The first `count` of `inputs` that become documents (not rejects)."""
    found = []
    for source, data in inputs:
        try:
            text_document(source, data)
        except Rejected:
            continue
        found.append((source, data))
        if len(found) == count:
            break
    return found


if __name__ == "__main__":
    main()
