"""Input discovery: stable, recursive, and never outside the source folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tasks.discovery import discover_inputs, input_format
from tasks.storage import Folder
from tests.inputs import EXPECTED, write_awkward_inputs, write_deep_input

REPO = Path(__file__).resolve().parent.parent


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


def test_a_link_to_itself_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "a.txt").write_bytes(b"date 2024-11-02 A.")
    found = discover_inputs(Folder(tmp_path))
    assert found.inputs == ["a.txt"]
    assert found.skipped == {"link loop": 1}


def test_a_folder_whose_path_is_too_long_is_skipped(tmp_path: Path) -> None:
    limit = os.pathconf(tmp_path, "PC_PATH_MAX")
    parts = write_deep_input(tmp_path, limit, "deep.txt", b"date 2024-11-02 Deep.")
    (tmp_path / "a.txt").write_bytes(b"date 2024-11-02 A.")
    found = discover_inputs(Folder(tmp_path))
    assert found.inputs == ["a.txt"]
    assert found.skipped == {"path too long": 1}
    # the last folder is the one too long to list: every one above it was listed
    assert len(str(tmp_path.joinpath(*parts[:-1]))) < limit < len(str(tmp_path.joinpath(*parts)))


# Runs discovery in a fresh interpreter as `nobody`: root reads any folder whatever its mode.
_DISCOVER_AS_NOBODY = """
import json, os, pwd, sys
from tasks.discovery import discover_inputs
from tasks.storage import Folder
if os.geteuid() == 0:
    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
found = discover_inputs(Folder(sys.argv[1]))
print(json.dumps([found.inputs, found.skipped]))
"""


def test_a_folder_without_read_permission_is_skipped() -> None:
    # Not under tmp_path, whose parent only its owner may enter.
    base = Path(tempfile.mkdtemp(prefix="docprep-unreadable-"))
    try:
        base.chmod(0o755)
        (base / "locked").mkdir()
        (base / "locked" / "hidden.txt").write_bytes(b"date 2024-11-02 Hidden.")
        (base / "a.txt").write_bytes(b"date 2024-11-02 A.")
        (base / "locked").chmod(0)
        command = [sys.executable, "-c", _DISCOVER_AS_NOBODY, str(base)]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == [["a.txt"], {"unreadable folder": 1}]
    finally:
        (base / "locked").chmod(0o700)
        shutil.rmtree(base)
