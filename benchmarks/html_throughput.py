"""docprep's HTML pages per second against bare trafilatura's on the same pages, in one run.

Usage: python benchmarks/html_throughput.py CORPORA_DIR [--limit N] [--rounds R] [--workdir DIR]

The pages: those of `wcxb_dev_articles` and `trafilatura_eval` (as `html_quality.py` reads
them), written as `.html` files into a work folder; `--limit` takes the first N. Each round
times both sides over that folder, alternating which goes first:

- docprep: the real `ingest` flow into a fresh OUT against one Prefect server started for the
  benchmark, with everything docprep adds (dates, cleaning, languages, quality signals,
  duplicates, the commit);
- bare trafilatura: `bare_extraction(html, with_metadata=True)` over the same files in a
  process pool with one worker per core, each worker reading its own files.

The last line is `docprep: X pages/s; bare trafilatura: Y pages/s; ratio: R`, from the fastest
round of each (load from elsewhere only slows a round down). Skips when CORPORA_DIR lacks both
corpora.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import logging
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.html_quality import trafilatura_eval_pages, wcxb_pages  # noqa: E402
from benchmarks.timing import timed_ingest  # noqa: E402

_CORPORA = {"wcxb_dev_articles": wcxb_pages, "trafilatura_eval": trafilatura_eval_pages}


def write_pages(corpora: Path, folder: Path, limit: int | None) -> int:
    """The pages of both corpora written as `.html` files into `folder`; how many."""
    folder.mkdir(parents=True)
    pages = itertools.chain.from_iterable(
        read(corpora / name) for name, read in _CORPORA.items() if (corpora / name).is_dir()
    )
    count = 0
    for count, page in enumerate(itertools.islice(pages, limit), start=1):
        data = gzip.decompress(page.data) if page.data[:2] == b"\x1f\x8b" else page.data
        (folder / f"{count:05d}.html").write_bytes(data)
    return count


def _extract(paths: list[Path]) -> None:
    """Bare trafilatura's extraction of each page at `paths`."""
    from trafilatura import bare_extraction

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its "discarding data" warnings
    for path in paths:
        bare_extraction(path.read_bytes(), with_metadata=True)


def bare_seconds(folder: Path, workers: int) -> float:
    """Seconds for a process pool to extract every page under `folder` with trafilatura."""
    paths = sorted(folder.glob("*.html"))
    chunks = [paths[start : start + 8] for start in range(0, len(paths), 8)]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_extract, chunks))  # every chunk done, any error raised
    return time.perf_counter() - started


def main() -> None:
    """Write the pages, time both sides, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="the first N pages only")
    parser.add_argument("--rounds", type=int, default=2, help="timings of each, order alternating")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if not any((args.corpora / name).is_dir() for name in _CORPORA):
        print(f"skipped: {args.corpora} holds neither {' nor '.join(_CORPORA)}")
        return
    from flows.prefect_api import apply_quiet_defaults, prefect_api

    apply_quiet_defaults()  # before Prefect is first imported
    from flows.ingest import ingest

    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-html-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    source = work / "pages"
    pages = write_pages(args.corpora, source, args.limit)
    workers = os.cpu_count() or 1
    size = sum(path.stat().st_size for path in source.iterdir())
    print(f"pages: {pages} ({size / 2**20:.0f} MiB), {workers} cores")
    times: dict[str, list[float]] = {"docprep": [], "bare trafilatura": []}
    with prefect_api():
        for round_ in range(args.rounds):
            sides = list(times) if round_ % 2 == 0 else list(reversed(times))
            for side in sides:
                if side == "docprep":
                    seconds = timed_ingest(ingest, source, work / f"out{round_}")
                else:
                    seconds = bare_seconds(source, workers)
                times[side].append(seconds)
            print(
                f"round {round_ + 1}: " + "; ".join(f"{s} {t[-1]:.1f} s" for s, t in times.items())
            )
    shutil.rmtree(work, ignore_errors=True)
    docprep, bare = min(times["docprep"]), min(times["bare trafilatura"])
    print(f"docprep: {docprep:.1f} s; bare trafilatura: {bare:.1f} s")
    print(
        f"docprep: {pages / docprep:.1f} pages/s; bare trafilatura: {pages / bare:.1f} pages/s; "
        f"ratio: {bare / docprep:.2f}"
    )


if __name__ == "__main__":
    main()
