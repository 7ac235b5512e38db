"""What a run did, told two ways: a table printed after a CLI run, and a markdown artifact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from tasks.summary import RunSummary
    from tasks.up_to_date import UpToDate

# One artifact key for every run: the UI shows the latest report, and its history by run.
REPORT_KEY = "docprep-run-summary"
# The link to OUT's HTML report (tasks/report), written after each committing run.
CORPUS_REPORT_KEY = "docprep-report"


def print_summary(summary: RunSummary, console: Console) -> None:
    """Print what a run did: documents, paragraphs, rejects, skipped files, languages, quality
    flags, time."""
    counts = summary.counts
    rate = _rate(summary)
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "inputs",
        f"{summary.discovered} found, {counts.inputs} processed, {summary.unchanged} unchanged",
    )
    table.add_row("documents", str(counts.documents))
    if summary.totals:
        table.add_row("in OUT", _in_out(summary))
    table.add_row("paragraphs", str(counts.paragraphs))
    table.add_row("rejects", _listing(counts.rejects) or "0")
    if summary.skipped:
        table.add_row("skipped", _listing(summary.skipped))
    if counts.skipped_records:
        table.add_row("records skipped", _listing(counts.skipped_records))
    if summary.pruned:
        table.add_row("pruned", str(summary.pruned))
    table.add_row("languages", _listing(counts.languages) or "-")
    table.add_row("quality flags", _listing(counts.quality_flags) or "none")
    table.add_row("elapsed", f"{summary.elapsed_seconds:.1f} s ({rate:.0f} docs/s)")
    table.add_row("output", summary.output)
    if summary.report:
        table.add_row("report", summary.report)
    console.print(table)


def print_up_to_date(standing: UpToDate, output: str, report: str, console: Console) -> None:
    """Print that OUT already holds every input as it is: what was found, since when, where."""
    ended = standing.last_run_ended.strftime("%Y-%m-%d %H:%M:%S UTC")
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("up to date", "nothing to run: OUT holds every input as it is now")
    table.add_row("inputs", f"{standing.inputs} found, 0 processed, {standing.inputs} unchanged")
    if standing.skipped:
        table.add_row("skipped", _listing(standing.skipped))
    table.add_row("last run", f"ended {ended} (--full-refresh rebuilds OUT from SOURCE)")
    table.add_row("output", output)
    table.add_row("report", report)
    console.print(table)


def run_markdown(summary: RunSummary) -> str:
    """A markdown report of what a run did: counts, rejects by reason, languages, documents per
    quality flag, dates, speed."""
    counts = summary.counts
    dates = f"{summary.dates[0]} to {summary.dates[1]}" if summary.dates else "-"
    rows = [
        (
            "inputs",
            f"{summary.discovered} found, {counts.inputs} processed, {summary.unchanged} unchanged",
        ),
        ("documents", str(counts.documents)),
        *((("in OUT", _in_out(summary)),) if summary.totals else ()),
        ("paragraphs", str(counts.paragraphs)),
        ("rejects", str(sum(counts.rejects.values()))),
        *((f"rejects: {reason}", str(n)) for reason, n in _ranked(counts.rejects)),
        ("skipped", _listing(summary.skipped) or "0"),
        ("records skipped", _listing(counts.skipped_records) or "0"),
        ("pruned", str(summary.pruned)),
        ("languages", _listing(counts.languages) or "-"),
        *((f"quality flag: {rule}", str(n)) for rule, n in _ranked(counts.quality_flags)),
        ("date range", dates),
        ("docs/s", f"{_rate(summary):.1f}"),
        ("elapsed", f"{summary.elapsed_seconds:.1f} s"),
        ("source", summary.source),
        ("output", summary.output),
        ("report", _link(summary.report) if summary.report else "not written"),
    ]
    lines = [
        f"# docprep run `{summary.run_id}`",
        "",
        "| | this run |",
        "|:--|:--|",
        *(f"| {_cell(name)} | {_cell(value)} |" for name, value in rows),
    ]
    return "\n".join(lines) + "\n"


def _in_out(summary: RunSummary) -> str:
    """The documents in OUT after the run and the distinct stories they tell."""
    assert summary.totals is not None
    totals = summary.totals
    return f"{totals.documents} documents, {totals.stories} distinct stories"


def _rate(summary: RunSummary) -> float:
    """Inputs processed per second of the run."""
    return summary.counts.inputs / summary.elapsed_seconds if summary.elapsed_seconds else 0.0


def _link(address: str) -> str:
    """A markdown link to `address`, named by its file."""
    return f"[{address.rsplit('/', 1)[-1]}]({address.replace(' ', '%20')})"


def _cell(text: str) -> str:
    """`text` safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """`counts` as pairs, most frequent first."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _listing(counts: dict[str, int]) -> str:
    """`counts` as `key N, key N`, most frequent first."""
    return ", ".join(f"{key} {value}" for key, value in _ranked(counts))
