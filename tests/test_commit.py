"""The commit, called directly on a temporary folder: upserts, and all-or-nothing under faults."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tasks.batches import stage_batch
from tasks.identity import doc_id_for
from tasks.input_files import Reading
from tasks.output import Run, RunRecord, recorded_runs, runs_with
from tasks.output import datasets as store
from tasks.output.datasets import (
    JOURNAL,
    STAGING,
    CommitIncomplete,
    begin_run,
    commit,
    placements,
    recover,
)
from tasks.plan import Part
from tasks.storage import Folder
from tests.duckdb_reads import rows
from tests.inputs import story

STATE = {
    "documents": "SELECT * FROM {documents} ORDER BY source",
    "paragraphs": "SELECT * FROM {paragraphs} ORDER BY doc_id, paragraph_index",
    "rejects": "SELECT * FROM {rejects} ORDER BY source",
}
FIRST = {
    "a.txt": story("2024-01-10", "the new bridge"),
    "b.txt": story("2024-02-11", "the old market"),
    "c.txt": story("2024-03-12", "the river park"),
    "bad.txt": b"no header here",
}
# The second run changes a (to another month), turns b into a reject, fixes bad, adds d.
SECOND = {
    "a.txt": story("2024-04-01", "the new bridge, reopened"),
    "b.txt": b"date 2024-13-45 broken",
    "c.txt": FIRST["c.txt"],
    "bad.txt": story("2024-03-20", "the harbour"),
    "d.txt": story("2024-05-05", "the library"),
}


def state(out: Path) -> dict[str, Any]:
    """Every row of every table under `out`, as a reader sees it, and the runs recorded."""
    tables: dict[str, Any] = {name: rows(out, sql) for name, sql in STATE.items()}
    tables["runs"] = recorded_runs(Folder(out)).column("run_id").to_pylist()
    return tables


def assert_consistent(out: Path) -> None:
    """Each document has its n_paragraphs paragraphs, each the slice of its text at its offsets."""
    bad = rows(
        out,
        """SELECT d.source FROM {documents} d
           LEFT JOIN {paragraphs} p USING (doc_id)
           GROUP BY d.source, d.n_paragraphs
           HAVING count(p.doc_id) != d.n_paragraphs
               OR count(*) FILTER (WHERE substr(d.text, p.char_start + 1,
                                                p.char_end - p.char_start) != p.text) > 0""",
    )
    assert bad == []
    orphans = rows(
        out,
        "SELECT count(*) FROM {paragraphs} WHERE doc_id NOT IN (SELECT doc_id FROM {documents})",
    )
    assert orphans == [(0,)]


def ingest(src: Path, out: Path, inputs: dict[str, bytes], run_id: str) -> None:
    """Stage `inputs` under `out` as run `run_id` and commit them, as a run of the flow does."""
    stage(src, out, inputs, run_id)
    finish(out, inputs, run_id)


def stage(src: Path, out: Path, inputs: dict[str, bytes], run_id: str) -> None:
    """Write `inputs` into `src` (replacing what was there) and stage them as run `run_id`."""
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    for name, data in inputs.items():
        (src / name).write_bytes(data)
    folder = Folder(out)
    recover(folder)
    begin_run(folder, run_id)
    stage_batch(
        Folder(src),
        [Part(path) for path in sorted(inputs)],
        folder,
        Run(run_id, _started(run_id)),
        Reading(),
    )


def finish(out: Path, inputs: dict[str, bytes], run_id: str) -> None:
    """Commit run `run_id`'s staged rows, replacing every source it staged."""
    folder = Folder(out)
    touched: dict[str, set[str]] = {}
    for placement in placements(folder):
        touched.setdefault(placement.table, set()).add(placement.partition)
        if placement.table == "documents":
            touched.setdefault("paragraphs", set()).add(placement.partition)
    replaced = {doc_id_for(name) for name in inputs}
    commit(folder, run_id, replaced, touched, runs_with(folder, _record(run_id)))


def _started(run_id: str) -> datetime:
    """A fixed start time per run, so two identical runs write identical rows."""
    return datetime(2026, 1, 1 + int(run_id[-1]), tzinfo=UTC)


def _record(run_id: str) -> RunRecord:
    """A runs-table row for run `run_id`."""
    started = _started(run_id)
    return RunRecord(run_id, "test", "src", started, started, 0, 0, 0, 0, 0, 0, 0, 0, "test")


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """OUT after the first run (kept as a folder to start from) and after the second."""
    root = tmp_path_factory.mktemp("states")
    ingest(root / "src", root / "first", FIRST, "run-1")
    shutil.copytree(root / "first", root / "second")
    ingest(root / "src2", root / "second", SECOND, "run-2")
    return {"first": state(root / "first"), "second": state(root / "second"), "root": root}


def test_commit_upserts_by_source_and_keeps_one_file_per_partition(states: dict[str, Any]) -> None:
    first, second = states["first"], states["second"]
    assert [row[1] for row in first["documents"]] == ["a.txt", "b.txt", "c.txt"]
    assert [row[1] for row in first["rejects"]] == ["bad.txt"]
    assert [row[1] for row in second["documents"]] == ["a.txt", "bad.txt", "c.txt", "d.txt"]
    assert [(row[1], row[-1]) for row in second["rejects"]] == [("b.txt", "invalid_date")]
    assert second["runs"] == ["run-1", "run-2"]
    out = states["root"] / "second"
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == [
        "documents/month=2024-03/part-0.parquet",
        "documents/month=2024-04/part-0.parquet",
        "documents/month=2024-05/part-0.parquet",
        "paragraphs/month=2024-03/part-0.parquet",
        "paragraphs/month=2024-04/part-0.parquet",
        "paragraphs/month=2024-05/part-0.parquet",
        "rejects/reason=invalid_date/part-0.parquet",
        "runs/part-0.parquet",
    ]
    assert_consistent(out)


# The operations of a commit that write, rename or delete under OUT, in tasks/output/datasets.py.
FAULT_POINTS = ("_write_parquet", "_write_journal")
FOLDER_FAULT_POINTS = ("move", "keep_copy", "delete_file", "sync")


class Faults:
    """Counts the commit's operations and makes the `at`-th (or every one from it) fail."""

    def __init__(self, at: int | None, error: BaseException, lasting: bool = False) -> None:
        self.at, self.error, self.lasting, self.calls = at, error, lasting, 0

    def wrap(self, operation: Callable[..., Any]) -> Callable[..., Any]:
        """`operation`, counted, failing at the chosen call."""

        def faulty(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.at is not None and (
                self.calls == self.at or (self.lasting and self.calls > self.at)
            ):
                raise self.error
            return operation(*args, **kwargs)

        return faulty


def _inject(monkeypatch: pytest.MonkeyPatch, faults: Faults) -> None:
    """Route every writing operation of the commit through `faults`."""
    for name in FAULT_POINTS:
        monkeypatch.setattr(store, name, faults.wrap(getattr(store, name)))
    for name in FOLDER_FAULT_POINTS:
        monkeypatch.setattr(Folder, name, faults.wrap(getattr(Folder, name)))


def _operations(states: dict[str, Any], tmp_path: Path) -> int:
    """How many writing operations the second run's commit makes."""
    out = tmp_path / "count"
    shutil.copytree(states["root"] / "first", out)
    stage(tmp_path / "src", out, SECOND, "run-2")
    faults = Faults(None, OSError())
    with pytest.MonkeyPatch.context() as patch:
        _inject(patch, faults)
        finish(out, SECOND, "run-2")
    assert state(out) == states["second"]
    return faults.calls


def _faulty_commits(states: dict[str, Any], tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """For each operation of the commit, a copy of the first OUT with run 2 staged in it."""
    for at in range(1, _operations(states, tmp_path) + 1):
        out = tmp_path / f"at-{at}"
        shutil.copytree(states["root"] / "first", out)
        stage(tmp_path / "src", out, SECOND, "run-2")
        yield at, out


@pytest.mark.parametrize(
    "error", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["error", "ctrl-c"]
)
def test_a_fault_at_any_step_leaves_the_previous_state(
    states: dict[str, Any], tmp_path: Path, error: BaseException
) -> None:
    outcomes = []
    for at, out in _faulty_commits(states, tmp_path):
        with pytest.MonkeyPatch.context() as patch:
            _inject(patch, Faults(at, error))
            with pytest.raises((type(error), CommitIncomplete)) as raised:
                finish(out, SECOND, "run-2")
        # Undone, or in place with only the clearing up left to the next run.
        expected = "second" if raised.type is CommitIncomplete else "first"
        assert state(out) == states[expected], f"fault at operation {at}"
        assert_consistent(out)
        if expected == "second":
            recover(Folder(out))
            assert state(out) == states[expected], f"fault at operation {at}"
        # Undone or completed, nothing of the run is left: no journal, staging or side files.
        assert not (out / JOURNAL).exists(), f"fault at operation {at}"
        assert not (out / STAGING).exists(), f"fault at operation {at}"
        leftovers = [p for p in out.rglob(".*") if p.name.endswith((".tmp", ".old"))]
        assert leftovers == [], f"fault at operation {at}"
        outcomes.append(expected)
    assert outcomes.count("first") > 10


def test_a_commit_that_cannot_be_undone_is_finished_by_the_next_run(
    states: dict[str, Any], tmp_path: Path
) -> None:
    moving = 0
    for at, out in _faulty_commits(states, tmp_path):
        with pytest.MonkeyPatch.context() as patch:
            _inject(patch, Faults(at, OSError(5, "Input/output error"), lasting=True))
            with pytest.raises((OSError, CommitIncomplete)) as raised:
                finish(out, SECOND, "run-2")
        if raised.type is CommitIncomplete:  # a fault while moving files into place, and after
            moving += 1
            assert "the next docprep run on it completes the commit" in str(raised.value)
            assert (out / JOURNAL).exists()
            recover(Folder(out))
            assert state(out) == states["second"], f"fault at operation {at}"
        else:  # before: the previous state, whatever failed while undoing it
            recover(Folder(out))
            assert state(out) == states["first"], f"fault at operation {at}"
        assert_consistent(out)
        assert not (out / JOURNAL).exists()
    assert moving > 0
