"""The input files under a source folder, found safely and in a stable order."""

from __future__ import annotations

import os
from collections import Counter
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
}


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
    """Every input file under `root`, never leaving it through a link nor looping on a cycle."""
    top = root.resolve(strict=True)
    seen_dirs = {top}
    inputs: list[str] = []
    targets: dict[str, str] = {}
    skipped: Counter[str] = Counter()
    # folders still to read: each one's own path, and its path relative to `top` as found
    # (through links, if any) and as it is (free of links)
    pending = [(top, "", "")]
    while pending:
        folder, prefix, real_prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                found, real = prefix + entry.name, real_prefix + entry.name
                # A directory entry knows its own type: only links cost a look at their target.
                if entry.is_dir():
                    target = Path(entry.path).resolve() if entry.is_symlink() else Path(entry.path)
                    if not target.is_relative_to(top):
                        skipped["link outside source"] += 1
                    elif target in seen_dirs:
                        skipped["directory cycle"] += 1
                    else:
                        seen_dirs.add(target)
                        pending.append((target, f"{found}/", f"{_relative(target, top)}/"))
                elif input_format(entry.name) is None:
                    skipped["other file type"] += 1
                elif entry.is_symlink():
                    target = Path(entry.path).resolve()
                    if not target.is_relative_to(top):
                        skipped["link outside source"] += 1
                    elif not entry.is_file():
                        skipped["not a regular file"] += 1
                    else:
                        inputs.append(found)
                        targets[found] = _relative(target, top)
                elif not entry.is_file():
                    skipped["not a regular file"] += 1
                else:
                    inputs.append(found)
                    if real != found:  # below a folder found through a link
                        targets[found] = real
    return Discovery(sorted(inputs), skipped, targets)


def _relative(path: Path, top: Path) -> str:
    """`path` relative to `top`, `/`-separated."""
    return path.relative_to(top).as_posix()
