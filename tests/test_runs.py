"""The runs table: one file, one row per run, rewritten whole; and a run's dates read back."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq

from tasks.documents import text_document
from tasks.output import PARAGRAPHS, REJECTS, RUNS_SCHEMA, Run, commit, document_rows, runs_with
from tasks.output.datasets import RUNS_DIR, RUNS_FILE
from tasks.output.runs import RunRecord, recorded_runs
from tasks.storage import Folder
from tasks.summary import counts_of, total
from tests.paths import SEEDS

SEED = next(SEEDS.glob("*.txt"))
START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def _record(run_id: str, started_at: datetime = START, documents: int = 3) -> RunRecord:
    """A runs-table row with plausible counts."""
    return RunRecord(
        run_id=run_id,
        deployment="daily",
        source="/data/in",
        started_at=started_at,
        ended_at=started_at + timedelta(seconds=42),
        discovered=5,
        processed=4,
        documents=documents,
        paragraphs=30,
        rejects=1,
        unchanged=1,
        pruned=0,
        skipped=2,
        docprep_version="0.1.0",
    )


def test_record_fields_are_the_schema_columns() -> None:
    assert [field.name for field in dataclasses.fields(RunRecord)] == RUNS_SCHEMA.names


def _committed(out: Folder, record: RunRecord) -> None:
    """Commit a run that wrote no row but its own in the runs table, as every run's commit does."""
    commit(out, record.run_id, set(), {}, runs_with(out, record))


def test_no_runs_before_the_first_is_recorded(tmp_path: Path) -> None:
    assert recorded_runs(Folder(tmp_path)).num_rows == 0
    assert recorded_runs(Folder(tmp_path)).schema == RUNS_SCHEMA


def test_runs_an_older_docprep_wrote_are_read_in_todays_schema(tmp_path: Path) -> None:
    _committed(Folder(tmp_path), _record("a"))
    path = tmp_path / RUNS_FILE
    older = pq.read_table(path).drop_columns(["docprep_version"])  # a column added later
    older = older.set_column(
        older.schema.get_field_index("documents"), "documents", older["documents"].cast("int32")
    )  # a type since widened
    pq.write_table(older, path)
    runs = recorded_runs(Folder(tmp_path))
    assert runs.schema == RUNS_SCHEMA
    assert runs.column("docprep_version").to_pylist() == [None]
    assert runs.column("documents").to_pylist() == [3]


def test_runs_accumulate_in_one_file_in_the_declared_schema(tmp_path: Path) -> None:
    _committed(Folder(tmp_path), _record("a"))
    _committed(Folder(tmp_path), _record("b", START + timedelta(days=1)))

    assert [path.name for path in (tmp_path / RUNS_DIR).iterdir()] == ["part-0.parquet"]
    stored = pq.read_table(tmp_path / RUNS_FILE)
    assert stored.schema == RUNS_SCHEMA
    rows = stored.to_pylist()
    assert [row["run_id"] for row in rows] == ["a", "b"]
    assert rows[1]["started_at"] == START + timedelta(days=1)
    assert rows[0]["started_at"].utcoffset() == timedelta(0)
    assert rows[0] == {**dataclasses.asdict(_record("a")), "started_at": rows[0]["started_at"]}


def test_recording_a_run_again_replaces_its_row(tmp_path: Path) -> None:
    _committed(Folder(tmp_path), _record("a", documents=3))
    _committed(Folder(tmp_path), _record("b"))
    _committed(Folder(tmp_path), _record("a", documents=7))

    rows = recorded_runs(Folder(tmp_path)).to_pylist()
    assert [(row["run_id"], row["documents"]) for row in rows] == [("b", 3), ("a", 7)]


def test_run_counts_carry_the_date_range() -> None:
    dated = text_document("a.txt", SEED.read_bytes())
    other = text_document("b.txt", b"date 2023-01-05 A short story about the harbour and the town.")
    counts = [
        counts_of(
            document_rows([d], Run("r", START)),
            PARAGRAPHS.schema.empty_table(),
            REJECTS.schema.empty_table(),
        )
        for d in (dated, other)
    ]
    assert total(counts).date_range == (date(2023, 1, 5), date(2024, 11, 2))
    assert total([]).date_range is None
