"""Throughput on a local Dask cluster (2 workers) against the default process-pool runner.

Usage: python benchmarks/dask_throughput.py [--docs N] [--workdir DIR]

Both are the real `ingest` flow over the same corpus against one Prefect server, each into a
fresh OUT; the Dask run includes starting and stopping its LocalCluster, as `--dask local` does.
The last line is `default: X docs/s; dask local: Y docs/s; ratio: R`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.corpus import sample_article, write_corpus  # noqa: E402


def timed_run(dask: str | None, source: Path, out: Path) -> float:
    """Seconds for one ingest run, on the default runner or the Dask cluster named."""
    from flows.cli import _flow_for

    started = time.perf_counter()
    summary = _flow_for(dask)(source=str(source), output=str(out))
    assert summary.counts.inputs == summary.discovered
    return time.perf_counter() - started


def main() -> None:
    """Build the corpus, time both runners, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    from flows.prefect_api import apply_quiet_defaults, prefect_api

    apply_quiet_defaults()  # before Prefect is first imported
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-dask-"))
    shutil.rmtree(work, ignore_errors=True)
    source = work / "corpus"
    write_corpus(source, args.docs, sample_article())
    with prefect_api():
        default_seconds = timed_run(None, source, work / "out-default")
        dask_seconds = timed_run("local", source, work / "out-dask")
    shutil.rmtree(work, ignore_errors=True)
    default_rate, dask_rate = args.docs / default_seconds, args.docs / dask_seconds
    print(f"corpus: {args.docs} documents")
    print(
        f"default: {default_rate:.1f} docs/s; dask local: {dask_rate:.1f} docs/s; "
        f"ratio: {dask_rate / default_rate:.2f}"
    )


if __name__ == "__main__":
    main()
