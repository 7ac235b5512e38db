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

C4Counts = tuple[int, int, int]

_compiled_sentence_kinds: Callable[..., bytes] | None
_compiled_line_counts: Callable[..., C4Counts] | None
try:  # built by `pip install` from .pyx modules; the python_ functions give the same
    from tasks.quality._line_counts import c4_line_counts as _compiled_line_counts
    from tasks.quality._word_classes import sentence_kinds as _compiled_sentence_kinds
except ImportError:  # a source tree that was never installed
    _compiled_sentence_kinds = _compiled_line_counts = None

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
    words, ends = parts.line_words
    kinds = sentence_kinds(words)
    if _compiled_line_counts is None:
        return C4Quality(*python_line_counts(parts.lines, ends, kinds, language))
    cited_kinds = functools.partial(_cited_kinds, language=language)
    return C4Quality(
        *_compiled_line_counts(
            parts.lines,
            ends,
            kinds,
            _MAX_WORD_LENGTH,
            _MIN_WORDS,
            _LINE_ENDS,
            _POLICY,
            _without_citations,
            cited_kinds,
        )
    )


def python_line_counts(
    lines: list[str], ends: list[int], kinds: bytes, language: str | None
) -> C4Counts:
    """C4's sentences, lorem ipsum lines and curly bracket lines among `lines`, whose words'
    `kinds` end at `ends`, in Python: what the compiled counts must equal."""
    sentences = lorem_ipsum = curly_bracket = 0
    for raw, (start, end) in zip(lines, itertools.pairwise([0, *ends]), strict=True):
        stripped = raw.strip()
        line = _without_citations(stripped) if "[" in stripped else stripped
        if not line.endswith(_LINE_ENDS) or line.endswith("..."):
            continue
        pieces = raw.split()
        if len(pieces) < _MIN_WORDS or (
            len(raw) > _MAX_WORD_LENGTH and max(map(len, pieces)) > _MAX_WORD_LENGTH
        ):
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
            cited = _cited_kinds(line, language)
            sentences += sentence_count(cited, 0, len(cited))
    return sentences, lorem_ipsum, curly_bracket


def _without_citations(line: str) -> str:
    """`line` without its citation marks (`[1]`, `[edit]`, `[citation needed]`)."""
    return _CITATION.sub("", line)


def _cited_kinds(line: str, language: str | None) -> bytes:
    """The kinds of the words of a line whose citation marks were taken out."""
    return sentence_kinds(line_words([line], language)[0])


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
