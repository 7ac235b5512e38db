"""An input's bytes, read below its source folder through no link and within a size cap."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

import pyarrow.fs as pafs

from tasks.archives import RecordFields
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
# Hashing reads this much at a time, from the heap (hashlib.file_digest's 256 KiB buffer is
# mapped and zeroed for each file: twice as slow on small inputs).
_CHUNK_BYTES = 64 * 1024
# Inputs hashed at once while planning: reads from object storage are latency-bound.
_HASHING_THREADS = 16


@dataclass(frozen=True)
class Reading:
    """How a run reads its inputs: the size cap, and where inputs found through a link are."""

    max_bytes: int = MAX_INPUT_BYTES
    # source -> the link-free path it stood for when discovered (only inputs found via a link)
    targets: dict[str, str] = field(default_factory=dict)
    fields: RecordFields = field(default_factory=RecordFields)  # what JSON Lines records hold

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(
                f"the size cap must be a positive number of bytes, not {self.max_bytes}"
            )

    def path_of(self, source: str) -> str:
        """The path, relative to the source folder and free of links, to read `source` from."""
        return self.targets.get(source, source)


class InputReader:
    """The inputs below a source folder, read through no link and within a cap.

    Locally it keeps the source folder open, and the folder of the last input, so that inputs
    read in order cost one open each, not one per folder on their path: hashing 20,000 small
    inputs took 2.3 s so, 3.9 s walking each path from SOURCE, 2.6 s through pyarrow before.
    """

    def __init__(self, root: Folder) -> None:
        self.root = root
        self._top: int | None = None  # opened on first use: a failure costs that input only
        self._last: tuple[str, int] | None = None  # the last input's folder and its descriptor

    def __enter__(self) -> InputReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the folders kept open."""
        if self._last is not None:
            os.close(self._last[1])
            self._last = None
        if self._top is not None:
            os.close(self._top)
            self._top = None

    def read(self, path: str, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
        """The bytes of the regular file at `path`; too_large past `max_bytes`."""
        with self._opened(path) as (read, size):
            if size > max_bytes:
                raise Rejected(Reason.TOO_LARGE, f"{size} bytes, over the {max_bytes} byte cap")
            # Its size and one byte more, which tells whether it has grown since: then on up
            # to the cap and one byte more. (Asking for the cap at once allocates it each time.)
            data = read(size + 1)
            if len(data) > size:
                data += read(max_bytes - size)
        if len(data) > max_bytes:
            raise Rejected(Reason.TOO_LARGE, f"over the {max_bytes} byte cap")
        return data

    def sha256(self, path: str) -> str | None:
        """The hex SHA-256 of the regular file at `path` (None when it cannot be read)."""
        return self.digest(path)[0]

    def digest(self, path: str) -> tuple[str | None, int | None]:
        """The hex SHA-256 and the size of the regular file at `path` (None when unreadable).

        The file is read in chunks, so an input of any size is hashed in bounded memory.
        """
        sha256 = hashlib.sha256()
        try:
            with self._opened(path) as (read, size):
                while chunk := read(_CHUNK_BYTES):
                    sha256.update(chunk)
        except Rejected:
            return None, None
        return sha256.hexdigest(), size

    @contextmanager
    def file(self, path: str) -> Iterator[tuple[BinaryIO, int]]:
        """The regular file at `path` open to read and seek (an archive), and its size."""
        try:
            if self.root.is_local:
                descriptor, size = self._regular_file(path)
                opened: BinaryIO = open(descriptor, "rb", closefd=True)  # noqa: SIM115
            else:
                full = self.root.path(path)
                size = self.root.fs.get_file_info(full).size or 0
                opened = self.root.fs.open_input_file(full)
        except OSError as error:
            raise Rejected(Reason.UNREADABLE, f"cannot read the file: {_cause(error)}") from None
        with opened:
            yield opened, size

    @contextmanager
    def _opened(self, path: str) -> Iterator[tuple[Callable[[int], bytes], int]]:
        """How to read the file at `path` (at most n bytes a call), and its size."""
        try:
            if self.root.is_local:
                descriptor, size = self._regular_file(path)
                try:
                    yield partial(os.read, descriptor), size
                finally:
                    os.close(descriptor)
                return
            full = self.root.path(path)
            info = self.root.fs.get_file_info(full)
            if info.type != pafs.FileType.File:
                raise Rejected(Reason.UNREADABLE, "not read: no longer a file")
            # compression=None: pyarrow would otherwise undo a .gz name's gzip whole, uncapped
            with self.root.fs.open_input_stream(full, compression=None) as remote:
                yield remote.read, info.size
        except OSError as error:
            raise Rejected(Reason.UNREADABLE, f"cannot read the file: {_cause(error)}") from None

    def _regular_file(self, path: str) -> tuple[int, int]:
        """A descriptor of the regular file at `path`, reached through no link, and its size."""
        folder, _, name = path.rpartition("/")
        if name in ("", ".", ".."):
            raise ValueError(f"not a path below the source folder: {path!r}")
        opened = _open_part(name, _FILE, self._folder(folder))
        try:
            status = os.fstat(opened)
            if not stat.S_ISREG(status.st_mode):
                what = _NOT_REGULAR.get(stat.S_IFMT(status.st_mode), "not a regular file")
                raise Rejected(Reason.UNREADABLE, f"not read: the path is now {what}")
        except BaseException:
            os.close(opened)
            raise
        return opened, status.st_size

    def _folder(self, folder: str) -> int:
        """A descriptor of `folder` (`/`-separated, below the source), opened through no link."""
        if self._top is None:
            self._top = os.open(self.root.root, _FOLDER)
        if not folder:
            return self._top
        if self._last is not None and self._last[0] == folder:
            return self._last[1]
        parts = folder.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"not a folder below the source folder: {folder!r}")
        opened = self._top
        try:
            for part in parts:
                below = _open_part(part, _FOLDER, opened)
                if opened != self._top:
                    os.close(opened)
                opened = below
        except BaseException:
            if opened != self._top:
                os.close(opened)
            raise
        if self._last is not None:
            os.close(self._last[1])
        self._last = (folder, opened)
        return opened


def input_hashes(root: Folder, paths: list[str]) -> list[str | None]:
    """The SHA-256 of each input at `paths` below `root` (None for one that cannot be read)."""
    # One by one locally, where threads only add contention (measured 7x slower); many at once
    # from object storage, where reads are latency-bound.
    if root.is_local:
        with InputReader(root) as reader:
            return [reader.sha256(path) for path in paths]
    with ThreadPoolExecutor(_HASHING_THREADS) as threads:
        return list(threads.map(InputReader(root).sha256, paths))


def input_digests(root: Folder, paths: list[str]) -> list[tuple[str | None, int | None]]:
    """The SHA-256 and size of each input at `paths` below `root`, each read once."""
    with InputReader(root) as reader:
        return [reader.digest(path) for path in paths]


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
