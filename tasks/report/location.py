"""Where a store keeps its report, and the address a browser opens it by."""

from __future__ import annotations

from pathlib import Path

from tasks.storage import Folder

# Beside the store's datasets: `OUT/report.html`.
REPORT_FILE = "report.html"


def report_address(out: Folder, name: str = REPORT_FILE) -> str:
    """The address of the report `name` in `out`: a `file://` URI locally, else the object's."""
    if out.is_local:
        return Path(out.path(name)).as_uri()
    return f"{out.uri.rstrip('/')}/{name}"
