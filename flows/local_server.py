"""A local Prefect server kept between runs: started on first use, found again by its state
file in PREFECT_HOME, stopping itself once no run has used it for a while.

A run holds a shared lock on the users file while it uses the server: a step that makes no
request for longer than the idle time (a long commit, say) must not find the server gone.

Run as `python -m flows.local_server PORT IDLE_SECONDS`, it is that server; imported, it finds
or starts one. Only a process whose command line is this module's is ever stopped by pid.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

STATE_FILE = "docprep-server.json"
LOG_FILE = "docprep-server.log"
_LOCK_FILE = "docprep-server.lock"
_USERS_FILE = "docprep-server.users"
# How long the server waits, after the last request any run made, before it stops itself.
IDLE_SECONDS = 15 * 60
_MODULE = "flows.local_server"
_HEALTH_TIMEOUT = 0.5

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class LocalServer:
    """A kept server's process id and API URL, whether this call started it, and how long
    it stays once unused."""

    pid: int
    url: str
    started: bool
    idle_seconds: float


def prefect_home() -> Path:
    """Prefect's home folder, as Prefect itself resolves it (PREFECT_HOME, or ~/.prefect)."""
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


@contextlib.contextmanager
def local_server(port: int, settings: dict[str, str]) -> Iterator[LocalServer]:
    """The kept server of this PREFECT_HOME, the running one or one started now on `port`,
    kept from stopping itself until the block ends.

    A server found running with another Python or Prefect is stopped and replaced. The
    caller waits for the URL to answer (`server_alive` tells whether its process lives).
    """
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / _USERS_FILE, "a") as users:
        with _locked(home):
            server = _found_or_started(home, port, settings)
            # Taken while the server cannot be deciding to stop (it decides holding the lock).
            fcntl.flock(users, fcntl.LOCK_SH)
        yield server  # closing the file releases the shared lock


def _found_or_started(home: Path, port: int, settings: dict[str, str]) -> LocalServer:
    """The kept server recorded in `home` if it is this build's and runs, else one started now."""
    found = _recorded(home)
    if found is not None and found.get("build") == _build() and _is_ours(found["pid"]):
        return LocalServer(found["pid"], found["url"], False, _idle_seconds())
    if found is not None and _is_ours(found["pid"]):
        os.kill(found["pid"], signal.SIGTERM)  # another docprep build's server
    with open(home / LOG_FILE, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", _MODULE, str(port), str(_idle_seconds())],
            env={**os.environ, **settings},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # neither Ctrl-C in the terminal nor docprep's end stop it
        )
    url = f"http://127.0.0.1:{port}/api"
    _write_state(home, {"pid": process.pid, "url": url, "build": _build()})
    return LocalServer(process.pid, url, True, _idle_seconds())


def server_alive(pid: int) -> bool:
    """Whether the kept server with process id `pid` is still running."""
    return _is_ours(pid)


def stop_local_server() -> int | None:
    """Stop this PREFECT_HOME's kept server, if one runs; its process id, or None."""
    home = prefect_home()
    if not home.is_dir():
        return None
    with _locked(home):
        found = _recorded(home)
        if found is None or not _is_ours(found["pid"]):
            return None
        os.kill(found["pid"], signal.SIGTERM)
        return int(found["pid"])


def _idle_seconds() -> float:
    """How long the kept server may go unused: DOCPREP_SERVER_IDLE_SECONDS, or 15 minutes."""
    return float(os.environ.get("DOCPREP_SERVER_IDLE_SECONDS", IDLE_SECONDS))


def _build() -> str:
    """What a kept server must have been started by to be reused: this Python and Prefect."""
    # The tag names the way runs hold the server (the users file): an older server ignores it.
    return f"{sys.executable} prefect {metadata.version('prefect')} users-lock"


def _recorded(home: Path) -> dict[str, Any] | None:
    """The state file's pid and URL, or None when there is none or it cannot be read."""
    try:
        state = json.loads((home / STATE_FILE).read_text())
        return state if isinstance(state.get("pid"), int) and state.get("url") else None
    except (OSError, ValueError, AttributeError):
        return None


def _write_state(home: Path, state: dict[str, Any]) -> None:
    """Replace the state file whole, so that a reader never sees half of it."""
    partial = home / f".{STATE_FILE}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(state))
    partial.replace(home / STATE_FILE)


def _is_ours(pid: int) -> bool:
    """Whether process `pid` runs this module: a recorded pid reused by another program is not."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return _MODULE.encode() in command


def _unused(home: Path) -> bool:
    """Whether no run uses this server; if so, it is no longer recorded, so none will."""
    with _locked(home), open(home / _USERS_FILE, "a") as users:
        try:
            fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        found = _recorded(home)
        if found is not None and found["pid"] == os.getpid():
            (home / STATE_FILE).unlink(missing_ok=True)
        return True


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Hold the lock that lets one process at a time look for, start or stop the server."""
    with open(home / _LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _LastRequest:
    """The Prefect app, noting when it last served a request."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.at = time.monotonic()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            self.at = time.monotonic()
        await self.app(scope, receive, send)


def _kept_server_class() -> type:
    """uvicorn's server, ending on SIGTERM or SIGINT as it does when idle, without dying by the
    signal afterwards (which uvicorn does), so that it clears its state file first."""
    import uvicorn

    class KeptServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            for stop in (signal.SIGTERM, signal.SIGINT):
                signal.signal(stop, self.handle_exit)
            yield

    return KeptServer


def _serve(port: int, idle_seconds: float) -> None:
    """Be the kept server on `port` until it has served nothing for `idle_seconds`, or SIGTERM."""
    import uvicorn
    from prefect.server.api.server import create_app

    app = _LastRequest(create_app())
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="on",
        log_level="error",
        timeout_graceful_shutdown=5,
    )
    server = _kept_server_class()(config)

    def stop_when_idle() -> None:
        while not (server.started or server.should_exit):  # idle counts from being ready
            time.sleep(0.1)
        app.at = time.monotonic()
        while not server.should_exit:
            time.sleep(min(1.0, idle_seconds))
            if time.monotonic() - app.at <= idle_seconds:
                continue
            try:
                unused = _unused(prefect_home())
            except OSError:  # PREFECT_HOME gone or unreadable: no run can find this server
                unused = True
            if unused:
                server.should_exit = True
            else:  # a run holds it: idle counts again from now
                app.at = time.monotonic()

    threading.Thread(target=stop_when_idle, daemon=True).start()
    try:
        server.run()
    finally:
        home = prefect_home()
        with _locked(home):
            found = _recorded(home)
            if found is not None and found["pid"] == os.getpid():
                (home / STATE_FILE).unlink(missing_ok=True)
    if not server.started:
        sys.exit(3)  # as uvicorn does when it cannot bind


if __name__ == "__main__":
    _serve(int(sys.argv[1]), float(sys.argv[2]))
