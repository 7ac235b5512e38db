"""The input files under a source folder, found safely and in a stable order."""

from __future__ import annotations

import errno
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.fs as pafs

from tasks.storage import Folder

# File name endings docprep reads, and the format each one holds.
INPUT_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".html.gz": "html",
    ".htm.gz": "html",
    **{
        f".{kind}{packed}": "jsonl"
        for kind in ("jsonl", "ndjson")
        for packed in ("", ".gz", ".zst")
    },
    ".warc": "warc",
    ".warc.gz": "warc",
}
# Formats of archives: files holding many documents, a row for each record.
ARCHIVE_FORMATS = frozenset({"jsonl", "warc"})
# Why a folder or entry that cannot be looked at is skipped, by error number.
_SKIP_KINDS = {errno.ELOOP: "link loop", errno.ENAMETOOLONG: "path too long"}
_FOLDER, _INPUT = "folder", "input"  # what else an entry can be


@dataclass(frozen=True)
class Discovery:
    """Input paths relative to the source folder (`/`-separated, sorted) and what was skipped."""

    inputs: list[str]
    skipped: Counter[str] = field(default_factory=Counter)
    # input found through a link -> the path, free of links, that it stood for when found
    targets: dict[str, str] = field(default_factory=dict)


def input_format(name: str) -> str | None:
    """The format of the file called `name`, or None when docprep does not read it."""
    lowered = name.lower()
    return next((fmt for end, fmt in INPUT_FORMATS.items() if lowered.endswith(end)), None)


def discover_inputs(source: Folder) -> Discovery:
    """Every input file in `source`, local or in object storage."""
    if source.is_local:
        return _discover_local(Path(source.root))
    inputs: list[str] = []
    skipped: Counter[str] = Counter()
    prefix = source.root.rstrip("/") + "/"
    for info in source.listing(recursive=True):
        if info.type != pafs.FileType.File:
            continue
        if input_format(info.base_name) is None:
            skipped["other file type"] += 1
        else:
            inputs.append(info.path.removeprefix(prefix))
    return Discovery(sorted(inputs), skipped)


def _discover_local(root: Path) -> Discovery:
    """Every input file under `root`, never leaving it through a link nor looping on a cycle.

    An entry or folder that cannot be looked at (a link loop, no permission, a path too long)
    is skipped and counted, never fatal.
    """
    top = root.resolve(strict=True)
    seen_dirs = {top}
    inputs: list[str] = []
    targets: dict[str, str] = {}
    skipped: Counter[str] = Counter()
    # folders still to read: each one's path relative to `top` as found (through links, if
    # any) and as it is (free of links)
    pending = [("", "")]
    while pending:
        prefix, real_prefix = pending.pop()
        for entry in _entries(top / real_prefix, skipped):
            found = prefix + entry.name
            try:
                kind, real = _kind_of(entry, top, real_prefix + entry.name)
            except OSError as error:
                skipped[_skip_kind(error, "unreadable entry")] += 1
                continue
            if kind == _FOLDER:
                if (top / real) in seen_dirs:
                    skipped["directory cycle"] += 1
                else:
                    seen_dirs.add(top / real)
                    pending.append((f"{found}/", f"{real}/"))
            elif kind == _INPUT:
                inputs.append(found)
                if real != found:  # found through a link
                    targets[found] = real
            else:
                skipped[kind] += 1
    return Discovery(sorted(inputs), skipped, targets)


def _entries(folder: Path, skipped: Counter[str]) -> Iterator[os.DirEntry[str]]:
    """The entries of `folder`; when it cannot be listed, none, and the reason counted."""
    try:
        with os.scandir(folder) as entries:
            yield from entries
    except OSError as error:
        skipped[_skip_kind(error, "unreadable folder")] += 1


def _kind_of(entry: os.DirEntry[str], top: Path, real: str) -> tuple[str, str]:
    """What `entry` is (a folder, an input or why it is skipped), and its link-free path.

    `real` is the entry's path below `top` if it is not a link; OSError when it cannot be
    looked at.
    """
    # A directory entry knows its own type: only links cost a look at their target.
    if entry.is_symlink():
        target = Path(os.path.realpath(entry.path))
        if not target.is_relative_to(top):
            return "link outside source", real
        real = target.relative_to(top).as_posix()
    if entry.is_dir():
        return _FOLDER, real
    if input_format(entry.name) is None:
        return "other file type", real
    if not entry.is_file():
        return "not a regular file", real
    return _INPUT, real


def _skip_kind(error: OSError, otherwise: str) -> str:
    """Why an entry or folder that could not be looked at is skipped: `otherwise` by default."""
    return _SKIP_KINDS.get(error.errno, otherwise) if error.errno else otherwise
