"""The report on a docprep store: one self-contained HTML page of charts, and the views
`docprep stats` and the report read the store through (local or S3).
"""

from __future__ import annotations

from datetime import datetime

from tasks.report.datasets import StoreViews, store_views
from tasks.report.location import REPORT_FILE, report_address
from tasks.storage import Folder

__all__ = ["REPORT_FILE", "StoreViews", "corpus_report", "report_address", "store_views"]


def corpus_report(out: Folder, now: datetime) -> str:
    """The HTML report on the store at `out`, as of `now` (UTC)."""
    # Altair and its chart engine load only when a report is made: `docprep stats`, and the
    # processes that import the flow for its batch task, never pay for them.
    from tasks.report.corpus import corpus_report as report

    return report(out, now)
