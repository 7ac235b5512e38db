"""The report on a docprep store: one self-contained HTML page of charts, and the views
`docprep stats` and the report read the store through (local or S3).
"""

from __future__ import annotations

from tasks.report.corpus import corpus_report
from tasks.report.datasets import StoreViews, store_views
from tasks.report.location import REPORT_FILE, report_address

__all__ = ["REPORT_FILE", "StoreViews", "corpus_report", "report_address", "store_views"]
