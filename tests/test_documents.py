"""A whole text input turned into a document, checked on the seed."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from tasks.documents import text_document
from tasks.identity import doc_id_for, readable
from tasks.rejection import Reason, Rejected


def test_seed_document(seed_bytes: bytes) -> None:
    document = text_document("000.txt", seed_bytes)
    assert document.date == date(2024, 11, 2)
    assert document.date_source == "header"
    assert len(document.paragraphs) == 12
    assert document.paragraphs[0].text.startswith("Ukraine launched another wave")
    assert "date 2024" not in document.text
    assert not document.text.startswith("date")
    assert document.language.language == "en"
    assert document.language.score is not None and document.language.score > 0.9
    assert [g.language for g in document.paragraph_languages] == ["en"] * 12
    for paragraph in document.paragraphs:
        assert document.text[paragraph.char_start : paragraph.char_end] == paragraph.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"date 2024-11-02", Reason.EMPTY),
        (b"date 2024-11-02\n\n \n", Reason.EMPTY),
        (b"\xe2\x80\x8b\xe2\x80\x8b", Reason.EMPTY),  # zero-width spaces only
        (b"Just a story with no header at all.", Reason.MISSING_DATE),
        (b"date 2024-13-45 Body text", Reason.INVALID_DATE),
    ],
)
def test_rejected_inputs(data: bytes, reason: Reason) -> None:
    with pytest.raises(Rejected) as rejected:
        text_document("x.txt", data)
    assert rejected.value.reason == reason


def test_short_paragraphs_get_no_language() -> None:
    document = text_document("x.txt", b"date 2024-11-02 Hi.\n\nOk then, see you.")
    assert [g.language for g in document.paragraph_languages] == [None, None]


def test_doc_id_is_stable_per_source() -> None:
    assert doc_id_for("a/b.txt") == doc_id_for("a/b.txt")
    assert doc_id_for("a/b.txt") != doc_id_for("a/c.txt")


def test_doc_ids_of_utf8_names_are_unchanged() -> None:
    # Values computed by docprep before undecodable names were handled: stored ids must hold.
    assert doc_id_for("nested/deeper/seed copy.txt") == "cb62c2c232459acd7f9ea09538d42032"
    assert doc_id_for("odd name – ünïcødé & spaces (1).TXT") == "851cd0e4bab2c93dbb67a7797be828fc"


def test_an_undecodable_name_is_readable_and_keeps_its_bytes_in_its_id() -> None:
    name = b"bad\xff.txt".decode("utf-8", "surrogateescape")  # as os.scandir gives it
    assert readable(name) == "bad\\xff.txt"
    assert doc_id_for(name) == hashlib.sha256(b"bad\xff.txt").hexdigest()[:32]
    assert doc_id_for(name) != doc_id_for(readable(name))  # a file really named bad\xff.txt
    assert readable("odd name – ünïcødé.txt") == "odd name – ünïcødé.txt"
