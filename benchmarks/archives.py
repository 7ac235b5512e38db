"""Archives: WARC readers compared, and one large WARC through docprep on every core.

usage: python benchmarks/archives.py CORPORA_DIR [--pages N] [--workdir DIR]

Writes a gzipped WARC (a request and a response record per page) of N pages taken in turn
from CORPORA_DIR/wcxb_dev_articles/html (each under its own URL), then, in one run:
  1. records per second reading every record and its payload with fastwarc and warcio;
  2. `docprep run` over that single file: wall time, pages/s, the CPU seconds of docprep and
     its workers over the wall time (2.0 = both cores busy), and the largest process's peak RSS.
Skips cleanly when the corpus or warcio (a dev dependency) is absent.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = "wcxb_dev_articles/html"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", type=Path)
    parser.add_argument("--pages", type=int, default=1600, help="pages in the WARC")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.corpora / PAGES
    if not folder.is_dir():
        print(f"skipped: {folder} not found")
        return 0
    try:
        import warcio  # noqa: F401
    except ImportError:
        print("skipped: warcio is not installed (pip install -e '.[dev]')")
        return 0
    work = Path(args.workdir or tempfile.mkdtemp(prefix="docprep-archives-"))
    shutil.rmtree(work, ignore_errors=True)
    warc = work / "src" / "crawl.warc.gz"
    write_crawl(warc, sorted(folder.glob("*.html.gz")), args.pages)
    size = warc.stat().st_size
    print(f"{warc.name}: {args.pages} pages, {2 * args.pages} records, {size / 1e6:.1f} MB")
    for name, reader in (("fastwarc", read_fastwarc), ("warcio", read_warcio)):
        started = time.perf_counter()
        records = reader(warc)
        seconds = time.perf_counter() - started
        print(f"  {name:9} {records / seconds:8.0f} records/s ({seconds:.2f} s)")
    wall, cpu, peak = timed_run(warc.parent, work / "out")
    print(
        f"docprep run: {wall:.1f} s, {args.pages / wall:.1f} pages/s, "
        f"{cpu / wall:.2f} cores busy (CPU {cpu:.0f} s), "
        f"largest process peak {peak / 2**20:.0f} MiB"
    )
    print(f"load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")
    return 0


def write_crawl(path: Path, pages: list[Path], count: int) -> None:
    """A gzipped WARC of `count` pages (each with its request), taken in turn from `pages`."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number in range(count):
            html = gzip.decompress(pages[number % len(pages)].read_bytes())
            url = f"https://bench.test/{number}/{pages[number % len(pages)].name}"
            request = io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            writer.write_record(writer.create_warc_record(url, "request", payload=request))
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(html), http_headers=headers
                )
            )


def read_fastwarc(path: Path) -> int:
    """Records in `path`, each payload read, with fastwarc."""
    from fastwarc.warc import ArchiveIterator

    count = 0
    with path.open("rb") as file:
        for record in ArchiveIterator(file, parse_http=True):
            record.reader.read()
            count += 1
    return count


def read_warcio(path: Path) -> int:
    """Records in `path`, each payload read, with warcio."""
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with path.open("rb") as file:
        for record in ArchiveIterator(file):
            record.content_stream().read()
            count += 1
    return count


def timed_run(source: Path, out: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of docprep and its workers, and the largest peak RSS (bytes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-m", "flows.cli", "run", str(source), "--output", str(out)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss * 1024


if __name__ == "__main__":
    sys.exit(main())
