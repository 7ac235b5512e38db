"""A progress bar over the documents of a run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def document_progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for `total` documents; yields the function that advances it."""
    columns = (
        TextColumn("[bold]docprep[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("documents"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        bar = progress.add_task("documents", total=total)
        yield lambda done: progress.advance(bar, done)
