"""A batch of inputs read into rows: files changed after discovery, and inputs too large to read.

Races are made deterministic: discovery runs, the test swaps a file, then the batch is read.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.batches import BatchRows, process_inputs
from tasks.discovery import Discovery, discover_inputs
from tasks.input_files import Reading
from tasks.output.rows import Run
from tasks.plan import Part
from tasks.storage import Folder
from tests.inputs import write_deep_input
from tests.time_bound import within

REPO = Path(__file__).resolve().parent.parent
SECRET = b"date 2024-11-02 The secret text outside SOURCE."
RUN = Run("test", datetime(2026, 1, 5, tzinfo=UTC))
PAGE = (
    "<html><head><title>Otters</title></head><body><article><p>"
    + "Fresh otter tracks were found along the river bank at eleven in the morning. " * 3
    + "</p></article></body></html>"
).encode()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """SOURCE with dated text files, links inside it, and a secret file outside it."""
    root = tmp_path / "src"
    (root / "sub").mkdir(parents=True)
    (root / "deep" / "real").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"date 2024-11-02 The council met on Monday.")
    (root / "sub" / "b.txt").write_bytes(b"date 2024-11-03 The bridge reopened.")
    (root / "deep" / "real" / "x.txt").write_bytes(b"date 2024-11-04 The library closed.")
    (root / "alias.txt").symlink_to(root / "deep" / "real" / "x.txt")
    # found before deep/real, which is then skipped as the same folder again
    (root / "linked").symlink_to("deep/real")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.txt").write_bytes(SECRET)
    (tmp_path / "outside" / "x.txt").write_bytes(SECRET)
    return root


def processed(root: Path, discovery: Discovery, max_bytes: int = 1_000_000) -> BatchRows:
    """The rows of every discovered input, read as a run reads them."""
    reading = Reading(max_bytes, discovery.targets)
    return process_inputs(Folder(root), [Part(path) for path in discovery.inputs], RUN, reading)


def outcomes(rows: BatchRows) -> dict[str, str]:
    """Each source's outcome: `document`, or its reject reason."""
    found = dict.fromkeys(rows.documents.column("source").to_pylist(), "document")
    rejects = rows.rejects.to_pydict()
    found.update(zip(rejects["source"], rejects["reason"], strict=True))
    return found


def details(rows: BatchRows) -> dict[str, str]:
    """Each rejected source's detail."""
    rejects = rows.rejects.to_pydict()
    return dict(zip(rejects["source"], rejects["detail"], strict=True))


def texts(rows: BatchRows) -> dict[str, str]:
    """Each document's text by source."""
    documents = rows.documents.to_pydict()
    return dict(zip(documents["source"], documents["text"], strict=True))


def test_inputs_and_the_links_discovery_accepted_are_read(source: Path) -> None:
    discovery = discover_inputs(Folder(source))
    assert discovery.inputs == ["a.txt", "alias.txt", "linked/x.txt", "sub/b.txt"]
    assert discovery.targets == {
        "alias.txt": "deep/real/x.txt",
        "linked/x.txt": "deep/real/x.txt",
    }
    rows = processed(source, discovery)
    assert set(outcomes(rows).values()) == {"document"}
    assert texts(rows)["alias.txt"] == "The library closed."


def test_a_file_swapped_for_a_link_after_discovery_is_not_read(source: Path) -> None:
    discovery = discover_inputs(Folder(source))
    (source / "a.txt").unlink()
    (source / "a.txt").symlink_to(source.parent / "outside" / "b.txt")
    rows = processed(source, discovery)
    assert outcomes(rows)["a.txt"] == "unreadable"
    assert "now a link" in details(rows)["a.txt"]
    assert not any("secret" in text for text in texts(rows).values())


def test_a_folder_swapped_for_a_link_after_discovery_is_not_read_through(source: Path) -> None:
    discovery = discover_inputs(Folder(source))
    (source / "sub").rename(source / "moved")
    (source / "sub").symlink_to(source.parent / "outside")
    rows = processed(source, discovery)
    assert outcomes(rows)["sub/b.txt"] == "unreadable"
    assert "now a link" in details(rows)["sub/b.txt"]
    assert not any("secret" in text for text in texts(rows).values())


def test_accepted_links_are_read_from_where_they_pointed_when_found(source: Path) -> None:
    discovery = discover_inputs(Folder(source))
    (source / "alias.txt").unlink()
    (source / "alias.txt").symlink_to(source.parent / "outside" / "x.txt")
    (source / "linked").unlink()
    (source / "linked").symlink_to(source.parent / "outside")
    rows = processed(source, discovery)
    assert texts(rows)["alias.txt"] == texts(rows)["linked/x.txt"]
    assert texts(rows)["alias.txt"] == "The library closed."


def test_a_fifo_swapped_in_after_discovery_is_rejected_at_once(source: Path) -> None:
    discovery = discover_inputs(Folder(source))
    (source / "a.txt").unlink()
    os.mkfifo(source / "a.txt")  # no writer will ever come
    rows = within(30, lambda: processed(source, discovery))
    assert outcomes(rows)["a.txt"] == "unreadable"
    assert details(rows)["a.txt"] == "not read: the path is now a FIFO"


def test_a_file_whose_path_is_too_long_for_the_system_is_still_read(tmp_path: Path) -> None:
    limit = os.pathconf(tmp_path, "PC_PATH_MAX")
    name = "n" * 240 + ".txt"
    parts = write_deep_input(tmp_path, limit - 250, name, b"date 2024-11-02 Deep news.")
    rows = processed(tmp_path, discover_inputs(Folder(tmp_path)))
    source = "/".join([*parts, name])
    assert len(str(tmp_path / source)) > limit
    assert texts(rows) == {source: "Deep news."}


def test_a_plain_page_named_html_gz_is_read_as_plain(tmp_path: Path) -> None:
    (tmp_path / "plain.html.gz").write_bytes(PAGE)
    (tmp_path / "packed.html.gz").write_bytes(gzip.compress(PAGE))
    rows = processed(tmp_path, discover_inputs(Folder(tmp_path)))
    assert outcomes(rows) == {"plain.html.gz": "document", "packed.html.gz": "document"}
    assert texts(rows)["plain.html.gz"] == texts(rows)["packed.html.gz"]


# Runs in a fresh interpreter, whose peak RSS is its own: a small input is processed first
# (imports, language profiles), then the large one; the growth of the peak is the large one's.
_PEAK_GROWTH = """
import json, resource, sys
from datetime import UTC, datetime
from tasks.batches import process_inputs
from tasks.plan import Part
from tasks.input_files import Reading
from tasks.output.rows import Run
from tasks.storage import Folder

root, small, large = sys.argv[1:]
def outcome(source):
    rows = process_inputs(Folder(root), [Part(source)], Run("t", datetime.now(UTC)), Reading())
    reasons = rows.rejects.column("reason").to_pylist()
    return reasons[0] if reasons else "document"
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
first = outcome(small)
before = peak()
print(json.dumps([first, outcome(large), peak() - before]))
"""


def peak_growth(root: Path, small: str, large: str) -> tuple[str, str, int]:
    """The outcomes of `small` then `large` in a fresh process; how far `large` raised its peak."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", _PEAK_GROWTH, str(root), small, large]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    first, second, growth = json.loads(run.stdout)
    return first, second, growth


def test_a_gzip_bomb_costs_no_more_than_the_cap(tmp_path: Path) -> None:
    (tmp_path / "small.html").write_bytes(PAGE)
    with gzip.open(tmp_path / "bomb.html.gz", "wb", compresslevel=1) as bomb:
        for _ in range(256):
            bomb.write(bytes(1 << 20))  # 256 MiB of zeros in about 1 MiB
    first, second, growth = peak_growth(tmp_path, "small.html", "bomb.html.gz")
    assert (first, second) == ("document", "too_large")
    assert growth < 64 << 20


def test_a_text_file_over_the_cap_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "small.txt").write_bytes(b"date 2024-11-02 The council met on Monday.")
    with open(tmp_path / "huge.txt", "wb") as huge:
        huge.truncate(256 << 20)  # 256 MiB, sparse: written in no time
    first, second, growth = peak_growth(tmp_path, "small.txt", "huge.txt")
    assert (first, second) == ("document", "too_large")
    assert growth < 64 << 20


def test_rows_of_undecodable_names_hold_readable_sources(tmp_path: Path) -> None:
    with open(os.fsencode(tmp_path) + b"/ok\xff.txt", "wb") as good:
        good.write(b"date 2024-11-02 The council met on Monday.")
    with open(os.fsencode(tmp_path) + b"/bad\xfe.txt", "wb") as bad:
        bad.write(b"no date header here")
    rows = processed(tmp_path, discover_inputs(Folder(tmp_path)))
    assert outcomes(rows) == {"ok\\xff.txt": "document", "bad\\xfe.txt": "missing_date"}
