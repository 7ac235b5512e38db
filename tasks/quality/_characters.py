"""Which characters datatrove's filters count as punctuation and as sentence ends."""

from __future__ import annotations

import string

import regex

# Sentence-ending marks of every script (Unicode's Sentence_Terminal property): datatrove's
# TERMINAL_PUNCTUATION is this property's list, with Khmer's three signs of the same use.
_TERMINAL = regex.compile(r"[\p{Sentence_Terminal}\u17d6\u17d9\u17da]")
# Beyond ASCII punctuation and the sentence ends, what datatrove's PUNCTUATION lists: dashes,
# typographic and CJK quotes and brackets, full-width forms (among them the digit １).
_OTHER_PUNCTUATION = "—”％１〈、━【「」，】；“《„’∶´．（–？！：～«〉》）。…►»"
_CONTROL = "".join(chr(c) for c in (*range(0, 9), *range(11, 32), *range(127, 160)))
_SYMBOL_WORD = regex.compile(
    "["
    + regex.escape(string.punctuation + _OTHER_PUNCTUATION + _CONTROL)
    + r"\p{Sentence_Terminal}\u17d6\u17d9\u17da]+"
)


def is_terminal(char: str) -> bool:
    """Whether `char` ends a sentence in some script (`.`, `?`, `!`, `。`, `।`, `؟`...)."""
    return _TERMINAL.match(char) is not None


def terminal_count(chars: str) -> int:
    """How many of `chars` end a sentence in some script."""
    return len(_TERMINAL.findall(chars))


def is_symbol_word(word: str) -> bool:
    """Whether `word` is only punctuation, by datatrove's list (then Gopher does not count it)."""
    return not word.isalpha() and _SYMBOL_WORD.fullmatch(word) is not None
