"""Reading docprep's output the way analysts do: DuckDB over the Hive-partitioned Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from tasks.output.schema import TABLES

TABLE_NAMES = [table.name for table in TABLES]


def scan(out: Path, table: str) -> str:
    """The DuckDB table expression that reads one dataset under `out`."""
    return f"read_parquet('{out}/{table}/**/*.parquet', hive_partitioning=true)"


def rows(out: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of `sql`, where {documents}, {paragraphs}, {rejects}, {duplicates},
    {paragraph_counts} and {minhash} name the datasets."""
    names = {name: scan(out, name) for name in TABLE_NAMES}
    return duckdb.sql(sql.format(**names)).fetchall()


def column_types(out: Path, table: str) -> dict[str, str]:
    """DuckDB's type for each column of one dataset."""
    described = duckdb.sql(f"DESCRIBE SELECT * FROM {scan(out, table)}").fetchall()
    return {name: kind for name, kind, *_ in described}
