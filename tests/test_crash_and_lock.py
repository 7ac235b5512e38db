"""Crash safety under a real SIGKILL, and one writer at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import psutil
import pytest

import flows.ingest
from flows.cli import main
from tasks.output.datasets import JOURNAL, STAGED_SUFFIX, STAGING
from tasks.storage.locks import LOCK
from tests.duckdb_reads import rows
from tests.services import service

pytestmark = pytest.mark.usefixtures("prefect_server")

N_DOCS = 3000
PAGE = Path(__file__).parent / "fixtures" / "html" / "article_meta.html"
WORDS = ["harbour", "school", "railway", "museum", "library", "market", "stadium", "bridge"]


EVERY_ROW = {
    "documents": "SELECT * EXCLUDE (run_id, ingested_at) FROM {documents} ORDER BY doc_id",
    "paragraphs": "SELECT * FROM {paragraphs} ORDER BY doc_id, paragraph_index",
    "rejects": "SELECT * EXCLUDE (run_id, ingested_at) FROM {rejects} ORDER BY doc_id",
}


def write_many(root: Path, n: int) -> None:
    """`n` short dated articles (one to three paragraphs) in nested folders."""
    for i in range(n):
        path = root / f"{i % 30:02d}" / f"{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        topic = WORDS[i % len(WORDS)]
        paragraphs = [
            f"The town council voted on plan {i} for the {topic} late on Tuesday evening."
        ] * (1 + i % 3)
        path.write_text(f"date 2024-{1 + i % 12:02d}-15 " + "\n\n".join(paragraphs))


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A source folder of N_DOCS small inputs."""
    root = tmp_path_factory.mktemp("many") / "src"
    write_many(root, N_DOCS)
    return root


@contextmanager
def cli_process(
    source: Path, out: Path, *extra: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`docprep run` in its own process group; that group, and only it, is stopped at the end."""
    command = [sys.executable, "-m", "flows.cli", "run", str(source), "--output", str(out)]
    with service(
        [*command, *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        yield process


def wait_for(condition: object, process: subprocess.Popen[bytes], timeout: float = 120) -> bool:
    """Poll `condition()` until it holds; False if the process ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    raise TimeoutError("the condition never held")


def assert_complete(out: Path, n_docs: int) -> None:
    """Every source exactly once, each document with all its paragraphs, nothing half-written."""
    counts = rows(
        out,
        "SELECT count(*), count(DISTINCT source) FROM "
        "(SELECT source FROM {documents} UNION ALL SELECT source FROM {rejects})",
    )
    assert counts == [(n_docs, n_docs)]
    incomplete = rows(
        out,
        """SELECT d.source FROM {documents} d
           LEFT JOIN (SELECT doc_id, count(*) n, count(DISTINCT paragraph_index) k
                      FROM {paragraphs} GROUP BY doc_id) p USING (doc_id)
           WHERE p.n IS DISTINCT FROM d.n_paragraphs OR p.k IS DISTINCT FROM d.n_paragraphs""",
    )
    assert incomplete == []
    indexed = rows(out, "SELECT count(DISTINCT doc_id), count(*) FROM {duplicates}")
    assert indexed == rows(out, "SELECT count(*), count(*) FROM {documents}")
    assert not list(out.glob("*/**/.*.tmp"))
    assert not (out / JOURNAL).exists()


@pytest.mark.parametrize("moment", ["staging", "commit"])
def test_sigkill_then_rerun_loses_and_doubles_nothing(
    many: Path, tmp_path: Path, moment: str
) -> None:
    out = tmp_path / "out"
    if moment == "commit":  # a first complete run, so the killed run rewrites real partitions
        assert main(["run", str(many), "--output", str(out)]) == 0
        for path in sorted(many.rglob("*.txt"))[::7]:
            path.write_text(path.read_text().replace("2024-", "2023-", 1) + "\n\nAdded.")

    def started() -> bool:
        if moment == "staging":
            return any((out / STAGING).glob(f"**/*{STAGED_SUFFIX}"))
        return any(out.glob("*/*/.part-0.parquet.*.tmp"))  # partitions being rewritten

    with cli_process(many, out) as process:
        killed = wait_for(started, process)
        if killed:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert killed, "the run finished before it could be killed"
    assert main(["run", str(many), "--output", str(out)]) == 0
    assert_complete(out, N_DOCS)
    if moment == "commit":  # clusters and counts as if the killed run had never started
        full = tmp_path / "full"
        assert main(["run", str(many), "--output", str(full), "--full-refresh"]) == 0
        for sql in (
            "SELECT * FROM {duplicates} ORDER BY doc_id",
            "SELECT * FROM {paragraph_counts} ORDER BY text_hash",
        ):
            assert rows(out, sql) == rows(full, sql)


def test_ctrl_c_stops_the_run_and_its_workers_with_one_line(many: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # Small batches, so that the run is still in its worker processes when it is interrupted.
    with cli_process(many, out, "--batch-size", "250") as process:
        assert wait_for(lambda: any((out / STAGING).glob(f"**/*{STAGED_SUFFIX}")), process)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = process.communicate(timeout=120)
        assert process.returncode == 130
        # No worker left behind in its group (an exited one may wait as a zombie for init).
        deadline = time.monotonic() + 10
        while _live_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _live_members(process.pid) == []
    lines = err.decode().strip().splitlines()
    assert lines[-1] == "docprep: interrupted; OUT is as the last complete run left it"
    assert "Traceback" not in err.decode()
    assert not list(out.glob("documents/*/*.parquet"))  # nothing committed
    assert main(["run", str(many), "--output", str(out)]) == 0
    assert_complete(out, N_DOCS)


def test_ctrl_c_during_the_commit_leaves_the_previous_output_or_the_new_one(
    many: Path, tmp_path: Path
) -> None:
    out, finished = tmp_path / "out", tmp_path / "finished"
    assert main(["run", str(many), "--output", str(out)]) == 0
    shutil.copytree(out, finished)
    changed = tmp_path / "changed"
    shutil.copytree(many, changed)
    for path in sorted(changed.rglob("*.txt"))[::3]:
        path.write_text(path.read_text().replace("2024-", "2022-", 1) + "\n\nAdded.")
    assert main(["run", str(changed), "--output", str(finished)]) == 0  # the run, uninterrupted
    before, after = _state(out), _state(finished)
    with cli_process(changed, out) as process:
        # Partitions being written beside their files: the commit has begun.
        assert wait_for(lambda: any(out.glob("*/*/.part-0.parquet.*.tmp")), process)
        os.killpg(process.pid, signal.SIGINT)
        printed, err = process.communicate(timeout=120)
    assert process.returncode == 130, (printed.decode(), err.decode())
    assert err.decode().strip().splitlines()[-1] == (
        "docprep: interrupted; OUT is as the last complete run left it"
    )
    # Undone while its files were being written (the usual case), or, when Ctrl-C came while
    # they were being moved into place, held back until the commit was whole.
    assert _state(out) in (before, after)
    assert_complete(out, N_DOCS)
    assert not list(out.glob("**/.*.old")) and not (out / STAGING).exists()
    assert main(["run", str(changed), "--output", str(out)]) == 0
    assert _state(out) == after


def _state(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the three tables under `out`, but which run wrote it and when."""
    return {table: rows(out, sql) for table, sql in EVERY_ROW.items()}


@pytest.mark.parametrize(
    ("stop", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"]
)
def test_a_signal_to_the_cli_alone_stops_the_run_and_everything_it_started(
    many: Path, tmp_path: Path, stop: signal.Signals, code: int
) -> None:
    out = tmp_path / "out"
    # A temporary server of its own, which must take the run's last logs before it stops.
    env = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    started: list[psutil.Process] = []
    kinds: list[str] = []
    try:
        with cli_process(many, out, "--batch-size", "250", env=env) as process:

            def mid_batch() -> bool:
                started[:] = _descendants(process.pid)
                kinds[:] = [_kind(child) for child in started]
                staged = any((out / STAGING).glob(f"**/*{STAGED_SUFFIX}"))
                return kinds.count("worker") >= 2 and "server" in kinds and staged

            assert wait_for(mid_batch, process), "the run finished before it could be stopped"
            os.kill(process.pid, stop)  # the CLI alone, as `kill PID` or a supervisor does
            _, err = process.communicate(timeout=300)
            assert process.returncode == code
            assert _still_running(started, timeout=60) == []
    finally:
        for child in _still_running(started, timeout=0):
            with suppress(psutil.Error):
                child.kill()
    assert err.decode().splitlines() == [
        "docprep: interrupted; OUT is as the last complete run left it"
    ]
    assert not list(out.glob("documents/*/*.parquet"))  # nothing committed


def test_sigkill_of_the_cli_takes_its_worker_processes_along(tmp_path: Path) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    write_many(source, N_DOCS)
    for i in range(30):  # a page per folder: each worker starts an extraction helper early
        (source / f"{i:02d}" / "page.html").write_bytes(PAGE.read_bytes())
    started: list[psutil.Process] = []
    try:
        with cli_process(source, out) as process:

            def busy() -> bool:
                started[:] = _descendants(process.pid)
                kinds = [_kind(child) for child in started]
                return kinds.count("worker") >= 2 and "helper" in kinds and "tracker" in kinds

            assert wait_for(busy, process), "the run finished before its workers were seen"
            os.kill(process.pid, signal.SIGKILL)  # the CLI alone, as `kill -9 PID` does
            process.wait()
            assert _still_running(started, timeout=60) == []
    finally:
        for child in _still_running(started, timeout=0):
            with suppress(psutil.Error):
                child.kill()


def test_second_writer_is_turned_away(
    many: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    with cli_process(many, out) as process:
        assert wait_for(lambda: "pid" in _read(out / LOCK), process)
        assert main(["run", str(many), "--output", str(out)]) == 1
        message = capsys.readouterr().err.strip()
        assert "being written by another docprep run" in message
        assert "\n" not in message
        assert process.wait(timeout=300) == 0
    assert_complete(out, N_DOCS)


def _live_members(group: int) -> list[int]:
    """The pids of the processes of process group `group` that have not exited."""
    members = []
    for candidate in psutil.process_iter(["status"]):
        try:
            if os.getpgid(candidate.pid) == group and candidate.status() != psutil.STATUS_ZOMBIE:
                members.append(candidate.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return members


def _read(path: Path) -> str:
    """The text of `path`, or empty if it does not exist yet."""
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def _descendants(pid: int) -> list[psutil.Process]:
    """The processes started by process `pid` and by its children, recursively."""
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _kind(process: psutil.Process) -> str:
    """What a process of a run is, by its command line: worker, helper, tracker or server."""
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return "gone"
    kinds = {
        "multiprocessing.spawn": "worker",
        "tasks.html._time_limit": "helper",
        "resource_tracker": "tracker",
        "uvicorn": "server",
    }
    return next((kind for mark, kind in kinds.items() if mark in command), "other")


def _still_running(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Those of `processes` still running once they all ended or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while True:
        running = [process for process in processes if _alive(process)]
        if not running or time.monotonic() >= deadline:
            return running
        time.sleep(0.05)


def _alive(process: psutil.Process) -> bool:
    """Whether `process` still runs: not exited, not a zombie, its pid not reused since."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_ctrl_c_in_a_duckdb_query_after_the_commit_still_stops_the_run(
    many: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(many, source)
    assert main(["run", str(source), "--output", str(out)]) == 0
    for path in sorted(source.rglob("*.txt"))[:10]:
        path.write_text(path.read_text() + "\n\nAdded.")
    seen: list[str] = []
    report = flows.ingest.corpus_report

    def report_interrupted(output: object, now: object) -> str:
        # Ctrl-C while DuckDB works: DuckDB turns the KeyboardInterrupt into its own error,
        # which the report step catches, as it does any error of a report.
        ctrl_c = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
        ctrl_c.start()
        try:
            duckdb.sql("SELECT count(*) FROM range(20000000000) t(i) WHERE i % 7 = 3").fetchall()
        except RuntimeError as error:
            seen.append(str(error))
            raise
        finally:  # never a Ctrl-C left to reach pytest once the run's handlers are gone
            ctrl_c.cancel()
            ctrl_c.join()
        return report(output, now)  # type: ignore[arg-type]

    monkeypatch.setattr(flows.ingest, "corpus_report", report_interrupted)
    capsys.readouterr()
    assert main(["run", str(source), "--output", str(out)]) == 130
    assert seen == ["Query interrupted"]
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "docprep: interrupted; OUT is as the last complete run left it"
    )
    # The run had committed; the report of the state before it is gone, not left as current.
    assert_complete(out, N_DOCS)
    assert not (out / "report.html").exists()
    monkeypatch.undo()
    assert main(["run", str(source), "--output", str(out)]) == 0  # not "up to date": it reports
    assert (out / "report.html").exists()
