"""Shared fixtures: the seed, and one temporary Prefect server for the whole session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def pytest_configure(config: pytest.Config) -> None:
    """Keep Prefect's state for the test session out of the user's home."""
    home = Path(config.rootpath) / ".pytest_cache" / "prefect-home"
    os.environ.setdefault("PREFECT_HOME", str(home))


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    """The bytes of the sample news article."""
    return next(SEEDS.glob("*.txt")).read_bytes()


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    """The API URL of one Prefect server shared by the tests that run flows."""
    from flows.prefect_api import apply_quiet_defaults, prefect_api

    apply_quiet_defaults()
    with prefect_api() as url:
        yield url
