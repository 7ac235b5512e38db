"""A wall-clock limit on one call, enforced by SIGALRM, so no page can hang a batch.

trafilatura's own timeout only stops waiting for a worker; the work goes on. An interval
timer interrupts the extraction itself between any two Python bytecodes (and inside regular
expressions, which check for signals), for four system calls (about 10 µs) per page. Signal
handlers run only in a process's main thread: Prefect's ProcessPoolTaskRunner runs each
task there, in a worker process of its own. A timer armed by the caller is set aside
for the call and re-armed with what is left of it afterwards.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

from tasks.rejection import Reason, Rejected

T = TypeVar("T")


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so that library `except Exception` cannot eat it."""


def within_time_limit(call: Callable[[], T], seconds: float) -> T:
    """What `call` returns, or a rejection when it runs longer than `seconds`."""
    if seconds <= 0:  # a zero timer is no timer at all
        raise ValueError(f"the time limit must be positive, not {seconds}")
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the extraction time limit needs the main thread (SIGALRM)")
    expired = Rejected(Reason.EXTRACTION_TIMEOUT, f"extraction ran past the {seconds:g} s limit")
    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, _expire)
    previous_timer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            result = call()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise expired from None
    finally:
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer:  # someone else's timer was running: give back what is left of it
            left = previous_timer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))
    # The alarm can land in a callback from C code that swallows its exception: check the clock.
    if time.monotonic() - started > seconds:
        raise expired
    return result


def _expire(signum: int, frame: FrameType | None) -> None:
    """The SIGALRM handler: abandon the call in progress."""
    raise _Expired
