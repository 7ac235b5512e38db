"""What docprep writes into: only its own stores; what it deletes: only what its runs made."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main
from tasks.output.datasets import JOURNAL, STAGING
from tasks.storage import Folder
from tasks.storage.ownership import MARKER, OutputRefused, check_output_folder
from tests.duckdb_reads import rows
from tests.inputs import story


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes (an empty dict when `root` does not exist)."""
    if root.is_file():
        return {".": root.read_bytes()}
    files = sorted(path for path in root.rglob("*") if path.is_file())
    return {str(path.relative_to(root)): path.read_bytes() for path in files}


@pytest.mark.parametrize(
    "files",
    [
        None,  # absent
        {},  # empty
        {".gitkeep": b""},
        {".docprep.lock": b"pid 1", f".{MARKER}.tmp": b"{"},  # a first run marking it
        {MARKER: b"{}", "notes.txt": b"a store may hold what its owner adds"},
        {"documents/month=2024-11/part-0.parquet": b"", "runs/part-0.parquet": b""},  # pre-marker
        {"documents/month=2024-11/part-0.parquet": b"", "report.html": b"<!DOCTYPE html>"},
    ],
    ids=[
        "absent",
        "empty",
        "gitkeep",
        "being-marked",
        "marked",
        "older-store",
        "older-store-with-report",
    ],
)
def test_accepted_output_folders(tmp_path: Path, files: dict[str, bytes] | None) -> None:
    out = tmp_path / "out"
    for name, data in (files or {}).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    if files is not None:
        out.mkdir(exist_ok=True)
    check_output_folder(Folder(out))


@pytest.mark.parametrize(
    "files",
    [
        {"notes.txt": b"mine"},
        {"documents/month=2024-11/part-0.parquet": b"", "thesis.tex": b"mine"},
        {"_staging/draft.txt": b"mine"},
    ],
    ids=["user-file", "store-and-user-file", "user-staging"],
)
def test_refused_output_folders(tmp_path: Path, files: dict[str, bytes]) -> None:
    out = tmp_path / "out"
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    with pytest.raises(OutputRefused, match="holds files docprep did not write"):
        check_output_folder(Folder(out))


@pytest.mark.usefixtures("prefect_server")
@pytest.mark.parametrize("kind", ["folder", "file", "source"])
def test_a_refused_output_is_one_line_exit_2_and_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_bytes(story("2024-01-10", "the bridge"))
    (source / "_staging").mkdir()
    (source / "_staging" / "b.txt").write_bytes(story("2024-01-11", "the market"))
    out = {"folder": tmp_path / "mine", "file": tmp_path / "mine.txt", "source": source}[kind]
    if kind == "folder":
        out.mkdir()
        (out / "notes.txt").write_text("mine")
    elif kind == "file":
        out.write_text("mine")
    before = tree(out)
    assert main(["run", str(source), "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("docprep: ") and "\n" not in err
    assert str(out) in err
    assert tree(out) == before


@pytest.mark.usefixtures("prefect_server")
def test_a_run_deletes_nothing_it_did_not_make(tmp_path: Path) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_bytes(story("2024-01-10", "the bridge"))
    assert main(["run", str(source), "--output", str(out)]) == 0
    assert (out / MARKER).is_file()
    # What a user (or another tool) put into the store docprep made.
    theirs = {
        out / STAGING / "draft.txt": b"mine",
        out / STAGING / "0f6c2d5e" / "part.parquet": b"also mine",
        out / "documents" / ".notes.tmp": b"mine",
        out / "documents" / "month=2024-01" / ".part-0.parquet.tmp": b"mine",
    }
    for path, data in theirs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (source / "b.txt").write_bytes(story("2024-01-11", "the market"))
    assert main(["run", str(source), "--output", str(out)]) == 0
    assert main(["run", str(source), "--output", str(out), "--full-refresh"]) == 0
    assert {path: path.read_bytes() for path in theirs} == theirs
    assert rows(out, "SELECT source FROM {documents} ORDER BY 1") == [("a.txt",), ("b.txt",)]


@pytest.mark.usefixtures("prefect_server")
@pytest.mark.parametrize("damage", ["partition", "journal", "runs"])
def test_a_damaged_store_names_the_file_and_a_full_refresh_rebuilds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_bytes(story("2024-01-10", "the bridge"))
    (source / "bad.txt").write_bytes(b"no header")
    assert main(["run", str(source), "--output", str(out)]) == 0
    damaged = {
        "partition": out / "documents" / "month=2024-01" / "part-0.parquet",
        "journal": out / JOURNAL,
        "runs": out / "runs" / "part-0.parquet",
    }[damage]
    damaged.write_bytes(b"PAR1 this is not what docprep wrote")
    capsys.readouterr()
    for _ in range(2):  # every later run says the same, and writes nothing
        before = tree(out)
        assert main(["run", str(source), "--output", str(out)]) == 1
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and "Traceback" not in err
        assert str(damaged) in err and "--full-refresh" in err
        assert tree(out) == before
    assert main(["run", str(source), "--output", str(out), "--full-refresh"]) == 0
    assert rows(out, "SELECT source FROM {documents}") == [("a.txt",)]
    assert rows(out, "SELECT source FROM {rejects}") == [("bad.txt",)]
    assert not (out / JOURNAL).exists()
    assert main(["run", str(source), "--output", str(out)]) == 0
