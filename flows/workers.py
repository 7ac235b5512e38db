"""Local worker processes for the CPU-bound part of a run: reading, cleaning, languages."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


@contextmanager
def worker_processes(count: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `count` plain Python processes, stopped when the block ends or the run dies.

    They are started with `spawn` (the flow process runs threads, which `fork` would copy in
    whatever state they are in) and import docprep's steps but not Prefect: one starts in
    about 0.3 s, where a worker of Prefect's process-pool task runner takes 2.5 s and then
    pays ~0.2 s of Prefect set-up for every task run it is given (benchmarks/README.md).
    """
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_tie_to_parent,
        initargs=(os.getpid(),),
    )
    try:
        _start_all(pool, count)
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


def _start_all(pool: ProcessPoolExecutor, count: int) -> None:
    """Start the pool's `count` processes now, from this thread.

    Linux sends the parent-death signal when the *thread* that started a process ends, and the
    pool starts a process in whichever thread submits work while none is idle: the flow's task
    threads. Started here, every worker belongs to the thread that holds the pool until it is
    shut down, so the signal means that the run died. Each submit finds no idle process (none
    has started yet) and starts one.
    """
    for _ in range(count):
        pool.submit(int)


def _tie_to_parent(parent: int) -> None:
    """In a worker: die with the docprep process `parent`, and leave Ctrl-C to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # docprep stops its workers itself
    if sys.platform == "linux":
        import ctypes

        # SIGKILL also ends the extraction helper this worker may start (tasks/time_limit.py),
        # which asks for the same signal when the worker dies.
        set_parent_death_signal = 1  # PR_SET_PDEATHSIG
        ctypes.CDLL(None).prctl(set_parent_death_signal, signal.SIGKILL)
    if os.getppid() != parent:  # docprep died before the line above
        os._exit(1)
