"""The report on a docprep store: one self-contained HTML page of charts, and the views
`docprep stats` and the report read the store through (local or S3).
"""

from __future__ import annotations

import importlib
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from tasks.report.location import REPORT_FILE, report_address
from tasks.storage import Folder

if TYPE_CHECKING:
    from tasks.report.datasets import StoreViews

__all__ = ["REPORT_FILE", "corpus_report", "load_report_engine", "report_address", "store_views"]


def corpus_report(out: Folder, now: datetime) -> str:
    """The HTML report on the store at `out`, as of `now` (UTC)."""
    # Altair and its chart engine load only when a report is made: `docprep stats`, and the
    # processes that import the flow for its batch task, never pay for them.
    from tasks.report.corpus import corpus_report as report

    return report(out, now)


def store_views(out: Folder) -> AbstractContextManager[StoreViews]:
    """Views `documents`, `rejects`, `duplicates` and `runs` over what `out` holds."""
    # DuckDB and pyarrow's datasets (which load pandas) load only when the store is read: an
    # up-to-date check, which needs only the report's file name, never pays for them.
    from tasks.report.datasets import store_views as views

    return views(out)


def load_report_engine() -> None:
    """Load what drawing a report needs (Altair, DuckDB, pyarrow's datasets) and start
    vl-convert's chart engine: ~1.4 s a report then does not spend after the commit."""
    from tasks.report.svg import start_chart_engine

    importlib.import_module("tasks.report.corpus")  # its libraries: ~1.5 s of imports
    start_chart_engine()
