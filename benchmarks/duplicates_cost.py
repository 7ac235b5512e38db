"""What duplicate detection costs: a first run and an unchanged re-run, with and without it.

Usage: python benchmarks/duplicates_cost.py BEFORE [--docs 3000] [--rounds 2] [--workdir DIR]
                                             [--server]

BEFORE is a checkout of docprep without duplicate detection (for example
`git archive main | tar -x -C /tmp/before`). Both checkouts run `docprep run` over the same
throughput corpus (benchmarks/corpus.py) into a fresh OUT, then again over the unchanged input,
alternating which goes first in each round. Each run is timed by the wall clock and by the CPU
seconds of its whole process tree (the CLI, its worker processes and its temporary Prefect
server, from `getrusage(RUSAGE_CHILDREN)`): on a shared machine the CPU seconds are the steadier
figure. With `--server` every run goes to one `prefect server start` begun by this script,
whose CPU is then left out (it is reaped only at the end), as a scheduled deployment runs:
the temporary server a run otherwise starts spends CPU in proportion to the run's wall time,
which the load of a shared machine stretches. Each round prints the ratios of its own pair of
runs; the fastest of the rounds is kept for each, and their ratios close the report.
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
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.corpus import sample_article, write_corpus  # noqa: E402
from benchmarks.startup import running_server  # noqa: E402


def timed_run(code: Path, source: Path, out: Path, api: str | None) -> tuple[float, float]:
    """Wall and CPU seconds of one `docprep run` of the code at `code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(source), "--output", str(out)],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code), **({"PREFECT_API_URL": api} if api else {})},
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
    parser.add_argument("--server", action="store_true", help="run against one running server")
    args = parser.parse_args()
    if not (args.before / "flows" / "cli.py").is_file():
        print(f"skipped: {args.before} is not a docprep checkout")
        return
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-dupcost-"))
    source = work / "corpus"
    write_corpus(source, args.docs, sample_article())
    codes = {"without": args.before.resolve(), "with": REPO}
    with ExitStack() as stack:
        api = stack.enter_context(running_server(work / "prefect")) if args.server else None
        figures = _rounds(codes, source, work, args.rounds, api)
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


def _rounds(
    codes: dict[str, Path], source: Path, work: Path, rounds: int, api: str | None
) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Both checkouts' first run and re-run, `rounds` times, alternating which goes first."""
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for round_ in range(rounds):
        names = list(codes) if round_ % 2 == 0 else list(reversed(codes))
        for name in names:
            out = work / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            first = timed_run(codes[name], source, out, api)
            again = timed_run(codes[name], source, out, api)
            figures.setdefault((name, "first"), []).append(first)
            figures.setdefault((name, "re-run"), []).append(again)
            print(
                f"round {round_ + 1} {name:>7}: first {first[0]:.1f} s wall, {first[1]:.1f} s CPU; "
                f"re-run {again[0]:.1f} s wall, {again[1]:.1f} s CPU",
                flush=True,
            )
        for kind in ("first", "re-run"):
            (w0, c0), (w1, c1) = figures[("without", kind)][-1], figures[("with", kind)][-1]
            print(f"round {round_ + 1} {kind}: ratio {w1 / w0:.2f} wall, {c1 / c0:.2f} CPU")
    return figures


if __name__ == "__main__":
    main()
