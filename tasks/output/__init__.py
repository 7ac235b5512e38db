"""The Parquet datasets under OUT: their schema, the rows built from it, their commit, runs."""

from tasks.output.datasets import (
    CommitIncomplete,
    OutdatedOutput,
    Placement,
    begin_run,
    commit,
    partitions,
    placements,
    recover,
    stage_rows,
)
from tasks.output.rows import Run, document_rows, paragraph_rows, reject_rows
from tasks.output.runs import RunRecord, docprep_version, recorded_runs, runs_with
from tasks.output.schema import DOCUMENTS, PARAGRAPHS, REJECTS, RUNS_SCHEMA, TABLES, Table

__all__ = [
    "DOCUMENTS",
    "PARAGRAPHS",
    "REJECTS",
    "RUNS_SCHEMA",
    "TABLES",
    "CommitIncomplete",
    "OutdatedOutput",
    "Placement",
    "Run",
    "RunRecord",
    "Table",
    "begin_run",
    "commit",
    "docprep_version",
    "document_rows",
    "paragraph_rows",
    "partitions",
    "placements",
    "recorded_runs",
    "recover",
    "reject_rows",
    "runs_with",
    "stage_rows",
]
