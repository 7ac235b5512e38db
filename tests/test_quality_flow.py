"""Quality signals through real runs: flags read back with DuckDB, dropping, re-runs, stats."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flows.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from tests.duckdb_reads import rows

pytestmark = pytest.mark.usefixtures("prefect_server")

TABLE = (
    "date 1987-03-02\n\nShr 80 cts vs 72 cts\n\nNet 55,513,000 vs 48,741,000\n\n"
    "Revs 1.2 billion vs 1.1 billion\n\nNOTE: 1986 net includes gain of 3,500,000 dlrs.\n"
)
MENU = "date 2024-05-02\n\n" + "\n\n".join(
    ["Home", "News", "World", "Business", "Sport", "Culture", "Weather", "Contact us"]
)
QUALITY = """
    SELECT source, quality_flags, gopher_words, gopher_alpha_word_ratio, dup_5_gram_frac,
           line_punct_ratio, c4_sentences
    FROM {documents} ORDER BY source
"""


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, seed_bytes: bytes) -> Path:
    """An article, an earnings table and a menu of links."""
    root = tmp_path_factory.mktemp("quality") / "src"
    root.mkdir()
    (root / "article.txt").write_bytes(seed_bytes)
    (root / "table.txt").write_text(TABLE)
    (root / "menu.txt").write_text(MENU)
    return root


@pytest.fixture(scope="module")
def kept(source: Path) -> Path:
    """OUT after a run that keeps every document."""
    out = source.parent / "kept"
    run(source, out)
    return out


def run(source: Path, out: Path, *options: str) -> None:
    """One CLI run that must succeed."""
    assert main(["run", str(source), "--output", str(out), *options]) == EXIT_OK


def sources(out: Path, where: str) -> list[str]:
    """The sources of the documents matching `where`."""
    return [
        row[0] for row in rows(out, f"SELECT source FROM {{documents}} WHERE {where} ORDER BY 1")
    ]


def test_flags_read_back_with_duckdb(kept: Path) -> None:
    assert sources(kept, "len(quality_flags) = 0") == ["article.txt"]
    assert sources(kept, "list_contains(quality_flags, 'gopher_short_doc')") == [
        "menu.txt",
        "table.txt",
    ]
    assert sources(kept, "list_contains(quality_flags, 'list_ratio')") == ["menu.txt"]
    assert sources(kept, "NOT list_contains(quality_flags, 'gopher_short_doc')") == ["article.txt"]
    assert sources(kept, "list_contains(quality_flags, 'gopher_below_alpha_threshold')") == [
        "table.txt"
    ]


def test_signals_are_typed_columns(kept: Path) -> None:
    by_source = {row[0]: row[1:] for row in rows(kept, QUALITY)}
    flags, words, alpha, dup_5, punct, sentences = by_source["table.txt"]
    # 26 words of which 24 are not punctuation and 16 have a letter; one line in four ends
    # like a sentence, and it is the only sentence C4 keeps
    assert (words, alpha, punct, sentences) == (24, 16 / 26, 0.25, 1)
    assert dup_5 == 0.0
    assert "gopher_short_doc" in flags


def test_drop_moves_exactly_the_flagged_documents(source: Path, kept: Path) -> None:
    flags = {row[0]: row[1] for row in rows(kept, QUALITY)}
    menu = ", ".join(f for f in flags["menu.txt"] if f not in ("gopher_short_doc", "list_ratio"))
    table = ", ".join(f for f in flags["table.txt"] if f != "gopher_short_doc")
    dropped = source.parent / "dropped"
    run(source, dropped, "--drop-flagged", "list_ratio,gopher_short_doc")

    assert sources(dropped, "true") == ["article.txt"]
    assert rows(dropped, "SELECT source, reason, detail FROM {rejects} ORDER BY source") == [
        ("menu.txt", "low_quality", f"fails gopher_short_doc, list_ratio; also flagged: {menu}"),
        ("table.txt", "low_quality", f"fails gopher_short_doc; also flagged: {table}"),
    ]
    flagged = sources(kept, "list_has_any(quality_flags, ['list_ratio', 'gopher_short_doc'])")
    assert [row[0] for row in rows(dropped, "SELECT source FROM {rejects} ORDER BY 1")] == flagged


def test_a_rerun_leaves_the_columns_and_files_unchanged(source: Path, kept: Path) -> None:
    before = rows(kept, QUALITY)
    files = {path: path.stat().st_mtime_ns for path in kept.glob("documents/**/*.parquet")}
    run(source, kept)
    assert rows(kept, QUALITY) == before
    assert {path: path.stat().st_mtime_ns for path in kept.glob("documents/**/*.parquet")} == files


def test_changing_the_dropped_rules_equals_a_full_refresh(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcome = "SELECT source, reason, detail FROM {rejects} ORDER BY source"
    steps = ([], ["--drop-flagged", "list_ratio"], ["--drop-flagged", "all"], [])
    for step, options in enumerate(steps):
        run(source, out, *options)
        fresh = tmp_path / f"fresh{step}"
        run(source, fresh, "--full-refresh", *options)
        assert rows(out, QUALITY) == rows(fresh, QUALITY)
        assert rows(out, outcome) == rows(fresh, outcome)


def test_unknown_rules_are_a_usage_error(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["run", str(source), "--output", str(tmp_path / "out"), "--drop-flagged", "short_doc"]
    with pytest.raises(SystemExit) as stopped:  # argparse's usage error, before any work
        main(args)
    assert stopped.value.code == EXIT_USAGE
    assert "unknown quality rule(s): short_doc" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_stats_and_summary_count_documents_per_rule(
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "out"
    run(source, out)
    summary = capsys.readouterr().out
    assert "gopher_short_doc 2" in summary
    assert "list_ratio 1" in summary

    monkeypatch.setenv("COLUMNS", "80")
    assert main(["stats", str(out)]) == EXIT_OK
    lines = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    assert "Quality flags (documents failing each rule)" in lines
    assert max(len(line) for line in lines) <= 80
    counts = {cells[0]: cells[1] for line in lines if len(cells := line.split()) == 3}
    assert counts["gopher_short_doc"] == "2"
    assert counts["list_ratio"] == "1"
    assert counts["(none)"] == "1"


def test_a_store_from_before_the_quality_columns_asks_for_a_full_refresh(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(source, out)
    for path in out.glob("documents/**/*.parquet"):
        table = pq.read_table(path)
        pq.write_table(table.drop_columns(["quality_flags"]), path)

    assert main(["run", str(source), "--output", str(out)]) == EXIT_FAILED
    assert "older docprep (no column quality_flags)" in capsys.readouterr().err
    assert main(["stats", str(out)]) == EXIT_OK  # the other sections, without the flags'
    printed = capsys.readouterr().out
    assert "Languages" in printed
    assert "Quality flags" not in printed
    run(source, out, "--full-refresh")
    assert sources(out, "len(quality_flags) = 0") == ["article.txt"]
