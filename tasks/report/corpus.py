"""The report on a store: its figures queried, charted and laid out as one HTML page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import tasks.report.charts as charts
import tasks.report.queries as queries
import tasks.report.signals as signals
from tasks.report.datasets import StoreViews, store_views
from tasks.report.location import REPORT_FILE
from tasks.report.page import Panel, Section, drawn_figures, report_page
from tasks.report.queries import FOLDER, Overview
from tasks.report.svg import chart_drawing, is_plain_drawing
from tasks.storage import Folder

# The columns of the views the report's queries (queries.py, signals.py) read: held in memory
# while it is made, so that its twenty queries scan the store's files once.
_COLUMNS_READ = {
    "documents": (
        "doc_id",
        "date",
        "title",
        "source",
        "format",
        "language",
        "n_paragraphs",
        "n_words",
        signals.QUALITY_FLAGS,
    ),
    signals.CLUSTERS: ("doc_id", signals.CLUSTER_ID),
}


def corpus_report(out: Folder, now: datetime) -> str:
    """The HTML report on the store at `out`, as of `now` (UTC).

    A chart whose spec and data are those of a chart in the report already in OUT is taken
    from it rather than drawn again: an unchanged re-run draws only its runs chart.
    """
    earlier = _earlier_drawings(out)
    with store_views(out, held=_COLUMNS_READ) as views:
        summary = queries.overview(views)
        facts = _facts(out, summary, queries.last_run(views), views, now)
        sections = [
            Section("Documents", _document_panels(views, summary, now.date())),
            Section("Rejects", [_rejects_panel(views, summary)]),
            Section("Quality", [_quality_panel(views, summary)]),
            Section("Duplicates", [_duplicates_panel(views, summary)]),
            Section("Runs", [_runs_panel(views)]),
        ]
    drawn = [replace(s, panels=[_drawing(p, earlier) for p in s.panels]) for s in sections]
    return report_page(out.uri, facts, drawn, _notice(summary))


def _earlier_drawings(out: Folder) -> dict[str, str]:
    """The charts of the report OUT holds, by spec hash: those made only of what Vega draws (an
    edited file's other markup is never carried into a new page); none when it has none."""
    try:
        page = out.read_bytes(REPORT_FILE).decode("utf-8", "replace")
    except OSError:  # none yet, or unreadable: every chart is drawn
        return {}
    return {spec: svg for spec, svg in drawn_figures(page).items() if is_plain_drawing(svg)}


def _facts(
    out: Folder,
    summary: Overview,
    run: dict[str, Any] | None,
    views: StoreViews,
    now: datetime,
) -> list[tuple[str, str]]:
    """The header's label and value pairs."""
    inputs = summary.documents + summary.rejects
    share = f" ({summary.rejects / inputs:.1%} of inputs)" if summary.rejects else ""
    dates = "-"
    if summary.first_date and summary.last_date:
        dates = f"{summary.first_date} to {summary.last_date}"
    facts = [
        ("documents", f"{summary.documents:,}"),
        ("rejects", f"{summary.rejects:,}{share}"),
        ("paragraphs", f"{summary.paragraphs:,}"),
        ("words", f"{summary.words:,}"),
        ("document dates", dates),
        ("undated documents", f"{summary.undated:,}"),
    ]
    if summary.documents and signals.has_clusters(views):
        copies = signals.duplicated_documents(views)
        facts.append(("duplicate copies", f"{copies:,} ({copies / summary.documents:.1%})"))
    if run is None:
        facts.append(("last run", "none recorded"))
    else:
        facts.append(
            (
                "last run",
                f"{run['started']}, {run['deployment']}: {run['processed']:,} processed "
                f"in {run['seconds']:.1f} s",
            )
        )
    facts.append(("report made", now.strftime("%Y-%m-%d %H:%M UTC")))
    return facts


def _notice(summary: Overview) -> str | None:
    """What to know before reading the charts of a store with nothing, or nothing but rejects."""
    if not summary.documents and not summary.rejects:
        return (
            "This store holds no documents and no rejects yet: the charts appear after a run "
            "that ingests some input (docprep run SOURCE --output OUT)."
        )
    if not summary.documents:
        return "This store holds no documents: every input was rejected. The reasons are below."
    return None


def _document_panels(views: StoreViews, summary: Overview, today: date) -> list[Panel]:
    """Documents per day and per folder by week, by language, format and folder, by length."""
    if not summary.documents:
        return [Panel("documents", note="No documents yet.")]
    panels = []
    window = queries.day_window(views, today)
    if window is None:
        panels.append(Panel("per-day", note="No document has a date: no timeline to draw."))
    else:
        panels.append(_per_day_panel(views, window))
        weekly = queries.folders_per_week(views, window)
        folders = len(set(weekly.column("folder").to_pylist()))
        panels.append(_drawn("folders-per-week", charts.folders_per_week(weekly, folders)))
    panels += [
        _ranking_panel(views, "languages", "language", "language", "languages"),
        _ranking_panel(views, "formats", "format", "format", "formats"),
        _ranking_panel(views, "folders", FOLDER, "top-level source folder", "folders"),
    ]
    histogram = queries.word_histogram(views)
    panels.append(
        _drawn(
            "lengths",
            charts.word_lengths(histogram.bins, histogram.width, histogram.last_start),
        )
    )
    return panels


def _ranking_panel(views: StoreViews, key: str, expression: str, name: str, plural: str) -> Panel:
    """Bars of documents by the commonest values of `expression`, the rest in a note."""
    ranking = queries.documents_by(views, expression)
    note = None
    if ranking.other_values:
        note = (
            f"Not drawn: {ranking.other_values:,} more {plural}, with "
            f"{ranking.other_documents:,} documents."
        )
    chart = charts.bars(ranking.top, f"Documents by {name}", name)
    return _drawn(key, chart, note)


def _per_day_panel(views: StoreViews, window: queries.Window) -> Panel:
    """Documents per day over `window`, with distinct stories once clusters exist."""
    per_day = queries.documents_per_day(views, window)
    stories = None
    notes = [f"From {window.start} to {window.end}, by the documents' own dates."]
    if signals.has_clusters(views):
        stories = signals.stories_per_day(views, queries.window_days(window))
    else:
        notes.append("Distinct stories per day appear once the store holds duplicate clusters.")
    if window.outside:
        documents = "document" if window.outside == 1 else "documents"
        notes.append(f"Not drawn: {window.outside:,} {documents} dated outside these days.")
    return _drawn("per-day", charts.per_day(per_day, stories), " ".join(notes))


def _rejects_panel(views: StoreViews, summary: Overview) -> Panel:
    """Rejects by reason over the days (or weeks) they were ingested."""
    if not summary.rejects:
        return Panel("rejects", note="No rejects: every input became a document.")
    table, unit = queries.rejects_over_time(views)
    note = (
        "Each input counts once, on the day of the run that last processed it "
        "(a changed file moves to its new outcome)."
    )
    return _drawn("rejects", charts.rejects_over_time(table, unit), note)


def _quality_panel(views: StoreViews, summary: Overview) -> Panel:
    """Documents flagged by each quality rule, or why there is no such chart."""
    if not signals.has_quality_flags(views):
        return Panel(
            "quality",
            note=(
                f"No quality flags: this store's documents have no "
                f"`{signals.QUALITY_FLAGS}` column yet."
            ),
        )
    if not summary.documents:
        return Panel("quality", note="No documents to flag.")
    counts, clean = signals.quality_flag_counts(views)
    if not counts.num_rows:
        return Panel("quality", note=f"No quality rule flags any of the {clean:,} documents.")
    return _drawn("quality", charts.quality_flags(counts, clean))


def _duplicates_panel(views: StoreViews, summary: Overview) -> Panel:
    """The largest duplicate clusters, or why there is no such chart."""
    if not signals.has_clusters(views):
        return Panel(
            "duplicates",
            note=(
                f"No duplicate clusters: this store has no `{signals.CLUSTERS}` table yet "
                "(its next run makes one)."
            ),
        )
    if not summary.documents:
        return Panel("duplicates", note="No documents to compare.")
    clusters = signals.largest_clusters(views)
    if not clusters.num_rows:
        return Panel("duplicates", note="No duplicates: every document is a story of its own.")
    return _drawn("duplicates", charts.largest_clusters(clusters))


def _runs_panel(views: StoreViews) -> Panel:
    """Documents processed, duration and speed of the latest runs."""
    history = queries.runs_history(views)
    if not history.num_rows:
        return Panel("runs", note="No runs recorded yet.")
    note = (
        "docs/s: inputs processed per second of the whole run; a run that processed nothing "
        "has no docs/s point."
    )
    return _drawn("runs", charts.runs(history), note)


@dataclass(frozen=True)
class _Undrawn(Panel):
    """A panel whose chart is still to be drawn."""

    chart: Any = None


def _drawn(key: str, chart: Any, note: str | None = None) -> Panel:
    """A panel for `chart`, drawn once every panel is known (`_drawing`)."""
    return _Undrawn(key, note=note, chart=chart)


def _drawing(panel: Panel, earlier: Mapping[str, str]) -> Panel:
    """`panel` with its chart drawn as inline SVG, or taken from `earlier` drawings."""
    if not isinstance(panel, _Undrawn):
        return panel
    drawing = chart_drawing(panel.chart, panel.key, earlier)
    return Panel(panel.key, drawing.svg, panel.note, drawing.spec)
