"""The Parquet datasets under OUT: what they hold, and crash-safe upserts into them.

Each partition of each table is one file, `part-0.parquet`. A run stages its rows under
`_staging/<run_id>/`, then commits in two phases. First every touched partition is written
whole beside its file, under a temporary name carrying the run id, and so is the runs table;
an error or an interruption there removes those files again and OUT is as before. Then the
journal lists the files to move into place, and they are renamed (paragraphs and rejects
before documents) with Ctrl-C held back until all are; a process that dies in between is
finished by the next run from the journal. The journal also names the run that is staging, so
docprep deletes only what its runs made.
"""

from __future__ import annotations

import itertools
import json
import os
import posixpath
from collections.abc import Collection, Iterable, Iterator, Mapping, Set
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from tasks.output.deferred_signals import deferred_signals
from tasks.output.schema import DOCUMENTS, REJECTS, ROW_GROUP_BYTES, TABLES, Table
from tasks.quality import rules_in_detail
from tasks.rejection import Reason
from tasks.storage import DamagedOutput, Folder, damaged

PART_FILE = "part-0.parquet"
STAGING = "_staging"
JOURNAL = "_journal.json"
RUNS_DIR = "runs"
RUNS_FILE = posixpath.join(RUNS_DIR, PART_FILE)
_READ_BATCH_ROWS = 8192
# Staged rows are uncompressed Arrow IPC files: written and read back in a fifth of a zstd
# Parquet file's time, for about twice its size on disk until the commit (benchmarks/README.md,
# issue 18). Only docprep reads them.
STAGED_SUFFIX = ".arrow"
# The journal's states: a run is staging rows, or is moving its written files into place.
_STAGING_STATE, _MOVING_STATE = "staging", "moving"


class OutdatedOutput(DamagedOutput):
    """OUT holds a table written by an older docprep, without columns this one writes."""


class CommitIncomplete(RuntimeError):
    """A commit that could neither be finished nor undone: the next run finishes it."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one stored row of a source lives: its table, partition and content hash, and the
    quality rules it fails (a document's flags; those a `low_quality` reject names), and
    for such a reject, the rules it was dropped for."""

    doc_id: str
    content_sha256: str | None
    table: str
    partition: str
    source: str = ""
    quality_flags: tuple[str, ...] = ()
    dropped_for: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What the commit does to one file under OUT: replace it by its new version, or delete it."""

    relative: str
    replace: bool


def partition_parts(table: Table, value: str) -> tuple[str, str]:
    """The path parts of one Hive partition folder of `table`."""
    return table.name, f"{table.partition}={value}"


def _part_file(table: Table, value: str) -> str:
    """The path of the one file of a partition of `table`, relative to OUT."""
    return posixpath.join(*partition_parts(table, value), PART_FILE)


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
    """Every stored `documents` and `rejects` row: source id, hash, partition, source, flags."""
    found: list[Placement] = []
    for table in (DOCUMENTS, REJECTS):
        for value in partitions(out, table):
            flags = _flags_column(table, value)
            names = ["doc_id", "content_sha256", "source", *([flags] if flags else [])]
            columns = _read_columns(out, _part_file(table, value), table, names)
            rules = map(_rules_of, columns[flags]) if flags else itertools.repeat(((), ()))
            found.extend(
                Placement(doc_id, sha, table.name, value, source, flagged, dropped)
                for doc_id, sha, source, (flagged, dropped) in zip(
                    columns["doc_id"],
                    columns["content_sha256"],
                    columns["source"],
                    rules,
                    strict=False,
                )
            )
    return found


def _flags_column(table: Table, partition: str) -> str | None:
    """The column in which the stored rows of a partition name the quality rules they fail."""
    if table is DOCUMENTS:
        return "quality_flags"
    if table is REJECTS and partition == Reason.LOW_QUALITY:
        return "detail"
    return None


def _rules_of(value: list[str] | str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The quality flags of a stored row and the rules it was dropped for: a document's
    flags, or what a `low_quality` reject's detail names."""
    if isinstance(value, list):
        return tuple(value), ()
    dropped, flags = rules_in_detail(value)
    return flags, dropped


def _read_columns(
    out: Folder, relative: str, table: Table, names: list[str]
) -> dict[str, list[Any]]:
    """Columns of one stored partition file; a file from an older docprep must be rebuilt."""
    try:
        with out.fs.open_input_file(out.path(relative)) as source:  # a file: no pandas
            stored = pq.ParquetFile(source)
            have = stored.schema_arrow.names
            missing = [name for name in table.file_schema.names if name not in have]
            if missing:
                raise OutdatedOutput(
                    f"{out.path(relative)} was written by an older docprep (no column "
                    f"{missing[0]}); run again with --full-refresh to rebuild OUT from SOURCE"
                )
            columns: dict[str, list[Any]] = stored.read(columns=names).to_pydict()
        return columns
    except (OSError, pa.ArrowException) as error:
        raise damaged(out, relative, error) from None


def stored_rows(
    out: Folder,
    table: Table,
    values: Collection[str] | None = None,
    columns: list[str] | None = None,
) -> Iterator[pa.Table]:
    """The stored rows of `table` (of the partitions `values`, or all), a row group at a time,
    with their partition column.

    Row groups, not batches: a batch of a fixed number of rows may span several row groups,
    and the reader then holds all of them at once (measured: 106 MiB against 28 MiB for the
    `minhash` partition of 8,500 documents).
    """
    for value in partitions(out, table) if values is None else sorted(values):
        relative = _part_file(table, value)
        if not out.is_file(relative):
            continue
        try:
            stored = pq.ParquetFile(out.fs.open_input_file(out.path(relative)))
            for group in range(stored.num_row_groups):
                rows = stored.read_row_group(group, columns=columns)
                yield _with_partition(rows, table, value)
        except (OSError, pa.ArrowException) as error:
            raise damaged(out, relative, error) from None


def staged_rows(
    out: Folder, run_id: str, table: Table, columns: list[str] | None = None
) -> pa.Table:
    """Every row run `run_id` staged for `table` (only `columns`, if given), with its partition."""
    names = columns or table.file_schema.names
    parts = [
        pa.schema([table.schema.field(name) for name in [*names, table.partition]]).empty_table()
    ]
    for value in sorted(_staged_partitions(out, run_id, table)):
        batches = list(_staged(out, run_id, table, value))
        rows = pa.Table.from_batches(batches, table.file_schema).select(names)
        parts.append(_with_partition(rows, table, value))
    return pa.concat_tables(parts)


def _with_partition(rows: pa.Table, table: Table, value: str) -> pa.Table:
    """`rows` of one partition of `table` with its partition column."""
    column = pa.array([value] * len(rows), pa.string())
    return rows.append_column(table.schema.field(table.partition), column)


def begin_run(out: Folder, run_id: str) -> None:
    """Record in the journal that run `run_id` is about to stage rows under OUT."""
    _write_journal(out, {"run_id": run_id, "state": _STAGING_STATE})


def stage_rows(out: Folder, run_id: str, table: Table, batch_name: str, rows: pa.Table) -> None:
    """Stage one batch's rows for `table`, a file per partition."""
    column = rows[table.partition]
    for value in pc.unique(column).to_pylist():
        part = rows.filter(pc.equal(column, value)).select(table.file_schema.names)
        folder = out.path(*_staged_parts(run_id, table, value))
        out.fs.create_dir(folder, recursive=True)
        with (
            out.fs.open_output_stream(
                posixpath.join(folder, f"{batch_name}{STAGED_SUFFIX}")
            ) as sink,
            ipc.new_file(sink, table.file_schema) as writer,  # uncompressed, the default
        ):
            writer.write_table(part.cast(table.file_schema), max_chunksize=_READ_BATCH_ROWS)


def recover(out: Folder, *, full_refresh: bool = False) -> None:
    """Finish or undo what an interrupted run left, as its journal tells; nothing else.

    A run that died while moving its files into place is finished; one that died earlier is
    undone: its staged rows and temporary files (named by its run id) are deleted.
    """
    if not out.is_file(JOURNAL):
        return
    try:
        journal = json.loads(out.read_bytes(JOURNAL))
        run_id = str(journal["run_id"])
        state = journal["state"]
    except (ValueError, KeyError, TypeError) as error:
        if not full_refresh:  # a full refresh reads nothing it replaces, and rewrites the journal
            raise damaged(out, JOURNAL, error) from None
        out.delete_file(JOURNAL)
        return
    if state == _MOVING_STATE:
        _finish_moving(out, run_id, journal["replace"], journal["delete"])
    else:
        _discard(out, run_id)


def commit(
    out: Folder,
    run_id: str,
    replaced: Set[str],
    touched: Mapping[str, Set[str]],
    runs: pa.Table,
    replace_all: bool = False,
    replaced_in: Mapping[str, Set[str]] | None = None,
) -> None:
    """Rewrite the touched partitions (stored rows of `replaced` ids out, staged rows in) and
    the runs table (`runs`): all of it, or, on any error or interruption, none of it.

    `replaced_in` names, for some tables, other keys (`Table.key`) whose stored rows go.
    """
    staged = {table.name: _staged_partitions(out, run_id, table) for table in TABLES}
    plan = {
        table.name: sorted(touched.get(table.name, set()) | staged[table.name]) for table in TABLES
    }
    drops = {
        table.name: pa.array(sorted((replaced_in or {}).get(table.name, replaced)), pa.string())
        for table in TABLES
    }
    # Partitions of a table are written side by side: pyarrow encodes, compresses and uploads
    # without holding the GIL.
    writers = ThreadPoolExecutor(os.cpu_count() or 1)
    try:
        outcomes: list[_Outcome] = []
        with writers:
            for table in TABLES:
                drop = drops[table.name]
                write = partial(
                    _write_partition, out, run_id, table, drop=drop, replace_all=replace_all
                )
                written = list(writers.map(write, plan[table.name]))
                outcomes += written + _placeholder_outcomes(out, run_id, table, written)
        _write_parquet(out, [runs], runs.schema, _temporary(RUNS_FILE, run_id), keep_empty=True)
        outcomes.append(_Outcome(RUNS_FILE, replace=True))
        replace = [outcome.relative for outcome in outcomes if outcome.replace]
        delete = [outcome.relative for outcome in outcomes if not outcome.replace]
        for relative in replace:
            out.sync(_temporary(relative, run_id))
        _write_journal(
            out, {"run_id": run_id, "state": _MOVING_STATE, "replace": replace, "delete": delete}
        )
    except BaseException:
        with deferred_signals():
            # No writer may still be writing a file while the run's files are deleted: an
            # interrupt can cut short the executor's own wait for them.
            writers.shutdown(wait=True, cancel_futures=True)
            _discard(out, run_id)
        raise
    with deferred_signals():
        _move_into_place(out, run_id, replace, delete)


def _write_partition(
    out: Folder, run_id: str, table: Table, value: str, *, drop: pa.Array, replace_all: bool
) -> _Outcome:
    """One partition written to its temporary file: stored rows unless dropped, then staged rows."""
    relative = _part_file(table, value)
    sources: list[Iterable[pa.RecordBatch]] = []
    if out.is_file(relative) and not replace_all:
        sources.append(_kept_rows(out, relative, table.key, drop))
    sources.append(_staged(out, run_id, table, value))
    batches = (batch for source in sources for batch in source)
    temporary = _temporary(relative, run_id)
    rows = _write_parquet(out, batches, table.file_schema, temporary, table.row_group_bytes)
    return _Outcome(relative, replace=rows > 0)


def _kept_rows(out: Folder, relative: str, key: str, drop: pa.Array) -> Iterator[pa.RecordBatch]:
    """The stored rows of one partition file whose `key` is not in `drop`."""
    try:
        stored = pq.ParquetFile(out.fs.open_input_file(out.path(relative)))
        for batch in stored.iter_batches(batch_size=_READ_BATCH_ROWS):
            yield batch.filter(pc.invert(pc.is_in(batch[key], drop)))
    except (OSError, pa.ArrowException) as error:
        raise damaged(out, relative, error) from None


def _placeholder_outcomes(
    out: Folder, run_id: str, table: Table, written: list[_Outcome]
) -> list[_Outcome]:
    """Keep exactly one zero-row file while `table` is empty, and none otherwise."""
    relative = _part_file(table, table.placeholder)
    files = {_part_file(table, value) for value in partitions(out, table)}
    files |= {outcome.relative for outcome in written if outcome.replace}
    files -= {outcome.relative for outcome in written if not outcome.replace}
    if not files:
        _write_parquet(out, [], table.file_schema, _temporary(relative, run_id), keep_empty=True)
        return [_Outcome(relative, replace=True)]
    rewritten = any(outcome.relative == relative for outcome in written)
    if (
        len(files) > 1
        and relative in files
        and not rewritten
        and pq.read_metadata(out.path(relative), filesystem=out.fs).num_rows == 0
    ):
        return [_Outcome(relative, replace=False)]
    return []


def _move_into_place(out: Folder, run_id: str, replace: list[str], delete: list[str]) -> None:
    """Put the run's written files in place and delete the emptied ones, or, on an error, undo it.

    The files replaced keep a link under a name with the run id until all are in place, so an
    error part-way restores them; only when undoing fails too is OUT left for the next run.
    """
    done: list[str] = []
    try:
        for relative in replace:
            if out.is_file(relative):
                out.keep_copy(relative, _previous(relative, run_id))
            out.move(_temporary(relative, run_id), relative)
            done.append(relative)
        for relative in delete:
            out.move(relative, _previous(relative, run_id))
            done.append(relative)
    except BaseException as error:
        try:
            _restore(out, run_id, done)
            _discard(out, run_id)
        except BaseException as undo_error:
            raise CommitIncomplete(
                f"the commit into {out.uri} could not be finished ({error}) nor undone "
                f"({undo_error}); the next docprep run on it completes the commit"
            ) from error
        raise
    try:
        _finish(out, run_id, replace + delete)
    except BaseException as error:
        raise CommitIncomplete(
            f"the commit into {out.uri} is in place, but clearing up after it failed ({error}); "
            "the next docprep run on it completes the commit"
        ) from error


def _finish_moving(out: Folder, run_id: str, replace: list[str], delete: list[str]) -> None:
    """Complete a commit whose process died while moving its files into place."""
    for relative in replace:
        if out.is_file(_temporary(relative, run_id)):
            out.move(_temporary(relative, run_id), relative)
    for relative in delete:
        out.delete_file(relative)
    _finish(out, run_id, replace + delete)


def _finish(out: Folder, run_id: str, changed: list[str]) -> None:
    """Drop the previous versions kept for undoing, make the moves durable, end the journal."""
    for relative in changed:
        out.delete_file(_previous(relative, run_id))
        out.remove_if_empty(posixpath.dirname(relative))
    out.sync_folders({posixpath.dirname(relative) for relative in changed})
    _end_run(out, run_id)


def _restore(out: Folder, run_id: str, done: list[str]) -> None:
    """Put back the previous version of each file in `done` (none: the file was new)."""
    for relative in reversed(done):
        if out.is_file(_previous(relative, run_id)):
            out.move(_previous(relative, run_id), relative)
        else:
            out.delete_file(relative)
            out.remove_if_empty(posixpath.dirname(relative))


def _discard(out: Folder, run_id: str) -> None:
    """Delete what run `run_id` wrote before its files were moved into place; end its journal."""
    # First the journal: a run dying here must not find a half-deleted set of files to move.
    begin_run(out, run_id)
    for relative in _leftovers(out, run_id):
        out.delete_file(relative)
        out.remove_if_empty(posixpath.dirname(relative))
    _end_run(out, run_id)


def _end_run(out: Folder, run_id: str) -> None:
    """Delete run `run_id`'s staged rows, then its journal."""
    out.delete_dir(STAGING, run_id)
    out.remove_if_empty(STAGING)
    out.delete_file(JOURNAL)


def _temporary(relative: str, run_id: str) -> str:
    """Where run `run_id` writes the new version of the file at `relative` before moving it."""
    folder, name = posixpath.split(relative)
    return posixpath.join(folder, f".{name}.{run_id}.tmp")


def _previous(relative: str, run_id: str) -> str:
    """Where run `run_id` keeps the version of `relative` it replaces until its commit is done."""
    folder, name = posixpath.split(relative)
    return posixpath.join(folder, f".{name}.{run_id}.old")


def _leftovers(out: Folder, run_id: str) -> list[str]:
    """The temporary files and kept versions run `run_id` may have left under OUT."""
    files = [RUNS_FILE]
    for table in TABLES:
        files += [
            posixpath.join(table.name, info.base_name, PART_FILE)
            for info in out.listing(table.name)
            if info.type == pafs.FileType.Directory
        ]
    candidates = (name(f, run_id) for f in files for name in (_temporary, _previous))
    return [relative for relative in candidates if out.is_file(relative)]


def _staged_parts(run_id: str, table: Table, value: str) -> tuple[str, ...]:
    """The path parts of the folder where run `run_id` stages one partition of `table`."""
    return (STAGING, run_id, *partition_parts(table, value))


def _staged(out: Folder, run_id: str, table: Table, value: str) -> Iterator[pa.RecordBatch]:
    """The rows run `run_id` staged for one partition of `table`, a batch at a time."""
    files = sorted(
        info.path
        for info in out.listing(*_staged_parts(run_id, table, value))
        if info.base_name.endswith(STAGED_SUFFIX)
    )
    for path in files:
        with out.fs.open_input_file(path) as source:
            staged = ipc.open_file(source)
            for index in range(staged.num_record_batches):
                yield staged.get_batch(index)


def _staged_partitions(out: Folder, run_id: str, table: Table) -> set[str]:
    """The partition values of the rows staged for `table`."""
    prefix = f"{table.partition}="
    return {
        info.base_name.removeprefix(prefix)
        for info in out.listing(STAGING, run_id, table.name)
        if info.base_name.startswith(prefix)
    }


def _write_journal(out: Folder, journal: dict[str, object]) -> None:
    """Replace the journal, whole, and make it durable."""
    out.write_bytes(json.dumps(journal).encode(), JOURNAL)


def _write_parquet(
    out: Folder,
    batches: Iterable[pa.RecordBatch | pa.Table],
    schema: pa.Schema,
    relative: str,
    group_bytes: int = ROW_GROUP_BYTES,
    keep_empty: bool = False,
) -> int:
    """Write `batches` as one zstd Parquet file at `relative`; the rows.

    Without rows nothing is written, unless `keep_empty`.
    """
    pending = (batch for batch in batches if batch.num_rows)
    first = next(pending, None)
    if first is None and not keep_empty:
        return 0
    everything = itertools.chain([] if first is None else [first], pending)
    rows = 0
    path = out.path(relative)
    out.fs.create_dir(posixpath.dirname(path), recursive=True)
    with pq.ParquetWriter(path, schema, compression="zstd", filesystem=out.fs) as writer:
        for group in _row_groups(everything, schema, group_bytes):
            writer.write_table(group)
            rows += group.num_rows
    return rows


def _row_groups(
    batches: Iterable[pa.RecordBatch | pa.Table], schema: pa.Schema, group_bytes: int
) -> Iterator[pa.Table]:
    """`batches` as `schema` tables gathered (or cut) to about `group_bytes` each."""
    gathered: list[pa.Table] = []
    size = 0
    for batch in batches:
        table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        table = table.cast(schema)
        # A batch larger than a group is cut: a reader holds a whole group at once.
        rows = max(1, table.num_rows * group_bytes // max(table.nbytes, 1))
        for start in range(0, table.num_rows, rows):
            piece = table.slice(start, rows)
            gathered.append(piece)
            size += table.nbytes * piece.num_rows // table.num_rows
            if size >= group_bytes:
                yield pa.concat_tables(gathered)
                gathered, size = [], 0
    if gathered:
        yield pa.concat_tables(gathered)
