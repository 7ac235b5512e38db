"""Local worker processes for the CPU-bound part of a run: reading, cleaning, languages."""

from __future__ import annotations

import multiprocessing
import signal
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
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_interrupts
    )
    try:
        yield pool
    except BaseException:
        # A failed or interrupted run: stop the workers now, not after their batches.
        pool.shutdown(wait=False, cancel_futures=True)
        # The pool's own processes: ProcessPoolExecutor gives no handle on them (Python 3.14
        # adds terminate_workers), so they are the children started since the block began.
        for process in set(multiprocessing.active_children()) - before:
            process.terminate()
            process.join()
        raise
    pool.shutdown(wait=True)


def _ignore_interrupts() -> None:
    """In a worker: leave Ctrl-C to docprep, which stops its workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
