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
    skipped: Counter[str] = Counter()
    pending = [(top, "")]  # folders still to read, with their path relative to `top`
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                # A directory entry knows its own type: only links cost a look at their target.
                if entry.is_dir():
                    target = Path(entry.path).resolve()
                    if not target.is_relative_to(top):
                        skipped["link outside source"] += 1
                    elif target in seen_dirs:
                        skipped["directory cycle"] += 1
                    else:
                        seen_dirs.add(target)
                        pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
                elif input_format(entry.name) is None:
                    skipped["other file type"] += 1
                elif entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(top):
                    skipped["link outside source"] += 1
                elif not entry.is_file():
                    skipped["not a regular file"] += 1
                else:
                    inputs.append(prefix + entry.name)
    return Discovery(sorted(inputs), skipped)
