"""An input's bytes, read below its source folder through no link and within a size cap."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyarrow.fs as pafs

from tasks.rejection import Reason, Rejected
from tasks.storage import Folder

# The most bytes of content one input may hold: a text file's size, an HTML page's once
# decompressed (the cap HTML pages always had, MAX_HTML_BYTES). A text document costs about
# 18 MiB of memory and 0.9 s per MB: 80 MiB and 5 s at this cap, 375 MiB and 19 s at 20 MB,
# 1.3 GB at 60 MB. News articles are a few kilobytes; a larger file is a dump.
MAX_INPUT_BYTES = 5_000_000
# Folders are opened one by one below the source, never through a link.
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
# O_NONBLOCK: a FIFO opens at once instead of waiting for a writer, and is then turned away.
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
_NOT_REGULAR = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}
# Inputs hashed at once while planning: reads from object storage are latency-bound.
_HASHING_THREADS = 16


@dataclass(frozen=True)
class Reading:
    """How a run reads its inputs: the size cap, and where inputs found through a link are."""

    max_bytes: int = MAX_INPUT_BYTES
    # source -> the link-free path it stood for when discovered (only inputs found via a link)
    targets: dict[str, str] = field(default_factory=dict)

    def path_of(self, source: str) -> str:
        """The path, relative to the source folder and free of links, to read `source` from."""
        return self.targets.get(source, source)


def read_input(root: Folder, path: str, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file at `path` below `root`; too_large past `max_bytes`."""
    with _opened(root, path) as (stream, size):
        if size > max_bytes:
            raise Rejected(Reason.TOO_LARGE, f"{size} bytes, over the {max_bytes} byte cap")
        data = stream.read(max_bytes + 1)  # never more: the file may have grown since
    if len(data) > max_bytes:
        raise Rejected(Reason.TOO_LARGE, f"over the {max_bytes} byte cap")
    return data


def input_sha256(root: Folder, path: str) -> str | None:
    """The hex SHA-256 of the regular file at `path` below `root` (None when it cannot be read).

    The file is read in bounded chunks, so an input of any size can be hashed.
    """
    try:
        with _opened(root, path) as (stream, _):
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except Rejected:
        return None


def input_hashes(root: Folder, paths: list[str]) -> list[str | None]:
    """The SHA-256 of each input at `paths` below `root` (None for one that cannot be read)."""
    # One by one locally, where threads only add contention (measured 7x slower); many at once
    # from object storage, where reads are latency-bound.
    if root.is_local:
        return [input_sha256(root, path) for path in paths]
    with ThreadPoolExecutor(_HASHING_THREADS) as readers:
        return list(readers.map(lambda path: input_sha256(root, path), paths))


@contextmanager
def _opened(root: Folder, path: str) -> Iterator[tuple[io.BufferedIOBase, int]]:
    """The file at `path` below `root`, open for reading, and its size; unreadable otherwise."""
    try:
        if root.is_local:
            with os.fdopen(_regular_file(root.root, path), "rb") as local:
                yield local, os.fstat(local.fileno()).st_size
            return
        full = root.path(path)
        info = root.fs.get_file_info(full)
        if info.type != pafs.FileType.File:
            raise Rejected(Reason.UNREADABLE, "not read: no longer a file")
        # compression=None: pyarrow would otherwise undo a .gz name's gzip whole, uncapped
        with root.fs.open_input_stream(full, compression=None) as remote:
            yield remote, info.size
    except OSError as error:
        raise Rejected(Reason.UNREADABLE, f"cannot read the file: {_cause(error)}") from None


def _regular_file(top: str, path: str) -> int:
    """A descriptor of the regular file at `path` below the folder `top`, reached via no link."""
    *folders, name = path.split("/")
    if any(part in ("", ".", "..") for part in (*folders, name)):
        raise ValueError(f"not a path below the source folder: {path!r}")
    folder = os.open(top, _FOLDER)
    try:
        for part in folders:
            below = _open_part(part, _FOLDER, folder)
            os.close(folder)
            folder = below
        opened = _open_part(name, _FILE, folder)
    finally:
        os.close(folder)
    try:
        mode = os.fstat(opened).st_mode
        if not stat.S_ISREG(mode):
            what = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")
            raise Rejected(Reason.UNREADABLE, f"not read: the path is now {what}")
    except BaseException:
        os.close(opened)
        raise
    return opened


def _open_part(name: str, flags: int, folder: int) -> int:
    """`name` in the open `folder`, opened with `flags`; unreadable when it is now a link."""
    try:
        return os.open(name, flags, dir_fd=folder)
    except OSError:
        if _is_link(name, folder):
            raise Rejected(
                Reason.UNREADABLE,
                "not read: the path is now a link (only links discovery accepted are followed)",
            ) from None
        raise


def _is_link(name: str, folder: int) -> bool:
    """Whether `name` in the open `folder` is a symbolic link."""
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _cause(error: OSError) -> str:
    """What went wrong, without the file name (which may not be valid UTF-8)."""
    return error.strerror or str(error)
