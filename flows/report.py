"""The short summary printed after a run."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from flows.ingest import RunSummary


def print_summary(summary: RunSummary, console: Console) -> None:
    """Print what a run did: documents, paragraphs, rejects, skipped files, languages, time."""
    counts = summary.counts
    rate = counts.inputs / summary.elapsed_seconds if summary.elapsed_seconds else 0.0
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "inputs",
        f"{summary.discovered} found, {counts.inputs} processed, {summary.unchanged} unchanged",
    )
    table.add_row("documents", str(counts.documents))
    table.add_row("paragraphs", str(counts.paragraphs))
    table.add_row("rejects", _listing(counts.rejects) or "0")
    if summary.skipped:
        table.add_row("skipped", _listing(summary.skipped))
    if summary.pruned:
        table.add_row("pruned", str(summary.pruned))
    table.add_row("languages", _listing(counts.languages) or "-")
    table.add_row("elapsed", f"{summary.elapsed_seconds:.1f} s ({rate:.0f} docs/s)")
    table.add_row("output", summary.output)
    console.print(table)


def _listing(counts: dict[str, int]) -> str:
    """`counts` as `key N, key N`, most frequent first."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{key} {value}" for key, value in ranked)
