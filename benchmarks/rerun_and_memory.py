"""Re-run cost and memory growth: issue 3's figures, measured with the real CLI.

Usage: python benchmarks/rerun_and_memory.py [--small 2000] [--large 20000] [--workdir DIR]

For each corpus size it runs `docprep run` once on a fresh OUT, then again over the unchanged
input, and records wall time and the peak RSS of the whole process tree (CLI, Prefect's
temporary server, workers). It prints the re-run time as a share of the first run, and the
peak RSS of the large corpus as a ratio to the small one.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.corpus import sample_article, write_corpus  # noqa: E402
from benchmarks.runs import Measured, measure_run  # noqa: E402


def first_and_rerun(work: Path, n_docs: int, seed_text: str) -> tuple[Measured, Measured]:
    """The first run and the unchanged re-run over a fresh corpus of `n_docs`."""
    source, out = work / f"corpus-{n_docs}", work / f"out-{n_docs}"
    write_corpus(source, n_docs, seed_text)
    first = measure_run(source, out)
    again = measure_run(source, out)
    assert first.exit_code == again.exit_code == 0
    return first, again


def main() -> None:
    """Measure both sizes and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-rerun-"))
    seed_text = sample_article()
    results = {n: first_and_rerun(work, n, seed_text) for n in (args.small, args.large)}
    shutil.rmtree(work, ignore_errors=True)
    print(
        f"{'docs':>7} {'first run s':>12} {'re-run s':>9} {'re-run share':>13} {'peak RSS MiB':>13}"
    )
    for n, (first, again) in results.items():
        print(
            f"{n:>7} {first.seconds:>12.1f} {again.seconds:>9.1f} "
            f"{again.seconds / first.seconds:>12.1%} {first.peak_rss_mib:>13.0f}"
        )
    (small, _), (large, large_again) = results[args.small], results[args.large]
    print(
        f"re-run share at {args.large}: {large_again.seconds / large.seconds:.1%}; "
        f"peak RSS {args.large} vs {args.small}: {large.peak_rss_mib / small.peak_rss_mib:.2f}x"
    )


if __name__ == "__main__":
    main()
