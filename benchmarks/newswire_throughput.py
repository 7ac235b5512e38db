"""docprep on real newswire, whole process: a first run, an unchanged re-run, and the bare loop.

Usage: python benchmarks/newswire_throughput.py CORPORA_DIR [--docs N] [--rounds R] [--workdir DIR]

Writes the Reuters-21578 items of CORPORA_DIR in the seed's shape (a date header, the
headline, paragraphs), then, in each round: `docprep run` over them into a fresh OUT as a
user runs it (its own process, starting the local Prefect server docprep keeps, every signal
on: languages, quality, duplicates, the report), `docprep run` again over the unchanged input
(which finds it up to date), and the bare loop of `throughput.py` (docprep's per-document
steps in a process pool, nothing else). Prints docs/s of each, the re-run's share of the
first run, and last the ratio of docprep's whole process to the bare loop, from the fastest
round of each. Skips when CORPORA_DIR lacks `reuters21578`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.quality_agreement import reuters_files  # noqa: E402
from benchmarks.throughput import bare_loop  # noqa: E402
from tasks.discovery import discover_inputs  # noqa: E402
from tasks.plan import MAX_BATCH, MIN_BATCH, Part, batches_of, part_cost  # noqa: E402
from tasks.storage import Folder  # noqa: E402


def whole_run(source: Path, out: Path, env: dict[str, str]) -> float:
    """Seconds of one `docprep run` process, start to exit."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(source), "--output", str(out)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def stop_server(env: dict[str, str]) -> None:
    """Stop the local Prefect server a run kept, so that the next first run starts its own."""
    command = [sys.executable, "-m", "flows.cli", "stop-server"]
    subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, check=True)


def main() -> None:
    """Write the items, time the runs and the bare loop, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--docs", type=int, default=None, help="the first N items (all: 19,043)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if not (args.corpora / "reuters21578").is_dir():
        print(f"skipped: {args.corpora} holds no reuters21578")
        return
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-newswire-"))
    shutil.rmtree(work, ignore_errors=True)
    source = work / "reuters"
    for name, data in itertools.islice(reuters_files(args.corpora), args.docs):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    inputs = discover_inputs(Folder(source)).inputs
    workers = os.cpu_count() or 1
    batches = batches_of(
        [Part(path) for path in inputs],
        largest=MAX_BATCH,
        smallest=MIN_BATCH,
        workers=workers,
        cost=part_cost,
    )
    print(f"corpus: {len(inputs)} Reuters-21578 items, {workers} cores")
    # Prefect's state in the work folder, no configured server: each round's first run starts
    # the local server docprep keeps, as a new user's does, and the round stops it after.
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(work / "prefect-home"), DOCPREP_PREFECT_SERVER="kept")
    times: dict[str, list[float]] = {"first run": [], "unchanged re-run": [], "bare loop": []}
    for round_ in range(args.rounds):
        out = work / f"out{round_}"
        if round_ % 2:  # alternate, so that neither side always meets the machine warmer
            times["bare loop"].append(bare_loop(source, batches, workers))
        times["first run"].append(whole_run(source, out, env))
        times["unchanged re-run"].append(whole_run(source, out, env))
        stop_server(env)
        if not round_ % 2:
            times["bare loop"].append(bare_loop(source, batches, workers))
        shutil.rmtree(out)
        print(f"round {round_ + 1}: " + "; ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()))
    shutil.rmtree(work, ignore_errors=True)
    first, rerun, bare = (min(times[key]) for key in times)
    count = len(inputs)
    print(f"first run: {first:.1f} s whole process, {count / first:.1f} docs/s")
    print(f"unchanged re-run: {rerun:.1f} s whole process, {rerun / first:.1%} of the first run")
    print(
        f"docprep: {count / first:.1f} docs/s; bare loop: {count / bare:.1f} docs/s; "
        f"ratio: {bare / first:.2f}"
    )


if __name__ == "__main__":
    main()
