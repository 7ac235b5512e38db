"""Gopher's repetition signals (Rae et al. 2021), as datatrove's GopherRepetitionFilter has them."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from tasks.quality._parts import TextParts, paragraphs, repeats, runs_of_lines

NGramChars = tuple[list[int | None], list[int | None]]

_compiled_n_gram_chars: Callable[[list[str]], NGramChars] | None
try:  # built by `pip install` from _n_grams.pyx; the Python below gives the same answers
    from tasks.quality._n_grams import n_gram_chars as _compiled_n_gram_chars
except ImportError:  # a source tree that was never installed
    _compiled_n_gram_chars = None

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


def gopher_repetition(parts: TextParts) -> GopherRepetition:
    """The Gopher repetition signals of a text cut into `parts`."""
    size = len(parts.text)
    cut = paragraphs(parts.text)
    para_count, para_chars = repeats(cut)
    lines = runs_of_lines(parts.breaks)
    line_count, line_chars = repeats(lines)
    top, duplicated = n_gram_chars(parts.words)
    return GopherRepetition(
        para_count / len(cut),
        _share(para_chars, size),
        line_count / len(lines),
        _share(line_chars, size),
        *(_share(chars, size) for chars in top),
        *(_share(chars, size) for chars in duplicated),
    )


def n_gram_chars(words: list[str] | None) -> NGramChars:
    """The characters of the top and the repeated n-grams of `words` (see python_n_gram_chars),
    counted by the compiled module when it is built."""
    if words is not None and _compiled_n_gram_chars is not None:
        return _compiled_n_gram_chars(words)
    return python_n_gram_chars(words)


def compiled() -> bool:
    """Whether n-grams are counted by the compiled module."""
    return _compiled_n_gram_chars is not None


def python_n_gram_chars(words: list[str] | None) -> NGramChars:
    """The characters of the top n-gram of each length in TOP_N_GRAMS (None when there are
    fewer words), and of the n-grams that repeat, of each length in DUPLICATED_N_GRAMS.

    Each n-gram is a number (equal n-grams, equal numbers) made from its words' numbers: with
    numpy for a long text, with lists for a short one, where numpy's calls would cost more.
    """
    if words is None:
        return [None] * len(TOP_N_GRAMS), [None] * len(DUPLICATED_N_GRAMS)
    ends = list(itertools.accumulate(map(len, words), initial=0))
    numbers = dict(zip(words, range(len(words)), strict=True))  # one number per distinct word
    ids = list(map(numbers.__getitem__, words))
    each = _array_n_grams(ids) if len(ids) > _ARRAYS_FROM else _list_n_grams(ids)
    top: list[int | None] = []
    duplicated: list[int | None] = []
    for n, grams in zip((*TOP_N_GRAMS, *DUPLICATED_N_GRAMS), each, strict=False):
        if n in TOP_N_GRAMS:
            top.append(_top_chars(grams, ends, n) if len(ids) >= n else None)
            continue
        duplicated.append(_repeated_chars(grams, ends, n))
        if not duplicated[-1]:  # no n-gram repeats, so no longer one does
            break
    duplicated += [0] * (len(DUPLICATED_N_GRAMS) - len(duplicated))
    return top, duplicated


# From this many words on, n-grams are numbered with numpy, whose calls cost more than a
# few list passes over fewer places.
_ARRAYS_FROM = 256


@dataclass(frozen=True, slots=True)
class _NGrams:
    """The n-grams of one length at some places of a text, numbered."""

    top: tuple[int, int]  # the most frequent n-gram's first place (0 if none repeats), count
    later: list[int]  # places of n-grams that occurred before, in order
    later_keys: list[int]  # their numbers
    later_firsts: list[int]  # where each of them first occurred
    repeated: tuple[list[int], list[int]]  # places of n-grams that occur twice, their numbers


def _list_n_grams(ids: list[int]) -> Iterator[_NGrams]:
    """The n-grams of the words numbered `ids`, of each length from 2 up, with lists.

    An n-gram can only occur twice where an (n-1)-gram does, so each length looks only at
    the places where the previous length's n-grams repeat: in prose, few beyond the 2-grams.
    """
    size = len(ids)
    places: list[int] = list(range(size))  # where an (n-1)-gram that occurs twice starts
    keys = ids  # the number of the (n-1)-gram at each of `places`
    for n in itertools.count(2):
        cut = bisect.bisect_right(places, size - n)  # n-grams must end within the words
        places, keys = places[:cut], keys[:cut]
        grams = _list_step(places, keys, ids, n)
        yield grams
        places, keys = grams.repeated


def _list_step(places: list[int], keys: list[int], ids: list[int], n: int) -> _NGrams:
    """The n-grams at `places`, whose first n-1 words are numbered `keys`, with lists."""
    last = map(ids.__getitem__, map(operator.add, places, itertools.repeat(n - 1)))
    keys = list(map(operator.add, map(operator.mul, keys, itertools.repeat(len(ids))), last))
    counts = Counter(keys)
    key, count = counts.most_common(1)[0] if counts else (0, 1)
    top = (places[keys.index(key)] if count > 1 else 0, count)
    if count == 1:
        return _NGrams(top, [], [], [], ([], []))
    # Each n-gram's first place: of equal keys, dict keeps the last value given, the first here.
    first = dict(zip(reversed(keys), reversed(places), strict=True))
    firsts = list(map(first.__getitem__, keys))
    is_later = list(map(operator.ne, firsts, places))
    repeated = list(map((1).__lt__, map(counts.__getitem__, keys)))
    return _NGrams(
        top,
        list(itertools.compress(places, is_later)),
        list(itertools.compress(keys, is_later)),
        list(itertools.compress(firsts, is_later)),
        (list(itertools.compress(places, repeated)), list(itertools.compress(keys, repeated))),
    )


def _array_n_grams(ids: list[int]) -> Iterator[_NGrams]:
    """The n-grams of the words numbered `ids`, of each length from 2 up, with numpy.

    An n-gram is its first word's (n-1)-gram and its last word, numbered by sorting.
    """
    words = np.asarray(ids, dtype=np.int64)
    numbers = words
    places = np.arange(len(words))
    for n in itertools.count(2):
        if len(words) < n:
            yield _NGrams((0, 1), [], [], [], ([], []))
            continue
        keys = numbers[:-1] * len(words) + words[n - 1 :]
        order = keys.argsort(kind="stable")  # stable: each group's first member first
        ordered = keys[order]
        starts = np.concatenate(([True], ordered[1:] != ordered[:-1]))
        numbers = np.empty_like(keys)
        numbers[order] = np.cumsum(starts) - 1
        firsts = order[starts]  # where each numbered n-gram first occurs
        if n in TOP_N_GRAMS:  # only the top is read
            counts = np.bincount(numbers)
            count = int(counts.max())
            yield _NGrams((int(firsts[counts == count].min()), count), [], [], [], ([], []))
            continue
        first_of = firsts[numbers]  # only the repeats are read
        later = np.flatnonzero(first_of < places[: len(numbers)])
        yield _NGrams(
            (0, 1), later.tolist(), numbers[later].tolist(), first_of[later].tolist(), ([], [])
        )


def _top_chars(grams: _NGrams, ends: Sequence[int], n: int) -> int:
    """The characters of the most frequent n-gram (words joined by spaces) times its count.

    Of n-grams equally frequent, the first to occur, as `Counter.most_common` picks it.
    """
    first, count = grams.top
    return (ends[first + n] - ends[first] + n - 1) * count


def _repeated_chars(grams: _NGrams, ends: Sequence[int], n: int) -> int:
    """The characters (spaces not counted) of the n-grams that repeat an earlier one.

    Read left to right: a repeated n-gram counts whole and the reading jumps past it; an
    n-gram stepped over this way is not remembered. The first occurrences of n-grams are
    only remembered, so only the later ones are visited: one counts when an earlier
    occurrence of its n-gram was not stepped over. `ends` are where each word ends in the
    words written without spaces.
    """
    later = grams.later
    stepped_over = bytearray(len(ends) + n)
    mark = b"\x01" * (n - 1)
    remembered: set[int] = set()  # n-grams remembered at a later occurrence
    chars = index = 0
    while index < len(later):
        place = later[index]
        if not stepped_over[grams.later_firsts[index]] or grams.later_keys[index] in remembered:
            chars += ends[place + n] - ends[place]
            stepped_over[place + 1 : place + n] = mark
            index = bisect.bisect_left(later, place + n, index + 1)
        else:
            remembered.add(grams.later_keys[index])
            index += 1
    return chars


def _share(chars: int | None, size: int) -> float | None:
    """`chars` as a share of a text of `size` characters."""
    return chars / size if chars is not None and size else None
