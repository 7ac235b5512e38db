"""A text cut once into what every filter reads: its lines, its paragraphs and its words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.quality._languages import splits_words
from tasks.quality._words import LineWords, line_words

_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


@dataclass(frozen=True, slots=True)
class TextParts:
    """A text and its pieces as datatrove's filters cut them, each cut made once."""

    text: str
    lines: list[str]  # cut by `str.splitlines` (Gopher's and C4's lines)
    words: list[str] | None  # the text's words; None when the language's are not split
    breaks: list[str]  # cut at each line break `\n` (FineWeb's and Gopher repetition's lines)
    line_words: LineWords  # the words of all `lines` (also where `words` is None) and their ends


def text_parts(text: str, language: str | None) -> TextParts:
    """`text` cut into lines and words, its words split by the rules of `language`."""
    lines = text.splitlines()
    split = line_words(lines, language)
    words = split[0] if splits_words(language) else None
    return TextParts(text, lines, words, text.split("\n"), split)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`: cut at runs of two or more line breaks."""
    stripped = text.strip()
    if "\n\n\n" in stripped:
        return _PARAGRAPH_BREAK.split(stripped)
    return stripped.split("\n\n")  # the same, and faster, without longer runs


def nonblank(breaks: list[str]) -> list[str]:
    """The pieces of a text cut at line breaks that hold more than white space."""
    return [line for line in breaks if line and not line.isspace()]


def runs_of_lines(breaks: list[str]) -> list[str]:
    """The lines of a text cut at runs of line breaks (no empty line but at either end), from
    its pieces cut at each line break."""
    if len(breaks) <= 2:
        return breaks
    return [breaks[0], *filter(None, breaks[1:-1]), breaks[-1]]


def repeats(items: list[str]) -> tuple[int, int]:
    """How many of `items` repeat an earlier one, and their characters."""
    unique = set(items)
    return len(items) - len(unique), sum(map(len, items)) - sum(map(len, unique))
