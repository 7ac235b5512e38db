"""What duplicate detection costs: a first run and an unchanged re-run, with and without it.

Usage: python benchmarks/duplicates_cost.py BEFORE [--docs 3000] [--rounds 2] [--workdir DIR]

BEFORE is a checkout of docprep without duplicate detection (for example
`git archive 7397fbc | tar -x -C /tmp/before`). Both checkouts run `docprep run` over the same
throughput corpus (benchmarks/corpus.py) into a fresh OUT, then again over the unchanged input,
alternating which goes first in each round. Each run is timed by the wall clock and by the CPU
seconds of its whole process tree (the CLI, its worker processes and its temporary Prefect
server, from `getrusage(RUSAGE_CHILDREN)`): on a shared machine the CPU seconds are the steadier
figure. The fastest of the rounds is kept for each.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.corpus import sample_article, write_corpus  # noqa: E402


def timed_run(code: Path, source: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `docprep run` of the code at `code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(source), "--output", str(out)],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        stdout=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Build the corpus, time both checkouts, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if not (args.before / "flows" / "cli.py").is_file():
        print(f"skipped: {args.before} is not a docprep checkout")
        return
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-dupcost-"))
    source = work / "corpus"
    write_corpus(source, args.docs, sample_article())
    codes = {"without": args.before.resolve(), "with": REPO}
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for round_ in range(args.rounds):
        names = list(codes) if round_ % 2 == 0 else list(reversed(codes))
        for name in names:
            out = work / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            first = timed_run(codes[name], source, out)
            again = timed_run(codes[name], source, out)
            figures.setdefault((name, "first"), []).append(first)
            figures.setdefault((name, "re-run"), []).append(again)
            print(
                f"round {round_ + 1} {name:>7}: first {first[0]:.1f} s wall, {first[1]:.1f} s CPU; "
                f"re-run {again[0]:.1f} s wall, {again[1]:.1f} s CPU",
                flush=True,
            )
    shutil.rmtree(work, ignore_errors=True)
    for kind in ("first", "re-run"):
        without = (
            min(w for w, _ in figures[("without", kind)]),
            min(c for _, c in figures[("without", kind)]),
        )
        with_ = (
            min(w for w, _ in figures[("with", kind)]),
            min(c for _, c in figures[("with", kind)]),
        )
        print(
            f"{kind}: without {without[0]:.1f} s wall / {without[1]:.1f} s CPU; "
            f"with {with_[0]:.1f} s wall / {with_[1]:.1f} s CPU; "
            f"ratio {with_[0] / without[0]:.2f} wall, {with_[1] / without[1]:.2f} CPU"
        )


if __name__ == "__main__":
    main()
