"""Gopher's quality signals (Rae et al. 2021, as datatrove's GopherQualityFilter computes them)."""

from __future__ import annotations

import functools
import itertools
import operator
from dataclasses import dataclass

from tasks.quality._characters import is_symbol_word
from tasks.quality._parts import TextParts


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
    bullets = sum(1 for line in lines if line.lstrip().startswith(("•", "-")))
    end_ellipses = sum(1 for line in lines if line.rstrip().endswith(("...", "…")))
    if words is None:
        return GopherQuality(
            None, None, None, None, _share(bullets, lines), _share(end_ellipses, lines), None, None
        )
    # Most words are letters only; only the others can be punctuation or lack a letter.
    others = list(itertools.compress(words, map(operator.not_, map(str.isalpha, words))))
    kinds = list(map(_kind, others))
    symbols = list(itertools.compress(others, map(_SYMBOL.__eq__, kinds)))
    counted = len(words) - len(symbols)
    counted_length = sum(map(len, words)) - sum(map(len, symbols))
    letters = len(words) - len(others) + kinds.count(_WITH_LETTER)
    return GopherQuality(
        gopher_words=counted,
        gopher_mean_word_length=counted_length / counted if counted else None,
        gopher_hash_ratio=_share(text_hashes, words),
        gopher_ellipsis_ratio=_share(text_ellipses, words),
        gopher_bullet_line_ratio=_share(bullets, lines),
        gopher_ellipsis_line_ratio=_share(end_ellipses, lines),
        gopher_alpha_word_ratio=_share(letters, words),
        gopher_stop_words=len(stop_words.intersection(words)) if stop_words else None,
    )


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
