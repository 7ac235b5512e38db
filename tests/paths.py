"""Where the tests find the repository, its seeds and their own fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
HTML_FIXTURES = REPO / "tests" / "fixtures" / "html"
# The virtual environment's commands (prefect, dask, moto_server) beside its python.
BIN = Path(sys.executable).parent
