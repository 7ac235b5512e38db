"""Paragraphs of a document's text, with their character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph: its 0-based position, text, and offsets into the document text."""

    index: int
    text: str
    char_start: int
    char_end: int


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`: blank-line separated blocks, or lines when there are no blanks."""
    blocks = _BLANK_LINES.split(text.strip())
    if len(blocks) == 1:
        blocks = blocks[0].split("\n")
    paragraphs = (" ".join(line.strip() for line in block.split("\n")) for block in blocks)
    return [paragraph.strip() for paragraph in paragraphs if paragraph.strip()]


def locate_paragraphs(paragraphs: list[str]) -> tuple[str, list[Paragraph]]:
    """The document text (paragraphs joined by a blank line) and each paragraph's offsets in it."""
    located: list[Paragraph] = []
    start = 0
    for index, paragraph in enumerate(paragraphs):
        end = start + len(paragraph)
        located.append(Paragraph(index, paragraph, start, end))
        start = end + len(PARAGRAPH_SEPARATOR)
    return PARAGRAPH_SEPARATOR.join(paragraphs), located
