"""What docprep accepts as OUT: a folder that is absent, empty, or a docprep store it marked."""

from __future__ import annotations

import json

import pyarrow.fs as pafs

from tasks.storage.folder import Folder

# Written into OUT on its first run: only a folder carrying it is one docprep may write into.
MARKER = ".docprep-store"
# What a store made before the marker existed holds, and all it holds: such a store is adopted.
_STORE_NAMES = frozenset(
    {"documents", "paragraphs", "rejects", "runs", "_staging", "_journal.json", ".docprep.lock"}
    | {"report.html"}  # `docprep report` writes it there (tasks/report)
    | {"minhash", "duplicates", "paragraph_counts"}  # the duplicate tables (tasks/duplicates)
)
# What an empty folder may hold: git's placeholder, and the lock of a run that found it empty
# and the marker that run is writing (`Folder.write_bytes` writes it under this name, then
# renames it), so that a second run started meanwhile is told OUT is busy, not foreign.
_PLACEHOLDERS = frozenset({".gitkeep", ".docprep.lock", f".{MARKER}.tmp"})


class OutputRefused(ValueError):
    """OUT is something docprep did not make: it must not write into it."""


def check_output_folder(out: Folder) -> None:
    """Raise OutputRefused unless `out` is absent, empty, or a docprep store; touch nothing."""
    kind = out.fs.get_file_info(out.root).type
    if kind == pafs.FileType.NotFound or out.is_file(MARKER):
        return
    if kind != pafs.FileType.Directory:
        raise OutputRefused(f"output {out.uri} is a file, not a folder; choose another --output")
    names = {info.base_name for info in out.listing()}
    if names <= _PLACEHOLDERS:
        return
    if names <= _STORE_NAMES | _PLACEHOLDERS and names & {"documents", "rejects"}:
        return  # a store written before docprep marked its stores
    raise OutputRefused(
        f"output folder {out.uri} holds files docprep did not write; choose an empty or new "
        "folder for --output (docprep writes only into folders it created)"
    )


def claim_output_folder(out: Folder) -> None:
    """Check `out` as above and mark it as a docprep store, if it is not one already."""
    check_output_folder(out)
    if not out.is_file(MARKER):
        out.write_bytes(json.dumps({"docprep_store": 1}).encode(), MARKER)


class DamagedOutput(RuntimeError):
    """A file docprep wrote under OUT can no longer be read."""


def damaged(out: Folder, relative: str, error: Exception) -> DamagedOutput:
    """The error that names a damaged file under `out` and says how to rebuild it."""
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return DamagedOutput(
        f"{out.path(relative)} is damaged ({reason}); run again with --full-refresh to "
        "rebuild OUT from SOURCE"
    )
