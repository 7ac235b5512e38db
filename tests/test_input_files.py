"""Reading one input: below SOURCE through no link, never a FIFO, never past the cap."""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tasks.input_files import InputReader, Reading, input_hashes
from tasks.rejection import Reason, Rejected
from tasks.storage import Folder
from tests.time_bound import within

SECRET = b"date 2024-11-02 The secret text outside SOURCE."


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """SOURCE with `a.txt` and `sub/b.txt`, and a secret file outside it."""
    root = tmp_path / "src"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"date 2024-11-02 A.")
    (root / "sub" / "b.txt").write_bytes(b"date 2024-11-02 B.")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.txt").write_bytes(SECRET)
    return root


def read_input(root: Folder, path: str, max_bytes: int = 1_000_000) -> bytes:
    """The bytes of one input, read by a reader of its own."""
    with InputReader(root) as reader:
        return reader.read(path, max_bytes)


def input_sha256(root: Folder, path: str) -> str | None:
    """The SHA-256 of one input, read by a reader of its own."""
    with InputReader(root) as reader:
        return reader.sha256(path)


def unreadable_detail(call: Callable[[], object]) -> str:
    """The detail of the unreadable rejection `call` raises."""
    with pytest.raises(Rejected) as rejected:
        call()
    assert rejected.value.reason == Reason.UNREADABLE
    return rejected.value.detail


def test_reads_a_regular_file(source: Path) -> None:
    assert read_input(Folder(source), "sub/b.txt") == b"date 2024-11-02 B."
    expected = hashlib.sha256(b"date 2024-11-02 B.").hexdigest()
    assert input_sha256(Folder(source), "sub/b.txt") == expected


def test_a_file_now_a_link_is_not_read(source: Path) -> None:
    (source / "a.txt").unlink()
    (source / "a.txt").symlink_to(source.parent / "outside" / "b.txt")
    detail = unreadable_detail(lambda: read_input(Folder(source), "a.txt"))
    assert "now a link" in detail
    assert input_sha256(Folder(source), "a.txt") is None


def test_a_folder_now_a_link_is_not_read_through(source: Path) -> None:
    (source / "sub").rename(source.parent / "elsewhere")
    (source / "sub").symlink_to(source.parent / "outside")  # holds a b.txt too
    detail = unreadable_detail(lambda: read_input(Folder(source), "sub/b.txt"))
    assert "now a link" in detail
    assert input_hashes(Folder(source), ["sub/b.txt", "a.txt"])[0] is None


def test_a_reader_keeps_to_the_folders_it_opened(source: Path) -> None:
    (source / "other").mkdir()
    (source / "other" / "d.txt").write_bytes(b"date 2024-11-02 D.")
    with InputReader(Folder(source)) as reader:
        assert reader.read("sub/b.txt") == b"date 2024-11-02 B."
        (source / "sub").rename(source / "moved")
        (source / "sub").symlink_to(source.parent / "outside")
        # the folder it opened, kept for the next input in it: never the link's
        assert reader.read("sub/b.txt") == b"date 2024-11-02 B."
        assert reader.read("other/d.txt") == b"date 2024-11-02 D."
        # walked again from SOURCE: the link is found
        assert "now a link" in unreadable_detail(lambda: reader.read("sub/b.txt"))


def test_a_link_to_etc_passwd_is_not_read(source: Path) -> None:
    (source / "a.txt").unlink()
    (source / "a.txt").symlink_to("/etc/passwd")
    unreadable_detail(lambda: read_input(Folder(source), "a.txt"))


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_file_now_something_else_is_turned_away_at_once(source: Path, kind: str) -> None:
    (source / "a.txt").unlink()
    if kind == "fifo":
        os.mkfifo(source / "a.txt")  # opening it for reading would wait for a writer forever
    else:
        (source / "a.txt").mkdir()
    detail = within(10, lambda: unreadable_detail(lambda: read_input(Folder(source), "a.txt")))
    assert detail == f"not read: the path is now a {kind.upper() if kind == 'fifo' else kind}"
    assert within(10, lambda: input_hashes(Folder(source), ["a.txt"])) == [None]


def test_a_missing_file_is_unreadable(source: Path) -> None:
    detail = unreadable_detail(lambda: read_input(Folder(source), "gone.txt"))
    assert detail == "cannot read the file: No such file or directory"


def test_a_file_over_the_cap_is_too_large_and_still_hashed(source: Path) -> None:
    (source / "big.txt").write_bytes(b"x" * 1001)
    with pytest.raises(Rejected) as rejected:
        read_input(Folder(source), "big.txt", max_bytes=1000)
    assert rejected.value.reason == Reason.TOO_LARGE
    assert rejected.value.detail == "1001 bytes, over the 1000 byte cap"
    assert read_input(Folder(source), "big.txt", max_bytes=1001) == b"x" * 1001
    assert input_sha256(Folder(source), "big.txt") == hashlib.sha256(b"x" * 1001).hexdigest()


def test_gzip_is_read_as_stored(source: Path) -> None:
    packed = gzip.compress(b"<p>page</p>")
    (source / "page.html.gz").write_bytes(packed)
    assert read_input(Folder(source), "page.html.gz") == packed


def test_paths_must_stay_below_the_source(source: Path) -> None:
    with pytest.raises(ValueError):
        read_input(Folder(source), "sub/../../outside/b.txt")


def test_the_size_cap_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Reading(max_bytes=0)


def test_reading_goes_to_the_target_a_link_had() -> None:
    reading = Reading(targets={"alias.txt": "real/x.txt"})
    assert reading.path_of("alias.txt") == "real/x.txt"
    assert reading.path_of("other.txt") == "other.txt"
