"""docprep's throughput against a bare process-pool loop doing the same per-document work.

Usage: python benchmarks/throughput.py [--docs N] [--rounds R] [--workdir DIR]
                                      [--without-signals] [--reuters CORPORA_DIR]

Both run in this process tree on the same corpus: the real `ingest` flow (Prefect engine,
process-pool task runner, staging and commit included) against one Prefect server, and a
bare `ProcessPoolExecutor(2)` mapping `process_inputs` over the same batches. The last line
is `docprep: X docs/s; bare loop: Y docs/s; ratio: R`, from the fastest of `--rounds` timings
of each (the order alternating between rounds), since load from elsewhere only slows a run.

`--without-signals` adds a third side: the bare loop with the quality signals left out (each
of its worker processes swaps them for a constant), so that the signals' cost is measured in
the same run: `signals: +X% per document` compares the two bare loops' times. `--reuters`
takes the first N Reuters-21578 items, written as dated text files, instead of the synthetic
seed-shaped documents.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

import tasks.documents  # noqa: E402
from benchmarks.quality_agreement import reuters_files  # noqa: E402
from benchmarks.timing import corpus_arguments, fresh_corpus, timed_ingest  # noqa: E402
from tasks.batches import process_inputs  # noqa: E402
from tasks.discovery import discover_inputs  # noqa: E402
from tasks.input_files import Reading  # noqa: E402
from tasks.output import Run  # noqa: E402
from tasks.plan import MAX_BATCH, MIN_BATCH, Part, batches_of, part_cost  # noqa: E402
from tasks.storage import Folder  # noqa: E402


def _bare_batch(root: Path, parts: list[Part], signals: bool = True) -> int:
    """The per-document work of one batch, outside Prefect; the inputs it handled."""
    if not signals:  # this benchmark's own worker process only: every document gets the same
        constant = tasks.documents.quality_signals("", None)
        tasks.documents.quality_signals = lambda text, language: constant
    rows = process_inputs(Folder(root), parts, Run("bare", datetime.now(UTC)), Reading())
    return rows.documents.num_rows + rows.rejects.num_rows


def bare_loop(root: Path, batches: list[list[Part]], workers: int, signals: bool = True) -> float:
    """Seconds for a bare process pool to process every batch (without the quality signals
    when not `signals`)."""
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        done = sum(pool.map(_bare_batch, [root] * len(batches), batches, [signals] * len(batches)))
    assert done == sum(len(batch) for batch in batches)
    return time.perf_counter() - started


def main() -> None:
    """Build the corpus, time both, print the figures."""
    parser = corpus_arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="timings of each, order alternating")
    parser.add_argument(
        "--without-signals", action="store_true", help="also time the bare loop without them"
    )
    parser.add_argument("--reuters", type=Path, metavar="CORPORA_DIR", help="Reuters-21578 items")
    args = parser.parse_args()
    from flows.prefect_api import apply_quiet_defaults, prefect_api

    apply_quiet_defaults()  # before Prefect is first imported
    from flows.ingest import ingest

    work, root = fresh_corpus(0 if args.reuters else args.docs, args.workdir, "docprep-bench-")
    if args.reuters:
        for source, data in itertools.islice(reuters_files(args.reuters), args.docs):
            (root / source).parent.mkdir(parents=True, exist_ok=True)
            (root / source).write_bytes(data)
    workers = os.cpu_count() or 1
    inputs = discover_inputs(Folder(root)).inputs
    parts = [Part(path) for path in inputs]
    batches = batches_of(
        parts, largest=MAX_BATCH, smallest=MIN_BATCH, workers=workers, cost=part_cost
    )
    print(f"corpus: {args.docs} documents in {len(batches)} batches, {workers} cores")
    times: dict[str, list[float]] = {"docprep": [], "bare loop": []}
    if args.without_signals:
        times["bare loop without signals"] = []
    with prefect_api():
        for round_ in range(args.rounds):
            # Rotate which goes first, so none always meets the machine warmer or busier.
            sides = list(times)
            for side in sides[round_ % len(sides) :] + sides[: round_ % len(sides)]:
                if side == "docprep":
                    seconds = timed_ingest(ingest, root, work / f"out{round_}")
                else:
                    seconds = bare_loop(root, batches, workers, signals=side == "bare loop")
                times[side].append(seconds)
            timings = "; ".join(f"{side} {seconds[-1]:.1f} s" for side, seconds in times.items())
            print(f"round {round_ + 1}: {timings}")
    shutil.rmtree(work, ignore_errors=True)
    # The fastest of each: outside load only ever slows a timing down.
    flow_seconds, bare_seconds = min(times["docprep"]), min(times["bare loop"])
    docprep_rate, bare_rate = args.docs / flow_seconds, args.docs / bare_seconds
    print(f"docprep: {flow_seconds:.1f} s; bare loop: {bare_seconds:.1f} s")
    print(
        f"docprep: {docprep_rate:.1f} docs/s; bare loop: {bare_rate:.1f} docs/s; "
        f"ratio: {docprep_rate / bare_rate:.2f}"
    )
    if args.without_signals:
        without = min(times["bare loop without signals"])
        print(
            f"bare loop without signals: {without:.1f} s, {args.docs / without:.1f} docs/s; "
            f"signals: +{bare_seconds / without - 1:.1%} per document"
        )


if __name__ == "__main__":
    main()
