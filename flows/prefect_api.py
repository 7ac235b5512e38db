"""A Prefect API for the command line: the configured server, or a temporary one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

# Defaults for a quiet command line (Prefect's and a local Dask cluster's); the environment wins.
QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_SERVER_LEVEL": "ERROR",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "DASK_LOGGING__DISTRIBUTED": "error",
}


def apply_quiet_defaults() -> None:
    """Set docprep's Prefect defaults in the environment, before Prefect is imported."""
    for name, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)


@contextmanager
def prefect_api() -> Iterator[str]:
    """The API URL to run against: PREFECT_API_URL, or a temporary server started here.

    Task runs in worker processes talk to the same API: without a URL in their
    environment, each process would start a temporary server of its own.
    """
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield server.api_url
            _flush_to_api()
    finally:
        del os.environ["PREFECT_API_URL"]
        server.stop()


def _flush_to_api() -> None:
    """Send buffered logs and events while the server is still there to take them."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)
