"""Local worker processes for the CPU-bound part of a run: reading, cleaning, languages."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


@contextmanager
def worker_processes(count: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `count` plain Python processes, stopped when the block ends.

    They are started with `spawn` (the flow process runs threads, which `fork` would copy in
    whatever state they are in) and import docprep's steps but not Prefect: one starts in
    about 0.3 s, where a worker of Prefect's process-pool task runner takes 2.5 s and then
    pays ~0.2 s of Prefect set-up for every task run it is given (benchmarks/README.md).
    """
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
