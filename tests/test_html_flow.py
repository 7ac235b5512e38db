"""End-to-end runs with HTML pages: the real flow, its worker processes and the time limit."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.paths import HTML_FIXTURES as FIXTURES
from tests.paths import REPO

# What each input must become: (table, month or reason, a snippet of its text or None).
EXPECTED: dict[str, tuple[str, str, str | None]] = {
    "article_meta.html": ("documents", "2024-03", "fresh otter tracks at eleven"),
    "article_jsonld.html": ("documents", "2023-11", "stay open until nine in the evening"),
    "article_url.html": ("documents", "2022-06", "in service after four months in dry dock"),
    "article_byline.html": ("documents", "2021-09", "regional prize for school gardens"),
    "undated.html": ("documents", "undated", "Wrap a folded strip of newspaper"),
    "cp1251.html": ("documents", "undated", "Строительство новой трамвайной линии"),
    "latin1.html": ("documents", "undated", "Die älteste Bäckerei der Altstadt"),
    "gz/article_meta.html.gz": ("documents", "2024-03", "fresh otter tracks at eleven"),
    "gz/undated.htm": ("documents", "undated", "Wrap a folded strip of newspaper"),
    "notes.txt": ("documents", "2024-01", "A plain text file still reads as before."),
    "no_content.html": ("rejects", "no_content", None),
    "huge.html": ("rejects", "too_large", None),
    "gz/bomb.html.gz": ("rejects", "too_large", None),
    "empty.html": ("rejects", "empty", None),
}
# Where each dated document's date was found.
DATE_SOURCES = {
    "article_meta.html": "html_meta",
    "article_jsonld.html": "html_jsonld",
    "article_url.html": "html_url",
    "article_byline.html": "html_time",
    "gz/article_meta.html.gz": "html_meta",
    "notes.txt": "header",
}


@pytest.fixture(scope="module")
def prefect_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a subprocess using a temporary Prefect server and PREFECT_HOME."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect_home"))}
    env.pop("PREFECT_API_URL", None)
    return env


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every fixture page, gzipped and oversized pages, and a text file."""
    folder = tmp_path_factory.mktemp("source")
    for page in FIXTURES.iterdir():
        shutil.copy(page, folder / page.name)
    (folder / "gz").mkdir()
    article = (FIXTURES / "article_meta.html").read_bytes()
    (folder / "gz" / "article_meta.html.gz").write_bytes(gzip.compress(article))
    shutil.copy(FIXTURES / "undated.html", folder / "gz" / "undated.htm")
    (folder / "gz" / "bomb.html.gz").write_bytes(gzip.compress(bytes(60_000_000)))
    (folder / "huge.html").write_bytes(article * 3000)  # ~5.8 MB, over the 5 MB cap
    (folder / "empty.html").write_bytes(b"")
    (folder / "notes.txt").write_text("date 2024-01-15\n\nA plain text file still reads as before.")
    return folder


def _python(code: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run Python with `code` as arguments in the repository; its output."""
    return subprocess.run(
        [sys.executable, *code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_every_input_is_accounted_for_once(
    source: Path, tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    out = tmp_path / "out"
    run = _python(["-m", "flows.cli", "run", str(source), "--output", str(out)], prefect_env)
    assert run.returncode == 0, run.stderr
    documents = duckdb.sql(
        f"SELECT source, month, text, format, date_source, title, date_modified "
        f"FROM read_parquet('{out}/documents/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    rejects = duckdb.sql(
        f"SELECT source, reason, format "
        f"FROM read_parquet('{out}/rejects/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    outcomes = [(row[0], "documents", row[1]) for row in documents]
    outcomes += [(row[0], "rejects", row[1]) for row in rejects]
    assert sorted(source for source, _, _ in outcomes) == sorted(EXPECTED)
    assert {source: (table, key) for source, table, key in outcomes} == {
        source: (table, key) for source, (table, key, _) in EXPECTED.items()
    }
    for source_name, _, text, fmt, _, _, _ in documents:
        snippet = EXPECTED[source_name][2]
        assert snippet is not None and snippet in text
        assert fmt == ("txt" if source_name.endswith(".txt") else "html")
    dated = {source_name: date_source for source_name, _, _, _, date_source, _, _ in documents}
    assert {name: found for name, found in dated.items() if found is not None} == DATE_SOURCES
    modified = {row[0]: row[6] for row in documents if row[6] is not None}
    assert modified == {"article_jsonld.html": date(2023, 11, 22)}
    assert {fmt for _, _, fmt in rejects} == {"html"}
    paragraphs = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{out}/paragraphs/**/*.parquet', "
        f"hive_partitioning=true) p JOIN read_parquet('{out}/documents/**/*.parquet', "
        f"hive_partitioning=true) d USING (doc_id) WHERE d.source = 'article_meta.html'"
    ).fetchall()
    assert paragraphs == [(8,)]


# Runs in a fresh interpreter: a flow task handing the page to a worker process, as `ingest`
# hands its batches (flows/workers.py).
_LIMITED_FLOW = """
import json, sys
from flows.prefect_api import apply_quiet_defaults, prefect_api
apply_quiet_defaults()
from prefect import flow, task
from flows.workers import worker_processes
from tasks.html import html_content
from tasks.rejection import Rejected

@task
def outcome(workers, path: str, limit: float) -> str:
    try:
        workers.submit(html_content, open(path, "rb").read(), time_limit=limit).result()
    except Rejected as rejected:
        return str(rejected.reason)
    return "document"

@flow
def limited(jobs: list[tuple[str, float]]) -> list[str]:
    with worker_processes(1) as workers:
        return [outcome(workers, path, limit) for path, limit in jobs]

if __name__ == "__main__":
    with prefect_api():
        print(json.dumps(limited(json.loads(sys.argv[1]))))
"""


def test_time_limit_stops_extraction_in_a_flow_worker(
    source: Path, prefect_env: dict[str, str], tmp_path: Path
) -> None:
    slow = tmp_path / "slow.html"
    paragraphs = "".join(f"<p>Paragraph {n} of a very long report.</p>" for n in range(20_000))
    slow.write_bytes(f"<html><body><article>{paragraphs}</article></body></html>".encode())
    jobs = [(str(slow), 0.01), (str(source / "article_meta.html"), 30.0)]
    run = _python(["-c", _LIMITED_FLOW, json.dumps(jobs)], prefect_env)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == ["extraction_timeout", "document"]
