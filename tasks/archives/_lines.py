"""The lines of a (possibly compressed) file that start within a slice of it, in bounded memory."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, BinaryIO, cast

if TYPE_CHECKING:
    from typing_extensions import Buffer

# Decompressed bytes asked for at a time: what one step can hold in memory, bomb or not.
_PIECE_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Line:
    """One line: its 1-based number, its bytes (None when over the cap) and its size."""

    number: int
    data: bytes | None
    size: int


class DamagedStream(Exception):
    """A compressed file that ends early or cannot be decompressed past some line."""

    def __init__(self, line: int, detail: str) -> None:
        super().__init__(detail)
        self.line = line
        self.detail = detail


def owned_lines(
    file: BinaryIO, compression: str | None, start: int, stop: int | None, max_bytes: int
) -> Iterator[Line]:
    """The non-blank lines of `file` owned by the slice [start, stop) of its stored bytes.

    A line belongs to the slice holding the stored (compressed) position that had been read
    when its first byte came out: the same answer for every reader, so slices of one file share
    out its lines with none missed or doubled. Lines before the slice are counted, not kept;
    a compressed file is decompressed from its start (it cannot be entered elsewhere).
    Raises DamagedStream when the compressed data ends early or is corrupt.
    """
    counted = _CountingReader(file)
    stream = _decompressing(counted, compression)
    number = 1  # of the line being read
    owner: int | None = None  # the position its first byte came out at; None at a line start
    pending = bytearray()
    size = 0
    try:
        while piece := stream.read(_PIECE_BYTES):
            position = counted.consumed
            if stop is not None and owner is None and position >= stop:
                return  # every line from here on belongs to a later slice
            if position < start:  # every line starting here is before the slice: counted only
                number += piece.count(b"\n")
                if piece.endswith(b"\n"):
                    owner = None
                elif owner is None or b"\n" in piece:
                    owner = position
                continue
            for index, segment in enumerate(piece.split(b"\n")):
                if index:  # a newline ended the line before this segment
                    if owner is not None and _within(owner, start, stop) and size:
                        yield _line(number, pending, size, max_bytes)
                    number += 1
                    owner, size = None, 0
                    pending.clear()
                if not segment:
                    continue
                if owner is None:
                    owner = position
                size += len(segment)
                if _within(owner, start, stop) and size <= max_bytes:
                    pending += segment
    except Exception as error:  # gzip raises OSError or EOFError, zstandard its ZstdError
        raise DamagedStream(number, _damage(error, counted.consumed)) from None
    if owner is not None and _within(owner, start, stop) and size:
        yield _line(number, pending, size, max_bytes)


def _line(number: int, pending: bytearray, size: int, max_bytes: int) -> Line:
    """The line read so far, unless it grew past the cap."""
    return Line(number, bytes(pending) if size <= max_bytes else None, size)


def _within(position: int, start: int, stop: int | None) -> bool:
    """Whether a stored position falls in the slice [start, stop)."""
    return position >= start and (stop is None or position < stop)


def _damage(error: BaseException, position: int) -> str:
    """What is wrong with the compressed data, and about where."""
    what = "ends early" if isinstance(error, EOFError) else f"is corrupt ({error})"
    return f"the compressed data {what}, near byte {position} of the file"


class _CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it."""

    def __init__(self, file: BinaryIO) -> None:
        super().__init__()
        self._file = file
        self.consumed = 0

    def readable(self) -> bool:
        """A file to read."""
        return True

    def readinto(self, buffer: Buffer) -> int:
        """Read into `buffer`; the bytes read."""
        view = memoryview(buffer).cast("B")
        data = self._file.read(len(view))
        view[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def _decompressing(file: _CountingReader, compression: str | None) -> IO[bytes]:
    """A reader of the decompressed bytes of `file`."""
    raw = cast(IO[bytes], file)
    if compression == "gzip":
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    if compression == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return raw
