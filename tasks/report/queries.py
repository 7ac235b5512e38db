"""The report's figures: DuckDB aggregations over the views of a store, as small Arrow tables.

Each query returns at most a few thousand rows whatever the store's size, so the charts stay
small: documents are counted per day over a window of at most two years, by week per folder,
and the long tails of languages, folders and clusters are cut to their largest values.
Dates and times leave as ISO text (`2024-11-02`, `2024-11-02T08:00:00Z`), read as UTC by the
charts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa

from tasks.report.datasets import StoreViews

# The per-day chart spans at most this many days, ending at the latest date that is not in
# the future: one far-off date (a header's year 24) must not squash the other days' lines.
WINDOW_DAYS = 731
# Rejects are counted per day of ingestion over spans up to this, per week beyond.
REJECT_DAYS = 120
TOP_FOLDERS_BY_WEEK = 12
TOP_VALUES = 15
HISTOGRAM_BINS = 30
RUNS_SHOWN = 200
# The top-level folder of a source path; files directly under SOURCE have none. (Measured
# over a million paths, strpos and left run in a quarter of the time of split_part.)
FOLDER = (
    "CASE WHEN strpos(source, '/') > 0 THEN left(source, strpos(source, '/') - 1) "
    "ELSE '(top level)' END"
)


@dataclass(frozen=True)
class Overview:
    """The store in a few numbers: what it holds and the span of its documents' dates."""

    documents: int
    rejects: int
    paragraphs: int
    words: int
    first_date: date | None
    last_date: date | None
    undated: int


@dataclass(frozen=True)
class Window:
    """The days a timeline shows, and how many dated documents fall outside them."""

    start: date
    end: date
    outside: int


@dataclass(frozen=True)
class Ranking:
    """The commonest values and their `documents`; how many values and documents are left out."""

    top: pa.Table
    other_values: int
    other_documents: int


@dataclass(frozen=True)
class Histogram:
    """Documents by number of words: bins of `width` words, the last one open-ended."""

    bins: pa.Table
    width: int
    last_start: int


def overview(views: StoreViews) -> Overview:
    """Totals of documents, rejects, paragraphs and words, and the documents' date range."""
    documents, paragraphs, words, first, last, undated = views.one(
        """
        SELECT count(*), coalesce(sum(n_paragraphs), 0), coalesce(sum(n_words), 0),
               min(date), max(date), count(*) FILTER (WHERE date IS NULL)
        FROM documents
        """
    )
    (rejects,) = views.one("SELECT count(*) FROM rejects")
    return Overview(documents, rejects, paragraphs, words, first, last, undated)


def last_run(views: StoreViews) -> dict[str, object] | None:
    """The latest row of the runs table, with its duration in seconds; None before any run."""
    found = views.rows(
        """
        SELECT strftime(started_at, '%Y-%m-%d %H:%M UTC') AS started, deployment, processed,
               documents, rejects, epoch(ended_at) - epoch(started_at) AS seconds
        FROM runs ORDER BY started_at DESC LIMIT 1
        """
    ).to_pylist()
    return found[0] if found else None


def day_window(views: StoreViews, today: date) -> Window | None:
    """The days the timelines show: from the first date at most `WINDOW_DAYS` before the
    last date not after `today` (or the last date, when every date is later), to that date;
    None without dated documents.
    """
    (end,) = views.one(
        f"""
        SELECT coalesce(max(date) FILTER (WHERE date <= DATE '{today}'), max(date))
        FROM documents
        """
    )
    if end is None:
        return None
    earliest = end - timedelta(days=WINDOW_DAYS - 1)
    start, outside = views.one(
        f"""
        SELECT min(date) FILTER (WHERE date >= DATE '{earliest}'),
               count(*) FILTER (WHERE date < DATE '{earliest}' OR date > DATE '{end}')
        FROM documents
        """
    )
    return Window(start, end, outside)


def window_days(window: Window) -> str:
    """A relation of every DATE `day` in `window`."""
    return f"""
        SELECT CAST(day AS DATE) AS day
        FROM generate_series(DATE '{window.start}', DATE '{window.end}', INTERVAL 1 DAY) AS t(day)
    """


def documents_per_day(views: StoreViews, window: Window) -> pa.Table:
    """`day` and `documents` dated that day, zero on days without any, over `window`."""
    return views.rows(
        f"""
        SELECT strftime(days.day, '%Y-%m-%d') AS day, count(documents.date) AS documents
        FROM ({window_days(window)}) AS days LEFT JOIN documents ON documents.date = days.day
        GROUP BY days.day ORDER BY days.day
        """
    )


def folders_per_week(views: StoreViews, window: Window) -> pa.Table:
    """`week` (its Monday), `week_end`, `folder` and `documents`, for the largest folders."""
    return views.rows(
        f"""
        WITH dated AS (
            SELECT {FOLDER} AS folder, date_trunc('week', date) AS week FROM documents
            WHERE date BETWEEN DATE '{window.start}' AND DATE '{window.end}'
        ),
        top AS (
            SELECT folder FROM dated GROUP BY folder
            ORDER BY count(*) DESC, folder LIMIT {TOP_FOLDERS_BY_WEEK}
        )
        SELECT strftime(week, '%Y-%m-%d') AS week,
               strftime(week + INTERVAL 7 DAY, '%Y-%m-%d') AS week_end, folder,
               count(*) AS documents
        FROM dated SEMI JOIN top USING (folder)
        GROUP BY ALL ORDER BY folder, week
        """
    )


def documents_by(views: StoreViews, expression: str, limit: int = TOP_VALUES) -> Ranking:
    """Documents per value of `expression` (a null value counts as `unknown`): the `limit`
    commonest values, and what the rest add up to; one pass over the documents.
    """
    ranked = views.rows(
        f"""
        WITH counted AS (
            SELECT coalesce(CAST({expression} AS VARCHAR), 'unknown') AS value,
                   count(*) AS documents
            FROM documents GROUP BY 1
        ),
        ranked AS (
            SELECT *, row_number() OVER (ORDER BY documents DESC, value) AS rank,
                   count(*) OVER () AS all_values,
                   CAST(sum(documents) OVER () AS BIGINT) AS all_documents
            FROM counted
        )
        SELECT value, documents, all_values, all_documents FROM ranked
        WHERE rank <= {limit} ORDER BY rank
        """
    )
    top = ranked.select(["value", "documents"])
    if not ranked.num_rows:
        return Ranking(top, 0, 0)
    shown = sum(top.column("documents").to_pylist())
    all_values = ranked.column("all_values")[0].as_py()
    all_documents = ranked.column("all_documents")[0].as_py()
    return Ranking(top, all_values - top.num_rows, all_documents - shown)


def rejects_over_time(views: StoreViews) -> tuple[pa.Table, str]:
    """`period` (a UTC day, or a week's Monday), `period_end`, `reason`, `rejects`; and the
    period's unit.
    """
    (span,) = views.one(
        "SELECT date_diff('day', min(ingested_at)::DATE, max(ingested_at)::DATE) FROM rejects"
    )
    unit = "week" if span is not None and span > REJECT_DAYS else "day"
    table = views.rows(
        f"""
        WITH periods AS (
            SELECT date_trunc('{unit}', ingested_at::DATE) AS period, reason FROM rejects
        )
        SELECT strftime(period, '%Y-%m-%d') AS period,
               strftime(period + INTERVAL 1 {unit}, '%Y-%m-%d') AS period_end,
               reason, count(*) AS rejects
        FROM periods GROUP BY ALL ORDER BY period, reason
        """
    )
    return table, unit


def nice_bin_width(largest: float, bins: int = HISTOGRAM_BINS) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... words that cuts 0..`largest` into `bins` bins."""
    wanted = max(largest / bins, 1.0)
    magnitude = 10 ** math.floor(math.log10(wanted))
    for step in (1, 2, 5, 10):
        if step * magnitude >= wanted:
            return int(step * magnitude)
    raise AssertionError("unreachable: 10 x magnitude >= wanted")


def word_histogram(views: StoreViews) -> Histogram:
    """Documents by words, in bins up to the 99th percentile and one bin for the longest 1%."""
    (largest,) = views.one("SELECT quantile_cont(n_words, 0.99) FROM documents")
    width = nice_bin_width(float(largest or 0))
    last_start = width * HISTOGRAM_BINS
    bins = views.rows(
        f"""
        SELECT least(n_words // {width}, {HISTOGRAM_BINS}) * {width} AS start,
               least(n_words // {width}, {HISTOGRAM_BINS}) * {width} + {width} AS "end",
               count(*) AS documents
        FROM documents GROUP BY ALL ORDER BY start
        """
    )
    return Histogram(bins, width, last_start)


def runs_history(views: StoreViews) -> pa.Table:
    """The latest runs: `started` (ISO, UTC), `deployment`, `processed`, `seconds`, `docs_per_s`
    (null for a run that processed nothing).
    """
    return views.rows(
        f"""
        WITH latest AS (
            SELECT * FROM runs ORDER BY started_at DESC LIMIT {RUNS_SHOWN}
        )
        SELECT strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started, deployment, processed,
               round(epoch(ended_at) - epoch(started_at), 2) AS seconds,
               CASE WHEN processed > 0 AND ended_at > started_at
                    THEN round(processed / (epoch(ended_at) - epoch(started_at)), 1)
               END AS docs_per_s
        FROM latest ORDER BY started_at
        """
    )
