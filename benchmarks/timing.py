"""What the throughput benchmarks share: their corpus in a work folder, and a timed ingest run."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import sample_article, write_corpus


def corpus_arguments(description: str, docs: int = 5000) -> argparse.ArgumentParser:
    """A parser with the corpus options every throughput benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--docs", type=int, default=docs, help="seed-shaped documents to write")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write them")
    return parser


def fresh_corpus(docs: int, workdir: Path | None, prefix: str) -> tuple[Path, Path]:
    """A new work folder (emptied if given) and `docs` seed-shaped documents in its `corpus/`."""
    work = Path(workdir or tempfile.mkdtemp(prefix=prefix))
    shutil.rmtree(work, ignore_errors=True)
    source = work / "corpus"
    write_corpus(source, docs, sample_article())
    return work, source


def timed_ingest(flow: Any, source: Path, out: Path) -> float:
    """Seconds for one run of the ingest `flow` over `source` into `out`; every input counted."""
    started = time.perf_counter()
    summary = flow(source=str(source), output=str(out))
    assert summary.counts.inputs == summary.discovered
    return time.perf_counter() - started
