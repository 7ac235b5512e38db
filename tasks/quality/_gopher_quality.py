"""Gopher's quality signals (Rae et al. 2021, as datatrove's GopherQualityFilter computes them)."""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass

from tasks.quality._characters import is_symbol_word
from tasks.quality._parts import TextParts

WordCounts = tuple[int, int, int, int | None]
_BULLETS = ("•", "-")
_ELLIPSES = ("...", "…")

_compiled_word_counts: Callable[..., WordCounts] | None
_compiled_line_counts: Callable[..., tuple[int, int]] | None
try:  # built by `pip install` from .pyx modules; the python_ functions give the same counts
    from tasks.quality._line_counts import gopher_line_counts as _compiled_line_counts
    from tasks.quality._word_classes import gopher_word_counts as _compiled_word_counts
except ImportError:  # a source tree that was never installed
    _compiled_word_counts = _compiled_line_counts = None


@dataclass(frozen=True, slots=True)
class GopherQuality:
    """Word counts and shares of a text; a word signal is None when the words are unknown."""

    gopher_words: int | None  # words that are not only punctuation
    gopher_mean_word_length: float | None  # over those words
    gopher_hash_ratio: float | None  # `#` per word (punctuation marks count as words)
    gopher_ellipsis_ratio: float | None  # `...` and `…` per word
    gopher_bullet_line_ratio: float | None  # share of lines starting with `•` or `-`
    gopher_ellipsis_line_ratio: float | None  # share of lines ending with `...` or `…`
    gopher_alpha_word_ratio: float | None  # share of words with a letter
    gopher_stop_words: int | None  # distinct stop words found; None: no list for the language


def gopher_quality(parts: TextParts, stop_words: frozenset[str] | None) -> GopherQuality:
    """The Gopher quality signals of a text cut into `parts`, with the stop words of its
    language (None: there is no list)."""
    text, lines, words = parts.text, parts.lines, parts.words
    text_hashes = text.count("#")
    text_ellipses = text.count("...") + text.count("…")
    bullets, end_ellipses = line_counts(lines)
    if words is None:
        return GopherQuality(
            None, None, None, None, _share(bullets, lines), _share(end_ellipses, lines), None, None
        )
    counted, counted_length, letters, stops = word_counts(words, stop_words)
    return GopherQuality(
        gopher_words=counted,
        gopher_mean_word_length=counted_length / counted if counted else None,
        gopher_hash_ratio=_share(text_hashes, words),
        gopher_ellipsis_ratio=_share(text_ellipses, words),
        gopher_bullet_line_ratio=_share(bullets, lines),
        gopher_ellipsis_line_ratio=_share(end_ellipses, lines),
        gopher_alpha_word_ratio=_share(letters, words),
        gopher_stop_words=stops,
    )


def line_counts(lines: list[str]) -> tuple[int, int]:
    """How many `lines` start with a bullet (`•`, `-`) and how many end with an ellipsis
    (`...`, `…`), white space aside; compiled when the module is built."""
    if _compiled_line_counts is None:
        return python_line_counts(lines)
    return _compiled_line_counts(lines, _BULLETS, _ELLIPSES)


def python_line_counts(lines: list[str]) -> tuple[int, int]:
    """The counts of line_counts, in Python: what the compiled ones must equal."""
    bullets = sum(1 for line in lines if line.lstrip().startswith(_BULLETS))
    return bullets, sum(1 for line in lines if line.rstrip().endswith(_ELLIPSES))


def word_counts(words: list[str], stop_words: frozenset[str] | None) -> WordCounts:
    """Of `words`: how many are not only punctuation, their characters, how many hold a
    letter, and how many distinct stop words they hold (None without a list); compiled when
    the module is built."""
    if _compiled_word_counts is None:
        return python_word_counts(words, stop_words)
    return _compiled_word_counts(words, _ASCII_BITS, _kind, stop_words)


def python_word_counts(words: list[str], stop_words: frozenset[str] | None) -> WordCounts:
    """The counts of word_counts, in Python: what the compiled ones must equal."""
    # Most words are letters only; only the others can be punctuation or lack a letter.
    others = list(itertools.compress(words, map(operator.not_, map(str.isalpha, words))))
    kinds = list(map(_kind, others))
    symbols = list(itertools.compress(others, map(_SYMBOL.__eq__, kinds)))
    counted = len(words) - len(symbols)
    counted_length = sum(map(len, words)) - sum(map(len, symbols))
    letters = len(words) - len(others) + kinds.count(_WITH_LETTER)
    stops = len(stop_words.intersection(words)) if stop_words else None
    return counted, counted_length, letters, stops


def _share(count: int, items: list[str]) -> float | None:
    """`count` as a share of `items`, or None when there are none."""
    return count / len(items) if items else None


_SYMBOL, _WITH_LETTER, _OTHER = 0, 1, 2


@functools.lru_cache(maxsize=65_536)
def _kind(word: str) -> int:
    """Whether a word that is not all letters is only punctuation, holds a letter, or neither."""
    if is_symbol_word(word):
        return _SYMBOL
    return _WITH_LETTER if any(char.isalpha() for char in word) else _OTHER


# What the compiled counts read of each ASCII character (`_word_classes.pyx`): 1 a letter,
# 2 a mark of a word Gopher does not count (when all its characters are).
_ASCII_BITS = bytes(char.isalpha() | is_symbol_word(char) << 1 for char in map(chr, range(128)))
