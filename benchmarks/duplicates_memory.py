"""Matching new documents against a large stored index: peak memory and time.

Usage: python benchmarks/duplicates_memory.py [--stored 20000 100000] [--new 2000] [--workdir DIR]

For each size it writes a store under WORKDIR holding that many documents' duplicate tables
(`minhash`, `duplicates`, `paragraph_counts`, written by docprep's own commit; one document in
ten is a syndicated copy of another), stages `--new` documents as a run's workers would (one in
ten a copy of a stored one), and runs the run's cross-document step, `update_duplicates`, in a
fresh process. It prints that process's RSS just before the step (its imports done) and its
peak RSS by the end of the step, the step's seconds, the index's size on disk and how many
documents' clusters were recomputed. Texts are random words of a 50,000-word vocabulary
under Zipf's law, 12 paragraphs of 40 words.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from tasks.duplicates import RULE, document_print  # noqa: E402
from tasks.duplicates.boilerplate import recount  # noqa: E402
from tasks.duplicates.clusters import cluster_rows, linked_components  # noqa: E402
from tasks.duplicates.index import indexed  # noqa: E402
from tasks.duplicates.prints import DocumentPrint, index_rows  # noqa: E402
from tasks.output.datasets import begin_run, commit, stage_rows  # noqa: E402
from tasks.output.runs import RunRecord, runs_with  # noqa: E402
from tasks.output.schema import DUPLICATES, MINHASH, PARAGRAPH_COUNTS, PARAGRAPHS  # noqa: E402
from tasks.storage import Folder  # noqa: E402

VOCABULARY = 50000
WORDS_PER_PARAGRAPH = 40
PARAGRAPHS_PER_DOC = 12


def articles(
    count: int, start: int, rng: random.Random, copies_of: list[list[str]]
) -> list[list[str]]:
    """`count` articles of random words; one in ten a copy (a paragraph dropped, a footer) of
    an article of `copies_of` or of this batch."""
    # Zipf's law over the vocabulary, as in English text: the commonest word is ~9% of words.
    ranks = np.arange(1, VOCABULARY + 1)
    words = np.random.default_rng(rng.randrange(2**32)).choice(
        VOCABULARY, size=count * 500, p=(1 / ranks) / (1 / ranks).sum()
    )
    made: list[list[str]] = []
    cursor = 0
    for number in range(count):
        pool = copies_of or made
        if number % 10 == 9 and pool:
            original = rng.choice(pool)
            made.append([*original[:-1], f"Footer of outlet {number % 7}."])
            continue
        paragraphs = []
        for _ in range(PARAGRAPHS_PER_DOC):
            chunk = words[cursor : cursor + WORDS_PER_PARAGRAPH]
            cursor = (cursor + WORDS_PER_PARAGRAPH) % (len(words) - WORDS_PER_PARAGRAPH)
            paragraphs.append(" ".join(f"w{w}" for w in chunk.tolist()))
        made.append(paragraphs)
    return made


def minhash_table(names: list[str], prints: list[DocumentPrint]) -> pa.Table:
    """The `minhash` rows of documents named `names`, dated over 2024."""
    days = [date(2024, 1, 1) + timedelta(days=i % 366) for i in range(len(names))]
    return index_rows(names, days, prints)


def paragraph_table(names: list[str], prints: list[DocumentPrint]) -> pa.Table:
    """Staged `paragraphs` rows: only doc_id and text_hash matter to the step."""
    doc_ids = [name for name, p in zip(names, prints, strict=True) for _ in p.paragraph_hashes]
    hashes = [h for p in prints for h in p.paragraph_hashes]
    n = len(doc_ids)
    zeros = pa.array([0] * n, pa.int32())
    return pa.table(
        {
            "doc_id": doc_ids,
            "paragraph_index": zeros,
            "date": pa.nulls(n, pa.date32()),
            "text": [""] * n,
            "language": pa.nulls(n, pa.string()),
            "language_score": pa.nulls(n, pa.float64()),
            "n_words": zeros,
            "n_chars": zeros,
            "char_start": zeros,
            "char_end": zeros,
            "text_hash": hashes,
            "month": ["2024-06"] * n,
        },
        schema=PARAGRAPHS.schema,
    )


def build_store(out: Path, stored: list[list[str]]) -> None:
    """A store holding the duplicate tables of `stored`, written by docprep's commit."""
    names = [f"stored-{i:07d}" for i in range(len(stored))]
    prints = [document_print(doc, RULE) for doc in stored]
    rows = minhash_table(names, prints)
    index = indexed(rows, RULE.permutations)
    clusters = cluster_rows(index, linked_components(index, RULE)[0], RULE)
    paragraphs = paragraph_table(names, prints).select(["doc_id", "text_hash"])
    counts = recount(paragraphs, paragraphs.slice(0, 0), lambda shards: [])
    folder = Folder(out)
    begin_run(folder, "build")
    for table, part in ((MINHASH, rows), (DUPLICATES, clusters), (PARAGRAPH_COUNTS, counts.rows)):
        stage_rows(folder, "build", table, "build", part)
    now = datetime.now(UTC)
    record = RunRecord("build", "bench", "-", now, now, 0, 0, 0, 0, 0, 0, 0, 0, "bench")
    commit(folder, "build", set(), {}, runs_with(folder, record))


def stage_new(out: Path, new: list[list[str]]) -> list[str]:
    """Stage the new documents' rows as run `new` (its workers' part); their ids."""
    names = [f"new-{i:07d}" for i in range(len(new))]
    prints = [document_print(doc, RULE) for doc in new]
    folder = Folder(out)
    begin_run(folder, "new")
    stage_rows(folder, "new", MINHASH, "batch", minhash_table(names, prints))
    stage_rows(folder, "new", PARAGRAPHS, "batch", paragraph_table(names, prints))
    return names


def step(out: str, names: list[str]) -> None:
    """In this process: the run's cross-document step; print peak RSS before, after, seconds."""
    from tasks.duplicates import update_duplicates

    before = _status_mib("VmRSS")
    started = time.perf_counter()
    update = update_duplicates(Folder(out), "new", set(names), set(), RULE, full_refresh=False)
    seconds = time.perf_counter() - started
    # VmHWM, not ru_maxrss: Linux carries a parent's high-water mark into ru_maxrss across
    # fork and exec, so a step started by this script (holding every stored text while it
    # built the store) would report the builder's memory, not its own.
    after = _status_mib("VmHWM")
    print(
        json.dumps(
            {"before": before, "after": after, "seconds": seconds, "pool": update.reclustered}
        )
    )


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS: now; VmHWM: its peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    """Build each store, stage the new documents, measure the step in a fresh process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--new", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--keep", action="store_true", help="keep the stores in WORKDIR and reuse them next time"
    )
    parser.add_argument("--step", nargs=2, help=argparse.SUPPRESS)  # OUT and a file of names
    args = parser.parse_args()
    if args.step:
        step(args.step[0], json.loads(Path(args.step[1]).read_text()))
        return
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-dupmem-"))
    print("  stored    new  RSS before MiB  peak RSS MiB  step s  index MiB  reclustered")
    for size in args.stored:
        rng = random.Random(size)
        out = work / f"out-{size}-{args.new}"
        names_file = work / f"names-{size}-{args.new}.json"
        if not (args.keep and names_file.exists()):
            shutil.rmtree(out, ignore_errors=True)
            stored = articles(size, 0, rng, [])
            build_store(out, stored)
            new = articles(args.new, size, rng, stored[:: max(1, size // 1000)])
            names_file.write_text(json.dumps(stage_new(out, new)))
            del stored
        measured = subprocess.run(
            [sys.executable, __file__, "--step", str(out), str(names_file)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(measured.stdout.strip().splitlines()[-1])
        index_mib = sum(p.stat().st_size for p in (out / "minhash").rglob("*.parquet")) / 2**20
        print(
            f"{size:>8} {args.new:>6} {figures['before']:>15.0f} {figures['after']:>13.0f} "
            f"{figures['seconds']:>7.1f} {index_mib:>10.0f} {figures['pool']:>12}",
            flush=True,
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
