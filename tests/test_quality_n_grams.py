"""The compiled n-gram counts against the Python path and a literal reading of Gopher's rule."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tasks.quality._gopher_repetition import compiled, python_n_gram_chars
from tasks.quality._n_grams import n_gram_chars


def _literal(words: list[str]) -> tuple[list[int | None], list[int | None]]:
    """Gopher's n-gram counts read straight from the rule, one n-gram at a time.

    Top n-gram: the most frequent (the first to occur among equals), its words joined by
    spaces, times its count. Repeated n-grams: read left to right, an n-gram seen at an earlier
    place counts its characters and the reading jumps past it.
    """
    top: list[int | None] = []
    for n in (2, 3, 4):
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        if not grams:
            top.append(None)
            continue
        gram, count = Counter(grams).most_common(1)[0]
        top.append(len(" ".join(gram)) * count)
    duplicated: list[int | None] = []
    for n in range(5, 11):
        seen: set[tuple[str, ...]] = set()
        chars = place = 0
        while place < len(words) - n + 1:
            gram = tuple(words[place : place + n])
            if gram in seen:
                chars += sum(map(len, gram))
                place += n
            else:
                seen.add(gram)
                place += 1
        duplicated.append(chars)
    return top, duplicated


def _word_lists(count: int) -> list[list[str]]:
    """Word lists from tiny to long, from vocabularies small enough to repeat a lot."""
    rng = random.Random(20261202)
    lists: list[list[str]] = [[], ["a"], ["a", "b"], ["ab", "c", "a", "bc"], ["x"] * 40]
    for _ in range(count):
        vocabulary = rng.choice([1, 2, 3, 5, 20, 300])
        size = rng.choice([3, 4, 9, 11, 40, 255, 257, 600])
        lists.append([f"w{rng.randrange(vocabulary)}" * rng.randint(1, 3) for _ in range(size)])
    return lists


def test_the_installed_package_counts_n_grams_compiled() -> None:
    assert compiled(), "tasks/quality/_n_grams.pyx is not built: run `make install`"


@pytest.mark.parametrize("words", _word_lists(300))
def test_compiled_equals_the_python_path_and_the_rule(words: list[str]) -> None:
    expected = _literal(words)
    assert python_n_gram_chars(words) == expected
    assert n_gram_chars(words) == expected


def test_compiled_counts_words_of_any_script_by_characters() -> None:
    words = ["日本語", "の", "文章", "😀", "é", "日本語", "の", "文章", "😀", "é"] * 3
    assert n_gram_chars(words) == _literal(words) == python_n_gram_chars(words)
