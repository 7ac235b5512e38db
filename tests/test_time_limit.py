"""The time limit on extraction: it really stops the work, survives crashes, leaves no process."""

from __future__ import annotations

import faulthandler
import operator
import os
import re
import threading
import time
from collections.abc import Callable
from functools import partial

import psutil
import pytest

from tasks.html import html_content
from tasks.html._time_limit import within_time_limit
from tasks.rejection import Reason, Rejected


def big_page(paragraphs: int) -> bytes:
    """An article long enough that extracting it takes far longer than a few milliseconds."""
    body = "\n".join(
        f"<p>Paragraph {n} of the report describes the survey of site {n % 97} "
        f"and what the team found there on visit {n % 13}.</p>"
        for n in range(paragraphs)
    )
    page = f"<html><head><title>Report</title></head><body><article>{body}</article></body></html>"
    return page.encode()


def _helper_pids() -> set[int]:
    """The pids of this process's live helper processes."""
    children = psutil.Process().children()
    return {child.pid for child in children if "tasks.html._time_limit" in child.cmdline()}


# Picklable stand-ins for pathological pages: the helper imports them by name.
ENDLESS_CALLS = {
    "sleep": partial(time.sleep, 3600),
    "backtracking regex": partial(re.match, r"(a+)+$", "a" * 40 + "b"),
}


@pytest.mark.parametrize("call", ENDLESS_CALLS.values(), ids=ENDLESS_CALLS.keys())
def test_endless_call_is_stopped_and_its_helper_killed(call: Callable[[], object]) -> None:
    within_time_limit(partial(operator.add, 1, 1), 60.0)
    (helper,) = _helper_pids()
    with pytest.raises(Rejected) as rejected:
        within_time_limit(call, 0.2)
    assert rejected.value.reason == Reason.EXTRACTION_TIMEOUT
    assert helper not in _helper_pids()
    assert within_time_limit(partial(operator.add, 40, 2), 60.0) == 42
    assert _helper_pids() != {helper}


def test_crashing_call_is_rejected_and_the_next_call_works() -> None:
    with pytest.raises(Rejected) as rejected:
        within_time_limit(faulthandler._sigsegv, 60.0)
    assert rejected.value.reason == Reason.EXTRACTION_CRASHED
    assert "SIGSEGV" in rejected.value.detail
    assert within_time_limit(partial(operator.mul, 6, 7), 60.0) == 42


def test_what_the_call_raises_is_raised_here() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        within_time_limit(partial(int, "forty-two"), 60.0)
    with pytest.raises(Rejected) as rejected:
        within_time_limit(partial(html_content, b""), 60.0)
    assert rejected.value.reason == Reason.EMPTY


def test_one_helper_is_reused_across_calls() -> None:
    within_time_limit(partial(os.getpid), 60.0)
    pids = {within_time_limit(partial(os.getpid), 60.0) for _ in range(20)}
    assert len(pids) == 1
    assert pids == _helper_pids()
    assert pids != {os.getpid()}


def test_each_thread_has_its_own_helper_which_ends_with_it() -> None:
    found: list[int] = []
    worker = threading.Thread(target=lambda: found.append(within_time_limit(os.getpid, 60.0)))
    worker.start()
    worker.join()
    (pid,) = found
    assert pid != within_time_limit(os.getpid, 60.0)
    # The helper gets SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG).
    deadline = time.monotonic() + 10
    while pid in _helper_pids() and psutil.Process(pid).status() != "zombie":
        assert time.monotonic() < deadline, "the thread's helper outlived it"
        time.sleep(0.05)


def test_big_page_over_a_tiny_limit_is_rejected_then_extracts_without_one() -> None:
    page = big_page(20_000)
    with pytest.raises(Rejected) as rejected:
        html_content(page, time_limit=0.01)
    assert rejected.value.reason == Reason.EXTRACTION_TIMEOUT
    assert len(html_content(page[:20_000] + b"</article></body></html>").paragraphs) > 50


@pytest.mark.parametrize("seconds", [0.0, -1.0])
def test_limit_must_be_positive(seconds: float) -> None:
    with pytest.raises(ValueError):
        within_time_limit(os.getpid, seconds)
