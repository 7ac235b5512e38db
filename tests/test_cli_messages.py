"""What `docprep` says when it cannot do what it was asked: one line, the right exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def docprep(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `docprep` command line in `cwd`, with the repository's code; its output."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=cwd,
        env=env,
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
