"""Gopher's repetition signals (Rae et al. 2021), as datatrove's GopherRepetitionFilter has them."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
TOP_N_GRAMS = (2, 3, 4)
DUPLICATED_N_GRAMS = (5, 6, 7, 8, 9, 10)


@dataclass(frozen=True, slots=True)
class GopherRepetition:
    """How much of a text repeats: paragraphs, lines, word n-grams (shares of its characters).

    An n-gram signal is None when the words are unknown; a top n-gram one also when there are
    fewer than n words.
    """

    dup_para_frac: float | None  # share of paragraphs that repeat an earlier one
    dup_para_char_frac: float | None  # their characters, as a share of the text's
    dup_line_frac: float | None  # share of lines that repeat an earlier one
    dup_line_char_frac: float | None  # their characters, as a share of the text's
    top_2_gram_frac: float | None  # characters of the most frequent 2-gram, all its occurrences
    top_3_gram_frac: float | None
    top_4_gram_frac: float | None
    dup_5_gram_frac: float | None  # characters in 5-grams that repeat an earlier one
    dup_6_gram_frac: float | None
    dup_7_gram_frac: float | None
    dup_8_gram_frac: float | None
    dup_9_gram_frac: float | None
    dup_10_gram_frac: float | None


def gopher_repetition(text: str, words: list[str] | None) -> GopherRepetition:
    """The Gopher repetition signals of `text`, split into `words` (None: not splittable)."""
    size = len(text)
    paragraphs = _paragraphs(text)
    para_count, para_chars = repeats(paragraphs)
    lines = _lines(text)
    line_count, line_chars = repeats(lines)
    top, duplicated = _n_gram_shares(words, size)
    return GopherRepetition(
        dup_para_frac=para_count / len(paragraphs),
        dup_para_char_frac=_share(para_chars, size),
        dup_line_frac=line_count / len(lines),
        dup_line_char_frac=_share(line_chars, size),
        top_2_gram_frac=top[2],
        top_3_gram_frac=top[3],
        top_4_gram_frac=top[4],
        dup_5_gram_frac=duplicated[5],
        dup_6_gram_frac=duplicated[6],
        dup_7_gram_frac=duplicated[7],
        dup_8_gram_frac=duplicated[8],
        dup_9_gram_frac=duplicated[9],
        dup_10_gram_frac=duplicated[10],
    )


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`: cut at runs of two or more line breaks."""
    stripped = text.strip()
    if "\n\n\n" in stripped:
        return _PARAGRAPH_BREAK.split(stripped)
    return stripped.split("\n\n")  # the same, and faster, without longer runs


def _lines(text: str) -> list[str]:
    """The lines of `text`: cut at runs of line breaks (so no empty line but at either end)."""
    parts = text.split("\n")
    if len(parts) <= 2:
        return parts
    return [parts[0], *filter(None, parts[1:-1]), parts[-1]]


def _n_gram_shares(
    words: list[str] | None, size: int
) -> tuple[dict[int, float | None], dict[int, float | None]]:
    """The top and the duplicated n-gram characters as shares of a text of `size` characters."""
    if words is None:
        return dict.fromkeys(TOP_N_GRAMS), dict.fromkeys(DUPLICATED_N_GRAMS)
    grams = _NGrams(words)
    top = {n: _share(grams.top_chars(n), size) for n in TOP_N_GRAMS}
    duplicated: dict[int, float | None] = dict.fromkeys(DUPLICATED_N_GRAMS, _share(0, size))
    for n in DUPLICATED_N_GRAMS:
        chars = grams.repeated_chars(n)
        duplicated[n] = _share(chars, size)
        if not chars:  # no longer n-gram repeats when none of this length does
            break
    return top, duplicated


def repeats(items: Sequence[str]) -> tuple[int, int]:
    """How many of `items` repeat an earlier one, and their characters."""
    seen: set[str] = set()
    count = chars = 0
    for item in items:
        if item in seen:
            count += 1
            chars += len(item)
        else:
            seen.add(item)
    return count, chars


class _NGrams:
    """The word n-grams of a text, numbered so that equal n-grams get equal numbers."""

    def __init__(self, words: list[str]) -> None:
        self._words = words
        vocabulary = dict(zip(dict.fromkeys(words), itertools.count()))
        self._size = max(len(vocabulary), 1)
        numbers = np.fromiter(map(vocabulary.__getitem__, words), np.int64, len(words))
        # Numbered in order of first occurrence: a word first occurs where the numbers rise.
        firsts = np.flatnonzero(np.diff(np.maximum.accumulate(numbers), prepend=-1) > 0)
        self._grams = {1: (numbers, firsts)}
        self._places = np.arange(len(words))

    def top_chars(self, n: int) -> int | None:
        """The characters of the most frequent n-gram (words joined by spaces) times its count.

        Of n-grams equally frequent, the first to occur, as `Counter.most_common` picks it.
        None when there are fewer than n words.
        """
        if len(self._words) < n:
            return None
        numbers, firsts = self._of(n)
        counts = np.bincount(numbers)
        most = int(counts.max())
        first = int(firsts[counts == most].min())
        return (self._chars(first, n) + n - 1) * most

    def repeated_chars(self, n: int) -> int:
        """The characters (spaces not counted) of n-grams that repeat an earlier one.

        Read left to right: a repeated n-gram counts whole and the reading jumps past it; an
        n-gram stepped over this way is not remembered. The first occurrences of n-grams are
        only remembered, so only the later ones are visited: one counts when an earlier
        occurrence of its n-gram was not stepped over.
        """
        if len(self._words) < n:
            return 0
        numbers, firsts = self._of(n)
        first_of = firsts[numbers]
        later = np.flatnonzero(first_of < self._places[: len(numbers)])
        places = later.tolist()
        grams = numbers[later].tolist()
        firsts_of_later = first_of[later].tolist()
        ends = self._ends()
        stepped_over = bytearray(len(numbers) + n)
        mark = b"\x01" * (n - 1)
        remembered: set[int] = set()  # n-grams remembered at a later occurrence
        chars = index = 0
        while index < len(places):
            place = places[index]
            if not stepped_over[firsts_of_later[index]] or grams[index] in remembered:
                chars += ends[place + n] - ends[place]
                stepped_over[place + 1 : place + n] = mark
                index = bisect.bisect_left(places, place + n, index + 1)
            else:
                remembered.add(grams[index])
                index += 1
        return chars

    def _of(self, n: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """A number for each n-gram, in order, from 0 up (equal n-grams, equal numbers), and
        where each numbered n-gram first occurs.

        An n-gram is its first word's (n-1)-gram and its last word, numbered by sorting.
        """
        if n not in self._grams:
            keys = self._of(n - 1)[0][:-1] * self._size + self._grams[1][0][n - 1 :]
            order = keys.argsort(kind="stable")  # stable: each group's first member first
            ordered = keys[order]
            starts = np.concatenate(([True], ordered[1:] != ordered[:-1]))
            numbers = np.empty_like(keys)
            numbers[order] = np.cumsum(starts) - 1
            self._grams[n] = (numbers, order[starts])
        return self._grams[n]

    def _chars(self, place: int, n: int) -> int:
        """The characters of the n words at `place`."""
        ends = self._ends()
        return ends[place + n] - ends[place]

    @functools.cache  # noqa: B019  # one object per text, dropped with it
    def _ends(self) -> list[int]:
        """Where each word ends in the text's words written without spaces."""
        return list(itertools.accumulate(map(len, self._words), initial=0))


def _share(chars: int | None, size: int) -> float | None:
    """`chars` as a share of a text of `size` characters."""
    return chars / size if chars is not None and size else None
