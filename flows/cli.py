"""The `docprep` command line."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from flows.prefect_api import apply_quiet_defaults, prefect_api

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)


def main(argv: list[str] | None = None) -> int:
    """Run the docprep command named in `argv`; the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "stats":
        return _stats(args)
    if "://" not in args.source and not Path(args.source).is_dir():
        print(f"docprep: source folder not found: {args.source}", file=sys.stderr)
        return EXIT_USAGE
    if args.drop_flagged and (unknown := _unknown_rules(args.drop_flagged)):
        print(f"docprep: {unknown}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "serve":
        # A server process is watched, not read once: show each run it picks up.
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        apply_quiet_defaults()
        return _serve(args)
    apply_quiet_defaults()
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run the ingest flow once and print its summary."""
    from rich.console import Console

    from tasks.locks import OutputBusy, check_not_busy
    from tasks.output_folder import DamagedOutput, OutputRefused, check_output_folder
    from tasks.storage import Folder

    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.SIG_IGN:  # a run started with Ctrl-C ignored keeps ignoring it
        signal.signal(signal.SIGINT, _interrupt_quietly)
    try:
        check_output_folder(Folder(args.output))
        check_not_busy(Folder(args.output))
        # The flow's own default batch size unless one is given: the CLI does not import it.
        sizing = {"batch_size": args.batch_size} if args.batch_size else {}
        with prefect_api(meanwhile=_import_flow):
            summary = _flow_for(args.dask)(
                source=args.source,
                output=args.output,
                prune=args.prune,
                full_refresh=args.full_refresh,
                drop_flagged=args.drop_flagged,
                **sizing,
            )
    except OutputRefused as refused:
        print(f"docprep: {refused}", file=sys.stderr)
        return EXIT_USAGE
    except (OutputBusy, DamagedOutput) as error:
        print(f"docprep: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("docprep: interrupted; OUT is as the last complete run left it", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        print(f"docprep: the run failed: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGINT, previous)
        logging.disable(logging.NOTSET)
    from flows.report import print_summary  # after the flow's imports, which overlap the server

    print_summary(summary, Console())
    return EXIT_OK


def _unknown_rules(names: list[str]) -> str | None:
    """Why `names` are not all quality rules (or `all`); None when they are."""
    from tasks.quality import UnknownRules, drop_rules

    try:
        drop_rules(names)
    except UnknownRules as unknown:
        return str(unknown)
    return None


def _interrupt_quietly(signum: int, frame: FrameType | None) -> None:
    """On Ctrl-C: silence the logs of the run unwinding (docprep says it in one line), stop."""
    logging.disable(logging.CRITICAL)
    raise KeyboardInterrupt


def _import_flow() -> None:
    """Import the flow (Prefect, pyarrow, the steps): seconds spent while a server starts."""
    import flows.ingest  # noqa: F401


def _flow_for(dask: str | None) -> Any:
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


def _serve(args: argparse.Namespace) -> int:
    """Serve the ingest flow as a deployment on a schedule until stopped."""
    from prefect.schedules import Cron, Interval
    from prefect.settings import get_current_settings
    from prefect.types.entrypoint import EntrypointType
    from rich.console import Console

    from flows.ingest import ingest

    console = Console(stderr=True)
    if not get_current_settings().api.url:
        # A temporary server runs no scheduler: served runs would never start.
        console.print(
            "docprep: serve needs a running Prefect server: start `prefect server start` and "
            "set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)",
            highlight=False,
        )
        return EXIT_USAGE
    try:
        schedule = Cron(args.cron, timezone="UTC") if args.cron else Interval(args.interval)
    except ValueError as error:
        console.print(f"docprep: {error}", highlight=False)
        return EXIT_USAGE
    source, output = Path(args.source).resolve(), Path(args.output).resolve()
    try:
        ingest.serve(
            name=args.name,
            schedule=schedule,
            parameters={
                "source": str(source),
                "output": str(output),
                "drop_flagged": args.drop_flagged,
            },
            # One run at a time; a run that still finds OUT locked fails with OutputBusy.
            limit=1,
            # The installed package, not a file path, so runs start from any folder.
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
    except Exception as error:
        console.print(f"docprep: serving failed: {type(error).__name__}: {error}", highlight=False)
        return EXIT_FAILED
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    """Print a summary of the datasets under OUT."""
    from rich.console import Console

    from flows.stats import stats_tables

    tables = stats_tables(Path(args.output)) if Path(args.output).is_dir() else []
    if not tables:
        print(f"docprep: no docprep datasets under {args.output}", file=sys.stderr)
        return EXIT_USAGE
    console = Console()
    for table in tables:
        console.print(table)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    """The argument parser of `docprep`."""
    parser = argparse.ArgumentParser(prog="docprep", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest SOURCE into Parquet datasets under OUT")
    run.add_argument("source", nargs="?", default="seeds", help="input folder (default: seeds)")
    run.add_argument("--output", default="output", help="output folder (default: output)")
    run.add_argument("--batch-size", type=int, help="most documents per task run (default: 4000)")
    run.add_argument("--prune", action="store_true", help="drop rows of sources that are gone")
    run.add_argument("--full-refresh", action="store_true", help="rebuild OUT from SOURCE")
    _add_drop_flagged(run)
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the batches on the Dask scheduler at ADDRESS, or on a new local cluster: local",
    )
    serve = commands.add_parser(
        "serve", help="serve the ingest flow on a schedule: each run ingests what is new"
    )
    serve.add_argument("source", nargs="?", default="seeds", help="input folder (default: seeds)")
    serve.add_argument("--output", default="output", help="output folder (default: output)")
    serve.add_argument("--name", default="serve", help="deployment name (default: serve)")
    _add_drop_flagged(serve)
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help="cron expression, e.g. '0 2 * * *' (UTC)")
    when.add_argument("--interval", type=_seconds, help="seconds between runs")
    stats = commands.add_parser("stats", help="summarize the datasets under OUT")
    stats.add_argument(
        "output", nargs="?", default="output", help="output folder (default: output)"
    )
    return parser


def _add_drop_flagged(command: argparse.ArgumentParser) -> None:
    """The --drop-flagged option: quality rules whose failing documents go to `rejects`."""
    command.add_argument(
        "--drop-flagged",
        metavar="RULES",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        default=[],
        help="move documents failing these quality rules (comma-separated, or: all) to "
        "rejects as low_quality (default: keep every document, flagged in quality_flags)",
    )


def _seconds(text: str) -> int:
    """A positive whole number of seconds, as argparse reads it."""
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number of seconds: {text!r}")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
