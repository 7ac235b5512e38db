"""End-to-end runs of the real flow on the real Prefect engine, read back with DuckDB."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

from flows.cli import main
from tasks.identity import doc_id_for
from tasks.output import DOCUMENTS, PARAGRAPHS, REJECTS
from tests.duckdb_reads import column_types, rows
from tests.inputs import EXPECTED, write_awkward_inputs, write_deep_input

pytestmark = pytest.mark.usefixtures("prefect_server")

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "date32[day]": "DATE",
    "int32": "INTEGER",
    "double": "DOUBLE",
    "timestamp[us, tz=UTC]": "TIMESTAMP WITH TIME ZONE",
}


@pytest.fixture(scope="module")
def awkward_run(tmp_path_factory: pytest.TempPathFactory, seed_bytes: bytes) -> Path:
    """OUT after one run over the folder of awkward inputs."""
    base = tmp_path_factory.mktemp("awkward")
    write_awkward_inputs(base / "src", seed_bytes, base / "outside")
    assert main(["run", str(base / "src"), "--output", str(base / "out")]) == 0
    return base / "out"


def test_seed_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", "seeds", "--output", str(out)]) == 0
    [(source, day, n_paragraphs, language, text)] = rows(
        out, "SELECT source, date, n_paragraphs, language, text FROM {documents}"
    )
    assert (source, day, n_paragraphs, language) == (
        "000_ad8a77b18a756b9d.txt",
        date(2024, 11, 2),
        12,
        "en",
    )
    assert text.startswith("Ukraine launched another wave")
    first = rows(out, "SELECT text FROM {paragraphs} WHERE paragraph_index = 0")
    assert first[0][0].startswith("Ukraine launched another wave")


def test_every_input_is_accounted_once(awkward_run: Path) -> None:
    outcomes = rows(
        awkward_run,
        "SELECT source, NULL FROM {documents} UNION ALL SELECT source, reason FROM {rejects}",
    )
    assert sorted(outcomes, key=lambda row: row[0]) == sorted(EXPECTED.items())


def test_rejects_explain_themselves(awkward_run: Path) -> None:
    details = dict(rows(awkward_run, "SELECT source, detail FROM {rejects}"))
    assert "2024-13-45" in details["bad_date.txt"]
    assert all(detail.strip() for detail in details.values())
    hashes = rows(awkward_run, "SELECT count(*) FROM {rejects} WHERE content_sha256 IS NULL")
    assert hashes == [(0,)]


def test_documents_are_clean(awkward_run: Path) -> None:
    texts = dict(rows(awkward_run, "SELECT source, text FROM {documents}"))
    assert texts["invisible.txt"] == (
        "Zerowidth and control characters vanish.\n\nSecond paragraph here."
    )
    assert texts["mojibake.txt"] == "He didn’t say ‘yes’ to the café."
    assert texts["cp1252.txt"].startswith("Le café était fermé")
    assert texts["utf16.txt"].startswith("Die Straße war gesperrt")
    assert not texts["bom.txt"].startswith("\ufeff")
    assert not any("date 20" in text.lower() for text in texts.values())
    dates = dict(rows(awkward_run, "SELECT source, date FROM {documents}"))
    assert dates["utf16.txt"] == date(2022, 3, 3)
    assert dates["iso_datetime.txt"] == date(2024, 11, 2)


def test_paragraph_offsets_match_document_text(awkward_run: Path) -> None:
    mismatches = rows(
        awkward_run,
        """SELECT p.doc_id, p.paragraph_index FROM {paragraphs} p JOIN {documents} d USING (doc_id)
           WHERE substring(d.text, p.char_start + 1, p.char_end - p.char_start) <> p.text""",
    )
    assert mismatches == []
    counts = rows(
        awkward_run,
        """SELECT d.source FROM {documents} d LEFT JOIN
           (SELECT doc_id, count(*) AS n FROM {paragraphs} GROUP BY doc_id) p USING (doc_id)
           WHERE coalesce(p.n, 0) <> d.n_paragraphs""",
    )
    assert counts == []


@pytest.mark.parametrize("table", [DOCUMENTS, PARAGRAPHS, REJECTS])
def test_duckdb_sees_the_declared_types(awkward_run: Path, table: object) -> None:
    from tasks.output import Table

    assert isinstance(table, Table)
    seen = column_types(awkward_run, table.name)
    declared = {field.name: DUCKDB_TYPES[str(field.type)] for field in table.schema}
    assert seen == declared


def test_missing_source_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(tmp_path / "nope"), "--output", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("value", ["0", "-5", "5MB"])
def test_max_bytes_must_be_a_positive_count(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["run", "seeds", "--output", str(tmp_path / "out"), "--max-bytes", value])
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert "--max-bytes: not a positive whole number" in err and err.count("\n") == 1


def test_bad_entries_are_skipped_or_recorded_and_the_run_goes_on(
    tmp_path: Path, seed_bytes: bytes
) -> None:
    from flows.ingest import ingest

    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    (source / "seed.txt").write_bytes(seed_bytes)
    with open(os.fsencode(source) + b"/bad\xff name.txt", "wb") as undecodable:
        undecodable.write(b"date 2024-11-02 A file name that is not UTF-8.")
    (source / "loop.txt").symlink_to("loop.txt")
    write_deep_input(source, os.pathconf(source, "PC_PATH_MAX"), "deep.txt", seed_bytes)
    summary = ingest(source=str(source), output=str(out))
    assert summary.skipped == {"link loop": 1, "path too long": 1}
    assert sorted(rows(out, "SELECT source, doc_id FROM {documents}")) == [
        ("bad\\xff name.txt", hashlib.sha256(b"bad\xff name.txt").hexdigest()[:32]),
        ("seed.txt", doc_id_for("seed.txt")),
    ]
    # unchanged, so not processed again: the raw name gives the same doc_id every run
    assert ingest(source=str(source), output=str(out)).unchanged == 2
