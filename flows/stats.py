"""`docprep stats`: what OUT holds and how its runs went, read with DuckDB into rich tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from tasks.runs import RUNS_DIR, RUNS_FILE
from tasks.schema import DOCUMENTS, REJECTS

if TYPE_CHECKING:
    import duckdb

# Each query reads one view; a table is shown only when its dataset exists under OUT.
_QUERIES: tuple[tuple[str, str, str], ...] = (
    (
        "Documents per month",
        "documents",
        """
        SELECT month, count(*) AS documents, sum(n_paragraphs) AS paragraphs,
               sum(n_words) AS words
        FROM documents GROUP BY month ORDER BY month
        """,
    ),
    (
        "Languages",
        "documents",
        """
        SELECT coalesce(language, 'unknown') AS language, count(*) AS documents,
               round(100 * count(*) / sum(count(*)) OVER (), 1) AS "share %"
        FROM documents GROUP BY 1 ORDER BY documents DESC, language LIMIT 10
        """,
    ),
    (
        "Quality flags (documents failing each rule)",
        "documents",
        """
        SELECT coalesce(flag, '(none)') AS rule, count(*) AS documents,
               round(100 * count(*) / (SELECT count(*) FROM documents), 1) AS "share %"
        FROM (SELECT unnest(CASE WHEN len(quality_flags) = 0 THEN [NULL]
                                 ELSE quality_flags END) AS flag FROM documents)
        GROUP BY flag ORDER BY documents DESC, rule
        """,
    ),
    (
        "Top reject reasons",
        "rejects",
        """
        SELECT reason, count(*) AS rejects, min(source) AS example
        FROM rejects GROUP BY reason ORDER BY rejects DESC, reason LIMIT 10
        """,
    ),
    (
        "Last runs",
        "runs",
        """
        SELECT strftime(started_at, '%Y-%m-%d %H:%M:%S') AS "started (UTC)", deployment,
               processed, documents, rejects, unchanged,
               round(epoch(ended_at) - epoch(started_at), 1) AS seconds, docprep_version
        FROM runs ORDER BY started_at DESC LIMIT 10
        """,
    ),
)


def stats_tables(out: Path) -> list[Table]:
    """The summary of OUT as tables; empty when OUT holds no docprep dataset."""
    import duckdb

    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        views = _views(con, out)
        return [_table(title, con.sql(query)) for title, view, query in _QUERIES if view in views]


def _views(con: duckdb.DuckDBPyConnection, out: Path) -> set[str]:
    """Create a view for each dataset present under `out`; their names."""
    datasets = {
        "documents": f"{DOCUMENTS.name}/*/*.parquet",
        "rejects": f"{REJECTS.name}/*/*.parquet",
        "runs": f"{RUNS_DIR}/{RUNS_FILE}",
    }
    present = {name for name, pattern in datasets.items() if any(out.glob(pattern))}
    for name in present:
        con.read_parquet(str(out / datasets[name]), hive_partitioning=True).create_view(name)
    return present


def _table(title: str, rows: duckdb.DuckDBPyRelation) -> Table:
    """A query's rows as a rich table, numbers aligned right."""
    records = rows.fetchall()
    numeric = {"BIGINT", "HUGEINT", "INTEGER", "DOUBLE", "DECIMAL"}
    table = Table(title=title, title_justify="left", title_style="bold")
    for name, kind in zip(rows.columns, rows.types, strict=True):
        right = str(kind).split("(")[0] in numeric
        table.add_column(name, justify="right" if right else "left")
    for record in records:
        table.add_row(*("-" if value is None else str(value) for value in record))
    return table
