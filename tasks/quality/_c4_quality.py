"""C4's quality signals (Raffel et al. 2020, as datatrove's C4QualityFilter computes them).

C4 keeps the lines of a page that end like a sentence and have at least three words, leaves
out those about JavaScript or cookie and privacy policies, and wants five sentences in what
it keeps; a kept line with "lorem ipsum" or a curly bracket condemns the whole page.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from tasks.quality._characters import is_terminal
from tasks.quality._parts import TextParts
from tasks.quality._words import piece_splitter

_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
_LINE_ENDS = (".", "?", "!", '"', "'")
_MIN_WORDS = 3
_MAX_WORD_LENGTH = 1000
# An end, then anything but a word, then a word: a new sentence begins at that word.
_SENTENCE_BREAK = re.compile("E[EP]*W")
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
    words_of = piece_splitter(language)
    for raw in parts.lines:
        words = raw.split()
        if len(raw) > _MAX_WORD_LENGTH and max(map(len, words), default=0) > _MAX_WORD_LENGTH:
            continue
        stripped = raw.strip()
        line = _CITATION.sub("", stripped) if "[" in stripped else stripped
        if not line.endswith(_LINE_ENDS) or line.endswith("...") or len(words) < _MIN_WORDS:
            continue
        lowered = line.lower()
        lorem_ipsum += "lorem ipsum" in lowered
        if "javascript" in lowered:
            continue
        curly_bracket += "{" in line
        if any(phrase in lowered for phrase in _POLICY):
            continue
        sentences += sentence_count(words if line is stripped else line.split(), words_of)
    return C4Quality(sentences, lorem_ipsum, curly_bracket)


def sentence_count(pieces: list[str], words_of: Callable[[str], tuple[str, ...]]) -> int:
    """How many sentences the words of `pieces` (a line cut at spaces, each split into words
    by `words_of`) make, as spaCy's sentencizer cuts them.

    A sentence ends at a sentence-ending mark (`.`, `!`, `?`, `。`...) and the next one begins
    at the first word after it that is not punctuation; a text has at least one. A piece of
    letters and digits holds no mark, so only the other pieces are split; between two of them
    that are not next to each other, and after the last, one `W` stands for the words.
    """
    if not pieces:
        return 0
    marks = itertools.compress(range(len(pieces)), map(operator.not_, map(str.isalnum, pieces)))
    kinds: list[str] = []
    last = -1
    for place in marks:
        if place > last + 1:
            kinds.append("W")
        kinds.append(_piece_kinds(pieces[place], words_of))
        last = place
    if last < len(pieces) - 1:
        kinds.append("W")
    return 1 + len(_SENTENCE_BREAK.findall("".join(kinds)))


@functools.lru_cache(maxsize=65_536)
def _piece_kinds(piece: str, words_of: Callable[[str], tuple[str, ...]]) -> str:
    """The kinds (`E`, `P`, `W`) of the words of one piece, split by `words_of`."""
    return "".join(map(_word_kind, words_of(piece)))


@functools.lru_cache(maxsize=65_536)
def _word_kind(word: str) -> str:
    """`E` for a sentence-ending mark, `P` for other punctuation, `W` for any other word."""
    if word.isalnum():
        return "W"
    if len(word) == 1 and is_terminal(word):
        return "E"
    return "P" if all(unicodedata.category(char).startswith("P") for char in word) else "W"
