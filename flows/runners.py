"""The ingest flow on the task runner a command asks for: the default, or a Dask cluster."""

from __future__ import annotations

import os
from typing import Any


def ingest_flow(dask: str | None) -> Any:
    """The ingest flow, sent to a Dask cluster when `dask` names one (`local` starts one)."""
    from flows.ingest import ingest

    if dask is None:
        return ingest
    from prefect_dask.task_runners import DaskTaskRunner

    # Prefect types its runners invariantly in their future type; Dask's is a subtype.
    runner: Any
    if dask == "local":
        workers = os.cpu_count() or 1
        cluster = {"n_workers": workers, "threads_per_worker": 1, "processes": True}
        runner = DaskTaskRunner(cluster_kwargs=cluster)
    else:
        runner = DaskTaskRunner(address=dask)
    return ingest.with_options(task_runner=runner)
