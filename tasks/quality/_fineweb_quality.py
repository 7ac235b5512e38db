"""FineWeb's quality signals (Penedo et al. 2024), as datatrove's FineWebQualityFilter has them."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.quality._characters import is_terminal
from tasks.quality._gopher_repetition import repeats

# A line this long or shorter is short.
SHORT_LINE_LENGTH = 30


@dataclass(frozen=True, slots=True)
class FineWebQuality:
    """Shares of a text's non-blank lines, and its line breaks per word."""

    line_punct_ratio: float | None  # lines ending in a sentence end (`.`, `?`, `!`, `。`...)
    short_line_ratio: float | None  # lines of at most 30 characters
    char_dup_ratio: float | None  # characters of lines that repeat an earlier one
    list_ratio: float | None  # line breaks per word; None when the words are unknown


def fineweb_quality(text: str, words: list[str] | None) -> FineWebQuality:
    """The FineWeb quality signals of `text`, split into `words` (None: not splittable)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return FineWebQuality(None, None, None, None)
    characters = len(text) - text.count("\n")
    return FineWebQuality(
        line_punct_ratio=sum(is_terminal(line[-1]) for line in lines) / len(lines),
        short_line_ratio=sum(len(line) <= SHORT_LINE_LENGTH for line in lines) / len(lines),
        char_dup_ratio=repeats(lines)[1] / characters,
        list_ratio=text.count("\n") / len(words) if words else None,
    )
