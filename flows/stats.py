"""`docprep stats`: what OUT holds and how its runs went, read with DuckDB into rich tables.

The tables fit an 80-column terminal: no header or date is cut, long paths wrap.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from tasks.report import store_views
from tasks.report.datasets import StoreViews
from tasks.storage import Folder


@dataclass(frozen=True)
class _Section:
    """One table of the summary: its query, and what to say when it has no rows."""

    title: str
    query: str
    empty: str
    # A view and the column the query needs: a store written before it existed goes without.
    needs: tuple[str, str] | None = None


_SECTIONS = (
    _Section(
        "Documents per month",
        """
        SELECT month, count(*) AS documents, sum(n_paragraphs) AS paragraphs,
               sum(n_words) AS words
        FROM documents GROUP BY month ORDER BY month
        """,
        "No documents.",
    ),
    _Section(
        "Documents and distinct stories",
        """
        SELECT count(*) AS documents, count(DISTINCT cluster_id) AS "distinct stories",
               count(*) FILTER (WHERE cluster_size > 1) AS "with copies",
               count(*) - count(DISTINCT text_hash) AS "exact copies",
               max(cluster_size) AS "largest cluster"
        FROM duplicates HAVING count(*) > 0
        """,
        "No duplicate clusters yet.",
    ),
    _Section(
        "Languages",
        """
        SELECT coalesce(language, 'unknown') AS language, count(*) AS documents,
               round(100 * count(*) / sum(count(*)) OVER (), 1) AS "share %"
        FROM documents GROUP BY 1 ORDER BY documents DESC, language LIMIT 10
        """,
        "No documents.",
    ),
    _Section(
        "Quality flags (documents failing each rule)",
        """
        SELECT coalesce(flag, '(none)') AS rule, count(*) AS documents,
               round(100 * count(*) / (SELECT count(*) FROM documents), 1) AS "share %"
        FROM (SELECT unnest(CASE WHEN len(quality_flags) = 0 THEN [NULL]
                                 ELSE quality_flags END) AS flag FROM documents)
        GROUP BY flag ORDER BY documents DESC, rule
        """,
        "No documents.",
        needs=("documents", "quality_flags"),
    ),
    _Section(
        "Top reject reasons",
        """
        SELECT reason, count(*) AS rejects, min(source) AS example
        FROM rejects GROUP BY reason ORDER BY rejects DESC, reason LIMIT 10
        """,
        "No rejects: every input became a document.",
    ),
    _Section(
        "Last runs",
        """
        SELECT strftime(started_at, '%Y-%m-%d %H:%M') AS "started (UTC)", deployment,
               processed, documents, rejects,
               round(epoch(ended_at) - epoch(started_at), 1) AS seconds,
               CASE WHEN processed > 0 AND ended_at > started_at
                    THEN round(processed / (epoch(ended_at) - epoch(started_at)))::BIGINT
               END AS "docs/s"
        FROM runs ORDER BY started_at DESC LIMIT 10
        """,
        "No runs recorded.",
    ),
)
_NUMERIC = {"BIGINT", "HUGEINT", "INTEGER", "DOUBLE", "DECIMAL"}


def stats_tables(out: Folder) -> list[RenderableType]:
    """The summary of OUT, a table (or a line saying it is empty) per section; empty when OUT
    holds no docprep dataset.
    """
    with store_views(out) as views:
        if not views.present:
            return []
        return [
            _section(views, section)
            for section in _SECTIONS
            if section.needs is None or views.has(*section.needs)
        ]


def _section(views: StoreViews, section: _Section) -> RenderableType:
    """A section's rows as a rich table, numbers aligned right; a line when it has none."""
    rows = views.connection.sql(section.query)
    records = rows.fetchall()
    if not records:
        title = Text(section.title, style="bold")
        return Text.assemble(title, "\n", section.empty, "\n")
    table = Table(
        title=section.title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,  # one space between columns: the runs table fits 80 columns
    )
    for name, kind in zip(rows.columns, rows.types, strict=True):
        numeric = str(kind).split("(")[0] in _NUMERIC
        # Numbers, dates and short codes never wrap; free text (paths, names) folds instead.
        folds = name in {"example", "deployment"}
        table.add_column(
            name,
            justify="right" if numeric else "left",
            no_wrap=not folds,
            overflow="fold" if folds else "ellipsis",
        )
    for record in records:
        table.add_row(*("-" if value is None else str(value) for value in record))
    return table
