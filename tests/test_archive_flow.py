"""Archives through a whole run: a row per record, skipped records counted, re-runs and slices."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flows.cli import main
from tasks import plan
from tests.archive_files import FETCHED, page, write_jsonl, write_warc
from tests.duckdb_reads import column_types, rows
from tests.inputs import story

pytestmark = pytest.mark.usefixtures("prefect_server")

EVERY_ROW = {
    "documents": "SELECT * EXCLUDE (run_id, ingested_at) FROM {documents} ORDER BY source",
    "paragraphs": "SELECT * FROM {paragraphs} ORDER BY doc_id, paragraph_index",
    "rejects": "SELECT * EXCLUDE (run_id, ingested_at) FROM {rejects} ORDER BY source",
}


def feed_lines(topics: list[str]) -> list[object]:
    """JSON Lines records about `topics`, with a bad line and a record without text."""
    return [
        *(
            {"id": f"r{n}", "text": story("2024-11-02", topic).decode()[16:], "date": "2024-11-02"}
            for n, topic in enumerate(topics)
        ),
        "{not json",
        {"id": "empty", "date": "2024-11-03"},
    ]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A folder with a JSON Lines feed, a gzipped WARC crawl and a text file."""
    root = tmp_path / "src"
    write_jsonl(root / "feeds" / "2024-11.jsonl", feed_lines(["the bridge", "the market"]))
    pages = [("https://a.test/otters", page("otters")), ("https://a.test/herons", page("herons"))]
    write_warc(root / "crawl.warc.gz", pages)
    (root / "a.txt").write_bytes(story("2024-01-10", "the new bridge"))
    return root


def run(source: Path, out: Path, *flags: str) -> None:
    """One CLI run that must succeed."""
    assert main(["run", str(source), "--output", str(out), *flags]) == 0


def snapshot(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, without the per-run columns."""
    return {table: rows(out, sql) for table, sql in EVERY_ROW.items()}


def outcomes(out: Path) -> list[tuple[str, str | None]]:
    """(source, reject reason or None) for every stored row, sorted."""
    return sorted(
        rows(
            out,
            "SELECT source, NULL FROM {documents} UNION ALL SELECT source, reason FROM {rejects}",
        )
    )


def test_every_record_is_one_row_and_skipped_records_are_counted(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(source, out)
    first_page, second_page = rows(
        out, "SELECT source FROM {documents} WHERE format = 'warc' ORDER BY source"
    )
    assert outcomes(out) == sorted(
        [
            ("a.txt", None),
            (first_page[0], None),
            (second_page[0], None),
            ("feeds/2024-11.jsonl#L1", None),
            ("feeds/2024-11.jsonl#L2", None),
            ("feeds/2024-11.jsonl#L3", "invalid_json"),
            ("feeds/2024-11.jsonl#L4", "missing_text"),
        ]
    )
    assert first_page[0].startswith("crawl.warc.gz#offset=")
    pages = rows(
        out,
        "SELECT url, fetched_at, record_id IS NOT NULL, date_source, title FROM {documents} "
        "WHERE format = 'warc' ORDER BY url",
    )
    assert [(url, fetched, has_id) for url, fetched, has_id, *_ in pages] == [
        ("https://a.test/herons", FETCHED, True),
        ("https://a.test/otters", FETCHED, True),
    ]
    records = rows(
        out,
        "SELECT record_id, date, date_source, fetched_at FROM {documents} "
        "WHERE format = 'jsonl' ORDER BY record_id",
    )
    assert [(rid, str(day), where, fetched) for rid, day, where, fetched in records] == [
        ("r0", "2024-11-02", "record", None),
        ("r1", "2024-11-02", "record", None),
    ]
    assert column_types(out, "documents")["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    summary = capsys.readouterr().out
    assert "records skipped" in summary and "request records 2" in summary
    assert "warcinfo records 1" in summary and "non-200 responses 1" in summary


def test_an_archive_is_replaced_whole_and_runs_equal_a_full_refresh(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(source, out)
    files = sorted(path for table in EVERY_ROW for path in out.glob(f"{table}/**/*.parquet"))
    stamps = [path.stat().st_mtime_ns for path in files]
    run(source, out)  # nothing changed: nothing read, nothing rewritten
    assert [path.stat().st_mtime_ns for path in files] == stamps
    # A feed rewritten with a story fewer and one more: its rows move with its lines.
    write_jsonl(
        source / "feeds" / "2024-11.jsonl", feed_lines(["the market", "the harbour", "the zoo"])
    )
    write_jsonl(source / "feeds" / "2024-12.jsonl.gz.tmp", [])  # not an input
    run(source, out)
    texts = rows(out, "SELECT source, text FROM {documents} WHERE format = 'jsonl' ORDER BY 1")
    assert [(name, "harbour" in text or "zoo" in text) for name, text in texts] == [
        ("feeds/2024-11.jsonl#L1", False),
        ("feeds/2024-11.jsonl#L2", True),
        ("feeds/2024-11.jsonl#L3", True),
    ]
    (source / "crawl.warc.gz").unlink()
    run(source, out)  # without --prune the crawl's rows stay
    assert rows(out, "SELECT count(*) FROM {documents} WHERE format = 'warc'") == [(2,)]
    run(source, out, "--prune")
    assert rows(out, "SELECT count(*) FROM {documents} WHERE format = 'warc'") == [(0,)]
    fresh = tmp_path / "fresh"
    run(source, fresh, "--full-refresh")
    assert snapshot(out) == snapshot(fresh)
    assert rows(out, "SELECT count(*) - count(DISTINCT doc_id) FROM {documents}") == [(0,)]


def test_an_archive_cut_into_slices_gives_the_rows_of_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "src"
    pages = [(f"https://a.test/{n}", page(f"topic {n}", words=40 + 9 * n)) for n in range(24)]
    write_warc(root / "crawl.warc.gz", pages)
    write_warc(root / "plain.warc", pages[:8])
    topics = [f"the {n}th bridge" for n in range(300)]
    write_jsonl(root / "feed.jsonl", feed_lines(topics))
    whole = tmp_path / "whole"
    run(root, whole)
    # slices of a few records each: many batches over both workers
    monkeypatch.setattr(plan, "ARCHIVE_SLICE_BYTES", {"warc": 9_000, "jsonl": 7_000})
    sliced = tmp_path / "sliced"
    run(root, sliced)
    assert snapshot(sliced) == snapshot(whole)
    assert rows(sliced, "SELECT count(*) FROM {documents}") == [(24 + 8 + 300,)]


@pytest.mark.parametrize("columns", [["record_id", "fetched_at"], ["date_modified"]])
def test_a_store_from_before_a_documents_column_asks_for_a_full_refresh(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], columns: list[str]
) -> None:
    out = tmp_path / "out"
    run(source, out)
    for path in out.glob("documents/**/*.parquet"):  # as an older docprep wrote them
        table = pq.read_table(path)
        pq.write_table(table.drop_columns(columns), path)
    capsys.readouterr()
    assert main(["run", str(source), "--output", str(out)]) == 1
    message = capsys.readouterr().err.strip()
    assert "older docprep" in message and "--full-refresh" in message
    assert f"no column {columns[0]}" in message
    assert len(message.splitlines()) == 1
    run(source, out, "--full-refresh")
    assert rows(out, "SELECT count(*) FROM {documents} WHERE fetched_at IS NOT NULL") == [(2,)]
