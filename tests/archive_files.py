"""JSON Lines and WARC files written for the tests: pages, requests, failed and damaged records."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FETCHED = datetime(2024, 11, 5, 12, 30, tzinfo=UTC)


def page(topic: str, words: int = 60) -> bytes:
    """An article page about `topic`, long enough to be extracted."""
    sentence = f"The story of the {topic} was told again at the town hall this morning. "
    body = "".join(f"<p>{sentence * 3}</p>" for _ in range(max(1, words // 45)))
    return (
        f"<html><head><title>{topic}</title></head><body><article><h1>{topic}</h1>"
        f"{body}</article></body></html>"
    ).encode()


def write_jsonl(path: Path, records: list[object | str]) -> Path:
    """A JSON Lines file: each record as one line (a string is written as it is)."""
    lines = [item if isinstance(item, str) else json.dumps(item) for item in records]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, extras: bool = True) -> Path:
    """A WARC file (gzipped per record when named .gz) of HTML responses at (url, page).

    With `extras`, a warcinfo record opens it and each page is preceded by its request, and a
    404, an image and a metadata record follow.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        if extras:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for url, html in pages:
            if extras:
                writer.write_record(_record(writer, url, "request", b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(_response(writer, url, html, "200 OK", "text/html; charset=utf-8"))
        if extras:
            writer.write_record(
                _response(writer, "https://x.test/gone", b"no", "404 Not Found", "text/html")
            )
            writer.write_record(
                _response(writer, "https://x.test/a.png", b"\x89PNG", "200 OK", "image/png")
            )
            writer.write_record(_record(writer, "https://x.test/", "metadata", b"outlinks: 3"))
    return path


def _response(writer: WARCWriter, url: str, body: bytes, status: str, kind: str) -> object:
    """A response record with its HTTP headers."""
    headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
    return _record(writer, url, "response", body, headers)


def _record(
    writer: WARCWriter, url: str, kind: str, payload: bytes, headers: StatusAndHeaders | None = None
) -> object:
    """A WARC record of type `kind`, dated FETCHED."""
    return writer.create_warc_record(
        url,
        kind,
        payload=io.BytesIO(payload),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": FETCHED.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
