"""The up-to-date check: said only when a run would change nothing, and then nothing is run."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.cli import main
from flows.ingest import ingest
from tasks.output.datasets import JOURNAL, RUNS_FILE
from tasks.quality import drop_rules
from tasks.storage import DamagedOutput, Folder
from tasks.up_to_date import UpToDate, up_to_date
from tests.duckdb_reads import TABLE_NAMES, rows
from tests.inputs import story

pytestmark = pytest.mark.usefixtures("prefect_server")

LONG_STORY = b"date 2024-03-01 " + b" ".join(
    f"The harbour board met on day {n} and agreed a plan for the new quay.".encode()
    for n in range(12)
)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """Three good inputs, one long enough to pass the short-document rule, and one bad one."""
    root = tmp_path / "src"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(story("2024-01-10", "the new bridge"))
    (root / "b.txt").write_bytes(LONG_STORY)
    (root / "sub" / "c.txt").write_bytes(story("2024-02-12", "the river park"))
    (root / "bad.txt").write_bytes(b"no header here")
    return root


def standing(
    source: Path, out: Path, *, prune: bool = False, drop: list[str] | None = None
) -> UpToDate | None:
    """What the up-to-date check says of OUT against SOURCE."""
    rules = drop_rules(drop or [])
    return up_to_date(Folder(str(source)), Folder(str(out)), prune=prune, drop=rules)


def stored(out: Path) -> dict[str, list[str]]:
    """Every row of every dataset as DuckDB reads it, each written out, in a stable order."""
    return {name: sorted(map(repr, rows(out, f"SELECT * FROM {{{name}}}"))) for name in TABLE_NAMES}


def recorded_runs(out: Path) -> int:
    """How many runs OUT's runs table holds."""
    count: int = rows(out, f"SELECT count(*) FROM '{out / RUNS_FILE}'")[0][0]
    return count


def test_a_store_just_written_is_up_to_date_and_counts_its_inputs(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert standing(source, out) is None  # nothing there yet
    assert main(["run", str(source), "--output", str(out)]) == 0

    found = standing(source, out)

    assert found is not None
    assert found.inputs == 4
    assert found.last_run_ended.tzinfo is not None
    ended = rows(out, f"SELECT epoch_us(max(ended_at)) FROM '{out / RUNS_FILE}'")[0][0]
    assert found.last_run_ended == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=ended)


def _touch_only(source: Path) -> None:
    stamp = (source / "a.txt").stat().st_mtime + 60
    os.utime(source / "a.txt", (stamp, stamp))


def _rewrite_same_bytes(source: Path) -> None:
    (source / "a.txt").write_bytes((source / "a.txt").read_bytes())


def _change_content(source: Path) -> None:
    (source / "a.txt").write_bytes(story("2024-01-10", "the newer bridge"))


def _add_file(source: Path) -> None:
    (source / "d.txt").write_bytes(story("2024-03-14", "the town hall"))


def _fix_the_bad_file(source: Path) -> None:
    (source / "bad.txt").write_bytes(story("2024-01-11", "the fixed file"))


def _remove_file(source: Path) -> None:
    (source / "sub" / "c.txt").unlink()


def _rename_file(source: Path) -> None:
    (source / "b.txt").rename(source / "e.txt")


def _unreadable_file(source: Path) -> None:
    (source / "other.pdf").write_bytes(b"%PDF-1.4 not an input docprep reads")


# Each a change to SOURCE after a first run, and whether a run then has work to do.
CHANGES: dict[str, tuple[Callable[[Path], None], bool]] = {
    "nothing": (lambda source: None, False),
    "a file touched": (_touch_only, False),
    "a file rewritten with its bytes": (_rewrite_same_bytes, False),
    "a file's content changed": (_change_content, True),
    "a file added": (_add_file, True),
    "a rejected file fixed": (_fix_the_bad_file, True),
    "a file removed, no prune": (_remove_file, False),
    "a file renamed": (_rename_file, True),
    "a file docprep does not read added": (_unreadable_file, False),
}


@pytest.mark.parametrize(("change", "has_work"), CHANGES.values(), ids=CHANGES.keys())
def test_up_to_date_exactly_when_the_flow_changes_no_row(
    change: Callable[[Path], None], has_work: bool, source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    ingest(source=str(source), output=str(out))
    change(source)
    before = stored(out)

    found = standing(source, out)
    summary = ingest(source=str(source), output=str(out))  # the real flow, not the check

    assert (found is None) == has_work
    assert (stored(out) == before) == (not has_work)
    assert (summary.counts.inputs == 0) == (not has_work)


def test_a_removed_file_is_work_when_pruning(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(source=str(source), output=str(out))
    _remove_file(source)

    assert standing(source, out) is not None
    assert standing(source, out, prune=True) is None
    assert ingest(source=str(source), output=str(out), prune=True).pruned == 1


def test_dropping_a_rule_some_stored_document_fails_is_work(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(source=str(source), output=str(out))
    flagged = {
        rule for (flags,) in rows(out, "SELECT quality_flags FROM {documents}") for rule in flags
    }
    passed_by_all = sorted(drop_rules(["all"]) - flagged)
    assert "gopher_short_doc" in flagged and passed_by_all  # the fixture has both kinds

    assert standing(source, out, drop=["gopher_short_doc"]) is None
    assert standing(source, out, drop=[passed_by_all[0]]) is not None


def test_what_a_run_must_finish_or_redo_is_work(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(source=str(source), output=str(out))
    (out / "report.html").unlink()
    assert standing(source, out) is None  # the report is written again

    ingest(source=str(source), output=str(out))
    (out / JOURNAL).write_text('{"run_id": "interrupted", "state": "staging"}')
    assert standing(source, out) is None  # an interrupted run's leftovers are undone


def test_a_damaged_runs_table_stops_the_check_as_it_stops_a_run(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    ingest(source=str(source), output=str(out))
    (out / RUNS_FILE).write_bytes(b"not parquet")

    with pytest.raises(DamagedOutput, match="--full-refresh"):
        standing(source, out)
    assert main(["run", str(source), "--output", str(out)]) != 0


def test_an_unchanged_cli_run_says_up_to_date_and_records_nothing(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(source), "--output", str(out)]) == 0
    report = (out / "report.html").stat().st_mtime_ns
    capsys.readouterr()

    assert main(["run", str(source), "--output", str(out)]) == 0

    printed = capsys.readouterr().out
    assert "up to date" in printed and "4 found, 0 processed, 4 unchanged" in printed
    assert recorded_runs(out) == 1
    assert (out / "report.html").stat().st_mtime_ns == report
    _change_content(source)
    assert main(["run", str(source), "--output", str(out)]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert recorded_runs(out) == 2


def test_full_refresh_runs_even_when_up_to_date(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(source), "--output", str(out)]) == 0

    assert main(["run", str(source), "--output", str(out), "--full-refresh"]) == 0

    assert "up to date" not in capsys.readouterr().out
    assert recorded_runs(out) == 2
