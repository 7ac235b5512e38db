"""Running `docprep run` as a user would, measuring wall time and the process tree's peak RSS."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class Measured:
    """One CLI run: its exit code, seconds, and the peak summed RSS of its process tree."""

    exit_code: int
    seconds: float
    peak_rss_mib: float


def measure_run(source: Path, out: Path, *flags: str, interval: float = 0.1) -> Measured:
    """Run `docprep run SOURCE --output OUT FLAGS` and sample its process tree's memory."""
    return measure_cli("run", str(source), "--output", str(out), *flags, interval=interval)


def measure_cli(*arguments: str, interval: float = 0.1) -> Measured:
    """Run `docprep ARGUMENTS` and sample its process tree's memory."""
    command = [sys.executable, "-m", "flows.cli", *arguments]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(root))
        time.sleep(interval)
    return Measured(process.returncode, time.perf_counter() - started, peak / 2**20)


def _tree_rss(root: psutil.Process) -> int:
    """The resident memory of `root` and all its descendants, in bytes."""
    total = 0
    try:
        members = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess):  # it ended while we looked
            total += member.memory_info().rss
    return total
