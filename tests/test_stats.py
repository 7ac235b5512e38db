"""`docprep stats` and the runs row, over a small OUT written by a real `docprep run`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import EXIT_OK, EXIT_USAGE, main
from tasks.output import recorded_runs
from tasks.storage import Folder
from tests.duckdb_reads import rows
from tests.paths import REPO


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, prefect_server: str) -> Path:
    """OUT after one `docprep run` over the seed, an empty file and an undated one."""
    root = tmp_path_factory.mktemp("stats")
    source = shutil.copytree(REPO / "seeds", root / "source")
    (source / "empty.txt").write_text("")
    (source / "undated.txt").write_text("No date header here, only a sentence or two of text.\n")
    env = {**os.environ, "PREFECT_API_URL": prefect_server}
    run = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(source), "--output", str(root / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == EXIT_OK, run.stderr[-3000:]
    return root / "out"


def test_the_run_is_recorded_with_its_counts(ingested: Path) -> None:
    (row,) = recorded_runs(Folder(ingested)).to_pylist()

    assert row["deployment"] == "cli"
    assert row["source"] == str((ingested.parent / "source").resolve())
    assert (row["discovered"], row["processed"], row["documents"], row["rejects"]) == (3, 3, 1, 2)
    assert row["paragraphs"] > 0
    assert row["started_at"] <= row["ended_at"]


def test_stats_prints_months_languages_rejects_and_runs_in_80_columns(
    ingested: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["stats", str(ingested)]) == EXIT_OK
    lines = [line.rstrip() for line in capsys.readouterr().out.splitlines()]

    assert max(len(line) for line in lines) <= 80
    for title in ("Documents per month", "Languages", "Top reject reasons", "Last runs"):
        assert title in lines
    headers = ["started (UTC)", "deployment", "processed", "documents", "rejects", "seconds"]
    assert any(re.split(r"\s{2,}", line.strip()) == [*headers, "docs/s"] for line in lines)
    assert "…" not in "\n".join(lines)
    (run,) = recorded_runs(Folder(ingested)).to_pylist()
    started = run["started_at"].strftime("%Y-%m-%d %H:%M")
    assert any(line.startswith(f"{started}  cli ") for line in lines)
    month = next(line for line in lines if line.startswith("2024-11"))
    assert month.split()[1] == "1"
    assert any(line.split()[:3] == ["en", "1", "100.0"] for line in lines)
    assert any(line.split() == ["empty", "1", "empty.txt"] for line in lines)
    assert any(line.split() == ["missing_date", "1", "undated.txt"] for line in lines)


def test_stats_of_a_store_without_rejects_says_so(
    ingested: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = shutil.copytree(ingested.parent / "source", tmp_path / "source")
    for bad in ("empty.txt", "undated.txt"):
        (source / bad).unlink()
    out = shutil.copytree(ingested, tmp_path / "out")
    assert main(["run", str(source), "--output", str(out), "--prune"]) == EXIT_OK
    assert rows(out, "SELECT count(*) FROM {rejects}") == [(0,)]
    capsys.readouterr()

    assert main(["stats", str(out)]) == EXIT_OK
    printed = capsys.readouterr().out

    assert "Top reject reasons\nNo rejects: every input became a document.\n" in printed
    assert "example" not in printed


def test_stats_of_a_folder_without_datasets_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["stats", str(tmp_path)]) == EXIT_USAGE
    assert main(["stats", str(tmp_path / "missing")]) == EXIT_USAGE
