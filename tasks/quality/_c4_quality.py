"""C4's quality signals (Raffel et al. 2020, as datatrove's C4QualityFilter computes them).

C4 keeps the lines of a page that end like a sentence and have at least three words, leaves
out those about JavaScript or cookie and privacy policies, and wants five sentences in what
it keeps; a kept line with "lorem ipsum" or a curly bracket condemns the whole page.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from tasks.quality._characters import is_terminal
from tasks.quality._parts import TextParts
from tasks.quality._words import line_words

_compiled_sentence_kinds: Callable[..., bytes] | None
try:  # built by `pip install` from _word_classes.pyx; python_sentence_kinds gives the same
    from tasks.quality._word_classes import sentence_kinds as _compiled_sentence_kinds
except ImportError:  # a source tree that was never installed
    _compiled_sentence_kinds = None

_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
_LINE_ENDS = (".", "?", "!", '"', "'")
_MIN_WORDS = 3
_MAX_WORD_LENGTH = 1000
# An end, then anything but a word, then a word: a new sentence begins at that word.
_SENTENCE_BREAK = re.compile(b"E[EP]*W")
_POLICY = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


@dataclass(frozen=True, slots=True)
class C4Quality:
    """What C4 keeps of a text, in sentences, and the kept lines that condemn it."""

    c4_sentences: int  # sentences in the lines C4 keeps
    c4_lorem_ipsum_lines: int  # kept lines with "lorem ipsum"
    c4_curly_bracket_lines: int  # kept lines (not about JavaScript) with a `{`


def c4_quality(parts: TextParts, language: str | None) -> C4Quality:
    """The C4 signals of a text cut into `parts`, its words split by the rules of `language`."""
    sentences = lorem_ipsum = curly_bracket = 0
    words, ends = parts.line_words
    kinds = sentence_kinds(words)
    for raw, (start, end) in zip(parts.lines, itertools.pairwise([0, *ends]), strict=True):
        pieces = raw.split()
        if len(raw) > _MAX_WORD_LENGTH and max(map(len, pieces), default=0) > _MAX_WORD_LENGTH:
            continue
        stripped = raw.strip()
        line = _CITATION.sub("", stripped) if "[" in stripped else stripped
        if not line.endswith(_LINE_ENDS) or line.endswith("...") or len(pieces) < _MIN_WORDS:
            continue
        lowered = line.lower()
        lorem_ipsum += "lorem ipsum" in lowered
        if "javascript" in lowered:
            continue
        curly_bracket += "{" in line
        if any(phrase in lowered for phrase in _POLICY):
            continue
        if line is stripped:  # its words are the text's, from `start` to `end`
            sentences += sentence_count(kinds, start, end)
        else:  # citation marks taken out: its own words
            cited = sentence_kinds(line_words([line], language)[0])
            sentences += sentence_count(cited, 0, len(cited))
    return C4Quality(sentences, lorem_ipsum, curly_bracket)


def sentence_count(kinds: bytes, start: int, end: int) -> int:
    """How many sentences the words of these `kinds` (see sentence_kinds), from `start` to
    `end`, make as spaCy's sentencizer cuts them.

    A sentence ends at a sentence-ending mark (`.`, `!`, `?`, `。`...) and the next one begins
    at the first word after it that is not punctuation; words make at least one.
    """
    return 1 + len(_SENTENCE_BREAK.findall(kinds, start, end)) if end > start else 0


def sentence_kinds(words: list[str]) -> bytes:
    """The kind of each word: `E` a sentence-ending mark, `P` other punctuation, `W` any
    other word; compiled when the module is built."""
    if _compiled_sentence_kinds is None:
        return python_sentence_kinds(words)
    return _compiled_sentence_kinds(words, _ASCII_BITS, _word_kind)


def python_sentence_kinds(words: list[str]) -> bytes:
    """The kinds of sentence_kinds, in Python: what the compiled ones must equal."""
    return "".join(map(_word_kind, words)).encode()


@functools.lru_cache(maxsize=65_536)
def _word_kind(word: str) -> str:
    """`E` for a sentence-ending mark, `P` for other punctuation, `W` for any other word."""
    if word.isalnum():
        return "W"
    if len(word) == 1 and is_terminal(word):
        return "E"
    return "P" if all(unicodedata.category(char).startswith("P") for char in word) else "W"


# What the compiled kinds read of each ASCII character (`_word_classes.pyx`): 1 a letter or
# digit, 2 a sentence end, 4 punctuation (a word's kind holds when each character's does).
_ASCII_BITS = bytes(
    char.isalnum() | is_terminal(char) << 1 | unicodedata.category(char).startswith("P") << 2
    for char in map(chr, range(128))
)
