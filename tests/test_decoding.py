"""Bytes to text: encodings in, text out, or the reason there is none."""

from __future__ import annotations

import codecs

import pytest

from tasks.decoding import decode_bytes
from tasks.rejection import Reason, Rejected

TEXT = "date 2024-11-02 Café “déjà vu” naïve"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
    ],
)
def test_unicode_encodings_decode_exactly(data: bytes, encoding: str) -> None:
    assert decode_bytes(data) == (TEXT, encoding)


def test_cp1252_is_detected() -> None:
    text = (
        "date 2024-11-02 Le café était fermé ce matin-là; « déjà vu », dit-il à l’entrée du "
        "musée. Les élèves décidèrent d’aller à la bibliothèque où régnait un silence complet. "
        "Après le déjeuner, ils se promenèrent le long de la rivière, près des arbres dénudés "
        "par l’hiver. Même le garçon de café, d’habitude très bavard, était resté muet."
    )
    # charset-normalizer alone ranks cp1257 and mac_latin2 as high for such French text
    # (see tasks/decoding.py): the preference must name cp1252 itself.
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", Reason.EMPTY),
        (b" \n\t \r\n", Reason.EMPTY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", Reason.BINARY),
        (bytes(range(1, 9)) * 64, Reason.BINARY),
    ],
)
def test_bad_bytes_are_rejected(data: bytes, reason: Reason) -> None:
    with pytest.raises(Rejected) as rejected:
        decode_bytes(data)
    assert rejected.value.reason == reason
