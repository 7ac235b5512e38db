"""The `docprep` command line."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import traceback
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from flows.prefect_api import apply_quiet_defaults, keeps_server, prefect_api

if TYPE_CHECKING:
    from tasks.storage import Folder

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # and for one stopped by SIGTERM (128 + SIGTERM)


class _Terminated(KeyboardInterrupt):
    """SIGTERM: a run stops as it does on Ctrl-C."""


class _Stops:
    """The Ctrl-C or SIGTERM a run received, remembered.

    The KeyboardInterrupt a handler raises does not always end the run: DuckDB turns one that
    arrives mid-query into its own RuntimeError("Query interrupted"), which a step may catch.
    """

    def __init__(self) -> None:
        self.received: int | None = None

    def interrupt(self, signum: int, frame: FrameType | None) -> NoReturn:
        """On Ctrl-C or SIGTERM: silence the logs of the run unwinding (docprep says it), stop."""
        logging.disable(logging.CRITICAL)
        self.received = signum
        raise _Terminated if signum == signal.SIGTERM else KeyboardInterrupt

    def exit_code(self) -> int | None:
        """The exit code of a run stopped by the signal received, or None when none came."""
        if self.received is None:
            return None
        return EXIT_TERMINATED if self.received == signal.SIGTERM else EXIT_INTERRUPTED


# The parts of a JSON Lines record read from a named field, and the field's default name
# (the flow's own defaults: the command line passes only those given).
_RECORD_FIELDS = {
    "text": "text",
    "html": "html",
    "date": "date",
    "id": "id",
    "url": "url",
    "title": "title",
}


def main(argv: list[str] | None = None) -> int:
    """Run the docprep command named in `argv`; the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "stats":
        return _stats(args)
    if args.command == "report":
        return _report(args)
    if args.command == "stop-server":
        return _stop_server()
    from tasks.storage import check_location

    for name, location in (("SOURCE", args.source), ("OUT", args.output)):
        try:
            check_location(location)
        except ValueError as error:
            print(f"docprep: {name} {error}", file=sys.stderr)
            return EXIT_USAGE
    if "://" not in args.source and not Path(args.source).is_dir():
        print(f"docprep: source folder not found: {args.source}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "serve":
        # A server process is watched, not read once: show each run it picks up.
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        apply_quiet_defaults()
        return _serve(args)
    if not args.debug:
        # Prefect's console would show a failure's error logs, tracebacks included: docprep
        # says it in one line. The logs still reach the API, and --debug shows them here.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    apply_quiet_defaults()
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run the ingest flow once and print its summary."""
    from rich.console import Console

    from flows.runners import ingest_flow
    from tasks.storage import (
        DamagedOutput,
        Folder,
        OutputBusy,
        OutputRefused,
        check_not_busy,
        check_output_folder,
    )

    stops = _Stops()
    previous = {stop: signal.getsignal(stop) for stop in (signal.SIGINT, signal.SIGTERM)}
    for stop, handler in previous.items():
        if handler is not signal.SIG_IGN:  # a run started with Ctrl-C ignored keeps ignoring it
            # Prefect swaps in its own SIGTERM handler while the flow runs: it records the flow
            # run as crashed, puts this one back and sends the signal again.
            signal.signal(stop, stops.interrupt)
    try:
        out = Folder(args.output)
        check_output_folder(out)  # reads only: a refused OUT is left as it was
        if out.exists():  # a folder not there yet has no writer, and a run that fails to start
            check_not_busy(out)  # must not leave it behind
            if not args.full_refresh and _printed_up_to_date(args, out):
                stopped = stops.exit_code()
                return EXIT_OK if stopped is None else _interrupted(stopped)
        # The flow's own defaults unless given: the CLI does not import it.
        sizing = {"batch_size": args.batch_size} if args.batch_size else {}
        if args.max_bytes:
            sizing["max_bytes"] = args.max_bytes
        fields = {
            f"{part}_field": getattr(args, f"{part}_field")
            for part in _RECORD_FIELDS
            if getattr(args, f"{part}_field") is not None
        }
        with prefect_api(meanwhile=_import_flow, keep=keeps_server()):
            summary = ingest_flow(args.dask)(
                source=args.source,
                output=args.output,
                prune=args.prune,
                full_refresh=args.full_refresh,
                drop_flagged=args.drop_flagged,
                **sizing,
                **fields,
            )
        if (stopped := stops.exit_code()) is not None:  # the run went on: it has committed
            return _interrupted(stopped)
    except OutputRefused as refused:
        print(f"docprep: {refused}", file=sys.stderr)
        return EXIT_USAGE
    except (OutputBusy, DamagedOutput) as error:  # their message says what to do
        if (stopped := stops.exit_code()) is not None:  # a read cut short by the interrupt
            return _interrupted(stopped)
        if args.debug:
            traceback.print_exception(error)
        print(f"docprep: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt as interrupt:
        return _interrupted(
            EXIT_TERMINATED if isinstance(interrupt, _Terminated) else EXIT_INTERRUPTED
        )
    except Exception as error:
        if (stopped := stops.exit_code()) is not None:  # the interrupt, in a library's words
            return _interrupted(stopped)
        _print_failure("the run failed", error, args.debug)
        return EXIT_FAILED
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        logging.disable(logging.NOTSET)
    from flows.report import print_summary  # after the flow's imports, which overlap the server

    print_summary(summary, Console())
    return EXIT_OK


def _printed_up_to_date(args: argparse.Namespace, out: Folder) -> bool:
    """Whether OUT already holds every input under SOURCE as it is, said so when it does.

    Checked before Prefect is imported or a server started, by the run's own planner: an
    unchanged re-run then takes a second, where the orchestrated run that changes nothing
    would take several. Such a run is not recorded (deployments' runs always are).
    """
    from rich.console import Console

    from flows.report import print_up_to_date
    from tasks.quality import drop_rules
    from tasks.report.location import report_address
    from tasks.storage import Folder, output_lock
    from tasks.up_to_date import up_to_date

    drop = drop_rules(args.drop_flagged or [])
    with output_lock(out):
        standing = up_to_date(Folder(args.source), out, prune=args.prune, drop=drop)
    if standing is not None:
        print_up_to_date(standing, out.uri, report_address(out), Console())
    return standing is not None


def _interrupted(code: int) -> int:
    """Say that the run was stopped; `code`, its exit code."""
    print("docprep: interrupted; OUT is as the last complete run left it", file=sys.stderr)
    return code


def _print_failure(what: str, error: Exception, debug: bool) -> None:
    """Say on stderr in one line that `what` happened because of `error`; its traceback if asked."""
    if debug:
        traceback.print_exception(error)
    hint = "" if debug else "; run again with --debug for the traceback"
    reason = str(error).rstrip(".")
    print(f"docprep: {what}: {type(error).__name__}: {reason}{hint}", file=sys.stderr)


def _import_flow() -> None:
    """Import the flow (Prefect, pyarrow, the steps): seconds spent while a server starts."""
    import flows.ingest  # noqa: F401


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
        _print_failure("serving failed", error, args.debug)
        return EXIT_FAILED
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    """Print a summary of the datasets under OUT."""
    from rich.console import Console

    from flows.stats import stats_tables
    from tasks.storage import DamagedOutput, Folder

    try:
        tables = stats_tables(Folder(args.output))
    except DamagedOutput as error:
        print(f"docprep: {error}", file=sys.stderr)
        return EXIT_FAILED
    if not tables:
        print(f"docprep: no docprep datasets under {args.output}", file=sys.stderr)
        return EXIT_USAGE
    console = Console()
    for table in tables:
        console.print(table)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    """Write the HTML report on the store at OUT, into OUT or to the file --html names."""
    from datetime import UTC, datetime

    from tasks.report import REPORT_FILE, corpus_report, report_address
    from tasks.storage import (
        DamagedOutput,
        Folder,
        OutputBusy,
        OutputRefused,
        check_output_folder,
        claim_output_folder,
        output_lock,
    )

    out = Folder(args.output)
    if not out.exists():
        print(f"docprep: no docprep store at {args.output}", file=sys.stderr)
        return EXIT_USAGE
    target, name = _html_target(args.html) if args.html else (out, REPORT_FILE)
    try:
        check_output_folder(out)  # a folder of someone else's is neither read nor written
        if args.html:
            target.write_bytes(corpus_report(out, datetime.now(UTC)).encode(), name)
        else:
            # Into OUT as one writer, as a run writes it after its commit: what it shows is a
            # committed state, and the two never write the file at once.
            with output_lock(out):
                claim_output_folder(out)  # an empty folder becomes a store: its report is ours
                out.write_bytes(corpus_report(out, datetime.now(UTC)).encode(), REPORT_FILE)
    except OutputRefused as refused:
        print(f"docprep: {refused}", file=sys.stderr)
        return EXIT_USAGE
    except (OutputBusy, DamagedOutput) as error:
        print(f"docprep: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"docprep: report written to {report_address(target, name)}")
    return EXIT_OK


def _html_target(path: str) -> tuple[Folder, str]:
    """The folder and file name of the report's path or URI."""
    from tasks.storage import Folder

    if "://" in path:
        folder, _, name = path.rstrip("/").rpartition("/")
        return Folder(folder), name
    resolved = Path(path).resolve()
    return Folder(resolved.parent), resolved.name


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports a usage error in one docprep line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print `message` as one line that points to the help, and exit."""
        self.exit(EXIT_USAGE, f"docprep: {message}; see `{self.prog} --help`\n")


def _parser() -> argparse.ArgumentParser:
    """The argument parser of `docprep`."""
    parser = _Parser(prog="docprep", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest SOURCE into Parquet datasets under OUT")
    run.add_argument("source", nargs="?", default="seeds", help="input folder (default: seeds)")
    run.add_argument("--output", default="output", help="output folder (default: output)")
    run.add_argument(
        "--batch-size", type=_positive, help="most documents per task run (default: 4000)"
    )
    run.add_argument(
        "--max-bytes",
        type=_positive,
        help="most bytes one input may hold, HTML once decompressed (default: 5000000)",
    )
    for part, default in _RECORD_FIELDS.items():
        run.add_argument(
            f"--{part}-field",
            metavar="NAME",
            help=f"JSON Lines field holding a record's {part} (default: {default}; '' for none)",
        )
    run.add_argument("--prune", action="store_true", help="drop rows of sources that are gone")
    run.add_argument("--full-refresh", action="store_true", help="rebuild OUT from SOURCE")
    _add_drop_flagged(run)
    run.add_argument("--debug", action="store_true", help="show Prefect's logs and tracebacks")
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
    serve.add_argument("--debug", action="store_true", help="show the traceback of a failure")
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help="cron expression, e.g. '0 2 * * *' (UTC)")
    when.add_argument("--interval", type=_positive, help="seconds between runs")
    stats = commands.add_parser("stats", help="summarize the datasets under OUT")
    stats.add_argument(
        "output", nargs="?", default="output", help="output folder (default: output)"
    )
    report = commands.add_parser(
        "report", help="write an HTML report of charts on OUT's documents, rejects and runs"
    )
    report.add_argument(
        "output", nargs="?", default="output", help="output folder (default: output)"
    )
    report.add_argument(
        "--html", metavar="FILE", help="where to write the report (default: OUT/report.html)"
    )
    commands.add_parser(
        "stop-server", help="stop the local Prefect server that runs keep between them"
    )
    return parser


def _stop_server() -> int:
    """Stop the kept local Prefect server of this PREFECT_HOME, saying whether one ran."""
    from flows.local_server import stop_local_server

    pid = stop_local_server()
    print(
        "docprep: "
        + (
            f"stopped the local Prefect server (pid {pid})"
            if pid
            else "no local Prefect server is running"
        )
    )
    return EXIT_OK


def _add_drop_flagged(command: argparse.ArgumentParser) -> None:
    """The --drop-flagged option: quality rules whose failing documents go to `rejects`."""
    command.add_argument(
        "--drop-flagged",
        metavar="RULES",
        type=_rule_names,
        default=[],
        help="move documents failing these quality rules (comma-separated, or: all) to "
        "rejects as low_quality (default: keep every document, flagged in quality_flags)",
    )


def _rule_names(text: str) -> list[str]:
    """Comma-separated quality rule names (or `all`), as argparse reads them."""
    from tasks.quality import UnknownRules, drop_rules

    names = [name.strip() for name in text.split(",") if name.strip()]
    try:
        drop_rules(names)
    except UnknownRules as unknown:
        raise argparse.ArgumentTypeError(str(unknown)) from None
    return names


def _positive(text: str) -> int:
    """A positive whole number, as argparse reads it."""
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())
