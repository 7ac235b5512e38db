"""Paragraph splitting and offsets."""

from __future__ import annotations

import pytest

from tasks.paragraphs import locate_paragraphs, split_paragraphs


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("one\n\ntwo", ["one", "two"]),
        ("one\nstill one\n\n\n\ntwo", ["one still one", "two"]),
        ("line one\nline two\nline three", ["line one", "line two", "line three"]),
        ("single paragraph", ["single paragraph"]),
        ("\n\n  \n", []),
        ("a\n \t\nb", ["a", "b"]),
    ],
)
def test_split_paragraphs(text: str, paragraphs: list[str]) -> None:
    assert split_paragraphs(text) == paragraphs


def test_offsets_point_into_the_document_text() -> None:
    text, located = locate_paragraphs(["first one", "second", "third para"])
    assert text == "first one\n\nsecond\n\nthird para"
    assert [p.index for p in located] == [0, 1, 2]
    for paragraph in located:
        assert text[paragraph.char_start : paragraph.char_end] == paragraph.text
