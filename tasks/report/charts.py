"""The report's charts, as Altair (Vega-Lite) specifications built from the figures' tables.

Every temporal field arrives as ISO text and is read on a UTC scale, so a chart shows the
same days wherever it is rendered.
"""

from __future__ import annotations

import altair as alt
import pyarrow as pa
import pyarrow.compute as pc

WIDE, NARROW = 980, 440
TALL, SHORT = 260, 160
# The colour of the one series in single-series charts, and of "documents" beside "stories".
INK = "#3b6ea8"
_UTC = alt.Scale(type="utc")
# Up to this many days, a time axis has a tick per day, not the hours between them.
_DAILY_TICKS_UP_TO = 16
# A timeline of a few days shows its points too: a lone day's line is invisible.
_POINTS_UP_TO_DAYS = 62


def per_day(documents: pa.Table, stories: pa.Table | None) -> alt.Chart:
    """A line of documents per day and, once clusters exist, of distinct stories per day."""
    title = "Documents per day" + (" and distinct stories" if stories is not None else "")
    x = alt.X("day:T", scale=_UTC, title="document date (day)", axis=_day_axis(documents.num_rows))
    points = documents.num_rows <= _POINTS_UP_TO_DAYS
    y_axis = _count_axis(pc.max(documents.column("documents")).as_py())
    if stories is None:
        base = alt.Chart(documents).mark_line(color=INK, strokeWidth=1.2, point=points)
        line: alt.Chart = base.encode(
            x=x, y=alt.Y("documents:Q", title="documents per day", axis=y_axis)
        ).properties(title=title, width=WIDE, height=TALL)
        return line
    both = documents.join(stories, "day").sort_by("day")
    lines: alt.Chart = (
        alt.Chart(both)
        .transform_fold(["documents", "stories"], as_=["series", "count"])
        .mark_line(strokeWidth=1.2, point=points)
        .encode(
            x=x,
            y=alt.Y("count:Q", title="per day", axis=y_axis),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=["documents", "stories"], range=[INK, "#d9822b"]),
            ),
        )
        .properties(title=title, width=WIDE, height=TALL)
    )
    return lines


def folders_per_week(table: pa.Table, folders_shown: int) -> alt.Chart:
    """A heat map of documents per week by top-level source folder: a quiet source is a gap."""
    chart: alt.Chart = (
        alt.Chart(table)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("week:T", scale=_UTC, title="week of the document date"),
            x2="week_end:T",
            y=alt.Y("folder:N", title="source folder", sort="-color"),
            color=alt.Color(
                "documents:Q",
                title="documents per week",
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(
                    format=",d", tickCount=min(pc.max(table["documents"]).as_py() or 1, 5)
                ),
            ),
        )
        .properties(
            title=f"Documents per week in the {folders_shown} largest top-level source folders",
            width=WIDE,
            height=max(SHORT, 18 * folders_shown),
        )
    )
    return chart


def bars(
    table: pa.Table,
    title: str | alt.TitleParams,
    category: str,
    measure: str = "documents",
) -> alt.LayerChart:
    """Horizontal bars of `documents` per `value`, in the table's order, each with its count;
    the axes titled `category` and `measure`.
    """
    base = alt.Chart(table).encode(
        y=alt.Y("value:N", title=category, sort=None),
        x=alt.X(
            "documents:Q",
            title=measure,
            axis=_count_axis(pc.max(table.column("documents")).as_py()),
        ),
    )
    labels = base.mark_text(align="left", dx=3, fontSize=10).encode(text="documents:Q")
    return alt.LayerChart(
        layer=[base.mark_bar(color=INK), labels],
        title=title,
        width=NARROW,
        height=_bar_height(table.num_rows),
    )


def rejects_over_time(table: pa.Table, unit: str) -> alt.Chart:
    """Stacked bars of rejects per day (or week) of ingestion, coloured by reason."""
    totals = table.group_by("period").aggregate([("rejects", "sum")])
    periods = totals.num_rows
    chart: alt.Chart = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X(
                "period:T",
                scale=_UTC,
                title=f"{unit} of ingestion (UTC)",
                axis=_day_axis(periods) if unit == "day" else alt.Axis(),
            ),
            x2="period_end:T",
            y=alt.Y(
                "sum(rejects):Q",
                title=f"rejects per {unit}",
                axis=_count_axis(pc.max(totals.column("rejects_sum")).as_py()),
            ),
            color=alt.Color("reason:N", title="reason", scale=alt.Scale(scheme="tableau10")),
            order=alt.Order("reason:N"),
        )
        .properties(title=f"Rejects by reason, per {unit} of ingestion", width=WIDE, height=SHORT)
    )
    return chart


def word_lengths(bins: pa.Table, width: int, last_start: int) -> alt.Chart:
    """A histogram of words per document; the last bin holds every longer document."""
    title = f"words per document (bins of {width})"
    if last_start in bins.column("start").to_pylist():
        title = f"words per document (bins of {width}; the last holds all of {last_start}+)"
    chart: alt.Chart = (
        alt.Chart(bins)
        .mark_bar(color=INK)
        .encode(
            x=alt.X(
                "start:Q",
                bin="binned",
                title=title,
            ),
            x2="end:Q",
            y=alt.Y(
                "documents:Q",
                title="documents",
                axis=_count_axis(pc.max(bins.column("documents")).as_py()),
            ),
        )
        .properties(title="Document length", width=NARROW, height=TALL)
    )
    return chart


def quality_flags(table: pa.Table, clean: int) -> alt.LayerChart:
    """Bars of documents flagged by each quality rule."""
    renamed = table.rename_columns(["value", "documents"])
    title = alt.TitleParams(
        "Quality flags by rule", subtitle=f"{clean:,} documents pass every rule"
    )
    return bars(renamed, title, "rule")


def largest_clusters(table: pa.Table) -> alt.LayerChart:
    """Bars of copies in the largest duplicate clusters, labelled by their earliest copy."""
    labels = [
        f"{rank}. {_shortened(story)}"
        for rank, story in enumerate(table.column("story").to_pylist(), start=1)
    ]
    named = pa.table({"value": labels, "documents": table.column("copies")})
    return bars(named, "Largest duplicate clusters", "story (its earliest copy)", "copies")


def runs(table: pa.Table) -> alt.VConcatChart:
    """Three panels over the runs' start times: documents processed, duration, docs/s."""
    base = alt.Chart(table)

    def panel(field: str, title: str, last: bool = False) -> alt.Chart:
        """One measure of the runs, as points joined by a line; the time axis named once."""
        measure: alt.Chart = (
            base.mark_line(point=True, color=INK)
            .encode(
                x=alt.X(
                    "started:T",
                    scale=_UTC,
                    title="run started (UTC)" if last else None,
                    axis=alt.Axis(format="%b %d %H:%M", labelOverlap=True),
                ),
                y=alt.Y(f"{field}:Q", title=title),
            )
            .properties(width=WIDE, height=110)
        )
        return measure

    return alt.vconcat(
        panel("processed", "documents processed"),
        panel("seconds", "duration (s)"),
        panel("docs_per_s", "docs/s", last=True),
        title=alt.TitleParams(
            "Runs: documents processed, duration and speed",
            subtitle=f"the last {table.num_rows} runs" if table.num_rows > 1 else "one run",
        ),
    )


def _count_axis(largest: int | None) -> alt.Axis:
    """An axis of counts up to `largest`: whole-number ticks, `1,500` or, for large counts,
    `150k`.

    Vega's `tickMinStep` still picks steps of 0.5 for small counts; a tick count no larger
    than the largest count does not.
    """
    largest = largest or 1
    return alt.Axis(format=",d" if largest < 100_000 else "~s", tickCount=min(largest, 8))


def _day_axis(days: int) -> alt.Axis:
    """A time axis over `days` days: a tick per day over a few of them, the default beyond."""
    if days <= _DAILY_TICKS_UP_TO:
        return alt.Axis(tickCount={"interval": "day", "step": 1}, format="%b %d")
    return alt.Axis()


def _bar_height(rows: int) -> int:
    """A height that gives each bar room for its label."""
    return max(60, 20 * rows)


def _shortened(value: object, limit: int = 60) -> str:
    """`value` as text cut to `limit` characters, an ellipsis marking the cut."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
