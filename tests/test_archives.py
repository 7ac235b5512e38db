"""Archives read record by record: JSON Lines and WARC records, slices, bad records, damage."""

from __future__ import annotations

import gzip
import itertools
import json
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import zstandard

from tasks.archives import (
    BadRecord,
    Record,
    RecordFields,
    SkippedRecord,
    jsonl_items,
    record_document,
    warc_items,
)
from tasks.archives._dates import record_date
from tasks.archives._warc import first_record_at
from tasks.rejection import Reason, Rejected
from tests.archive_files import FETCHED, page, write_jsonl, write_warc

CAP = 1_000_000


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-11-02", date(2024, 11, 2)),
        ("20241102", date(2024, 11, 2)),
        ("2024-11-02T10:00:00Z", date(2024, 11, 2)),
        ("2024-11-02T23:30:00-05:00", date(2024, 11, 2)),  # the publisher's own day, not UTC's
        ("2024-11-02 08:15:00+09:00", date(2024, 11, 2)),
        ("Sat, 02 Nov 2024 10:00:00 +0000", date(2024, 11, 2)),
        ("2 Nov 2024 23:59:59 -0800", date(2024, 11, 2)),
        (1730505600, date(2024, 11, 2)),
        (1730505600.5, date(2024, 11, 2)),
        ("1730505600", date(2024, 11, 2)),
    ],
)
def test_a_record_date_in_each_common_form(value: object, day: date) -> None:
    assert record_date(value) == day


@pytest.mark.parametrize(
    "value", ["yesterday", "2024-13-02", "", "Nov 2", True, [2024], {"y": 2024}, 1e20, "2024-02-30"]
)
def test_an_unreadable_record_date_is_invalid(value: object) -> None:
    with pytest.raises(Rejected) as rejected:
        record_date(value)
    assert rejected.value.reason == Reason.INVALID_DATE


def items(path: Path, fields: RecordFields | None = None, **slice_: int | None) -> list[object]:
    """The items of a JSON Lines file, read as a run reads them."""
    with path.open("rb") as file:
        return list(
            jsonl_items(file, path.name, fields or RecordFields(), max_bytes=CAP, **slice_)  # type: ignore[arg-type]
        )


def test_each_line_is_a_record_or_a_bad_record_with_its_reason(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": 7, "text": "Otters were seen.", "date": "2024-11-02", "url": "https://a.test/1"},
            "{not json",
            "[1, 2]",
            {"id": "x", "date": "2024-11-02"},
            {"text": "No date here."},
            {"text": "A bad date.", "date": "soon"},
            "",
            "   ",
            {"html": "<html><body><p>A page.</p></body></html>", "title": "Page"},
            {"text": 42, "date": "2024-11-02"},
        ],
    )
    found = items(path)
    summary = [
        (item.locator, item.reason if isinstance(item, BadRecord) else item.kind)  # type: ignore[attr-defined]
        for item in found
    ]
    assert summary == [
        ("L1", "text"),
        ("L2", Reason.INVALID_JSON),
        ("L3", Reason.INVALID_JSON),
        ("L4", Reason.MISSING_TEXT),
        ("L5", Reason.MISSING_DATE),
        ("L6", Reason.INVALID_DATE),
        ("L9", "html"),
        ("L10", Reason.MISSING_TEXT),
    ]
    first, page_record = found[0], found[6]
    assert isinstance(first, Record) and isinstance(page_record, Record)
    assert (first.record_id, first.url, first.date) == ("7", "https://a.test/1", date(2024, 11, 2))
    assert first.data == b"Otters were seen."
    assert (page_record.title, page_record.date) == ("Page", None)  # a page may date itself


def test_field_names_are_options_and_an_empty_date_field_means_undated(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "export.ndjson",
        [{"body": "Otters.", "published": 1730505600, "guid": "a1"}, {"body": "No date."}],
    )
    fields = RecordFields(text="body", date="published", id="guid")
    first, second = items(path, fields)
    assert isinstance(first, Record) and (first.date, first.record_id) == (date(2024, 11, 2), "a1")
    assert isinstance(second, BadRecord) and second.reason == Reason.MISSING_DATE
    undated = items(path, RecordFields(text="body", date=""))
    assert [type(item) for item in undated] == [Record, Record]
    assert [item.date for item in undated] == [None, None]  # type: ignore[attr-defined]


def test_a_line_over_the_cap_is_too_large_and_the_next_line_is_read(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "big.jsonl",
        [{"text": "x" * 3000, "date": "2024-11-02"}, {"text": "Small.", "date": "2024-11-02"}],
    )
    with path.open("rb") as file:
        found = list(jsonl_items(file, "big.jsonl", RecordFields(), max_bytes=1000))
    assert isinstance(found[0], BadRecord) and found[0].reason == Reason.TOO_LARGE
    assert isinstance(found[1], Record) and found[1].locator == "L2"


def _many_lines(count: int, seed: int = 3) -> list[object]:
    """Records of varied lengths, some bad, enough to span several megabytes."""
    rng = random.Random(seed)
    lines: list[object] = []
    for number in range(count):
        words = " ".join(f"w{rng.randrange(10_000)}" for _ in range(rng.randrange(5, 400)))
        lines.append("{broken" if number % 97 == 0 else {"text": words, "date": "2024-11-02"})
    return lines


@pytest.mark.parametrize("packing", ["", ".gz", ".zst"])
def test_slices_share_out_the_lines_with_none_missed_or_doubled(
    tmp_path: Path, packing: str
) -> None:
    plain = write_jsonl(tmp_path / "feed.jsonl", _many_lines(4000))
    path = tmp_path / f"feed.jsonl{packing}"
    if packing == ".gz":
        path.write_bytes(gzip.compress(plain.read_bytes()))
    elif packing == ".zst":
        path.write_bytes(zstandard.ZstdCompressor().compress(plain.read_bytes()))
    whole = [(item.locator, getattr(item, "data", None)) for item in items(path)]  # type: ignore[attr-defined]
    assert len(whole) == 4000 and whole[-1][0] == "L4000"
    size = path.stat().st_size
    for cuts in ([size // 2], [size // 3, size // 3 + 1, 2 * size // 3], [1, 2, 3, size - 1]):
        bounds: list[int | None] = [0, *cuts, None]
        sliced = [
            (item.locator, getattr(item, "data", None))  # type: ignore[attr-defined]
            for start, stop in itertools.pairwise(bounds)
            for item in items(path, start=start, stop=stop)
        ]
        assert sliced == whole


def test_a_truncated_gzip_keeps_the_lines_before_and_rejects_the_rest_once(tmp_path: Path) -> None:
    plain = write_jsonl(tmp_path / "feed.jsonl", _many_lines(300))
    packed = gzip.compress(plain.read_bytes())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    found = items(path)
    damaged = [
        item
        for item in found
        if isinstance(item, BadRecord) and item.reason == Reason.DAMAGED_ARCHIVE
    ]
    assert len(damaged) == 1 and found[-1] is damaged[0]
    assert "ends early" in damaged[0].detail
    kept = found[:-1]
    expected = items(plain)[: len(kept)]
    assert [(item.locator, getattr(item, "data", None)) for item in kept] == [  # type: ignore[attr-defined]
        (item.locator, getattr(item, "data", None))
        for item in expected  # type: ignore[attr-defined]
    ]
    assert damaged[0].locator == f"L{len(kept) + 1}"


def warc_of(path: Path, **slice_: int | None) -> list[object]:
    """The items of a WARC file, read as a run reads them."""
    with path.open("rb") as file:
        return list(
            warc_items(
                file,  # type: ignore[arg-type]
                path.stat().st_size,
                compressed=path.name.endswith(".gz"),
                max_bytes=CAP,
                **slice_,
            )
        )


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_responses_are_pages_and_other_records_are_skipped_by_kind(
    tmp_path: Path, name: str
) -> None:
    path = write_warc(
        tmp_path / name,
        [("https://a.test/1", page("otters")), ("https://a.test/2", page("bridges"))],
    )
    found = warc_of(path)
    pages = [item for item in found if isinstance(item, Record)]
    skipped = sorted(item.kind for item in found if isinstance(item, SkippedRecord))
    assert [record.url for record in pages] == ["https://a.test/1", "https://a.test/2"]
    assert all(record.fetched_at == FETCHED and record.kind == "html" for record in pages)
    assert all(record.record_id and record.record_id.startswith("urn:uuid:") for record in pages)
    assert pages[0].data == page("otters")
    assert skipped == [
        "metadata records",
        "non-200 responses",
        "non-HTML responses",
        "request records",
        "request records",
        "warcinfo records",
    ]
    # the locator is where the record starts: reading from there finds it first
    offset = int(pages[1].locator.removeprefix("offset="))
    again = [item for item in warc_of(path, start=offset) if isinstance(item, Record)]
    assert again[0].url == "https://a.test/2"


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_slices_share_out_the_records_with_none_missed_or_doubled(
    tmp_path: Path, name: str
) -> None:
    pages = [(f"https://a.test/{n}", page(f"topic {n}", words=40 + 7 * n)) for n in range(40)]
    path = write_warc(tmp_path / name, pages)
    whole = [(type(item).__name__, getattr(item, "locator", None)) for item in warc_of(path)]
    size = path.stat().st_size
    rng = random.Random(5)
    for count in (2, 3, 7, 20):
        cuts = sorted(rng.sample(range(1, size), count - 1))
        bounds: list[int | None] = [0, *cuts, None]
        sliced = [
            (type(item).__name__, getattr(item, "locator", None))
            for start, stop in itertools.pairwise(bounds)
            for item in warc_of(path, start=start, stop=stop)
        ]
        assert sliced == whole


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_truncated_warc_keeps_the_records_before_and_rejects_the_rest_once(
    tmp_path: Path, name: str
) -> None:
    pages = [(f"https://a.test/{n}", page(f"topic {n}")) for n in range(10)]
    whole = write_warc(tmp_path / name, pages, extras=False)
    data = whole.read_bytes()
    cut = tmp_path / f"cut-{name}"
    cut.write_bytes(data[: int(len(data) * 0.55)])
    found = warc_of(cut)
    kept = [item for item in found if isinstance(item, Record)]
    damaged = [item for item in found if isinstance(item, BadRecord)]
    assert len(damaged) == 1 and found[-1] is damaged[0]
    assert damaged[0].reason == Reason.DAMAGED_ARCHIVE
    assert [record.url for record in kept] == [url for url, _ in pages[: len(kept)]]
    assert 3 <= len(kept) < 10
    offset = int(damaged[0].locator.removeprefix("offset="))
    assert f"byte {offset}" in damaged[0].detail
    # the damage is where the first record not kept begins
    complete = [item for item in warc_of(whole) if isinstance(item, Record)]
    assert complete[len(kept)].locator == damaged[0].locator


def test_garbage_in_a_gzipped_warc_is_rejected_once_with_its_offset(tmp_path: Path) -> None:
    pages = [(f"https://a.test/{n}", page(f"topic {n}")) for n in range(6)]
    path = write_warc(tmp_path / "crawl.warc.gz", pages, extras=False)
    records = [item for item in warc_of(path) if isinstance(item, Record)]
    third = int(records[3].locator.removeprefix("offset="))
    data = bytearray(path.read_bytes())
    data[third + 20 : third + 60] = bytes(40)  # inside the fourth record's compressed data
    path.write_bytes(bytes(data))
    found = warc_of(path)
    assert [item.url for item in found if isinstance(item, Record)] == [url for url, _ in pages[:3]]
    damaged = [item for item in found if isinstance(item, BadRecord)]
    assert len(damaged) == 1 and damaged[0].locator == f"offset={third}"


def test_a_file_that_is_not_a_warc_is_one_damaged_archive(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(b"these are my notes, not a web archive\n" * 10)
    found = warc_of(path)
    assert len(found) == 1 and isinstance(found[0], BadRecord)
    assert (found[0].locator, found[0].reason) == ("offset=0", Reason.DAMAGED_ARCHIVE)


def test_a_page_quoting_a_warc_header_is_not_taken_for_a_record(tmp_path: Path) -> None:
    fake = b"\r\n\r\nWARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"
    quoting = b"<html><body><article><pre>" + fake + b"</pre></article></body></html>"
    path = write_warc(
        tmp_path / "crawl.warc",
        [("https://a.test/q", quoting), ("https://a.test/2", page("otters"))],
        extras=False,
    )
    with path.open("rb") as file:
        found = first_record_at(file, 10, path.stat().st_size, compressed=False)  # type: ignore[arg-type]
    second = [item for item in warc_of(path) if isinstance(item, Record)][1]
    assert found == int(second.locator.removeprefix("offset="))


def test_jsonl_records_are_read_from_a_json_dump_written_by_pandas(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {
            "text": ["Otters at dawn.", "Bridges at dusk."],
            "date": [datetime(2024, 11, 2, 8, tzinfo=UTC), datetime(2024, 11, 3, 9, tzinfo=UTC)],
        }
    )
    path = tmp_path / "frame.jsonl"
    frame.to_json(path, orient="records", lines=True, date_format="iso")
    found = items(path)
    assert [item.date for item in found] == [date(2024, 11, 2), date(2024, 11, 3)]  # type: ignore[attr-defined]
    assert json.loads(path.read_text().splitlines()[0])["text"] == "Otters at dawn."


RUN_STARTED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
_STORY = (
    "<html><head>{head}</head><body><article><h1>Herons return</h1>{byline}"
    + "<p>The herons came back to the marsh this week, counted by the volunteers.</p>" * 3
    + "</article></body></html>"
)


@pytest.mark.parametrize(
    ("head", "byline", "url", "expected"),
    [
        # Published after its WARC-Date (2024-11-05, a day of slack): refused, the byline's taken.
        (
            '<meta property="article:published_time" content="2024-11-20">',
            "<p>By Ann Lee, 1 October 2024</p>",
            "https://a.test/herons",
            (date(2024, 10, 1), "html_byline"),
        ),
        # The day after the fetch is within the slack for time zones.
        (
            '<meta property="article:published_time" content="2024-11-06T01:00:00+09:00">',
            "",
            "https://a.test/herons",
            (date(2024, 11, 6), "html_meta"),
        ),
        # A page naming no canonical URL is dated by its WARC-Target-URI.
        (
            '<meta property="article:published_time" content="2024-10-04">',
            "",
            "https://a.test/2024/10/03/herons",
            (date(2024, 10, 3), "html_url"),
        ),
    ],
)
def test_a_warc_page_is_dated_no_later_than_its_fetch(
    head: str, byline: str, url: str, expected: tuple[date, str]
) -> None:
    markup = _STORY.format(head=head, byline=byline).encode()
    record = Record("offset=0", "html", markup, url=url, fetched_at=FETCHED)
    document = record_document("crawl.warc#offset=0", "warc", record, CAP, RUN_STARTED)
    assert (document.date, document.date_source) == expected
    assert document.fetched_at == FETCHED


def test_a_record_date_outranks_the_page_and_its_modified_date_is_kept() -> None:
    head = '<meta property="article:modified_time" content="2024-11-04">'
    markup = _STORY.format(head=head, byline="").encode()
    record = Record("L1", "html", markup, date=date(2024, 11, 2))
    document = record_document("feed.jsonl#L1", "jsonl", record, CAP, RUN_STARTED)
    assert (document.date, document.date_source) == (date(2024, 11, 2), "record")
    assert document.date_modified == date(2024, 11, 4)
