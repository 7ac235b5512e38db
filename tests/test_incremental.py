"""Re-runs: incremental, upserting by source, pruning on demand, rebuilding on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.cli import main
from tests.duckdb_reads import rows
from tests.inputs import story

pytestmark = pytest.mark.usefixtures("prefect_server")

ALL_ROWS = {
    "documents": "SELECT * EXCLUDE (run_id, ingested_at) FROM {documents} ORDER BY source",
    "paragraphs": "SELECT * FROM {paragraphs} ORDER BY doc_id, paragraph_index",
    "rejects": "SELECT * EXCLUDE (run_id, ingested_at) FROM {rejects} ORDER BY source",
}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A source folder with three good inputs and one bad one."""
    root = tmp_path / "src"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(story("2024-01-10", "the new bridge"))
    (root / "b.txt").write_bytes(story("2024-02-11", "the old market"))
    (root / "sub" / "c.txt").write_bytes(story("2024-02-12", "the river park"))
    (root / "bad.txt").write_bytes(b"no header here")
    return root


def run(source: Path, out: Path, *flags: str) -> None:
    """One CLI run that must succeed."""
    assert main(["run", str(source), "--output", str(out), *flags]) == 0


def snapshot(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, without the per-run columns."""
    return {table: rows(out, sql) for table, sql in ALL_ROWS.items()}


def outcomes(out: Path) -> list[tuple[str, str | None]]:
    """(source, reject reason or None) for every stored row, sorted."""
    return sorted(
        rows(
            out,
            "SELECT source, NULL FROM {documents} UNION ALL SELECT source, reason FROM {rejects}",
        ),
        key=lambda row: row[0],
    )


def parquet_files(out: Path) -> list[Path]:
    """Every Parquet file of the three data tables (the runs table grows by design)."""
    return sorted(path for table in ALL_ROWS for path in out.glob(f"{table}/**/*.parquet"))


def test_rerun_over_unchanged_input_changes_nothing(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(source, out)
    before, files = snapshot(out), parquet_files(out)
    mtimes = [path.stat().st_mtime_ns for path in files]
    run(source, out)
    assert snapshot(out) == before
    assert parquet_files(out) == files
    assert [path.stat().st_mtime_ns for path in files] == mtimes  # nothing rewritten
    run_ids = rows(out, "SELECT DISTINCT run_id FROM {documents}")
    assert len(run_ids) == 1


def test_changed_file_replaces_its_rows(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(source, out)
    (source / "a.txt").write_bytes(story("2023-12-31", "a longer bridge") + b"\n\nThird one here.")
    run(source, out)
    assert rows(out, "SELECT count(*), min(date) FROM {documents} WHERE source = 'a.txt'") == [
        (1, __import__("datetime").date(2023, 12, 31))
    ]
    paragraphs = rows(
        out,
        "SELECT p.text FROM {paragraphs} p JOIN {documents} d USING (doc_id) "
        "WHERE d.source = 'a.txt' ORDER BY paragraph_index",
    )
    assert [text for (text,) in paragraphs][-1] == "Third one here."
    assert len(paragraphs) == 3
    assert not (out / "documents" / "month=2024-01").exists()  # emptied partition removed


def test_good_and_bad_swap_places(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(source, out)
    (source / "b.txt").write_bytes(b"date 2024-02-30 impossible")
    (source / "bad.txt").write_bytes(story("2024-03-01", "the fixed header"))
    run(source, out)
    assert outcomes(out) == [
        ("a.txt", None),
        ("b.txt", "invalid_date"),
        ("bad.txt", None),
        ("sub/c.txt", None),
    ]
    orphans = rows(
        out,
        "SELECT count(*) FROM {paragraphs} WHERE doc_id NOT IN (SELECT doc_id FROM {documents})",
    )
    assert orphans == [(0,)]


def test_removed_file_stays_unless_pruned(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(source, out)
    (source / "sub" / "c.txt").unlink()
    (source / "bad.txt").unlink()
    run(source, out)
    assert [s for s, _ in outcomes(out)] == ["a.txt", "b.txt", "bad.txt", "sub/c.txt"]
    run(source, out, "--prune")
    assert outcomes(out) == [("a.txt", None), ("b.txt", None)]
    assert rows(out, "SELECT count(DISTINCT doc_id) FROM {paragraphs}") == [(2,)]
    assert rows(out, "SELECT count(*) FROM {rejects}") == [(0,)]  # empty, still readable


def test_full_refresh_rebuilds_from_source(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(source, out)
    before = snapshot(out)
    shutil.rmtree(source / "sub")
    run(source, out, "--full-refresh")
    after = snapshot(out)
    assert [row[1] for row in after["documents"]] == ["a.txt", "b.txt"]
    assert after["rejects"] == before["rejects"]
    assert len(rows(out, "SELECT DISTINCT run_id FROM {documents}")) == 1


def test_batches_in_worker_processes_give_the_same_rows(source: Path, tmp_path: Path) -> None:
    run(source, tmp_path / "one")  # one batch: processed in the flow process
    run(source, tmp_path / "many", "--batch-size", "1")  # four: in the process pool
    assert snapshot(tmp_path / "many") == snapshot(tmp_path / "one")


def test_inputs_over_max_bytes_are_too_large_and_stay_unchanged(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (source / "big.txt").write_bytes(story("2024-03-01", "the harbour") * 5)
    run(source, out, "--max-bytes", "500")
    assert ("big.txt", "too_large") in outcomes(out)
    assert ("a.txt", None) in outcomes(out)
    files = parquet_files(out)
    mtimes = [path.stat().st_mtime_ns for path in files]
    run(source, out, "--max-bytes", "500")  # hashed whole, so found unchanged
    assert [path.stat().st_mtime_ns for path in files] == mtimes
