"""What the quality signals cost per document, against the rest of a document's processing.

Usage: python benchmarks/quality_cost.py [--docs N] [--rounds R] [--before DIR] [CORPORA_DIR]

Process CPU time, best of `--rounds`, of turning input bytes into a Document (decode, clean,
date, paragraphs, languages, quality signals: `text_document`) and of `quality_signals` alone
on the same texts, for the throughput benchmark's seed-shaped corpus and, when CORPORA_DIR
holds it, the first N Reuters-21578 items written as dated text files. The signals' share is
signals / (document - signals).

The signals are also timed cold, as a worker process meets a batch of new documents: in a
fresh process, each text once (then warm there, best of the rounds). `--before DIR` times
another checkout's signals the same way on the same texts, alternating with this one's (DIR
is a docprep tree whose compiled modules are built, such as a `git worktree` of main after
`python setup.py build_ext --inplace`), so both figures come from one run.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
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


# Run in a fresh process with a docprep tree and a pickle of (text, language) pairs: prints
# the CPU seconds of the signals of every text once, then the least of `rounds` more passes.
# The core is kept busy for a second first: one that idled runs the first tenth of a second
# or so slower (a third more time for 2,000 Reuters items), which a busy worker never does.
_FRESH_PROCESS = """
import pickle, sys, time
tree, texts, rounds = sys.argv[1], pickle.loads(open(sys.argv[2], "rb").read()), int(sys.argv[3])
sys.path[:0] = [tree]
from tasks.quality import quality_signals
busy = time.process_time()
while time.process_time() - busy < 1:
    sum(range(1000))
def seconds():
    started = time.process_time()
    for text, language in texts:
        quality_signals(text, language)
    return time.process_time() - started
print(seconds(), min(seconds() for _ in range(rounds)))
"""


def cold_and_warm(
    trees: list[Path], texts: list[tuple[str, str | None]], rounds: int
) -> list[tuple[float, float]]:
    """For each tree, the least CPU seconds of its signals on `texts` in a fresh process (each
    text once), and warm there, over `rounds` processes per tree, the trees alternating."""
    best = [(float("inf"), float("inf"))] * len(trees)
    with tempfile.NamedTemporaryFile(suffix=".pickle") as file:
        file.write(pickle.dumps(texts))
        file.flush()
        for _ in range(rounds):
            for index, tree in enumerate(trees):
                command = [sys.executable, "-c", _FRESH_PROCESS, str(tree), file.name, str(rounds)]
                printed = subprocess.run(command, capture_output=True, text=True, check=True)
                cold, warm = map(float, printed.stdout.split())
                best[index] = (min(best[index][0], cold), min(best[index][1], warm))
    return best


def measure(
    name: str, inputs: list[tuple[str, bytes]], rounds: int, before: Path | None = None
) -> None:
    """Print the per-document CPU of the document and of its signals (warm, and cold in fresh
    processes, beside `before`'s when given)."""
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
    trees = [REPO] if before is None else [REPO, before]
    texts = [(doc.text, doc.language.language) for doc in documents]
    timings = cold_and_warm(trees, texts, rounds)
    for tree, (cold, warm) in zip(trees, timings, strict=True):
        print(
            f"{name}: signals in a fresh process ({tree}): cold {1000 * cold / count:.3f} ms "
            f"per document (+{cold / rest:.1%} on the rest), warm {1000 * warm / count:.3f} ms "
            f"(+{warm / rest:.1%})"
        )
    if before is not None:
        (cold, warm), (cold_before, warm_before) = timings
        print(
            f"{name}: this tree's signals take {cold / cold_before:.2f} of the time of "
            f"{before}'s cold, {warm / warm_before:.2f} warm"
        )


def main() -> None:
    """Build the inputs, time both, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path, nargs="?")
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another docprep tree to time beside this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docprep-quality-cost-") as work:
        paths = write_corpus(Path(work), args.docs, sample_article())
        inputs = [(str(path), path.read_bytes()) for path in paths]
        measure("seed-shaped corpus", inputs, args.rounds, args.before)
    if args.corpora is None or not (args.corpora / "reuters21578").is_dir():
        print("reuters21578: skipped (give CORPORA_DIR to measure real newswire)")
        return
    inputs = _readable(reuters_files(args.corpora), args.docs)
    measure("reuters21578", inputs, args.rounds, args.before)


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
