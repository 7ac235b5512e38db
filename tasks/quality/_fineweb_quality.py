"""FineWeb's quality signals (Penedo et al. 2024), as datatrove's FineWebQualityFilter has them."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.quality._characters import terminal_count
from tasks.quality._parts import TextParts, nonblank, repeats

# A line this long or shorter is short.
SHORT_LINE_LENGTH = 30


@dataclass(frozen=True, slots=True)
class FineWebQuality:
    """Shares of a text's non-blank lines, and its line breaks per word."""

    line_punct_ratio: float | None  # lines ending in a sentence end (`.`, `?`, `!`, `。`...)
    short_line_ratio: float | None  # lines of at most 30 characters
    char_dup_ratio: float | None  # characters of lines that repeat an earlier one
    list_ratio: float | None  # line breaks per word; None when the words are unknown


def fineweb_quality(parts: TextParts) -> FineWebQuality:
    """The FineWeb quality signals of a text cut into `parts`."""
    lines = nonblank(parts.breaks)
    if not lines:
        return FineWebQuality(None, None, None, None)
    breaks = len(parts.breaks) - 1
    short = sum(1 for line in lines if len(line) <= SHORT_LINE_LENGTH)
    return FineWebQuality(
        line_punct_ratio=terminal_count("".join([line[-1] for line in lines])) / len(lines),
        short_line_ratio=short / len(lines),
        char_dup_ratio=repeats(lines)[1] / (len(parts.text) - breaks),
        list_ratio=breaks / len(parts.words) if parts.words else None,
    )
