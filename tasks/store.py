"""The Parquet datasets under OUT: what they hold, and crash-safe upserts into them.

Each partition of each table is one file, `part-0.parquet`. A run stages its rows under
`_staging/<run_id>/`, then rewrites only the partitions it touches: old rows minus the
replaced documents, plus the new rows, written to a hidden temporary file and renamed into
place. Paragraphs and rejects are committed before documents, and a journal names the
partitions being rewritten, so a crash at any point is repaired by the next run.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from tasks.schema import DOCUMENTS, REJECTS, TABLES, Table

PART_FILE = "part-0.parquet"
STAGING = "_staging"
JOURNAL = "_journal.json"
LOCK = ".docprep.lock"
_READ_BATCH_ROWS = 8192


class OutputBusy(RuntimeError):
    """Another run holds the output folder."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one stored row of a source lives: its table, partition and content hash."""

    doc_id: str
    content_sha256: str | None
    table: str
    partition: str


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the one-writer lock on `out` for the duration of the block."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+") as handle:
        _lock_or_raise(out, handle)
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_not_busy(out: Path) -> None:
    """Raise OutputBusy if another run holds `out` now (a courtesy check before a run starts)."""
    if (out / LOCK).is_file():
        with open(out / LOCK, "a+") as handle:
            _lock_or_raise(out, handle)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_or_raise(out: Path, handle: IO[str]) -> None:
    """Take the lock on the open lock file, or raise OutputBusy naming its holder."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        raise OutputBusy(
            f"{out} is being written by another docprep run ({holder}); "
            "wait for it to finish or choose another --output"
        ) from None


def partition_dir(out: Path, table: Table, value: str) -> Path:
    """The folder of one Hive partition of `table`."""
    return out / table.name / f"{table.partition}={value}"


def partitions(out: Path, table: Table) -> list[str]:
    """The partition values that `table` holds files for."""
    prefix = f"{table.partition}="
    root = out / table.name
    if not root.is_dir():
        return []
    return sorted(
        entry.name.removeprefix(prefix)
        for entry in root.iterdir()
        if entry.name.startswith(prefix) and (entry / PART_FILE).is_file()
    )


def placements(out: Path) -> list[Placement]:
    """Every stored `documents` and `rejects` row, by source id, hash and partition."""
    found: list[Placement] = []
    for table in (DOCUMENTS, REJECTS):
        for value in partitions(out, table):
            path = partition_dir(out, table, value) / PART_FILE
            columns = pq.read_table(path, columns=["doc_id", "content_sha256"]).to_pydict()
            found.extend(
                Placement(doc_id, sha, table.name, value)
                for doc_id, sha in zip(columns["doc_id"], columns["content_sha256"], strict=True)
            )
    return found


def staging_dir(out: Path, run_id: str) -> Path:
    """The folder where the batches of run `run_id` stage their rows."""
    return out / STAGING / run_id


def stage_rows(staging: Path, table: Table, batch_name: str, rows: pa.Table) -> None:
    """Stage one batch's rows for `table` (written whole or not at all)."""
    if rows.num_rows == 0:
        return
    folder = staging / table.name
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / f"{batch_name}.parquet", [rows], table.schema)


def clear_staging(out: Path) -> None:
    """Remove rows staged by runs that never committed them."""
    shutil.rmtree(out / STAGING, ignore_errors=True)


def clear_leftovers(out: Path) -> None:
    """Remove what interrupted runs left behind: staged rows and half-written files."""
    clear_staging(out)
    for table in TABLES:
        for tmp in (out / table.name).glob("*/.*.tmp"):
            tmp.unlink(missing_ok=True)


def journaled_partitions(out: Path) -> dict[str, set[str]]:
    """The partitions an interrupted commit may have left half-updated, by table."""
    path = out / JOURNAL
    if not path.is_file():
        return {}
    return {name: set(values) for name, values in json.loads(path.read_text()).items()}


def commit(
    out: Path,
    staging: Path,
    replaced: set[str],
    touched: dict[str, set[str]],
    replace_all: bool = False,
) -> None:
    """Rewrite the touched partitions: stored rows of `replaced` ids out, staged rows in."""
    staged = {table.name: _staged_partitions(staging, table) for table in TABLES}
    plan = {
        table.name: sorted(touched.get(table.name, set()) | staged[table.name]) for table in TABLES
    }
    _write_journal(out, plan)
    drop = pa.array(sorted(replaced), pa.string())
    for table in TABLES:
        for value in plan[table.name]:
            _rewrite_partition(out, staging, table, value, drop, replace_all)
        _keep_readable(out, table)
    (out / JOURNAL).unlink(missing_ok=True)
    clear_staging(out)


def _staged_partitions(staging: Path, table: Table) -> set[str]:
    """The partition values of the rows staged for `table`."""
    folder = staging / table.name
    if not folder.is_dir():
        return set()
    column = ds.dataset(folder, format="parquet").to_table(columns=[table.partition])
    return set(pc.unique(column[table.partition]).to_pylist())


def _write_journal(out: Path, plan: dict[str, list[str]]) -> None:
    """Record the partitions about to be rewritten, merged with any earlier unfinished plan."""
    merged = journaled_partitions(out)
    for name, values in plan.items():
        merged.setdefault(name, set()).update(values)
    text = json.dumps({name: sorted(values) for name, values in merged.items()})
    tmp = out / f".{JOURNAL}.tmp"
    tmp.write_text(text)
    os.replace(tmp, out / JOURNAL)


def _rewrite_partition(
    out: Path, staging: Path, table: Table, value: str, drop: pa.Array, replace_all: bool
) -> None:
    """One partition rewritten: stored rows kept unless dropped, staged rows appended."""
    folder = partition_dir(out, table, value)
    target = folder / PART_FILE
    batches: list[Iterable[pa.RecordBatch]] = []
    if target.is_file() and not replace_all:
        stored = pq.ParquetFile(target).iter_batches(batch_size=_READ_BATCH_ROWS)
        batches.append(batch.filter(pc.invert(pc.is_in(batch["doc_id"], drop))) for batch in stored)
    if (staging / table.name).is_dir():
        rows = ds.dataset(staging / table.name, format="parquet", schema=table.schema)
        selected = rows.to_batches(
            columns=table.file_schema.names, filter=pc.field(table.partition) == value
        )
        batches.append(selected)
    folder.mkdir(parents=True, exist_ok=True)
    if not _write_atomically(target, (b for part in batches for b in part), table.file_schema):
        target.unlink(missing_ok=True)
        with suppress(OSError):  # something else still lives in the folder
            folder.rmdir()


def _keep_readable(out: Path, table: Table) -> None:
    """Keep exactly one zero-row placeholder file while `table` is empty, and none otherwise."""
    values = partitions(out, table)
    placeholder = partition_dir(out, table, table.placeholder) / PART_FILE
    if not values:
        placeholder.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(placeholder.with_name(f".{PART_FILE}.tmp"), table.file_schema):
            pass
        os.replace(placeholder.with_name(f".{PART_FILE}.tmp"), placeholder)
    elif (
        len(values) > 1
        and table.placeholder in values
        and pq.ParquetFile(placeholder).metadata.num_rows == 0
    ):
        placeholder.unlink()
        placeholder.parent.rmdir()


def _write_atomically(
    target: Path, batches: Iterable[pa.RecordBatch | pa.Table], schema: pa.Schema
) -> int:
    """Write `batches` to `target` through a hidden temporary file; the rows written."""
    tmp = target.with_name(f".{target.name}.tmp")
    rows = 0
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
                writer.write_table(table.cast(schema))
                rows += batch.num_rows
    if rows == 0:
        tmp.unlink()
        return 0
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    return rows
