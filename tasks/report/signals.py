"""The report's queries over signals other steps add to documents: quality flags, duplicates.

Both arrive in later versions of docprep; until a store's Parquet files carry their columns,
the report says so instead of drawing their charts. Their column names and queries are all
here, so adapting the report to the final names touches this module alone.
"""

from __future__ import annotations

import pyarrow as pa

from tasks.report.datasets import StoreViews

# A list<string> on documents: the quality rules a document fails, empty when it passes.
QUALITY_FLAGS = "quality_flags"
# On documents: the id of the document's near-duplicate cluster (a document alone is a
# cluster of one). A separate table joinable by doc_id would change `_CLUSTERED` alone.
CLUSTER_ID = "cluster_id"
LARGEST_CLUSTERS = 15
# Each document with its cluster: the relation the duplicate queries read.
_CLUSTERED = f"(SELECT doc_id, date, title, source, {CLUSTER_ID} AS cluster_id FROM documents)"


def has_quality_flags(views: StoreViews) -> bool:
    """Whether the store's documents carry quality flags."""
    return views.has("documents", QUALITY_FLAGS)


def has_clusters(views: StoreViews) -> bool:
    """Whether the store's documents carry duplicate clusters."""
    return views.has("documents", CLUSTER_ID)


def quality_flag_counts(views: StoreViews) -> tuple[pa.Table, int]:
    """`rule` and `documents` flagged by it, most first; and how many documents no rule flags."""
    counts = views.rows(
        f"""
        SELECT rule, count(*) AS documents
        FROM (SELECT unnest({QUALITY_FLAGS}) AS rule FROM documents)
        GROUP BY rule ORDER BY documents DESC, rule
        """
    )
    (clean,) = views.one(
        f"SELECT count(*) FROM documents WHERE coalesce(len({QUALITY_FLAGS}), 0) = 0"
    )
    return counts, clean


def stories_per_day(views: StoreViews, days: str) -> pa.Table:
    """`day` and `stories`: the distinct clusters among each day's documents, over `days`
    (a relation of DATE `day`); a document not yet in a cluster is a story of its own.
    """
    return views.rows(
        f"""
        SELECT strftime(days.day, '%Y-%m-%d') AS day,
               count(DISTINCT coalesce(clustered.cluster_id, clustered.doc_id)) AS stories
        FROM ({days}) AS days LEFT JOIN {_CLUSTERED} AS clustered ON clustered.date = days.day
        GROUP BY days.day ORDER BY days.day
        """
    )


def largest_clusters(views: StoreViews) -> pa.Table:
    """The largest clusters of copies: `story` (the earliest copy's title or source, as the
    canonical document is chosen) and `copies`; clusters of one are left out.
    """
    return views.rows(
        f"""
        SELECT cluster_id,
               arg_min(coalesce(title, source), (coalesce(date, DATE '9999-12-31'), doc_id))
                   AS story,
               count(*) AS copies
        FROM {_CLUSTERED}
        WHERE cluster_id IS NOT NULL
        GROUP BY cluster_id HAVING count(*) > 1
        ORDER BY copies DESC, cluster_id LIMIT {LARGEST_CLUSTERS}
        """
    )


def duplicated_documents(views: StoreViews) -> int:
    """Documents that are a copy of an earlier one in their cluster."""
    (copies,) = views.one(
        f"""
        SELECT coalesce(sum(n - 1), 0) FROM (
            SELECT count(*) AS n FROM {_CLUSTERED} WHERE cluster_id IS NOT NULL
            GROUP BY cluster_id
        )
        """
    )
    return int(copies)
