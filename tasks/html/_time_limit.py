"""A wall-clock limit on one call, enforced by running it in a helper process that can be killed.

trafilatura's own timeout only stops waiting for its worker; the work goes on. A signal
raised inside the caller cannot stop it either: lxml spends long stretches in C, and an
exception raised from a signal handler at the wrong moment there crashed the process
(SIGSEGV). So each call runs in a long-lived helper process (one per calling thread, started
on first use with trafilatura already imported). A call that runs past its limit, or that
kills its helper, costs that helper: it is killed and the next call starts a fresh one. A call
and its result cross a pipe as pickles, about 0.1 ms for a typical page.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import IO, TypeVar, cast

from tasks.rejection import Reason, Rejected

T = TypeVar("T")

# Starting a helper means starting Python and importing trafilatura: about half a second.
HELPER_START_LIMIT = 120.0
# Imported by each helper before it says it is ready, so no call's limit pays for the import.
_PRELOADED = ("trafilatura",)
_LENGTH = struct.Struct("!Q")
_READY = b"ready"


class HelperExited(Exception):
    """The helper process ended before it answered."""


def within_time_limit(call: Callable[[], T], seconds: float) -> T:
    """What `call` returns, or a rejection when it runs longer than `seconds` or crashes.

    `call` must be picklable (a module-level function, or a `functools.partial` of one); what
    it raises is raised here.
    """
    if seconds <= 0:
        raise ValueError(f"the time limit must be positive, not {seconds}")
    helper = _thread_helper()
    try:
        ok, outcome = helper.outcome(call, seconds)
    except TimeoutError:
        _retire_thread_helper()
        raise Rejected(
            Reason.EXTRACTION_TIMEOUT, f"extraction ran past the {seconds:g} s limit"
        ) from None
    except HelperExited:
        status = _retire_thread_helper()
        raise Rejected(
            Reason.EXTRACTION_CRASHED, f"the extraction process died ({status})"
        ) from None
    if not ok:
        raise cast(Exception, outcome)
    return cast(T, outcome)


class _Helper:
    """One helper process and the two pipes to it."""

    def __init__(self) -> None:
        command = [sys.executable, "-m", "tasks.html._time_limit", str(os.getpid()), *_PRELOADED]
        # Its own output would only be trafilatura's log noise: the answer comes by pipe.
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self._finalizer = weakref.finalize(self, _stopped, self.process)
        try:
            if _received(self.process, HELPER_START_LIMIT) == _READY:
                return
        except (TimeoutError, HelperExited):
            pass
        raise RuntimeError(f"the extraction helper process did not start ({self.stop()})")

    def outcome(self, call: Callable[[], object], seconds: float) -> tuple[bool, object]:
        """(True, what `call` returned) or (False, what it raised), run in the helper."""
        request = pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)
        assert self.process.stdin is not None
        try:
            _send(self.process.stdin, request)
        except (BrokenPipeError, ConnectionResetError):
            raise HelperExited("the helper had already exited") from None
        reply: tuple[bool, object] = pickle.loads(_received(self.process, seconds))
        return reply

    def stop(self) -> str:
        """Kill the helper and say how it ended."""
        self._finalizer.detach()
        return _stopped(self.process)


_helpers = threading.local()


def _thread_helper() -> _Helper:
    """The calling thread's helper, started now if it has none."""
    helper: _Helper | None = getattr(_helpers, "helper", None)
    if helper is None or helper.process.poll() is not None:
        helper = _helpers.helper = _Helper()
    return helper


def _retire_thread_helper() -> str:
    """Kill the calling thread's helper (the next call starts another); how it ended."""
    helper: _Helper = _helpers.helper
    _helpers.helper = None
    return helper.stop()


def _stopped(process: subprocess.Popen[bytes]) -> str:
    """Kill `process` unless it has ended, reap it, and say how it ended."""
    if process.poll() is None:
        process.kill()
    returncode = process.wait()
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            pipe.close()
    if returncode < 0:
        return signal.Signals(-returncode).name
    return f"exit status {returncode}"


def _send(pipe: IO[bytes], message: bytes) -> None:
    """Write one length-prefixed message."""
    pipe.write(_LENGTH.pack(len(message)))
    pipe.write(message)
    pipe.flush()


def _received(process: subprocess.Popen[bytes], seconds: float) -> bytes:
    """The next message from `process`, waiting at most `seconds` for it to begin."""
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    fd = process.stdout.fileno()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        readable, _, _ = select.select([fd], [], [], left)
        if readable:
            break
    (length,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size))
    return _read_exactly(fd, length)


def _read_exactly(fd: int, size: int) -> bytes:
    """`size` bytes from `fd`; HelperExited if the pipe closes first."""
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, min(size - len(chunks), 1 << 20))
        if not chunk:
            raise HelperExited("the helper closed its pipe")
        chunks += chunk
    return bytes(chunks)


def serve_calls(parent_pid: int, preload: list[str]) -> None:
    """In the helper process: answer calls from stdin on stdout until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it quietly, with docprep
    # And so does the death of the thread that started it (Linux tracks the thread): helpers
    # belong to threads, and to docprep, even when it is killed with SIGKILL.
    if sys.platform == "linux":
        import ctypes

        set_parent_death_signal = 1  # PR_SET_PDEATHSIG
        ctypes.CDLL(None).prctl(set_parent_death_signal, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the line above
        return
    # Keep the answer pipe to ourselves: a library printing to stdout must not corrupt it.
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    requests = sys.stdin.fileno()
    for module in preload:
        __import__(module)
    _send(answers, _READY)
    while True:
        try:
            (length,) = _LENGTH.unpack(_read_exactly(requests, _LENGTH.size))
            request = _read_exactly(requests, length)
        except HelperExited:  # the parent has gone: so do we
            return
        _send(answers, _reply(request))


def _reply(request: bytes) -> bytes:
    """The pickled outcome of the pickled call in `request`."""
    try:
        outcome: tuple[bool, object] = (True, pickle.loads(request)())
    except Exception as error:
        outcome = (False, error)
    try:
        return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # an exception or result that cannot be pickled
        failure = RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({error})")
        return pickle.dumps((False, failure), protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    serve_calls(int(sys.argv[1]), sys.argv[2:])
