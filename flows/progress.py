"""A progress bar over the inputs of a run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def document_progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for `total` inputs (files, and slices of a large archive).

    Yields the function that advances it.
    """
    columns = (
        TextColumn("[bold]docprep[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("inputs"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        bar = progress.add_task("inputs", total=total)
        yield lambda done: progress.advance(bar, done)
