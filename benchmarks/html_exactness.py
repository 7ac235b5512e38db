"""Every row docprep makes of the HTML benchmark pages, saved once and compared after a change.

Usage: python benchmarks/html_exactness.py CORPORA_DIR ROWS_DIR [--save] [--limit N]

The pages are those `html_throughput.py` times (`wcxb_dev_articles` and `trafilatura_eval`).
Each goes through `process_inputs`, the work of a batch in the ingest flow, with one fixed
run (id and start time), in one batch per worker process. With `--save` the four tables
(documents, paragraphs, rejects, minhash) are written to ROWS_DIR as Parquet; without, they
are compared with those saved there, and the differing rows of each are named. A speed-up
of the HTML path must leave every one of them equal.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from benchmarks.html_throughput import write_pages  # noqa: E402
from tasks.batches import process_inputs  # noqa: E402
from tasks.input_files import Reading  # noqa: E402
from tasks.output.rows import Run  # noqa: E402
from tasks.plan import Part  # noqa: E402
from tasks.storage import Folder  # noqa: E402

_RUN = Run(run_id="exactness", started_at=datetime(2026, 1, 1, tzinfo=UTC))
_TABLES = ("documents", "paragraphs", "rejects", "minhash")
# Rows are told apart by these columns when two tables differ.
_KEYS = {"documents": "source", "paragraphs": "doc_id", "rejects": "source", "minhash": "doc_id"}


def batch_tables(folder: str, names: list[str]) -> dict[str, pa.Table]:
    """The four tables `process_inputs` makes of the pages `names` in `folder`."""
    rows = process_inputs(Folder(folder), [Part(name) for name in names], _RUN, Reading())
    return {name: getattr(rows, name) for name in _TABLES}


def all_tables(folder: Path, workers: int) -> dict[str, pa.Table]:
    """The four tables of every page in `folder`, sorted so that runs compare row by row."""
    names = sorted(path.name for path in folder.iterdir())
    batches = [names[start::workers] for start in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        parts = list(pool.map(batch_tables, [str(folder)] * workers, batches))
    tables = {}
    for name in _TABLES:
        table = pa.concat_tables([part[name] for part in parts])
        order = [(column, "ascending") for column in table.column_names if column != "ingested_at"]
        order = [(c, o) for c, o in order if not pa.types.is_nested(table.schema.field(c).type)]
        tables[name] = table.sort_by(order)
    return tables


def differences(saved: pa.Table, now: pa.Table, key: str) -> list[str]:
    """What differs between two versions of a table: its schema, or the keys of unequal rows."""
    if saved.schema != now.schema:
        return [f"schema: {saved.schema} != {now.schema}"]
    if saved.num_rows != now.num_rows:
        return [f"{saved.num_rows} rows saved, {now.num_rows} now"]
    before, after = saved.to_pylist(), now.to_pylist()
    return sorted({str(row[key]) for row, other in zip(before, after, strict=True) if row != other})


def main() -> int:
    """Make the tables; save them, or compare them with the saved ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("rows", type=Path, help="where the saved tables are (or go)")
    parser.add_argument("--save", action="store_true", help="save the tables instead")
    parser.add_argument("--limit", type=int, default=None, help="the first N pages only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docprep-html-exact-") as work:
        pages = write_pages(args.corpora, Path(work) / "pages", args.limit)
        tables = all_tables(Path(work) / "pages", os.cpu_count() or 1)
    print(f"pages: {pages}; " + ", ".join(f"{t.num_rows} {n}" for n, t in tables.items()))
    if args.save:
        args.rows.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            pq.write_table(table, args.rows / f"{name}.parquet")
        print(f"saved in {args.rows}")
        return 0
    unequal = 0
    for name, table in tables.items():
        found = differences(pq.read_table(args.rows / f"{name}.parquet"), table, _KEYS[name])
        unequal += len(found)
        print(f"{name}: " + ("identical" if not found else f"{len(found)} differ: {found[:10]}"))
    return 1 if unequal else 0


if __name__ == "__main__":
    sys.exit(main())
