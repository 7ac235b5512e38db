"""The `runs` table under OUT: one row per committed run, so pipeline health is queryable.

The table is one file, `runs/part-0.parquet`, rewritten whole (old rows plus the new one) by
each run's commit, all or nothing with the rows the run writes (tasks/output/datasets.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from importlib import metadata

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.output.datasets import RUNS_FILE
from tasks.output.schema import RUNS_SCHEMA
from tasks.storage import DamagedOutput, Folder, damaged


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


def recorded_runs(out: Folder) -> pa.Table:
    """Every row of the runs table of `out`; none before the first run is recorded."""
    if not out.is_file(RUNS_FILE):
        return RUNS_SCHEMA.empty_table()
    try:
        # A file, not a dataset: pyarrow's datasets load pandas, 0.3 s of an up-to-date check.
        with out.fs.open_input_file(out.path(RUNS_FILE)) as source:
            stored = pq.ParquetFile(source).read()
        # As a dataset read with this schema would: a column an older docprep did not write
        # is null, and each is cast to the schema's type.
        return pa.Table.from_arrays(
            [
                stored[field.name].cast(field.type)
                if field.name in stored.column_names
                else pa.nulls(stored.num_rows, field.type)
                for field in RUNS_SCHEMA
            ],
            schema=RUNS_SCHEMA,
        )
    except (OSError, pa.ArrowException) as error:
        raise damaged(out, RUNS_FILE, error) from None


def runs_with(out: Folder, record: RunRecord, *, start_over_if_damaged: bool = False) -> pa.Table:
    """The runs table of `out` with `record` added, replacing an earlier row of the same run.

    With `start_over_if_damaged`, a runs table that cannot be read is replaced by one of
    this run alone (a full refresh reads nothing it replaces).
    """
    try:
        stored = recorded_runs(out)
    except DamagedOutput:
        if not start_over_if_damaged:
            raise
        stored = RUNS_SCHEMA.empty_table()
    kept = stored.filter(pc.not_equal(stored["run_id"], record.run_id))
    return pa.concat_tables([kept, pa.Table.from_pylist([asdict(record)], schema=RUNS_SCHEMA)])


def docprep_version() -> str:
    """The installed version of docprep."""
    try:
        return metadata.version("docprep")
    except metadata.PackageNotFoundError:
        return "unknown"
