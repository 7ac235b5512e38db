"""One writer at a time on an output folder: a file lock locally, a lease in object storage."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from tasks.storage.folder import Folder

LOCK = ".docprep.lock"
# An object-store lease not renewed for this long belongs to a run that died.
LEASE_SECONDS = 60.0


class OutputBusy(RuntimeError):
    """Another run holds the output folder."""


def _busy(out: Folder, holder: str) -> OutputBusy:
    """The error that names the run holding `out`."""
    return OutputBusy(
        f"{out.uri} is being written by another docprep run ({holder}); "
        "wait for it to finish or choose another --output"
    )


@contextmanager
def output_lock(out: Folder) -> Iterator[None]:
    """Hold the one-writer lock on `out` for the duration of the block."""
    lock = _file_lock if out.is_local else _lease_lock
    with lock(out):
        yield


def check_not_busy(out: Folder) -> None:
    """Raise OutputBusy if another run holds `out` now (a courtesy check before a run)."""
    with output_lock(out):
        pass


def _holder() -> str:
    """Who this process is, for the message another run will see."""
    return f"pid {os.getpid()} on {socket.gethostname()}"


@contextmanager
def _file_lock(out: Folder) -> Iterator[None]:
    """An exclusive flock on OUT/.docprep.lock, released by the kernel if the process dies."""
    path = Path(out.path(LOCK))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        _flock_or_raise(out, handle)
        handle.truncate(0)
        handle.write(_holder())
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _flock_or_raise(out: Folder, handle: IO[str]) -> None:
    """Take the flock on the open lock file, or raise OutputBusy naming its holder."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        raise _busy(out, handle.read().strip() or "another process") from None


@contextmanager
def _lease_lock(out: Folder) -> Iterator[None]:
    """A lease object created only if absent (conditional PUT), renewed while the run lives."""
    import boto3

    bucket, _, prefix = out.root.partition("/")
    key = f"{prefix}/{LOCK}" if prefix else LOCK
    client = boto3.client("s3")
    _take_lease(client, bucket, key, out)
    stop = threading.Event()
    renewer = threading.Thread(
        target=_renew_lease, args=(client, bucket, key, stop), name="docprep-lease", daemon=True
    )
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        client.delete_object(Bucket=bucket, Key=key)


def _lease_body() -> bytes:
    """The lease's content: its holder and when it expires unless renewed."""
    return json.dumps({"holder": _holder(), "expires": time.time() + LEASE_SECONDS}).encode()


def _take_lease(client: Any, bucket: str, key: str, out: Folder) -> None:
    """Create the lease object, breaking one that expired; OutputBusy if it is held."""
    from botocore.exceptions import ClientError

    for _ in range(2):
        try:
            client.put_object(Bucket=bucket, Key=key, Body=_lease_body(), IfNoneMatch="*")
            return
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("PreconditionFailed", "409"):
                raise
        try:
            lease = json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read())
        except client.exceptions.NoSuchKey:
            continue
        if lease.get("expires", 0) > time.time():
            raise _busy(out, str(lease.get("holder", "another process")))
        client.delete_object(Bucket=bucket, Key=key)
    raise _busy(out, "another process")


def _renew_lease(client: Any, bucket: str, key: str, stop: threading.Event) -> None:
    """Push the lease's expiry forward until `stop` is set."""
    while not stop.wait(LEASE_SECONDS / 3):
        client.put_object(Bucket=bucket, Key=key, Body=_lease_body())
