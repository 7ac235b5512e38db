"""The runs table: one file, one row per run, rewritten whole; and a run's dates read back."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tasks.documents import text_document
from tasks.records import Run, document_rows
from tasks.runs import RUNS_DIR, RunRecord, append_run, recorded_runs, run_dates, runs_file
from tasks.schema import DOCUMENTS, RUNS_SCHEMA

SEED = next((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
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


def test_no_runs_before_the_first_is_recorded(tmp_path: Path) -> None:
    assert recorded_runs(tmp_path).num_rows == 0
    assert recorded_runs(tmp_path).schema == RUNS_SCHEMA


def test_runs_accumulate_in_one_file_in_the_declared_schema(tmp_path: Path) -> None:
    append_run(tmp_path, _record("a"))
    append_run(tmp_path, _record("b", START + timedelta(days=1)))

    assert [path.name for path in (tmp_path / RUNS_DIR).iterdir()] == ["part-0.parquet"]
    stored = pq.read_table(runs_file(tmp_path))
    assert stored.schema == RUNS_SCHEMA
    rows = stored.to_pylist()
    assert [row["run_id"] for row in rows] == ["a", "b"]
    assert rows[1]["started_at"] == START + timedelta(days=1)
    assert rows[0]["started_at"].utcoffset() == timedelta(0)
    assert rows[0] == {**dataclasses.asdict(_record("a")), "started_at": rows[0]["started_at"]}


def test_recording_a_run_again_replaces_its_row(tmp_path: Path) -> None:
    append_run(tmp_path, _record("a", documents=3))
    append_run(tmp_path, _record("b"))
    append_run(tmp_path, _record("a", documents=7))

    rows = recorded_runs(tmp_path).to_pylist()
    assert [(row["run_id"], row["documents"]) for row in rows] == [("b", 3), ("a", 7)]


def test_a_run_with_no_documents_has_no_dates(tmp_path: Path) -> None:
    assert run_dates(tmp_path, "a") is None


@pytest.mark.parametrize(("run_id", "expected"), [("r1", (date(2024, 11, 2),) * 2), ("r2", None)])
def test_run_dates_cover_only_that_runs_documents(
    tmp_path: Path, run_id: str, expected: tuple[date, date] | None
) -> None:
    document = text_document("a.txt", SEED.read_bytes())
    rows = document_rows([document], Run("r1", START))
    folder = tmp_path / DOCUMENTS.name / f"{DOCUMENTS.partition}=2024-11"
    folder.mkdir(parents=True)
    pq.write_table(rows.drop_columns([DOCUMENTS.partition]), folder / "part-0.parquet")

    assert run_dates(tmp_path, run_id) == expected
