"""Start-up cost: `docprep run seeds` against a bare Prefect hello-world flow, same environment.

Usage: python benchmarks/startup.py [--repeats 3] [--workdir DIR]

Times, from process start to exit, `docprep run seeds` (into a fresh OUT each time) and a
hello-world flow, first on a temporary server (no PREFECT_API_URL,
DOCPREP_PREFECT_SERVER=temporary: docprep starts its own, the hello-world flow Prefect's),
then on the local server docprep keeps between runs (started by the untimed run; the
hello-world flow still starts Prefect's temporary one), then against a running `prefect
server start` on 127.0.0.1 that this script starts and stops by pid. Each is run once untimed
(so databases exist), then --repeats times; it prints the medians and the ratio of docprep
to hello-world. The kept server is stopped at the end with `docprep stop-server`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from flows.prefect_api import QUIET_DEFAULTS  # noqa: E402

HELLO = """
from prefect import flow

@flow
def hello() -> str:
    return "hello"

hello()
"""


def seconds(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds for `command` to run to completion (it must succeed)."""
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


@contextmanager
def running_server(home: Path) -> Iterator[str]:
    """A `prefect server start` on a free loopback port, stopped by pid afterwards; its API URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, **QUIET_DEFAULTS, "PREFECT_HOME": str(home)}
    command = [str(Path(sys.executable).parent / "prefect"), "server", "start"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    quiet = subprocess.DEVNULL
    server = subprocess.Popen(command, env=env, stdout=quiet, stderr=quiet, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("prefect server start did not answer within 180 s")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the uvicorn it started
        server.wait(timeout=30)


def main() -> None:
    """Time both programs on both kinds of server and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-startup-"))
    base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env = {**base, **QUIET_DEFAULTS, "PREFECT_HOME": str(work / "home")}
    hello = [sys.executable, "-c", HELLO]
    runs = iter(range(1_000_000))

    def docprep() -> list[str]:
        out = work / f"out-{next(runs)}"
        return [sys.executable, "-m", "flows.cli", "run", "seeds", "--output", str(out)]

    medians: dict[str, tuple[float, float]] = {}
    kept = {**env, "DOCPREP_PREFECT_SERVER": "kept"}
    with running_server(work / "server-home") as url:
        for where, run_env in (
            ("temporary server", {**env, "DOCPREP_PREFECT_SERVER": "temporary"}),
            ("kept local server", kept),
            ("running server", {**env, "PREFECT_API_URL": url}),
        ):
            seconds(hello, run_env), seconds(docprep(), run_env)  # untimed: databases created
            hello_s, docprep_s = [], []
            for _ in range(args.repeats):
                hello_s.append(seconds(hello, run_env))
                docprep_s.append(seconds(docprep(), run_env))
            medians[where] = (statistics.median(hello_s), statistics.median(docprep_s))
    # The kept server outlives its runs by design: this script stops the one it made.
    subprocess.run([sys.executable, "-m", "flows.cli", "stop-server"], env=kept, check=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"median of {args.repeats} runs, process start to exit")
    for where, (hello_median, docprep_median) in medians.items():
        print(
            f"{where}: hello-world {hello_median:.1f} s; docprep run seeds {docprep_median:.1f} s; "
            f"ratio: {docprep_median / hello_median:.2f}"
        )


if __name__ == "__main__":
    main()
