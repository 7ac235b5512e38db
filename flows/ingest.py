"""The ingest flow: discover inputs, process them in batches across processes, commit Parquet."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor
from datetime import UTC, datetime

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.runtime import deployment, flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.progress import document_progress
from flows.report import CORPUS_REPORT_KEY, REPORT_KEY, run_markdown
from flows.workers import worker_processes
from tasks.archives import RecordFields
from tasks.batches import stage_batch
from tasks.discovery import Discovery, discover_inputs
from tasks.duplicates import RULE, DuplicatesUpdate, lacks_index, update_duplicates
from tasks.input_files import MAX_INPUT_BYTES, Reading
from tasks.output import (
    PARAGRAPHS,
    Run,
    RunRecord,
    begin_run,
    commit,
    recorded_runs,
    recover,
    runs_with,
)
from tasks.plan import MAX_BATCH, Part, WorkPlan, planned_work
from tasks.quality import drop_rules
from tasks.report import REPORT_FILE, corpus_report, load_report_engine, report_address
from tasks.storage import Folder, check_output_folder, claim_output_folder, output_lock
from tasks.summary import RunCounts, RunSummary, run_record, total


@task(cache_policy=NO_CACHE)
def prepare_output(output: Folder, full_refresh: bool) -> None:
    """OUT claimed as a docprep store, with what an interrupted run left finished or undone."""
    claim_output_folder(output)
    recover(output, full_refresh=full_refresh)
    if not full_refresh:
        recorded_runs(output)  # a damaged runs table stops a run before it stages anything


@task(cache_policy=NO_CACHE)
def find_inputs(source: Folder) -> Discovery:
    """Every input file under the source folder."""
    return discover_inputs(source)


@task(cache_policy=NO_CACHE)
def plan_run(
    source: Folder,
    output: Folder,
    discovery: Discovery,
    prune: bool,
    full_refresh: bool,
    batch_size: int,
    drop: frozenset[str],
) -> WorkPlan:
    """The inputs to process and their batches, by content hash against what OUT holds and
    the quality rules whose failing documents are dropped."""
    return planned_work(
        source,
        output,
        discovery,
        prune=prune,
        full_refresh=full_refresh,
        batch_size=batch_size,
        workers=os.cpu_count() or 1,
        drop=drop,
    )


@task(cache_policy=NO_CACHE, retries=1)
def process_batch(
    source: Folder,
    parts: list[Part],
    output: Folder,
    run: Run,
    reading: Reading,
    drop: frozenset[str],
    workers: Executor | None = None,
) -> RunCounts:
    """One batch processed and staged, in one of `workers` when given; its counts."""
    if workers is None:
        return stage_batch(source, parts, output, run, reading, drop)
    return workers.submit(stage_batch, source, parts, output, run, reading, drop).result()


@task(cache_policy=NO_CACHE)
def find_duplicates(
    output: Folder, run: Run, work: WorkPlan, full_refresh: bool
) -> DuplicatesUpdate:
    """The clusters of copies and paragraph counts the run changes, staged for the commit."""
    months = work.touched.get(PARAGRAPHS.name, frozenset())
    return update_duplicates(output, run.run_id, work.replaced, months, RULE, full_refresh)


@task(cache_policy=NO_CACHE)
def commit_output(
    output: Folder,
    run: Run,
    work: WorkPlan,
    duplicates: DuplicatesUpdate,
    record: RunRecord,
    full_refresh: bool,
) -> None:
    """The staged rows and the run's row committed into OUT, all or nothing."""
    runs = runs_with(output, record, start_over_if_damaged=full_refresh)
    touched = {name: set(values) for name, values in work.touched.items()}
    for name, values in duplicates.touched.items():
        touched.setdefault(name, set()).update(values)
    commit(
        output,
        run.run_id,
        work.replaced,
        touched,
        runs,
        replace_all=full_refresh,
        replaced_in=duplicates.replaced_in,
    )


@task(cache_policy=NO_CACHE)
def write_report(output: Folder) -> str | None:
    """OUT's HTML report on what it now holds, in `OUT/report.html`; its address, or None."""
    started = time.perf_counter()
    try:
        # The last one shows OUT before this run's commit: gone first, whatever stops this step,
        # so that no run takes it for current (the next one writes a report if this cannot).
        output.delete_file(REPORT_FILE)
        page = corpus_report(output, datetime.now(UTC))
        output.write_bytes(page.encode(), REPORT_FILE)
    except Exception as error:  # the run has committed: a report it cannot write must not fail it
        get_run_logger().warning("the report was not written: %s: %s", type(error).__name__, error)
        return None
    get_run_logger().info("report written in %.1f s", time.perf_counter() - started)
    return report_address(output)


# Batch tasks run in threads of the flow process, each handing its batch's CPU work to a local
# worker process (flows/workers.py): measured, that costs ~4 s less per run than Prefect's
# process-pool task runner, whose workers import Prefect and set up a client per task run.
@flow(
    name="docprep-ingest",
    task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 1),  # type: ignore[arg-type]
    log_prints=False,
)
def ingest(
    source: str = "seeds",
    output: str = "output",
    batch_size: int = MAX_BATCH,
    prune: bool = False,
    full_refresh: bool = False,
    max_bytes: int = MAX_INPUT_BYTES,
    text_field: str = "text",
    html_field: str = "html",
    date_field: str = "date",
    id_field: str = "id",
    url_field: str = "url",
    title_field: str = "title",
    drop_flagged: list[str] | None = None,
) -> RunSummary:
    """Ingest every input under `source` into the Parquet datasets under `output`.

    The `*_field` parameters name the JSON fields a JSON Lines record's parts are read from;
    `drop_flagged` names quality rules (or `all`): documents failing one go to `rejects`.
    """
    if batch_size < 1:  # deployments pass parameters unchecked by the command line
        raise ValueError(f"batch_size must be a positive whole number, not {batch_size!r}")
    started = time.perf_counter()
    drop = drop_rules(drop_flagged or [])
    run = Run(str(flow_run.id or uuid.uuid4()), datetime.now(UTC))
    inputs, out = Folder(source), Folder(output)
    check_output_folder(out)  # before the lock file is made in it
    with output_lock(out):
        prepare_output(out, full_refresh)
        # A store written before duplicate detection has no index to match against: rebuild it.
        full_refresh = full_refresh or lacks_index(out)
        discovery = find_inputs(inputs)
        # quote(): Prefect would walk every path in these lists for futures to wait on, ~0.13 s
        # per 20,000 paths each time; the task gets the object itself.
        work = plan_run(inputs, out, quote(discovery), prune, full_refresh, batch_size, drop)  # type: ignore[call-overload]
        fields = RecordFields(text_field, html_field, date_field, id_field, url_field, title_field)
        reading = Reading(max_bytes, discovery.targets, fields)
        counts = _processed(work, inputs, out, run, reading, drop)
        duplicates = find_duplicates(out, run, quote(work), full_refresh)  # type: ignore[call-overload]
        summary = _summary(run, inputs, out, discovery, work, counts, started)
        summary.totals = duplicates.totals
        record = run_record(summary, deployment.name or "cli", run.started_at, datetime.now(UTC))
        commit_output(out, run, quote(work), quote(duplicates), record, full_refresh)  # type: ignore[call-overload]
        summary.elapsed_seconds = time.perf_counter() - started
        summary.report = write_report(out)
    create_markdown_artifact(run_markdown(summary), key=REPORT_KEY, description="What the run did")
    if summary.report:
        create_link_artifact(
            summary.report,
            link_text="docprep report: charts of OUT",
            key=CORPUS_REPORT_KEY,
            description="OUT's documents, rejects and runs as charts, written after the commit",
        )
    return summary


def _processed(
    work: WorkPlan,
    source: Folder,
    output: Folder,
    run: Run,
    reading: Reading,
    drop: frozenset[str],
) -> RunCounts:
    """The batches of `work` processed and staged under OUT, with a progress bar; their counts."""
    begin_run(output, run.run_id)
    counts: list[RunCounts] = []
    with document_progress(sum(map(len, work.batches))) as advance:
        for batch_counts in _batch_counts(work.batches, source, output, run, reading, drop):
            counts.append(batch_counts)
            advance(batch_counts.parts)
    return total(counts)


def _batch_counts(
    batches: list[list[Part]],
    source: Folder,
    output: Folder,
    run: Run,
    reading: Reading,
    drop: frozenset[str],
) -> Iterator[RunCounts]:
    """Each batch's counts as it is done; a lone batch runs here, without starting workers."""
    if len(batches) == 1:
        yield process_batch(source, batches[0], output, run, reading, drop)
        return
    # Meanwhile the flow process, which only waits for the workers, gets the report ready.
    threading.Thread(target=_load_report_engine, name="docprep-report-engine", daemon=True).start()
    with _local_workers() as workers:
        futures = process_batch.map(
            unmapped(source),
            batches,
            unmapped(output),
            unmapped(run),
            unmapped(reading),
            unmapped(drop),
            unmapped(workers),
        )
        for future in as_completed(futures):
            yield future.result()


def _summary(
    run: Run,
    source: Folder,
    output: Folder,
    discovery: Discovery,
    work: WorkPlan,
    counts: RunCounts,
    started: float,
) -> RunSummary:
    """What the run found, did and left alone, so far."""
    return RunSummary(
        run_id=run.run_id,
        source=source.uri,
        output=output.uri,
        discovered=len(discovery.inputs),
        counts=counts,
        unchanged=work.unchanged,
        pruned=work.pruned,
        skipped=dict(discovery.skipped),
        elapsed_seconds=time.perf_counter() - started,
        dates=counts.date_range,
    )


def _load_report_engine() -> None:
    """The report's libraries and chart engine loaded, or left for the report step to fail on."""
    with contextlib.suppress(Exception):  # that step says what went wrong, if anything does
        load_report_engine()


@contextlib.contextmanager
def _local_workers() -> Iterator[Executor | None]:
    """Worker processes for the batches; None when the task runner has processes of its own."""
    context = FlowRunContext.get()
    if context is None or not isinstance(context.task_runner, ThreadPoolTaskRunner):
        yield None  # a Dask runner: each batch task already runs in a worker process
        return
    with worker_processes(os.cpu_count() or 1) as workers:
        yield workers
