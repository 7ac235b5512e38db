"""docprep's throughput against a bare process-pool loop doing the same per-document work.

Usage: python benchmarks/throughput.py [--docs N] [--rounds R] [--workdir DIR]

Both run in this process tree on the same corpus: the real `ingest` flow (Prefect engine,
process-pool task runner, staging and commit included) against one Prefect server, and a
bare `ProcessPoolExecutor(2)` mapping `process_inputs` over the same batches. The last line
is `docprep: X docs/s; bare loop: Y docs/s; ratio: R`, from the fastest of `--rounds` timings
of each (the order alternating between rounds), since load from elsewhere only slows a run.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.timing import corpus_arguments, fresh_corpus, timed_ingest  # noqa: E402
from tasks.batches import process_inputs  # noqa: E402
from tasks.discovery import discover_inputs  # noqa: E402
from tasks.input_files import Reading  # noqa: E402
from tasks.output import Run  # noqa: E402
from tasks.plan import MAX_BATCH, MIN_BATCH, batches_of  # noqa: E402
from tasks.storage import Folder  # noqa: E402


def _bare_batch(root: Path, sources: list[str]) -> int:
    """The per-document work of one batch, outside Prefect; the inputs it handled."""
    rows = process_inputs(Folder(root), sources, Run("bare", datetime.now(UTC)), Reading())
    return rows.documents.num_rows + rows.rejects.num_rows


def bare_loop(root: Path, batches: list[list[str]], workers: int) -> float:
    """Seconds for a bare process pool to process every batch."""
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        done = sum(pool.map(_bare_batch, [root] * len(batches), batches))
    assert done == sum(len(batch) for batch in batches)
    return time.perf_counter() - started


def main() -> None:
    """Build the corpus, time both, print the figures."""
    parser = corpus_arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="timings of each, order alternating")
    args = parser.parse_args()
    from flows.prefect_api import apply_quiet_defaults, prefect_api

    apply_quiet_defaults()  # before Prefect is first imported
    from flows.ingest import ingest

    work, root = fresh_corpus(args.docs, args.workdir, "docprep-bench-")
    workers = os.cpu_count() or 1
    inputs = discover_inputs(Folder(root)).inputs
    batches = batches_of(inputs, largest=MAX_BATCH, smallest=MIN_BATCH, workers=workers)
    print(f"corpus: {args.docs} documents in {len(batches)} batches, {workers} cores")
    flow_times: list[float] = []
    bare_times: list[float] = []
    with prefect_api():
        for round_ in range(args.rounds):
            # Alternate which goes first, so neither always meets the machine warmer or busier.
            first_flow = round_ % 2 == 0
            for flow_turn in (first_flow, not first_flow):
                if flow_turn:
                    flow_times.append(timed_ingest(ingest, root, work / f"out{round_}"))
                else:
                    bare_times.append(bare_loop(root, batches, workers))
            timings = f"docprep {flow_times[-1]:.1f} s; bare loop {bare_times[-1]:.1f} s"
            print(f"round {round_ + 1}: {timings}")
    shutil.rmtree(work, ignore_errors=True)
    # The fastest of each: outside load only ever slows a timing down.
    flow_seconds, bare_seconds = min(flow_times), min(bare_times)
    docprep_rate, bare_rate = args.docs / flow_seconds, args.docs / bare_seconds
    print(f"docprep: {flow_seconds:.1f} s; bare loop: {bare_seconds:.1f} s")
    print(
        f"docprep: {docprep_rate:.1f} docs/s; bare loop: {bare_rate:.1f} docs/s; "
        f"ratio: {docprep_rate / bare_rate:.2f}"
    )


if __name__ == "__main__":
    main()
