"""Scale-out: a real Dask cluster and a real S3 endpoint (moto's server), both on loopback."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.cli import main
from flows.ingest import ingest
from tests.inputs import story
from tests.paths import BIN, REPO
from tests.services import free_port, service, wait_until

pytestmark = pytest.mark.usefixtures("prefect_server")

FIXTURES = REPO / "tests" / "fixtures" / "html"
BUCKET = "docprep-test"
COMPARED = {
    "documents": "SELECT * EXCLUDE (run_id, ingested_at) FROM documents ORDER BY source",
    "paragraphs": "SELECT * FROM paragraphs ORDER BY doc_id, paragraph_index",
    "rejects": "SELECT * EXCLUDE (run_id, ingested_at) FROM rejects ORDER BY source",
}


def small_source() -> dict[str, bytes]:
    """A few inputs, good and bad, by relative path."""
    files = {
        f"part{i % 3}/doc{i:02d}.txt": story(f"2024-0{1 + i % 9}-10", f"plan {i}")
        for i in range(24)
    }
    files["bad/no_header.txt"] = b"no header here"
    files["bad/empty.txt"] = b""
    # Pages too: extraction runs in helper processes, also from Dask's (daemonic) workers.
    for page in ("article_meta.html", "no_content.html"):
        files[f"pages/{page}"] = (FIXTURES / page).read_bytes()
    return files


def tables(read: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every compared row of the three tables; `read(name)` gives a pyarrow dataset."""
    connection = duckdb.connect()
    for name in COMPARED:
        connection.register(name, read(name))
    return {name: connection.sql(sql).fetchall() for name, sql in COMPARED.items()}


def local_tables(out: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The compared rows of a local OUT."""
    import pyarrow.dataset as ds

    return tables(lambda name: ds.dataset(out / name, format="parquet", partitioning="hive"))


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The small source as a local folder."""
    root = tmp_path / "src"
    for name, data in small_source().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


@pytest.fixture
def dask_cluster(prefect_server: str, tmp_path: Path) -> Iterator[str]:
    """A Dask scheduler and two single-threaded worker processes on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PREFECT_API_URL": prefect_server}
    scheduler = [
        str(BIN / "dask"),
        "scheduler",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-dashboard",
    ]
    worker = [
        str(BIN / "dask"),
        "worker",
        address,
        "--nthreads",
        "1",
        "--no-dashboard",
        "--host",
        "127.0.0.1",
        "--local-directory",
        str(tmp_path / "dask-workers"),
    ]
    with service(scheduler, env, REPO), service(worker, env, REPO), service(worker, env, REPO):
        from distributed import Client

        def two_workers() -> bool:
            with Client(address, timeout=5) as client:
                return len(client.scheduler_info()["workers"]) == 2

        wait_until(two_workers, "the Dask cluster")
        yield address


def test_dask_cluster_gives_the_same_rows(source: Path, tmp_path: Path, dask_cluster: str) -> None:
    assert main(["run", str(source), "--output", str(tmp_path / "local")]) == 0
    # Several batches, sent to the cluster: a lone batch runs in the flow process.
    dask = ["--output", str(tmp_path / "dask"), "--dask", dask_cluster, "--batch-size", "5"]
    assert main(["run", str(source), *dask]) == 0
    assert local_tables(tmp_path / "dask") == local_tables(tmp_path / "local")
    reasons = duckdb.sql(
        f"SELECT source, reason FROM read_parquet('{tmp_path / 'dask'}/rejects/**/*.parquet') "
        "ORDER BY source"
    ).fetchall()
    assert reasons == [
        ("bad/empty.txt", "empty"),
        ("bad/no_header.txt", "missing_date"),
        ("pages/no_content.html", "no_content"),
    ]


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A moto S3 server on 127.0.0.1 with an empty bucket; a boto3 client for it."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with service(command):
        import boto3

        client = boto3.client("s3")
        wait_until(lambda: bool(client.list_buckets() is not None), "the S3 endpoint")
        client.create_bucket(Bucket=BUCKET)
        yield client


def s3_tables(prefix: str) -> dict[str, list[tuple[Any, ...]]]:
    """The compared rows of an OUT in the bucket, read through pyarrow's S3 filesystem."""
    import pyarrow.dataset as ds
    import pyarrow.fs as pafs

    filesystem = pafs.S3FileSystem(endpoint_override=os.environ["AWS_ENDPOINT_URL"])
    return tables(
        lambda name: ds.dataset(
            f"{BUCKET}/{prefix}/{name}",
            filesystem=filesystem,
            format="parquet",
            partitioning="hive",
        )
    )


def stored_objects(s3: Any, prefix: str) -> dict[str, str]:
    """Key -> ETag of every object under `prefix` in the bucket."""
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return {item["Key"]: item["ETag"] for item in listed}


def test_s3_source_and_output(s3: Any, source: Path, tmp_path: Path) -> None:
    for name, data in small_source().items():
        s3.put_object(Bucket=BUCKET, Key=f"src/{name}", Body=data)
    uri_in, uri_out = f"s3://{BUCKET}/src", f"s3://{BUCKET}/out"

    assert main(["run", uri_in, "--output", uri_out]) == 0
    assert main(["run", str(source), "--output", str(tmp_path / "local")]) == 0
    first = s3_tables("out")
    assert first == local_tables(tmp_path / "local")
    assert len(first["documents"]) + len(first["rejects"]) == len(small_source())

    before = stored_objects(s3, "out/")
    assert main(["run", uri_in, "--output", uri_out]) == 0  # up to date: nothing written at all
    assert stored_objects(s3, "out/") == before
    ingest(source=uri_in, output=uri_out)  # the flow itself, as a deployment runs it
    after = stored_objects(s3, "out/")
    # Nothing changed, so nothing is rewritten but the run's record.
    assert after.pop("out/runs/part-0.parquet") != before.pop("out/runs/part-0.parquet")
    # The report shows the runs too: each committing run rewrites it.
    assert after.pop("out/report.html") != before.pop("out/report.html")
    assert after == before

    s3.put_object(
        Bucket=BUCKET, Key="src/part0/doc00.txt", Body=story("2023-12-24", "the new harbour")
    )
    (source / "part0" / "doc00.txt").write_bytes(story("2023-12-24", "the new harbour"))
    assert main(["run", uri_in, "--output", uri_out]) == 0
    assert main(["run", str(source), "--output", str(tmp_path / "local")]) == 0
    changed = s3_tables("out")
    assert changed == local_tables(tmp_path / "local")
    assert changed != first
    assert not [key for key in stored_objects(s3, "out/_staging/") if not key.endswith("/")]


def test_s3_lease_keeps_a_second_writer_out(s3: Any) -> None:
    import json
    import time

    from tasks.storage import Folder, locks

    out = Folder(f"s3://{BUCKET}/leased")
    with locks.output_lock(out), pytest.raises(locks.OutputBusy, match="being written"):
        locks.check_not_busy(out)
    locks.check_not_busy(out)  # released: free again
    stale = {"holder": "a run that died", "expires": time.time() - 1}
    s3.put_object(Bucket=BUCKET, Key=f"leased/{locks.LOCK}", Body=json.dumps(stale).encode())
    locks.check_not_busy(out)  # an expired lease is broken


def test_s3_reads_are_raw_and_capped(s3: Any) -> None:
    import gzip

    from tasks.input_files import InputReader
    from tasks.rejection import Reason, Rejected
    from tasks.storage import Folder

    packed = gzip.compress(b"<p>page</p>" * 100)
    s3.put_object(Bucket=BUCKET, Key="in/page.html.gz", Body=packed)
    s3.put_object(Bucket=BUCKET, Key="in/big.txt", Body=b"x" * 1001)
    reader = InputReader(Folder(f"s3://{BUCKET}/in"))
    assert reader.read("page.html.gz") == packed  # not decompressed on the way
    with pytest.raises(Rejected) as rejected:
        reader.read("big.txt", max_bytes=1000)
    assert rejected.value.reason == Reason.TOO_LARGE
    assert reader.read("big.txt", max_bytes=1001) == b"x" * 1001
    assert reader.sha256("big.txt") == hashlib.sha256(b"x" * 1001).hexdigest()
    assert reader.sha256("gone.txt") is None


def test_s3_stats_and_report(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, data in small_source().items():
        s3.put_object(Bucket=BUCKET, Key=f"src/{name}", Body=data)
    uri_out = f"s3://{BUCKET}/out"
    assert main(["run", f"s3://{BUCKET}/src", "--output", uri_out]) == 0
    written = s3.get_object(Bucket=BUCKET, Key="out/report.html")["Body"].read().decode()
    documents = len(s3_tables("out")["documents"])
    capsys.readouterr()

    monkeypatch.setenv("COLUMNS", "80")
    assert main(["stats", uri_out]) == 0
    printed = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    assert "Last runs" in printed
    assert any(line.split()[:2] == ["missing_date", "1"] for line in printed)
    assert sum(int(line.split()[1]) for line in printed if line.startswith("2024-0")) == documents

    s3.delete_object(Bucket=BUCKET, Key="out/report.html")
    assert main(["report", uri_out]) == 0
    again = s3.get_object(Bucket=BUCKET, Key="out/report.html")["Body"].read().decode()
    assert main(["report", uri_out, "--html", str(tmp_path / "report.html")]) == 0
    local = (tmp_path / "report.html").read_text()
    for page in (written, again, local):
        assert f"<dt>documents</dt><dd>{documents}</dd>" in page
        assert re.search(r'<figure id="rejects"[^>]*><svg', page)
    assert f'<p class="out">{uri_out}</p>' in local
