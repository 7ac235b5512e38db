"""Scheduled runs against a real `prefect server start`: `docprep serve`, and prefect.yaml.

Every process a test starts gets a process group of its own and is stopped by its id when
the test ends, passed or failed. Timeouts only bound the waiting; nothing asserts on speed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from flows.report import CORPUS_REPORT_KEY, REPORT_KEY
from tasks.output import recorded_runs
from tasks.storage import Folder, output_lock
from tests.paths import BIN, REPO
from tests.services import free_port, service, stop_group

pytestmark = pytest.mark.slow  # a Prefect server, `docprep serve` and a worker, for real

FLOW = "docprep-ingest"
WAIT_SECONDS = 120
FINISHED = ["COMPLETED", "FAILED", "CRASHED"]
T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    """A running Prefect server: its API URL and the environment that points at it."""

    api_url: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A `prefect server start` on a free local port, with a PREFECT_HOME of its own."""
    root = tmp_path_factory.mktemp("prefect")
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")},
        "PREFECT_HOME": str(root / "home"),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        # Poll often, so a due run starts within a second or two rather than ten.
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "1",
        "COLUMNS": "200",
    }
    command = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with _running(command, env, root / "server.log") as process:
        _wait_for(lambda: _healthy(api_url), process, root / "server.log")
        yield Server(api_url, env)


def test_serve_without_a_server_says_to_start_one(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    command = [str(BIN / "docprep"), "serve", str(REPO / "seeds"), "--interval", "60"]
    result = subprocess.run(
        command,
        env={**env, "PREFECT_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )

    assert result.returncode == 2
    assert "prefect server start" in result.stderr


def test_scheduled_runs_through_serve_and_through_prefect_yaml(
    server: Server, tmp_path: Path
) -> None:
    """Both routes in one test, so that their waits overlap."""
    served, pooled = _Route.under(tmp_path / "served"), _Route.under(tmp_path / "pooled")
    serve = [str(BIN / "docprep"), "serve", str(served.source), "--output", str(served.out)]
    serve += ["--interval", "5", "--name", "every-5s"]
    worker = [str(BIN / "prefect"), "worker", "start", "--pool", "docprep"]
    params = json.dumps({"source": str(pooled.source), "output": str(pooled.out)})
    by_hand = [str(BIN / "prefect"), "deployment", "run", f"{FLOW}/daily", "--params", params]
    by_hand += ["--watch"]
    watched = tmp_path / "watched.txt"
    with ExitStack() as processes:
        with output_lock(Folder(served.out)):  # another docprep run is writing OUT
            serving = processes.enter_context(_running(serve, server.env, served.log))
            _prefect(server, "work-pool", "create", "docprep", "--type", "process")
            processes.enter_context(_running(worker, server.env, pooled.log))
            _prefect(server, "--no-prompt", "deploy", "--name", "daily")
            _pause_schedules(server, f"{FLOW}/daily")
            watching = processes.enter_context(_running(by_hand, server.env, watched))
            busy = _wait_for(lambda: _first_run(server, "every-5s", FINISHED), serving, served.log)
        done = _wait_for(lambda: _first_run(server, "every-5s", ["COMPLETED"]), serving, served.log)
        stop_group(serving)  # seen what it had to show: leave the cores to the other route
        assert watching.wait(timeout=WAIT_SECONDS) == 0, _tail(watched)

    # docprep serve: the run that met a locked OUT failed saying why; a later one ingested
    assert busy["state_type"] == "FAILED"
    assert "OutputBusy" in busy["state"]["message"]
    assert done["auto_scheduled"], "the schedule created the run, not a person"
    assert list(served.out.glob("documents/month=*/part-0.parquet"))
    rows = recorded_runs(Folder(served.out)).to_pylist()
    assert done["id"] in [row["run_id"] for row in rows]
    assert {row["deployment"] for row in rows} == {"every-5s"}

    # prefect.yaml on a process work pool: a run by hand, SOURCE and OUT overridden
    flow_run = _api(server, "GET", f"/flow_runs/{_flow_run_id(watched.read_text())}")
    assert flow_run["state_type"] == "COMPLETED"
    assert flow_run["parameters"] == {"source": str(pooled.source), "output": str(pooled.out)}
    assert list(pooled.out.glob("documents/month=*/part-0.parquet"))
    assert recorded_runs(Folder(pooled.out)).column("run_id").to_pylist() == [flow_run["id"]]
    assert recorded_runs(Folder(pooled.out)).column("deployment").to_pylist() == ["daily"]
    (artifact,) = _api(server, "POST", "/artifacts/filter", _artifacts_of(flow_run["id"]))
    assert artifact["type"] == "markdown"
    assert "| documents | 1 |" in artifact["data"]
    assert "| date range | 2024-11-02 to 2024-11-02 |" in artifact["data"]
    # ... and its page in the UI leads to the store's HTML report, written after the commit
    report = (pooled.out / "report.html").resolve()
    assert f"| report | [report.html]({report.as_uri()}) |" in artifact["data"]
    (link,) = _api(
        server, "POST", "/artifacts/filter", _artifacts_of(flow_run["id"], CORPUS_REPORT_KEY)
    )
    assert f"({report.as_uri()})" in link["data"]
    assert "<svg" in report.read_text()


@dataclass(frozen=True)
class _Route:
    """The folders of one route: a copy of the seeds as SOURCE, OUT, and a log."""

    source: Path
    out: Path
    log: Path

    @classmethod
    def under(cls, root: Path) -> _Route:
        """A route whose folders live under `root`."""
        source = shutil.copytree(REPO / "seeds", root / "source")
        return cls(source, root / "out", root / "log.txt")


def _pause_schedules(server: Server, name: str) -> None:
    """Pause the schedules of deployment `name`: no cron run with default paths during a test."""
    deployment = _api(server, "GET", f"/deployments/name/{name}")
    for schedule in deployment["schedules"]:
        path = f"/deployments/{deployment['id']}/schedules/{schedule['id']}"
        _api(server, "PATCH", path, {"active": False})


def _flow_run_id(output: str) -> str:
    """The flow run id that `prefect deployment run` printed."""
    match = re.search(r"UUID: ([0-9a-f-]{36})", output)
    assert match, output[-3000:]
    return match.group(1)


def _first_run(server: Server, deployment: str, states: list[str]) -> Any:
    """The earliest flow run of `deployment` in one of `states`, or None while there is none."""
    body = {
        "deployments": {"name": {"any_": [deployment]}},
        "flow_runs": {"state": {"type": {"any_": states}}},
        "sort": "EXPECTED_START_TIME_ASC",
        "limit": 1,
    }
    runs = _api(server, "POST", "/flow_runs/filter", body)
    return runs[0] if runs else None


def _artifacts_of(flow_run_id: str, key: str = REPORT_KEY) -> dict[str, Any]:
    """The filter for one flow run's artifacts of `key` (by default, its run summary)."""
    return {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}, "key": {"any_": [key]}}}


def _api(server: Server, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The decoded answer of the server's REST API."""
    for attempt in range(1, 10):
        response = httpx.request(method, server.api_url + path, json=body, timeout=30)
        # 503: SQLite was locked by another writer; Prefect's own client retries it too.
        if response.status_code != 503:
            break
        time.sleep(0.5 * attempt)
    response.raise_for_status()
    return response.json() if response.content else None


def _prefect(server: Server, *args: str) -> str:
    """The output of a `prefect` command, run from the repository root against the server."""
    result = subprocess.run(
        [str(BIN / "prefect"), *args],
        cwd=REPO,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@contextmanager
def _running(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` running in a process group of its own, logging to `log`; stopped at exit."""
    with (
        open(log, "wb") as sink,
        service(command, env, stdout=sink, stderr=subprocess.STDOUT) as process,
    ):
        yield process


def _wait_for(value: Callable[[], T | None], process: subprocess.Popen[bytes], log: Path) -> T:
    """The first value `value()` returns other than None; fails if `process` ends first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args!r} exited with {process.returncode}:\n{_tail(log)}")
        with suppress(httpx.HTTPError):
            if (found := value()) is not None:
                return found
        time.sleep(0.5)
    pytest.fail(f"gave up waiting after {WAIT_SECONDS} s:\n{_tail(log)}")


def _healthy(api_url: str) -> bool | None:
    """True once the server answers its health check."""
    return httpx.get(f"{api_url}/health", timeout=2).is_success or None


def _tail(log: Path) -> str:
    """The end of a log file, for a failure message."""
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no log)"
