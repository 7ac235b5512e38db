"""The kept local Prefect server: started by the first run, used by the next, stopped when
unused or asked; each test stops by pid the servers it made, whatever happens."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from flows.local_server import STATE_FILE, local_server, server_alive
from tests.inputs import story
from tests.services import free_port
from tests.test_cli_messages import docprep as cli_run

pytestmark = pytest.mark.slow


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A PREFECT_HOME of the test's own; the kept server it records is stopped at the end."""
    root = tmp_path / "prefect-home"
    root.mkdir()
    try:
        yield root
    finally:
        pid = _recorded_pid(root)
        if pid is not None:
            _stop(pid)


def _recorded_pid(home: Path) -> int | None:
    """The pid the state file names, if there is one."""
    try:
        return int(json.loads((home / STATE_FILE).read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


def _stop(pid: int) -> None:
    """Stop process `pid` if it is still a kept server: SIGTERM, then SIGKILL after 10 s."""
    if not server_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    if not _waited(lambda: not server_alive(pid), 10):
        os.kill(pid, signal.SIGKILL)


def _waited(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether `condition` became true within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def docprep(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `docprep` command line with `home` as PREFECT_HOME and the kept server on."""
    settings = {"PREFECT_HOME": str(home), "DOCPREP_PREFECT_SERVER": "kept", **env}
    return cli_run(*args, cwd=home, env=settings)


def flow_runs(url: str) -> int:
    """How many flow runs the Prefect server at `url` holds."""
    request = urllib.request.Request(
        f"{url}/flow_runs/count", data=b"{}", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.loads(response.read()))


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A source folder of one dated story."""
    root = tmp_path / "src"
    root.mkdir()
    (root / "a.txt").write_bytes(story("2024-01-10", "the new bridge"))
    return root


def test_the_first_run_starts_a_server_the_next_run_uses_and_stop_server_stops(
    home: Path, source: Path, tmp_path: Path
) -> None:
    out = str(tmp_path / "out")
    first = docprep(home, "run", str(source), "--output", out)
    assert first.returncode == 0, first.stderr
    assert "started a local Prefect server" in first.stderr
    pid = _recorded_pid(home)
    assert pid is not None and server_alive(pid)  # it outlived the run that started it
    url = json.loads((home / STATE_FILE).read_text())["url"]

    (source / "b.txt").write_bytes(story("2024-01-11", "the old market"))
    second = docprep(home, "run", str(source), "--output", out)

    assert second.returncode == 0, second.stderr
    assert "started" not in second.stderr
    assert _recorded_pid(home) == pid
    assert flow_runs(url) == 2  # both runs recorded on the one server
    stopped = docprep(home, "stop-server")
    assert f"stopped the local Prefect server (pid {pid})" in stopped.stdout
    assert _waited(lambda: not server_alive(pid), 15)
    assert not (home / STATE_FILE).exists()
    assert "no local Prefect server is running" in docprep(home, "stop-server").stdout


def test_the_kept_server_stops_itself_once_unused(home: Path, source: Path, tmp_path: Path) -> None:
    run = docprep(
        home, "run", str(source), "--output", str(tmp_path / "out"),
        DOCPREP_SERVER_IDLE_SECONDS="3",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    pid = _recorded_pid(home)
    assert pid is not None

    assert _waited(lambda: not server_alive(pid), 60)
    assert not (home / STATE_FILE).exists()


def test_the_kept_server_stays_while_a_run_uses_it_however_long_the_run_is_quiet(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.setenv("DOCPREP_SERVER_IDLE_SECONDS", "1")
    with local_server(free_port(), {}) as server:  # as a run holds it, from start to end
        try:
            assert _waited(lambda: _answers(server.url), 60)
            time.sleep(4)  # no request for four times its idle time
            assert server_alive(server.pid) and _answers(server.url)
        except BaseException:
            _stop(server.pid)
            raise
    assert _waited(lambda: not server_alive(server.pid), 60)  # unused once the run is done
    assert not (home / STATE_FILE).exists()


def _answers(url: str) -> bool:
    """Whether the API at `url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_a_state_file_naming_another_process_is_replaced_and_that_process_left_alone(
    home: Path, source: Path, tmp_path: Path
) -> None:
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        stale = {"pid": bystander.pid, "url": "http://127.0.0.1:9/api", "build": "old"}
        (home / STATE_FILE).write_text(json.dumps(stale))

        run = docprep(home, "run", str(source), "--output", str(tmp_path / "out"))

        assert run.returncode == 0, run.stderr
        assert "started a local Prefect server" in run.stderr
        pid = _recorded_pid(home)
        assert pid not in (None, bystander.pid) and server_alive(pid)
        assert bystander.poll() is None  # a pid docprep did not start is never signalled
    finally:
        bystander.kill()
        bystander.wait()


def test_a_temporary_server_leaves_no_server_behind(
    home: Path, source: Path, tmp_path: Path
) -> None:
    run = docprep(
        home, "run", str(source), "--output", str(tmp_path / "out"),
        DOCPREP_PREFECT_SERVER="temporary",
    )  # fmt: skip

    assert run.returncode == 0, run.stderr
    assert "started" not in run.stderr
    assert not (home / STATE_FILE).exists()
