"""HTML bytes to markup: charsets, gzip and the size cap."""

from __future__ import annotations

import gzip

import pytest

from tasks.html._markup import declared_encoding, html_markup
from tasks.rejection import Reason, Rejected

RUSSIAN = "Новая линия трамвая"
GERMAN = "Bäckerei schließt"


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b'<meta charset="utf-8">', "utf-8"),
        (b"<META CHARSET=windows-1251>", "cp1251"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">', "koi8-r"),
        (b"<meta charset='iso-8859-1'>", "cp1252"),  # as browsers read it
        (b'<meta charset="gb2312">', "gb18030"),
        (b'<meta charset="utf-16">', "utf-8"),  # a meta tag readable as ASCII is not UTF-16
        (b'<?xml version="1.0" encoding="ISO-8859-15"?><html>', "iso8859-15"),
        (b'<meta charset="no-such-charset">', None),
        (b"<p>no declaration</p>", None),
    ],
)
def test_declared_encoding(data: bytes, encoding: str | None) -> None:
    assert declared_encoding(data) == encoding


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (_page('<meta charset="utf-8">', RUSSIAN).encode(), RUSSIAN, "utf-8"),
        (_page('<meta charset="windows-1251">', RUSSIAN).encode("cp1251"), RUSSIAN, "cp1251"),
        (_page('<meta charset="iso-8859-1">', GERMAN).encode("latin-1"), GERMAN, "cp1252"),
        # declared Latin-1 but written in UTF-8: the bytes win
        (_page('<meta charset="iso-8859-1">', GERMAN).encode(), GERMAN, "utf-8"),
        # declared UTF-8 but not: the bytes are detected
        (_page('<meta charset="utf-8">', RUSSIAN * 20).encode("cp1251"), RUSSIAN, "cp1251"),
        (gzip.compress(_page("", RUSSIAN).encode()), RUSSIAN, "utf-8"),
        (gzip.compress(b"<html>") + gzip.compress(b"<p>two members</p>"), "two members", "utf-8"),
    ],
)
def test_html_markup_decodes(data: bytes, text: str, encoding: str) -> None:
    markup, used = html_markup(data)
    assert text in markup
    assert used == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"x" * 1001, Reason.TOO_LARGE),
        (gzip.compress(b"x" * 1001), Reason.TOO_LARGE),
        (gzip.compress(b"x" * 600) + gzip.compress(b"x" * 600), Reason.TOO_LARGE),
        (gzip.compress(b"<p>cut short</p>" * 50)[:-20], Reason.UNDECODABLE),
        (b"\x1f\x8b\x08\x00garbage", Reason.UNDECODABLE),
        (b"  \n ", Reason.EMPTY),
    ],
)
def test_html_markup_rejects(data: bytes, reason: Reason) -> None:
    with pytest.raises(Rejected) as rejected:
        html_markup(data, max_bytes=1000)
    assert rejected.value.reason == reason


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(bytes(50_000_000))  # 50 MB of zeros in ~50 KB
    with pytest.raises(Rejected) as rejected:
        html_markup(bomb, max_bytes=1_000_000)
    assert rejected.value.reason == Reason.TOO_LARGE
