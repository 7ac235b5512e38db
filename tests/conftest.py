"""Shared fixtures: the seed, and one temporary Prefect server for the whole session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

from tests.paths import SEEDS


def pytest_configure(config: pytest.Config) -> None:
    """Quiet Prefect, with its state for this session in a fresh folder, not the user's home."""
    from flows.prefect_api import apply_quiet_defaults

    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="docprep-test-prefect-"))
    # A command line run in a test starts a temporary server and stops it: one that outlives
    # the test is started only by the tests of the kept server, which stop it by its pid.
    os.environ.setdefault("DOCPREP_PREFECT_SERVER", "temporary")
    apply_quiet_defaults()


# A test that uses one of these starts real servers or processes: it is marked `slow`, and
# `make test-fast` (pytest -m "not slow") leaves it out.
SLOW_FIXTURES = frozenset({"prefect_server", "prefect_env", "s3", "dask_cluster"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need a real Prefect server, S3 endpoint or Dask cluster as slow."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    """The bytes of the sample news article."""
    return next(SEEDS.glob("*.txt")).read_bytes()


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    """The API URL of one Prefect server shared by the tests that run flows."""
    from flows.prefect_api import prefect_api

    with prefect_api() as url:
        yield url
