"""The compiled word classes (Gopher's counts, C4's kinds) against Python, and C4's sentences."""

from __future__ import annotations

import itertools
import random

import pytest

from tasks.quality import quality_signals
from tasks.quality._c4_quality import python_sentence_kinds, sentence_count, sentence_kinds
from tasks.quality._gopher_quality import python_word_counts, word_counts

# Words of every class, ASCII and not: letters, digits, marks Gopher does not count (ASCII,
# typographic, full-width, controls), sentence ends of other scripts, symbols, and mixes.
EDGE_WORDS = [
    "", "a", "Z", "word", "déjà", "日本語", "ǅ", "ª", "5", "5.93", "１", "½", "x1", "3M",
    ".", "...", "?!", "!", "#", "'s", "n't", "’s", "-", "--", "—", "–", "…", "。", "।", "؟",
    "«", "»", "“", "(", ")", "$", "US$", "€", "%", "+", "=", "|", "~", "^", "`", "\x00",
    "\x07", "\x7f", "\x85", "😀", "©", "a.", "U.S.", "e-mail", "http://x.org", "§", "¿",
    "¡", "·", "‚", "„", "។", "᠃", "꓿", "a…", "…a", "..a", "１２", "ー", "〜", "・",
]  # fmt: skip
STOP_WORDS = [None, frozenset(), frozenset({"the", "of", "and", "."}), frozenset({"", "a"})]


def test_the_installed_package_classes_words_compiled() -> None:
    from tasks.quality import _c4_quality, _gopher_quality

    assert _gopher_quality._compiled_word_counts is not None, "run `make install`"
    assert _c4_quality._compiled_sentence_kinds is not None, "run `make install`"


def _word_lists() -> list[list[str]]:
    """Each edge word alone, every ASCII character and pair, and random mixes."""
    rng = random.Random(20261203)
    ascii_words = [chr(a) + chr(b) for a in range(128) for b in range(0, 128, 3)]
    lists = [[word] for word in EDGE_WORDS] + [list(map(chr, range(128))), ascii_words]
    vocabulary = [*EDGE_WORDS, "the", "of", "and"]
    lists += [rng.choices(vocabulary, k=rng.randint(0, 40)) for _ in range(200)]
    return lists


@pytest.mark.parametrize("stop_words", STOP_WORDS)
def test_gopher_word_counts_equal_python(stop_words: frozenset[str] | None) -> None:
    for words in _word_lists():
        assert word_counts(words, stop_words) == python_word_counts(words, stop_words), words


def test_sentence_kinds_equal_python() -> None:
    for words in _word_lists():
        assert sentence_kinds(words) == python_sentence_kinds(words), words


def _sentencizer(kinds: bytes) -> int:
    """spaCy's sentencizer read literally: the first word starts a sentence, and so does each
    word that is not punctuation after a sentence end."""
    starts, seen_end = (1 if kinds else 0), False
    for kind in kinds:
        if seen_end and kind == ord("W"):
            starts, seen_end = starts + 1, False
        elif kind == ord("E"):
            seen_end = True
    return starts


def test_sentence_count_is_the_sentencizers() -> None:
    for size in range(7):
        for kinds in itertools.product(b"EPW", repeat=size):
            assert sentence_count(bytes(kinds), 0, size) == _sentencizer(bytes(kinds)), kinds
    kinds = b"WEWPWEPW"
    assert sentence_count(kinds, 2, 6) == _sentencizer(kinds[2:6])


@pytest.mark.parametrize("language", ["en", "fr", "ja", None])
def test_c4_counts_a_line_with_citations_by_its_own_words(language: str | None) -> None:
    line = "It rose 5% [1]. Then it fell! Prices, it said, were low [citation needed]."
    cited = quality_signals(f"{line}\n{line}", language).c4_quality
    clean = line.replace(" [1]", "").replace(" [citation needed]", "")
    assert cited == quality_signals(f"{clean}\n{clean}", language).c4_quality
    assert cited.c4_sentences == 6
