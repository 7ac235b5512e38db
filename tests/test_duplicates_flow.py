"""Duplicate tables through real runs: incremental runs equal a full refresh, read with DuckDB."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from flows.cli import main
from tasks.documents import text_document
from tasks.identity import doc_id_for
from tests.duckdb_reads import rows
from tests.syndication import EDITS, OTHER_STORY, edited

pytestmark = pytest.mark.usefixtures("prefect_server")

DUPLICATE_TABLES = {
    "duplicates": "SELECT * FROM {duplicates} ORDER BY doc_id",
    "paragraph_counts": "SELECT * FROM {paragraph_counts} ORDER BY text_hash",
    "minhash": "SELECT * FROM {minhash} ORDER BY doc_id",
}
SIGN_OFF = "Reuter"
MARKET = (
    "Shares in European markets fell on Wednesday as investors weighed weaker factory data "
    "from Germany against hopes of lower interest rates later in the year."
)


def article(day: str, paragraphs: list[str]) -> bytes:
    """A dated text input of these paragraphs."""
    return (f"date {day} " + "\n\n".join(paragraphs) + "\n").encode()


@pytest.fixture
def stories(seed_bytes: bytes) -> dict[str, bytes]:
    """The seed article, its syndicated copies, an exact copy in other case and spacing, and
    two unrelated stories; most end with the same sign-off paragraph."""
    original = [p.text for p in text_document("seed.txt", seed_bytes).paragraphs]
    rng = random.Random(7)
    inputs = {"seed.txt": article("2024-11-02", [*original, SIGN_OFF])}
    for number, edit in enumerate(EDITS):
        day = f"2024-11-{3 + number:02d}"
        inputs[f"copies/{number}.txt"] = article(day, [*edited(original, edit, rng), SIGN_OFF])
    shouted = [p.upper().replace(" ", "  ") for p in original]
    inputs["exact.txt"] = article("2024-11-10", [*shouted, SIGN_OFF])
    inputs["council.txt"] = article("2024-10-01", [OTHER_STORY, SIGN_OFF])
    inputs["markets.txt"] = article("2024-12-01", [MARKET])
    return inputs


def write(source: Path, inputs: dict[str, bytes]) -> None:
    """Make `source` hold exactly `inputs`."""
    for path in source.rglob("*.txt"):
        path.unlink()
    for name, data in inputs.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)


def run(source: Path, out: Path, *flags: str) -> None:
    """One CLI run that must succeed."""
    assert main(["run", str(source), "--output", str(out), *flags]) == 0


def tables(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the duplicate tables."""
    return {name: rows(out, sql) for name, sql in DUPLICATE_TABLES.items()}


def assert_equals_full_refresh(source: Path, out: Path, scratch: Path) -> None:
    """OUT's duplicate tables are those of one full run over the same inputs."""
    run(source, scratch, "--full-refresh")
    assert tables(out) == tables(scratch)


def cluster_of(out: Path) -> dict[str, tuple[str, str, int]]:
    """doc_id -> (cluster_id, canonical_id, cluster_size)."""
    found = rows(out, "SELECT doc_id, cluster_id, canonical_id, cluster_size FROM {duplicates}")
    return {doc_id: (cluster, canonical, size) for doc_id, cluster, canonical, size in found}


def test_incremental_runs_equal_a_full_refresh(stories: dict[str, bytes], tmp_path: Path) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    first = {k: v for k, v in stories.items() if k in ("seed.txt", "council.txt", "copies/0.txt")}
    write(source, first)
    run(source, out)
    write(source, stories)  # the other copies arrive, and compare with what is stored
    run(source, out)
    clusters = cluster_of(out)
    seed_cluster = clusters[doc_id_for("seed.txt")]
    copies = [name for name in stories if name.startswith(("copies/", "exact"))]
    assert all(clusters[doc_id_for(name)] == seed_cluster for name in copies)
    assert seed_cluster[1] == doc_id_for("seed.txt")  # the earliest of them
    assert seed_cluster[2] == len(copies) + 1
    assert clusters[doc_id_for("council.txt")][2] == 1
    assert_equals_full_refresh(source, out, tmp_path / "full-1")

    # A copy turns into the markets story; the seed, the canonical, is removed (--prune).
    changed = dict(stories)
    changed["copies/2.txt"] = article("2024-11-05", [MARKET.upper(), SIGN_OFF])
    del changed["seed.txt"]
    write(source, changed)
    run(source, out, "--prune")
    clusters = cluster_of(out)
    assert doc_id_for("seed.txt") not in clusters
    assert clusters[doc_id_for("copies/2.txt")] == clusters[doc_id_for("markets.txt")]
    assert clusters[doc_id_for("copies/0.txt")][1] == doc_id_for("copies/0.txt")  # now earliest
    assert_equals_full_refresh(source, out, tmp_path / "full-2")

    # An unchanged re-run rewrites none of the duplicate tables' files.
    files = {p: p.stat().st_mtime_ns for t in DUPLICATE_TABLES for p in out.glob(f"{t}/**/*")}
    run(source, out)
    assert {p: p.stat().st_mtime_ns for p in files} == files


def test_analysts_queries_read_the_duplicate_tables(
    stories: dict[str, bytes], tmp_path: Path
) -> None:
    source, out = tmp_path / "src", tmp_path / "out"
    write(source, stories)
    run(source, out)
    # Distinct stories per day (the README's query): the copies count once, on any day.
    per_day = rows(
        out,
        """SELECT count(*) AS documents, count(DISTINCT cluster_id) AS stories
           FROM {documents} JOIN {duplicates} USING (doc_id)""",
    )
    assert per_day == [(len(stories), 3)]
    largest = rows(
        out,
        """SELECT canonical_id, any_value(cluster_size) FROM {duplicates}
           GROUP BY cluster_id, canonical_id ORDER BY 2 DESC LIMIT 1""",
    )
    assert largest == [(doc_id_for("seed.txt"), len(stories) - 2)]
    copies_of = rows(
        out,
        f"""SELECT d.source FROM {{duplicates}} c JOIN {{documents}} d USING (doc_id)
            WHERE c.cluster_id = (SELECT cluster_id FROM {{duplicates}}
                                  WHERE doc_id = '{doc_id_for("council.txt")}')""",
    )
    assert copies_of == [("council.txt",)]
    # Boilerplate: the sign-off's count is the number of documents holding it, and one WHERE
    # drops it from the paragraphs.
    sign_off = rows(
        out,
        f"""SELECT c.documents FROM {{paragraphs}} p JOIN {{paragraph_counts}} c USING (text_hash)
            WHERE p.text = '{SIGN_OFF}' LIMIT 1""",
    )
    assert sign_off == [(len(stories) - 1,)]
    kept = rows(
        out,
        """SELECT count(*) FILTER (WHERE p.text = 'Reuter') FROM {paragraphs} p
           JOIN {paragraph_counts} c USING (text_hash) WHERE c.documents < 5""",
    )
    assert kept == [(0,)]
