"""`docprep stats` and the runs row, over a small OUT written by a real `docprep run`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import EXIT_OK, EXIT_USAGE, main
from tasks.runs import recorded_runs
from tasks.storage import Folder

REPO = Path(__file__).resolve().parent.parent


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


def test_stats_prints_months_languages_rejects_and_runs(
    ingested: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["stats", str(ingested)]) == EXIT_OK
    printed = capsys.readouterr().out

    titles = ("Documents per month", "Documents and distinct stories", "Languages")
    for title in (*titles, "Top reject reasons", "Last runs"):
        assert title in printed
    stories = printed.split("Documents and distinct stories")[1].split("Languages")[0]
    assert [cell.strip() for cell in stories.splitlines()[4].split("│")[1:-1]] == [
        "1",
        "1",
        "0",
        "0",
        "1",
    ]
    month = next(line for line in printed.splitlines() if "2024-11" in line)
    assert month.split("│")[2].strip() == "1"
    assert any("en" in line and "100.0" in line for line in printed.splitlines())
    assert any("empty" in line and "empty.txt" in line for line in printed.splitlines())
    assert any("missing_date" in line for line in printed.splitlines())
    assert any(" cli " in line for line in printed.splitlines())


def test_stats_of_a_folder_without_datasets_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["stats", str(tmp_path)]) == EXIT_USAGE
    assert main(["stats", str(tmp_path / "missing")]) == EXIT_USAGE
