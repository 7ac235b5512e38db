"""Word splitting as datatrove's spaCy tokenizer does it: a table checked against spaCy 3.8."""

from __future__ import annotations

import pytest

from tasks.quality._words import split_words

# (text, English words); each row's words are those spacy.blank("en") gives.
ENGLISH = [
    ("Shr 80 cts vs 72 cts.", ["Shr", "80", "cts", "vs", "72", "cts", "."]),
    ("Net 55,513,000 vs 48,741,000", ["Net", "55,513,000", "vs", "48,741,000"]),
    ("U.S. officials don't think", ["U.S.", "officials", "do", "n't", "think"]),
    ("it's $5.5 billion...", ["it", "'s", "$", "5.5", "billion", "..."]),
    ("e-mail 5-year co-operate", ["e", "-", "mail", "5", "-", "year", "co", "-", "operate"]),
    ('(Reuters) "quoted" #tag.', ["(", "Reuters", ")", '"', "quoted", '"', "#", "tag", "."]),
    (
        "I'm sure you'll see (Inc.),",
        ["I", "'m", "sure", "you", "'ll", "see", "(", "Inc.", ")", ","],
    ),
    ("3M's 10km run at 10am;", ["3", "M", "'s", "10", "km", "run", "at", "10", "am", ";"]),
    ("http://example.com/a-b,", ["http://example.com/a-b", ","]),
    ("“Hello,” she said—then", ["“", "Hello", ",", "”", "she", "said", "—", "then"]),
    ("O'Brien's 1987/88 U.S.-Japan", ["O'Brien", "'s", "1987/88", "U.S.-Japan"]),
    ("12.5% 3-for-2 Feb. 26", ["12.5", "%", "3", "-", "for-2", "Feb.", "26"]),
    ("cannot gonna dont Im", ["can", "not", "gon", "na", "do", "nt", "I", "m"]),
    ("its well were Ill", ["its", "well", "were", "Ill"]),
    ("She couldn’t’ve known", ["She", "could", "n’t", "’ve", "known"]),
    ("J. Smith and/or w/o", ["J.", "Smith", "and/or", "w/o"]),
]
# Outside English, spaCy's shared rules (those of spacy.blank("xx")): no contractions, no
# hyphen cut after a digit.
OTHER = [
    ("don't 5-year e-mail", ["don't", "5-year", "e", "-", "mail"]),
    ("« déjà vu », dit-il.", ["«", "déjà", "vu", "»", ",", "dit", "-", "il", "."]),
    ("Straße (Köln) 10km", ["Straße", "(", "Köln", ")", "10", "km"]),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_words(text: str, expected: list[str]) -> None:
    assert split_words(text, "en") == expected


@pytest.mark.parametrize(("text", "expected"), OTHER)
def test_words_in_other_languages(text: str, expected: list[str]) -> None:
    assert split_words(text, "fr") == expected


def test_words_never_span_lines() -> None:
    text = "First line.\nSecond (line)\n\nthird"
    assert split_words(text, "en") == [
        word for line in text.splitlines() for word in split_words(line, "en")
    ]
