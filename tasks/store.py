"""The Parquet datasets under OUT: what they hold, and crash-safe upserts into them.

Each partition of each table is one file, `part-0.parquet`. A run stages its rows under
`_staging/<run_id>/`, then rewrites only the partitions it touches: stored rows minus the
replaced documents, plus the new rows, each file appearing whole (a rename locally, a single
upload in object storage). Paragraphs and rejects are committed before documents, and a
journal names the partitions being rewritten, so a crash at any point is repaired by the next
run.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from tasks.schema import DOCUMENTS, REJECTS, TABLES, Table
from tasks.storage import Folder

PART_FILE = "part-0.parquet"
STAGING = "_staging"
JOURNAL = "_journal.json"
_READ_BATCH_ROWS = 8192
# Rows are gathered into row groups of about this much memory before writing: they are read
# back 8,192 rows at a time, and readers skip and scan far better by large groups.
ROW_GROUP_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one stored row of a source lives: its table, partition and content hash."""

    doc_id: str
    content_sha256: str | None
    table: str
    partition: str


def partition_parts(table: Table, value: str) -> tuple[str, str]:
    """The path parts of one Hive partition folder of `table`."""
    return table.name, f"{table.partition}={value}"


def partitions(out: Folder, table: Table) -> list[str]:
    """The partition values that `table` holds a file for."""
    prefix = f"{table.partition}="
    return sorted(
        info.base_name.removeprefix(prefix)
        for info in out.listing(table.name)
        if info.type == pafs.FileType.Directory
        and info.base_name.startswith(prefix)
        and out.is_file(table.name, info.base_name, PART_FILE)
    )


def placements(out: Folder) -> list[Placement]:
    """Every stored `documents` and `rejects` row, by source id, hash and partition."""
    found: list[Placement] = []
    for table in (DOCUMENTS, REJECTS):
        for value in partitions(out, table):
            path = out.path(*partition_parts(table, value), PART_FILE)
            columns = pq.read_table(
                path, columns=["doc_id", "content_sha256"], filesystem=out.fs
            ).to_pydict()
            found.extend(
                Placement(doc_id, sha, table.name, value)
                for doc_id, sha in zip(columns["doc_id"], columns["content_sha256"], strict=True)
            )
    return found


def stage_rows(out: Folder, run_id: str, table: Table, batch_name: str, rows: pa.Table) -> None:
    """Stage one batch's rows for `table`, a file per partition (each written whole or not)."""
    column = rows[table.partition]
    for value in pc.unique(column).to_pylist():
        part = rows.filter(pc.equal(column, value))
        parts = (*_staged_parts(run_id, table, value), f"{batch_name}.parquet")
        _write_parquet(out, [part], table.schema, *parts)


def clear_leftovers(out: Folder) -> None:
    """Remove what interrupted runs left behind: staged rows and half-written files."""
    out.delete_dir(STAGING)
    if out.is_local:
        for table in TABLES:
            for info in out.listing(table.name, recursive=True):
                if info.base_name.startswith(".") and info.base_name.endswith(".tmp"):
                    out.fs.delete_file(info.path)


def journaled_partitions(out: Folder) -> dict[str, set[str]]:
    """The partitions an interrupted commit may have left half-updated, by table."""
    if not out.is_file(JOURNAL):
        return {}
    return {name: set(values) for name, values in json.loads(out.read_bytes(JOURNAL)).items()}


def commit(
    out: Folder,
    run_id: str,
    replaced: set[str],
    touched: dict[str, set[str]],
    replace_all: bool = False,
) -> None:
    """Rewrite the touched partitions: stored rows of `replaced` ids out, staged rows in."""
    staged = {table.name: _staged_partitions(out, run_id, table) for table in TABLES}
    plan = {
        table.name: sorted(touched.get(table.name, set()) | staged[table.name]) for table in TABLES
    }
    _write_journal(out, plan)
    drop = pa.array(sorted(replaced), pa.string())
    # Partitions of a table are rewritten side by side: pyarrow encodes, compresses and
    # uploads without holding the GIL.
    with ThreadPoolExecutor(os.cpu_count() or 1) as writers:
        for table in TABLES:
            rewrite = partial(
                _rewrite_partition, out, run_id, table, drop=drop, replace_all=replace_all
            )
            list(writers.map(rewrite, plan[table.name]))
            _keep_readable(out, table)
    out.delete_file(JOURNAL)
    out.delete_dir(STAGING)


def _staged_parts(run_id: str, table: Table, value: str) -> tuple[str, ...]:
    """The path parts of the folder where run `run_id` stages one partition of `table`."""
    return (STAGING, run_id, *partition_parts(table, value))


def _staged(out: Folder, run_id: str, table: Table, value: str) -> Iterator[pa.RecordBatch]:
    """The rows run `run_id` staged for one partition of `table`, a batch at a time."""
    parts = _staged_parts(run_id, table, value)
    if not out.exists(*parts):
        return iter(())
    staged = ds.dataset(
        out.path(*parts), filesystem=out.fs, format="parquet", schema=table.file_schema
    )
    batches: Iterator[pa.RecordBatch] = staged.to_batches(batch_size=_READ_BATCH_ROWS)
    return batches


def _staged_partitions(out: Folder, run_id: str, table: Table) -> set[str]:
    """The partition values of the rows staged for `table`."""
    prefix = f"{table.partition}="
    return {
        info.base_name.removeprefix(prefix)
        for info in out.listing(STAGING, run_id, table.name)
        if info.base_name.startswith(prefix)
    }


def _write_journal(out: Folder, plan: dict[str, list[str]]) -> None:
    """Record the partitions about to be rewritten, merged with any earlier unfinished plan."""
    merged = journaled_partitions(out)
    for name, values in plan.items():
        merged.setdefault(name, set()).update(values)
    text = json.dumps({name: sorted(values) for name, values in merged.items()})
    out.write_bytes(text.encode(), JOURNAL)


def _rewrite_partition(
    out: Folder, run_id: str, table: Table, value: str, *, drop: pa.Array, replace_all: bool
) -> None:
    """One partition rewritten: stored rows kept unless dropped, staged rows appended."""
    parts = partition_parts(table, value)
    sources: list[Iterable[pa.RecordBatch]] = []
    if out.is_file(*parts, PART_FILE) and not replace_all:
        stored = pq.ParquetFile(out.fs.open_input_file(out.path(*parts, PART_FILE)))
        sources.append(
            batch.filter(pc.invert(pc.is_in(batch["doc_id"], drop)))
            for batch in stored.iter_batches(batch_size=_READ_BATCH_ROWS)
        )
    sources.append(_staged(out, run_id, table, value))
    if not _write_parquet(
        out, (b for s in sources for b in s), table.file_schema, *parts, PART_FILE
    ):
        out.delete_file(*parts, PART_FILE)
        out.remove_if_empty(*parts)


def _keep_readable(out: Folder, table: Table) -> None:
    """Keep exactly one zero-row placeholder file while `table` is empty, and none otherwise."""
    values = partitions(out, table)
    parts = partition_parts(table, table.placeholder)
    if not values:
        _write_parquet(out, [], table.file_schema, *parts, PART_FILE, keep_empty=True)
    elif (
        len(values) > 1
        and table.placeholder in values
        and pq.read_metadata(out.path(*parts, PART_FILE), filesystem=out.fs).num_rows == 0
    ):
        out.delete_file(*parts, PART_FILE)
        out.remove_if_empty(*parts)


def _write_parquet(
    out: Folder,
    batches: Iterable[pa.RecordBatch | pa.Table],
    schema: pa.Schema,
    *parts: str,
    keep_empty: bool = False,
) -> int:
    """Write `batches` as one zstd Parquet file at `parts`, whole or not at all; the rows.

    Without rows nothing is written, unless `keep_empty`.
    """
    pending = (batch for batch in batches if batch.num_rows)
    first = next(pending, None)
    if first is None and not keep_empty:
        return 0
    everything = itertools.chain([] if first is None else [first], pending)
    rows = 0

    def write(path: str) -> None:
        nonlocal rows
        with pq.ParquetWriter(path, schema, compression="zstd", filesystem=out.fs) as writer:
            for group in _row_groups(everything, schema):
                writer.write_table(group)
                rows += group.num_rows

    out.write_atomically(write, *parts)
    return rows


def _row_groups(
    batches: Iterable[pa.RecordBatch | pa.Table], schema: pa.Schema
) -> Iterator[pa.Table]:
    """`batches` as `schema` tables gathered to about ROW_GROUP_BYTES each."""
    gathered: list[pa.Table] = []
    size = 0
    for batch in batches:
        table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        gathered.append(table.cast(schema))
        size += table.nbytes
        if size >= ROW_GROUP_BYTES:
            yield pa.concat_tables(gathered)
            gathered, size = [], 0
    if gathered:
        yield pa.concat_tables(gathered)
