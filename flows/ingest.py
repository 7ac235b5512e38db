"""The ingest flow: discover inputs, process them in batches across processes, commit Parquet."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.runtime import deployment, flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.progress import document_progress
from flows.report import REPORT_KEY, run_markdown
from flows.workers import worker_processes
from tasks.batches import stage_batch
from tasks.discovery import Discovery, discover_inputs
from tasks.documents import content_sha256, doc_id_for
from tasks.locks import output_lock
from tasks.output_folder import check_output_folder, claim_output_folder
from tasks.plan import WorkPlan, batches_of, plan_work
from tasks.quality import drop_rules
from tasks.records import Run
from tasks.runs import RunRecord, docprep_version, recorded_runs, runs_with
from tasks.schema import TABLES
from tasks.storage import Folder
from tasks.store import begin_run, commit, partitions, placements, recover
from tasks.summary import RunCounts, total

# Each batch costs a task run (API calls from the flow process) and a staged file per
# partition that the commit merges, so batches run to a few thousand documents; the cap
# bounds a worker's memory.
MAX_BATCH = 4000
# Batches shrink towards this as the work runs out (tasks/plan.py, `batches_of`); a run with
# fewer than twice as many inputs is one batch, run in the flow process without starting
# worker processes, each of which first imports the steps and loads langdetect's profiles.
MIN_BATCH = 250
# Inputs hashed at once while planning: reads from object storage are latency-bound.
_READERS = 16


@dataclass
class RunSummary:
    """What one run found, did and left alone."""

    run_id: str
    source: str
    output: str
    discovered: int
    counts: RunCounts
    unchanged: int
    pruned: int
    skipped: dict[str, int] = field(default_factory=dict)
    elapsed_seconds: float = 0.0
    dates: tuple[date, date] | None = None


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
    drop: frozenset[str] = frozenset(),
) -> WorkPlan:
    """The inputs to process, by content hash against what OUT already holds."""
    # A full refresh reads nothing it replaces, so a damaged store can always be rebuilt.
    stored = [] if full_refresh else placements(output)
    # Only a source with stored rows can be unchanged: new sources are not read twice.
    stored_ids = {placement.doc_id for placement in stored}
    known = [path for path in discovery.inputs if doc_id_for(path) in stored_ids]
    hashes: dict[str, str | None] = dict.fromkeys(discovery.inputs)
    hashes.update(zip(known, _hashes(source, known), strict=True))
    work = plan_work(hashes, stored, prune=prune, full_refresh=full_refresh, drop=drop)
    if full_refresh:
        for table in TABLES:
            work.touched.setdefault(table.name, set()).update(partitions(output, table))
    return work


@task(cache_policy=NO_CACHE, retries=1)
def process_batch(
    source: Folder,
    sources: list[str],
    output: Folder,
    run: Run,
    drop: frozenset[str] = frozenset(),
    workers: Executor | None = None,
) -> RunCounts:
    """One batch processed and staged, in one of `workers` when given; its counts."""
    if workers is None:
        return stage_batch(source, sources, output, run, drop)
    return workers.submit(stage_batch, source, sources, output, run, drop).result()


@task(cache_policy=NO_CACHE)
def prepare_output(output: Folder, full_refresh: bool) -> None:
    """OUT claimed as a docprep store, with what an interrupted run left finished or undone."""
    claim_output_folder(output)
    recover(output, full_refresh=full_refresh)
    if not full_refresh:
        recorded_runs(output)  # a damaged runs table stops a run before it stages anything


@task(cache_policy=NO_CACHE)
def commit_output(
    output: Folder, run: Run, work: WorkPlan, record: RunRecord, full_refresh: bool
) -> None:
    """The staged rows and the run's row committed into OUT, all or nothing."""
    runs = runs_with(output, record, start_over_if_damaged=full_refresh)
    commit(output, run.run_id, work.replaced, work.touched, runs, replace_all=full_refresh)


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
    drop_flagged: list[str] | None = None,
) -> RunSummary:
    """Ingest every input under `source` into the Parquet datasets under `output`.

    `drop_flagged` names quality rules (or `all`): documents failing one go to `rejects`.
    """
    started = time.perf_counter()
    drop = drop_rules(drop_flagged or [])
    run = Run(str(flow_run.id or uuid.uuid4()), datetime.now(UTC))
    inputs, out = Folder(source), Folder(output)
    check_output_folder(out)  # before the lock file is made in it
    with output_lock(out):
        prepare_output(out, full_refresh)
        discovery = find_inputs(inputs)
        # quote(): Prefect would walk every path in these lists for futures to wait on, ~0.13 s
        # per 20,000 paths each time; the task gets the object itself.
        work = plan_run(inputs, out, quote(discovery), prune, full_refresh, drop)  # type: ignore[call-overload]
        begin_run(out, run.run_id)
        counts: list[RunCounts] = []
        with document_progress(len(work.todo)) as advance:
            batches = _batches(work.todo, batch_size)
            for batch_counts in _processed(batches, inputs, out, run, drop):
                counts.append(batch_counts)
                advance(batch_counts.inputs)
        total_counts = total(counts)
        summary = RunSummary(
            run_id=run.run_id,
            source=inputs.uri,
            output=out.uri,
            discovered=len(discovery.inputs),
            counts=total_counts,
            unchanged=work.unchanged,
            pruned=work.pruned,
            skipped=dict(discovery.skipped),
            elapsed_seconds=time.perf_counter() - started,
            dates=total_counts.date_range,
        )
        record = _run_record(summary, run.started_at)
        commit_output(out, run, quote(work), record, full_refresh)  # type: ignore[call-overload]
        summary.elapsed_seconds = time.perf_counter() - started
    create_markdown_artifact(run_markdown(summary), key=REPORT_KEY, description="What the run did")
    return summary


def _processed(
    batches: list[list[str]], source: Folder, output: Folder, run: Run, drop: frozenset[str]
) -> Iterator[RunCounts]:
    """Each batch's counts as it is done; a lone batch runs here, without starting workers."""
    if len(batches) == 1:
        yield process_batch(source, batches[0], output, run, drop)
        return
    with _local_workers() as workers:
        futures = process_batch.map(
            unmapped(source),
            batches,
            unmapped(output),
            unmapped(run),
            unmapped(drop),
            unmapped(workers),
        )
        for future in as_completed(futures):
            yield future.result()


@contextmanager
def _local_workers() -> Iterator[Executor | None]:
    """Worker processes for the batches; None when the task runner has processes of its own."""
    context = FlowRunContext.get()
    if context is None or not isinstance(context.task_runner, ThreadPoolTaskRunner):
        yield None  # a Dask runner: each batch task already runs in a worker process
        return
    with worker_processes(os.cpu_count() or 1) as workers:
        yield workers


def _batches(sources: list[str], batch_size: int) -> list[list[str]]:
    """`sources` cut into batches of at most `batch_size`, shrinking towards the end."""
    workers = os.cpu_count() or 1
    return batches_of(sources, largest=batch_size, smallest=MIN_BATCH, workers=workers)


def _run_record(summary: RunSummary, started_at: datetime) -> RunRecord:
    """The runs-table row of a run that has just committed; `cli` when run outside a deployment."""
    counts = summary.counts
    return RunRecord(
        run_id=summary.run_id,
        deployment=deployment.name or "cli",
        source=summary.source,
        started_at=started_at,
        ended_at=datetime.now(UTC),
        discovered=summary.discovered,
        processed=counts.inputs,
        documents=counts.documents,
        paragraphs=counts.paragraphs,
        rejects=sum(counts.rejects.values()),
        unchanged=summary.unchanged,
        pruned=summary.pruned,
        skipped=sum(summary.skipped.values()),
        docprep_version=docprep_version(),
    )


def _hashes(folder: Folder, paths: list[str]) -> list[str]:
    """The SHA-256 of each input: one by one locally, many at once from object storage."""
    if folder.is_local:  # threads only add contention to fast local reads (measured 7x slower)
        return [_sha256_of(folder, path) for path in paths]
    with ThreadPoolExecutor(_READERS) as readers:
        return list(readers.map(lambda path: _sha256_of(folder, path), paths))


def _sha256_of(folder: Folder, path: str) -> str:
    """The hex SHA-256 of a file's bytes (empty for a file that cannot be read)."""
    try:
        return content_sha256(folder.read_bytes(path))
    except OSError:
        return ""
