"""What `docprep` says when it cannot do what it was asked: one line, the right exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def docprep(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `docprep` command line in `cwd`, with the repository's code; its output.

    Unless `env` names a PREFECT_API_URL, a run starts and stops a temporary server of its own.
    """
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    environment.pop("PREFECT_API_URL", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_one_line(stderr: str) -> str:
    """The one docprep line `stderr` holds, with no traceback and no Prefect noise beside it."""
    assert "Traceback" not in stderr
    assert "Error logging to API" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("docprep:")]
    assert len(lines) == 1, stderr
    return lines[0]


# Each a usage error: SOURCE is an existing folder `src`, OUT would be `out`, in a fresh folder.
USAGE_ERRORS = {
    "negative batch size": ["run", "src", "--output", "out", "--batch-size", "-1"],
    "zero batch size": ["run", "src", "--output", "out", "--batch-size", "0"],
    "batch size not a number": ["run", "src", "--output", "out", "--batch-size", "many"],
    "fractional batch size": ["run", "src", "--output", "out", "--batch-size", "2.5"],
    "unknown option": ["run", "src", "--output", "out", "--fast"],
    "missing source": ["run", "nowhere", "--output", "out"],
    "source of an unknown scheme": ["run", "foo://bar", "--output", "out"],
    "out of an unknown scheme": ["run", "src", "--output", "foo://bar/out"],
    "s3 without a bucket": ["run", "src", "--output", "s3://"],
    "served source of an unknown scheme": ["serve", "foo://bar", "--interval", "60"],
    "zero interval": ["serve", "src", "--output", "out", "--interval", "0"],
    "negative interval": ["serve", "src", "--output", "out", "--interval", "-60"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_error_is_one_line_exit_2_and_creates_nothing(
    args: list[str], tmp_path: Path
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("date 2024-11-02 The council met on Monday.")

    result = docprep(*args, cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    assert_one_line(result.stderr)
    assert result.stderr.count("\n") == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["src"]


def test_a_deployment_with_a_bad_batch_size_fails_before_any_work(
    tmp_path: Path, prefect_server: str
) -> None:
    from flows.ingest import ingest

    (tmp_path / "src").mkdir()
    with pytest.raises(ValueError, match="batch_size must be a positive whole number, not -1"):
        ingest(source=str(tmp_path / "src"), output=str(tmp_path / "out"), batch_size=-1)
    assert not (tmp_path / "out").exists()


def test_a_run_that_cannot_start_says_so_in_one_line_and_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("date 2024-11-02 The council met on Monday.")
    env = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "0"}  # no server can start in 0 s

    result = docprep("run", "src", "--output", "out", cwd=tmp_path, env=env)

    assert result.returncode == 1
    line = assert_one_line(result.stderr)
    assert "the temporary Prefect server did not start" in line
    assert sorted(path.name for path in tmp_path.iterdir()) == ["src"]


def test_a_failed_run_is_one_line_and_its_traceback_is_there_with_debug(
    tmp_path: Path, prefect_server: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("date 2024-11-02 The council met on Monday.")
    broken = tmp_path / "out" / "documents" / "month=2024-11"
    broken.mkdir(parents=True)
    (broken / "part-0.parquet").write_bytes(b"not a Parquet file")

    result = docprep("run", "src", "--output", "out", cwd=tmp_path)

    assert result.returncode == 1
    line = assert_one_line(result.stderr)
    damaged = f"docprep: {broken / 'part-0.parquet'} is damaged ("
    assert line.startswith(damaged)
    assert line.endswith("run again with --full-refresh to rebuild OUT from SOURCE")
    assert result.stderr.count("\n") == 1

    server = {"PREFECT_API_URL": prefect_server}  # the session's: no second temporary server
    debugged = docprep("run", "src", "--output", "out", "--debug", cwd=tmp_path, env=server)

    assert debugged.returncode == 1
    assert "Traceback" in debugged.stderr
    assert debugged.stderr.splitlines()[-1].startswith(damaged)
