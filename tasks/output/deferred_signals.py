"""Ctrl-C and SIGTERM held back while a short step must not be cut in half."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_DEFERRED = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Run the block to its end; a SIGINT or SIGTERM that arrives meanwhile is acted on after.

    Python runs signal handlers in the main thread only, so elsewhere the block simply runs.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[signal.Signals] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signal.Signals(signum))

    previous = {signum: signal.signal(signum, hold) for signum in _DEFERRED}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)  # now handled as it would have been
