"""A Prefect API for the command line: the configured server, or a temporary one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from flows.local_server import local_server, server_alive

# Defaults for a quiet command line (Prefect's and a local Dask cluster's); the environment wins.
QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_SERVER_LEVEL": "ERROR",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "DASK_LOGGING__DISTRIBUTED": "error",
}
# What Prefect's own temporary server (SubprocessASGIServer) runs, and the settings it adds.
_SERVER_APP = "prefect.server.api.server:create_app"
_SERVER_SETTINGS = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
}
_PORT_IN_USE = 3  # uvicorn's exit code when it cannot bind
_KEPT, _TEMPORARY = "the kept local Prefect server", "the temporary Prefect server"
# Which local server a run without PREFECT_API_URL uses (`keeps_server`).
SERVER_CHOICE = "DOCPREP_PREFECT_SERVER"
_POLL_SECONDS = 0.05


def apply_quiet_defaults() -> None:
    """Set docprep's Prefect defaults in the environment, before Prefect is imported."""
    for name, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)


def keeps_server() -> bool:
    """Whether a run without PREFECT_API_URL uses the kept local server (flows/local_server.py)
    rather than a temporary one of its own: DOCPREP_PREFECT_SERVER is `kept` (the default) or
    `temporary`."""
    choice = os.environ.get(SERVER_CHOICE, "kept")
    if choice not in ("kept", "temporary"):
        raise ValueError(f"{SERVER_CHOICE} must be `kept` or `temporary`, not {choice!r}")
    return choice == "kept"


@contextmanager
def prefect_api(
    meanwhile: Callable[[], object] = lambda: None, keep: bool = False
) -> Iterator[str]:
    """The API URL to run against: PREFECT_API_URL, the kept local server when `keep`, or a
    temporary server started here and stopped at the end.

    `meanwhile` runs while a server starts (importing the flow, say), so the two overlap.
    Task runs in worker processes talk to the same API: without a URL in their environment,
    each process would start a temporary server of its own.
    """
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        meanwhile()
        yield configured
        return
    server: subprocess.Popen[bytes] | None = None
    leases = ExitStack()
    if keep:
        kept = leases.enter_context(local_server(_free_port(), _SERVER_SETTINGS))
        url = kept.url
        if kept.started:
            print(
                f"docprep: started a local Prefect server at {url.removesuffix('/api')} for this "
                f"and later runs; it stops after {_duration(kept.idle_seconds)} unused "
                "(`docprep stop-server` stops it now)",
                file=sys.stderr,
            )

        def alive() -> int | None:
            return None if server_alive(kept.pid) else 1
    else:
        server, url = _started_server()
        alive = server.poll
    os.environ["PREFECT_API_URL"] = url
    try:
        meanwhile()
        _wait_until_healthy(alive, url, _KEPT if keep else _TEMPORARY)
        from prefect.context import refresh_global_settings_context
        from prefect.settings import PREFECT_API_URL, temporary_settings

        # Threads without a settings context read the global one, made when Prefect was
        # first imported: it must name this server too, or they would start another.
        refresh_global_settings_context()
        with temporary_settings({PREFECT_API_URL: url}):
            try:
                yield url
            finally:
                # However the run ended: a failed run's error logs are queued too, and sent at
                # exit to a server already stopped ("--- Error logging to API ---").
                _flush_to_api()
    finally:
        leases.close()
        del os.environ["PREFECT_API_URL"]
        if "prefect.context" in sys.modules:
            sys.modules["prefect.context"].refresh_global_settings_context()
        if server is not None:
            _stop(server)


def _started_server() -> tuple[subprocess.Popen[bytes], str]:
    """A temporary Prefect server process on a free loopback port, just launched; its API URL."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", _SERVER_APP, "--lifespan", "on"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error"]
    preexec = _die_with_parent if sys.platform == "linux" else None
    # A session of its own, so that Ctrl-C in a terminal reaches docprep and not the server
    # it still needs for recording how the run ended; docprep stops it, or its death does.
    server = subprocess.Popen(
        command,
        env={**os.environ, **_SERVER_SETTINGS},
        preexec_fn=preexec,
        start_new_session=True,
    )
    return server, f"http://127.0.0.1:{port}/api"


def _die_with_parent() -> None:
    """In the server process: have Linux stop it when docprep dies, even by SIGKILL."""
    import ctypes
    import signal

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG
    ctypes.CDLL(None).prctl(set_parent_death_signal, signal.SIGTERM)


def _wait_until_healthy(exit_code: Callable[[], int | None], url: str, what: str) -> None:
    """Return once `what` (a server) at `url` answers its health check; raise if it cannot
    start (`exit_code` is None while its process runs)."""
    timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = exit_code()
        if code is not None:
            reason = "its port was taken" if code == _PORT_IN_USE else "it failed"
            raise RuntimeError(f"{what} exited: {reason}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(_POLL_SECONDS)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def _duration(seconds: float) -> str:
    """`seconds` as people say it: 15 minutes, 90 seconds."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:g} seconds"


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the temporary server process, killing it if it does not stop within 5 s."""
    server.terminate()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _flush_to_api() -> None:
    """Send buffered logs and events while the server is still there to take them."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)
