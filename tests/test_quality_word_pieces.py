"""The compiled splitter of plain pieces against the regex rules, at the edges of what is plain."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from tasks.quality._special_cases import (
    SpecialCases,
    base_special_cases,
    english_special_cases,
)
from tasks.quality._word_pieces import line_words as compiled_line_words
from tasks.quality._words import (
    AFFIXES,
    _regex_splitter,
    _special_cases,
    line_words,
    python_line_words,
    split_words,
)

LANGUAGES = ("en", "fr")
# Texts at the edges: contractions and special cases with marks around them, apostrophes,
# full stops after letters of each case, Unicode letters, digits with units and separators,
# URLs, ellipses, marks alone.
EDGE_TEXTS = [
    "cannot, (cannot) Cannot. cannot's don't (don't) dont, doin' doin', (doin') 'doin'",
    "it's (it's) It's, let's. he’s she’S that's. what's, cannot's. ol', y'all. c'mon.",
    "Inc. (Inc.) Inc., Corp.) Mr. (Mr.) a. (a.) A. AB. Ab. aB. ABC.) U.S. U.S., J. i.e.",
    "Reuters' shareholders', 'quoted' ‘quoted’ \"quoted\" «cité» „zitiert“ 「引用」",
    "déjà. ÉTÉ. Über. Straße, Köln) ǅemal. ʻokina ªb. 日本語。 Ελλάδα. café, naïve.",
    "5.93 5.93. 4,790,000 155,221, 1..5 1.5.2 1, 27. 10km 10 km 5pm 12.5% $5 US$5 3-for-2",
    "http://example.com/a-b, www.example.com. (example.com) e-mail 5-year ... wait... …",
    "( ) (( )) ,, .. ... ?! !? « » ¿Qué? ¡Sí! (a) [b] {c} <d> #e *f* _g_ &h",
    "x's's (x)'s ''s ''x 's 'S ’s a's. a'S. a'S) 1980's 1980s '80s ‘80s",
    "end.) end.) end.). end..) (end.)) word—. word–, word-, word~ -word —word",
    "long-term, (state-owned) June/July. and/or w/o A-B. a-B. so-called' x-cannot two--three",
]


def test_the_installed_package_splits_plain_pieces_compiled() -> None:
    from tasks.quality import _words

    assert _words._compiled_line_words is not None, "run `make install` to build _word_pieces"


def test_affixes_are_marks_that_are_never_in_a_special_case() -> None:
    assert AFFIXES
    assert not any(char.isalnum() or char in "'’." for char in AFFIXES)
    for case in (*english_special_cases(), *base_special_cases()):
        assert not AFFIXES.intersection(case), case


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_edge_texts_split_as_the_regex_rules_split_them(text: str, language: str) -> None:
    lines = [text, "", text.upper(), text.title()]
    assert line_words(lines, language) == python_line_words(lines, language)


def test_line_ends_count_each_lines_words() -> None:
    words, ends = line_words(["Hello, world.", "", "  ", "(Two) lines"], "en")
    assert words == ["Hello", ",", "world", ".", "(", "Two", ")", "lines"]
    assert ends == [4, 4, 4, 8]
    assert split_words("Hello, world.\n\n  \n(Two) lines", "en") == words


# Pieces built from a core and marks around it: every core kind, each mark the compiled
# splitter takes, and some it does not.
_CORES = [
    "", "a", "A", "AB", "aB", "Ab", "s", "S", "é", "É", "ǅ", "ª", "日本", "Inc", "cannot",
    "it", "doin", "dont", "Mr", "J", "12", "1,5", "5.93", "1.5,2", "a.m", "x1", "a-b", "A-B",
    "and/or", "w/o", "a/b-c", "x-cannot", "cannot-x", "é-à", "a--b", "a-1", "1-a", "a-.b",
]  # fmt: skip
_BEFORE = ["", "(", '"', "«", "“", "…", "'", "-", "$", "((", '"(', "'("]
_AFTER = [",", ")", ".", "'", "’", "'s", "’S", '"', "…", "s", "-", "%", "km"]


def _built_pieces() -> list[str]:
    """Each core with marks before it and up to two after it."""
    pieces = set()
    for before in _BEFORE:
        for after in itertools.chain.from_iterable(
            itertools.product(_AFTER, repeat=count) for count in range(3)
        ):
            pieces.update(before + core + "".join(after) for core in _CORES)
    pieces.discard("")
    return sorted(pieces)


@pytest.mark.parametrize("language", LANGUAGES)
def test_built_pieces_split_as_the_regex_rules_split_them(language: str) -> None:
    special, regex_words = _special_cases(language), _regex_splitter(language)
    differ = [
        piece
        for piece in _built_pieces()
        if _compiled_words(piece, special, regex_words) != regex_words(piece)
    ]
    assert not differ


@pytest.mark.parametrize("language", LANGUAGES)
def test_special_cases_with_marks_around_split_as_the_regex_rules_split_them(
    language: str,
) -> None:
    special, regex_words = _special_cases(language), _regex_splitter(language)
    cases = [*english_special_cases(), "'", "''"]
    pieces = [
        f"{before}{case}{after}" for case in cases for before in ("", "(") for after in _AFTER
    ]
    differ = [
        piece
        for piece in pieces
        if _compiled_words(piece, special, regex_words) != regex_words(piece)
    ]
    assert not differ


def test_the_compiled_splitter_takes_most_pieces_itself() -> None:
    calls: list[str] = []
    special, regex_words = _special_cases("en"), _regex_splitter("en")

    def slow(piece: str) -> tuple[str, ...]:
        calls.append(piece)
        return regex_words(piece)

    for piece in ["(Reuters)", "said,", '"The', "5.93", 'dlrs."', "U.S.", "don't", "Inc."]:
        _compiled_words(piece, special, slow)
    assert calls == ["U.S.", "don't"]  # special cases that are not plain: the rules have them


def _compiled_words(
    piece: str, special: SpecialCases, slow: Callable[[str], tuple[str, ...]]
) -> tuple[str, ...]:
    """The words of one piece by the compiled splitter."""
    return tuple(compiled_line_words([piece], special, AFFIXES, slow)[0])
