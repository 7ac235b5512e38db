"""FineWeb's quality signals (Penedo et al. 2024), as datatrove's FineWebQualityFilter has them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tasks.quality._characters import is_terminal, terminal_count
from tasks.quality._parts import TextParts, nonblank, repeats

LineCounts = tuple[int, int, int, int]

_compiled_line_counts: Callable[..., LineCounts] | None
try:  # built by `pip install` from _line_counts.pyx; python_line_counts gives the same counts
    from tasks.quality._line_counts import fineweb_line_counts as _compiled_line_counts
except ImportError:  # a source tree that was never installed
    _compiled_line_counts = None

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
    count, terminal, short, repeated = line_counts(parts.breaks)
    if not count:
        return FineWebQuality(None, None, None, None)
    breaks = len(parts.breaks) - 1
    return FineWebQuality(
        line_punct_ratio=terminal / count,
        short_line_ratio=short / count,
        char_dup_ratio=repeated / (len(parts.text) - breaks),
        list_ratio=breaks / len(parts.words) if parts.words else None,
    )


def line_counts(breaks: list[str]) -> LineCounts:
    """Of `breaks` (a text cut at each line break), those with more than white space: how
    many, how many end with a sentence end, how many are short, and the characters of those
    that repeat an earlier one; compiled when the module is built."""
    if _compiled_line_counts is None:
        return python_line_counts(breaks)
    return _compiled_line_counts(breaks, SHORT_LINE_LENGTH, _ASCII_TERMINAL, is_terminal)


def python_line_counts(breaks: list[str]) -> LineCounts:
    """The counts of line_counts, in Python: what the compiled ones must equal."""
    lines = nonblank(breaks)
    terminal = terminal_count("".join([line[-1] for line in lines]))
    short = sum(1 for line in lines if len(line) <= SHORT_LINE_LENGTH)
    return len(lines), terminal, short, repeats(lines)[1]


# What the compiled counts read of each ASCII character: 1 for a sentence end.
_ASCII_TERMINAL = bytes(map(is_terminal, map(chr, range(128))))
