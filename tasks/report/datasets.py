"""The datasets under OUT as DuckDB views, read through pyarrow's filesystems (local or S3).

DuckDB scans the registered pyarrow datasets lazily, reading only the columns and row groups a
query needs, so a report over a large store holds little in memory; and an `s3://` OUT is read
by pyarrow, since DuckDB's own S3 extension is a download it cannot make offline.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from tasks.output import (
    DOCUMENTS,
    DUPLICATES,
    REJECTS,
    RUNS_SCHEMA,
    Table,
    partitions,
    recorded_runs,
)
from tasks.output.datasets import PART_FILE, RUNS_FILE
from tasks.storage import Folder, damaged

# A report's views held in memory up to this many rows (~25 MB of the columns it reads). Held,
# the report over the 1,783-page store took 1.7 s instead of 2.5 s: its 20 queries scan 207
# month files once, not each. Over a million documents in 24 months, holding them cost 260 MB
# and was slower (3.2 against 2.8 s): each scan there is long, and DuckDB's own work
# (benchmarks/README.md, issue 18).
HELD_ROWS = 100_000


@dataclass(frozen=True)
class StoreViews:
    """A DuckDB connection with the views `documents`, `rejects`, `duplicates` and `runs`
    (empty when OUT has no such dataset), each view's columns, and the datasets OUT holds
    files of.
    """

    connection: duckdb.DuckDBPyConnection
    columns: dict[str, frozenset[str]]
    present: frozenset[str]

    def has(self, view: str, *columns: str) -> bool:
        """Whether `view` holds every one of `columns`."""
        return set(columns) <= self.columns[view]

    def rows(self, sql: str) -> pa.Table:
        """The result of `sql` over the views, as an Arrow table."""
        return self.connection.sql(sql).to_arrow_table()

    def one(self, sql: str) -> tuple[Any, ...]:
        """The one row `sql` returns over the views."""
        (row,) = self.connection.sql(sql).fetchall()
        return row


@contextmanager
def store_views(
    out: Folder, held: Mapping[str, Collection[str]] | None = None
) -> Iterator[StoreViews]:
    """Views `documents`, `rejects`, `duplicates` and `runs` over what `out` holds.

    A view named in `held` is instead a table in memory of the columns named there (those
    it has), read in one scan, when the store holds at most `HELD_ROWS` rows of it: every
    query then reads memory instead of every partition's file (one file per month).
    """
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")  # days of `ingested_at` are UTC days
        found: dict[str, ds.Dataset | pa.Table] = {
            table.name: dataset
            for table in (DOCUMENTS, REJECTS, DUPLICATES)
            if (dataset := _dataset(out, table)) is not None
        }
        if out.is_file(RUNS_FILE):
            found["runs"] = recorded_runs(out)
        empty = {
            "documents": DOCUMENTS.schema.empty_table(),
            "rejects": REJECTS.schema.empty_table(),
            "duplicates": DUPLICATES.schema.empty_table(),
            "runs": RUNS_SCHEMA.empty_table(),
        }
        columns = {}
        for name, nothing in empty.items():
            data = found.get(name, nothing)
            kept = (held or {}).get(name)
            if kept is not None and _rows(data) <= HELD_ROWS:
                columns[name] = _held(connection, name, data, kept)
            else:
                connection.register(name, data)
                columns[name] = frozenset(data.schema.names)
        yield StoreViews(connection, columns, frozenset(found))
    finally:
        connection.close()


def _rows(data: ds.Dataset | pa.Table) -> int:
    """How many rows `data` holds (a dataset's, from its files' metadata)."""
    return int(data.num_rows if isinstance(data, pa.Table) else data.count_rows())


def _held(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    data: ds.Dataset | pa.Table,
    kept: Collection[str],
) -> frozenset[str]:
    """Table `name` in `connection`'s memory, of the `kept` columns `data` has; their names."""
    names = [column for column in data.schema.names if column in kept]
    source = f"{name}_files"
    connection.register(source, data)
    listed = ", ".join(f'"{column}"' for column in names)
    connection.execute(f'CREATE TEMP TABLE "{name}" AS SELECT {listed} FROM "{source}"')
    connection.unregister(source)
    return frozenset(names)


def _dataset(out: Folder, table: Table) -> ds.Dataset | None:
    """The Hive-partitioned dataset of `table` under `out`, None when it has no partition.

    Its schema is that of the files (all of them unified, so a column that only newer
    partitions carry is seen), not the one this version of docprep writes: the report shows
    what the store holds.
    """
    values = partitions(out, table)
    if not values:
        return None
    files = [out.path(table.name, f"{table.partition}={value}", PART_FILE) for value in values]
    partitioning = ds.partitioning(pa.schema([table.schema.field(table.partition)]), flavor="hive")
    dataset = ds.dataset(
        files,
        filesystem=out.fs,
        format="parquet",
        partitioning=partitioning,
        partition_base_dir=out.path(table.name),
    )
    physical = []
    for fragment, value in zip(dataset.get_fragments(), values, strict=True):
        try:
            physical.append(fragment.physical_schema)
        except (OSError, pa.ArrowException) as error:
            relative = f"{table.name}/{table.partition}={value}/{PART_FILE}"
            raise damaged(out, relative, error) from None
    schema = pa.unify_schemas([*physical, pa.schema([table.schema.field(table.partition)])])
    return dataset.replace_schema(schema)
