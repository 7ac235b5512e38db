"""Input discovery: stable, recursive, and never outside the source folder."""

from __future__ import annotations

from pathlib import Path

from tasks.discovery import discover_inputs, input_format
from tasks.storage import Folder
from tests.inputs import EXPECTED, write_awkward_inputs


def test_discovery_finds_each_input_once(tmp_path: Path, seed_bytes: bytes) -> None:
    root = tmp_path / "src"
    write_awkward_inputs(root, seed_bytes, tmp_path / "outside")
    found = discover_inputs(Folder(root))
    assert found.inputs == sorted(EXPECTED)
    assert found.skipped["other file type"] == 2
    assert found.skipped["link outside source"] == 2
    assert found.skipped["directory cycle"] == 1


def test_input_format_by_name() -> None:
    assert input_format("a/b.txt") == "txt"
    assert input_format("A.TXT") == "txt"
    assert input_format("notes.md") is None
