"""A folder on local disk or in object storage (`s3://bucket/prefix`), through pyarrow.fs."""

from __future__ import annotations

import contextlib
import os
import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs

# The URI schemes a folder may have besides a local path: those tested and documented.
SCHEMES = ("s3",)


def check_location(uri: str) -> None:
    """Raise ValueError unless `uri` is a local path or an `s3://bucket/prefix` URI."""
    if "://" not in uri:
        return
    scheme, _, rest = uri.partition("://")
    if scheme not in SCHEMES or not rest.partition("/")[0]:
        raise ValueError(
            f"{uri!r} is not a supported location: use a local path or s3://bucket/prefix"
        )


class Folder:
    """A folder named by a local path or a URI; it pickles as that URI."""

    def __init__(self, uri: str | Path) -> None:
        text = str(uri)
        check_location(text)
        self.uri = text if "://" in text else str(Path(text).resolve())
        self.fs, self.root = pafs.FileSystem.from_uri(self.uri)
        self.is_local = isinstance(self.fs, pafs.LocalFileSystem)

    def __reduce__(self) -> tuple[Callable[..., Folder], tuple[str]]:
        return (Folder, (self.uri,))

    def __repr__(self) -> str:
        return f"Folder({self.uri!r})"

    def path(self, *parts: str) -> str:
        """The filesystem path of `parts` below this folder."""
        return posixpath.join(self.root, *parts)

    def exists(self, *parts: str) -> bool:
        """Whether anything is stored at `parts`."""
        return bool(self.fs.get_file_info(self.path(*parts)).type != pafs.FileType.NotFound)

    def is_file(self, *parts: str) -> bool:
        """Whether a file is stored at `parts`."""
        return bool(self.fs.get_file_info(self.path(*parts)).type == pafs.FileType.File)

    def read_bytes(self, *parts: str) -> bytes:
        """The bytes of the file at `parts`."""
        with self.fs.open_input_stream(self.path(*parts)) as stream:
            return bytes(stream.read())

    def write_bytes(self, data: bytes, *parts: str) -> None:
        """Store `data` at `parts`, whole or not at all."""
        self.write_atomically(lambda path: _write_stream(self.fs, path, data), *parts)

    def write_atomically(self, write: Callable[[str], Any], *parts: str) -> None:
        """Call `write(path)` so that `parts` appears whole or not at all.

        Locally the file is written under a hidden temporary name and renamed into place; an
        object store makes a single upload visible only once it is complete.
        """
        relative = posixpath.join(*parts)
        folder, name = posixpath.split(relative)
        self.fs.create_dir(self.path(folder), recursive=True)
        if not self.is_local:
            write(self.path(relative))
            return
        tmp = posixpath.join(folder, f".{name}.tmp")
        write(self.path(tmp))
        self.sync(tmp)
        self.move(tmp, relative)
        self.sync_folders([folder])

    def move(self, source: str, target: str) -> None:
        """Rename the file at `source` to `target` (relative paths), replacing what is there."""
        self.fs.move(self.path(source), self.path(target))

    def keep_copy(self, source: str, target: str) -> None:
        """Make `target` hold what `source` holds now: a hard link locally, a copy elsewhere."""
        if not self.is_local:
            self.fs.copy_file(self.path(source), self.path(target))
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(target))
        os.link(self.path(source), self.path(target))

    def sync(self, *parts: str) -> None:
        """Make the local file at `parts` durable (an object store's upload already is)."""
        if self.is_local:
            descriptor = os.open(self.path(*parts), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)

    def sync_folders(self, folders: Iterable[str]) -> None:
        """Make the renames and deletions in these local folders (relative paths) durable."""
        if not self.is_local:
            return
        for folder in folders:
            try:
                descriptor = os.open(self.path(folder), os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                continue  # removed once emptied
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)

    def listing(self, *parts: str, recursive: bool = False) -> list[pafs.FileInfo]:
        """What is stored below `parts` (nothing when it does not exist)."""
        selector = pafs.FileSelector(self.path(*parts), allow_not_found=True, recursive=recursive)
        return list(self.fs.get_file_info(selector))

    def delete_file(self, *parts: str) -> None:
        """Delete the file at `parts` if there is one."""
        if self.is_file(*parts):
            self.fs.delete_file(self.path(*parts))

    def delete_dir(self, *parts: str) -> None:
        """Delete the folder at `parts` and everything below it, if it exists."""
        if self.exists(*parts):
            self.fs.delete_dir(self.path(*parts))

    def remove_if_empty(self, *parts: str) -> None:
        """Remove the folder at `parts` when nothing is left in it (object stores have none)."""
        if self.is_local and self.exists(*parts) and not self.listing(*parts):
            self.fs.delete_dir(self.path(*parts))


def _write_stream(fs: pafs.FileSystem, path: str, data: bytes) -> None:
    """Write `data` to `path` on `fs`."""
    with fs.open_output_stream(path) as stream:
        stream.write(data)
