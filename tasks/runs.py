"""The `runs` table under OUT: one row per committed run, so pipeline health is queryable.

The table is one file, `runs/part-0.parquet`. Recording a run rewrites it whole, old rows
plus the new one, through a hidden temporary file renamed into place: a crash leaves the
old file or the new one, and the folder never grows beyond that one file.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from tasks.schema import DOCUMENTS, RUNS_SCHEMA

RUNS_DIR = "runs"
RUNS_FILE = "part-0.parquet"


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One row of the runs table: which run, started how and when, and what it did."""

    run_id: str
    deployment: str
    source: str
    started_at: datetime
    ended_at: datetime
    discovered: int
    processed: int
    documents: int
    paragraphs: int
    rejects: int
    unchanged: int
    pruned: int
    skipped: int
    docprep_version: str


def runs_file(out: Path) -> Path:
    """The file that holds the runs table of `out`."""
    return out / RUNS_DIR / RUNS_FILE


def recorded_runs(out: Path) -> pa.Table:
    """Every row of the runs table of `out`; none before the first run is recorded."""
    path = runs_file(out)
    if not path.is_file():
        return RUNS_SCHEMA.empty_table()
    return pq.read_table(path, schema=RUNS_SCHEMA)


def append_run(out: Path, record: RunRecord) -> None:
    """Add `record` to the runs table of `out`, replacing an earlier row of the same run."""
    stored = recorded_runs(out)
    kept = stored.filter(pc.not_equal(stored["run_id"], record.run_id))
    rows = pa.concat_tables([kept, pa.Table.from_pylist([asdict(record)], schema=RUNS_SCHEMA)])
    target = runs_file(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    pq.write_table(rows, tmp, compression="zstd")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)


def run_dates(out: Path, run_id: str) -> tuple[date, date] | None:
    """The first and last date of the documents run `run_id` wrote; None if none is dated."""
    folder = out / DOCUMENTS.name
    if not folder.is_dir():
        return None
    dataset = ds.dataset(folder, format="parquet", schema=DOCUMENTS.file_schema)
    dates = dataset.to_table(columns=["date"], filter=pc.field("run_id") == run_id)["date"]
    bounds = pc.min_max(dates)
    first, last = bounds["min"].as_py(), bounds["max"].as_py()
    return (first, last) if first is not None and last is not None else None


def docprep_version() -> str:
    """The installed version of docprep."""
    try:
        return metadata.version("docprep")
    except metadata.PackageNotFoundError:
        return "unknown"
