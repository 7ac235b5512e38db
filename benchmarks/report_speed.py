"""How long `docprep report` takes, and how much memory, over the benchmark store.

Usage: python benchmarks/report_speed.py [--docs 20000] [--synthetic N] [--workdir DIR]

Builds the 20,000-document benchmark corpus (benchmarks/corpus.py) and ingests it with
`docprep run` (skipped when WORKDIR already holds that store), then times `docprep report`
as a user runs it, a fresh process, with the peak RSS of its process tree; and
`corpus_report` twice in one process: the first call, as a committing run makes it after
its commit (imports and the chart engine's start included), and the next.
With `--synthetic N`, also a store of N documents written directly with pyarrow (the
benchmark store's rows repeated under new ids, 300 folders, dates spread over two years,
texts left empty), to show how the report's queries scale with the number of documents.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.corpus import sample_article, write_corpus  # noqa: E402
from benchmarks.runs import Measured, measure_cli, measure_run  # noqa: E402


def benchmark_store(work: Path, n_docs: int) -> Path:
    """OUT after `docprep run` over the benchmark corpus of `n_docs` (built once per WORKDIR)."""
    source, out = work / f"corpus-{n_docs}", work / f"out-{n_docs}"
    if (out / "runs" / "part-0.parquet").exists():
        return out
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    write_corpus(source, n_docs, sample_article())
    ingested = measure_run(source, out)
    assert ingested.exit_code == 0
    print(f"ingested {n_docs} documents in {ingested.seconds:.1f} s")
    return out


def synthetic_store(model: Path, out: Path, n_docs: int) -> Path:
    """A store of `n_docs` documents: the rows of `model` repeated under new ids and dates."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from tasks.output import DOCUMENTS
    from tasks.storage.ownership import MARKER

    shutil.rmtree(out, ignore_errors=True)
    rows = ds.dataset(model / "documents", format="parquet", partitioning="hive").to_table()
    rows = rows.select(DOCUMENTS.file_schema.names)
    # The report never reads `text`: left empty, a million rows fit in memory while written.
    text = rows.schema.get_field_index("text")
    rows = rows.set_column(text, "text", pa.array([""] * rows.num_rows))
    rng = np.random.default_rng(7)
    indices = pa.array(np.arange(n_docs) % rows.num_rows)
    copied = rows.take(indices)
    first = date(2024, 1, 1)
    days = rng.integers(0, 731, n_docs)
    dates = pa.array([first + timedelta(days=int(day)) for day in days], pa.date32())
    months = pc.strftime(dates.cast(pa.timestamp("s")), format="%Y-%m")
    copied = copied.set_column(
        copied.schema.get_field_index("doc_id"),
        "doc_id",
        pa.array([f"{i:016x}" for i in range(n_docs)]),
    )
    copied = copied.set_column(
        copied.schema.get_field_index("source"),
        "source",
        pa.array([f"{i % 300:03d}/doc-{i:07d}.txt" for i in range(n_docs)]),
    )
    copied = copied.set_column(copied.schema.get_field_index("date"), "date", dates)
    for month in sorted(set(months.to_pylist())):
        part = copied.filter(pc.equal(months, month))
        folder = out / "documents" / f"month={month}"
        folder.mkdir(parents=True)
        pq.write_table(part, folder / "part-0.parquet", compression="zstd")
    shutil.copytree(model / "runs", out / "runs")
    shutil.copytree(model / "rejects", out / "rejects")
    (out / MARKER).write_bytes((model / MARKER).read_bytes())
    return out


def in_process_seconds(out: Path) -> tuple[float, float, float]:
    """Seconds for `corpus_report` in this process: the first call (with the imports and the
    chart engine's start, as in a run's process), and a second one, wall and CPU.
    """
    started = time.perf_counter()
    from tasks.report import corpus_report
    from tasks.storage import Folder

    corpus_report(Folder(out), datetime.now(UTC))
    first = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    corpus_report(Folder(out), datetime.now(UTC))
    return first, time.perf_counter() - started, time.process_time() - cpu


def children_cpu_seconds() -> float:
    """User and system CPU seconds of this process's ended children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report_line(what: str, measured: Measured) -> str:
    """One measured `docprep report`, as printed."""
    return f"{what}: {measured.seconds:.1f} s, peak RSS {measured.peak_rss_mib:.0f} MiB"


def main() -> None:
    """Build or reuse the store, measure the report, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--synthetic", type=int, default=0, help="documents of a synthetic store")
    parser.add_argument("--workdir", type=Path, default=None, help="kept: reused next time")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="docprep-report-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    out = benchmark_store(work, args.docs)
    stores = [(f"{args.docs} documents", out)]
    if args.synthetic:
        synthetic = synthetic_store(out, work / f"synthetic-{args.synthetic}", args.synthetic)
        stores.append((f"{args.synthetic} documents (synthetic)", synthetic))
    # Wall times stretch with other load on the machine; CPU seconds much less.
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for name, store in stores:
        cpu = children_cpu_seconds()
        measured = measure_cli("report", str(store), "--html", str(work / "report.html"))
        cpu = children_cpu_seconds() - cpu
        assert measured.exit_code == 0
        size = (work / "report.html").stat().st_size / 1024
        print(report_line(f"docprep report, {name}, a fresh process", measured), end="")
        print(f", {cpu:.1f} CPU s; page {size:.0f} KiB")
        first, again, again_cpu = in_process_seconds(store)
        # Only this process's first report pays for the imports and the chart engine's start.
        cold = (
            f"first report {first:.1f} s (imports and chart engine included), "
            if (store == out)
            else ""
        )
        print(f"  in one process: {cold}a report {again:.1f} s ({again_cpu:.1f} CPU s)")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
