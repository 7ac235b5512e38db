"""Throughput on a local Dask cluster (2 workers) against the default process-pool runner.

Usage: python benchmarks/dask_throughput.py [--docs N] [--workdir DIR]

Both are the real `ingest` flow over the same corpus against one Prefect server, each into a
fresh OUT; the Dask run includes starting and stopping its LocalCluster, as `--dask local` does.
The last line is `default: X docs/s; dask local: Y docs/s; ratio: R`.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.timing import corpus_arguments, fresh_corpus, timed_ingest  # noqa: E402


def main() -> None:
    """Build the corpus, time both runners, print the figures."""
    args = corpus_arguments(__doc__.splitlines()[0]).parse_args()
    from flows.prefect_api import apply_quiet_defaults, prefect_api

    apply_quiet_defaults()  # before Prefect is first imported
    from flows.runners import ingest_flow

    work, source = fresh_corpus(args.docs, args.workdir, "docprep-dask-")
    with prefect_api():
        default_seconds = timed_ingest(ingest_flow(None), source, work / "out-default")
        dask_seconds = timed_ingest(ingest_flow("local"), source, work / "out-dask")
    shutil.rmtree(work, ignore_errors=True)
    default_rate, dask_rate = args.docs / default_seconds, args.docs / dask_seconds
    print(f"corpus: {args.docs} documents")
    print(
        f"default: {default_rate:.1f} docs/s; dask local: {dask_rate:.1f} docs/s; "
        f"ratio: {dask_rate / default_rate:.2f}"
    )


if __name__ == "__main__":
    main()
