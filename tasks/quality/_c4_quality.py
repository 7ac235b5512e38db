"""C4's quality signals (Raffel et al. 2020, as datatrove's C4QualityFilter computes them).

C4 keeps the lines of a page that end like a sentence and have at least three words, leaves
out those about JavaScript or cookie and privacy policies, and wants five sentences in what
it keeps; a kept line with "lorem ipsum" or a curly bracket condemns the whole page.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from tasks.quality._characters import is_terminal

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


def c4_quality(
    lines: list[str], line_words: list[list[str]], split_words: Callable[[str], list[str]]
) -> C4Quality:
    """The C4 signals of a text's `lines`, split into `line_words` (by `split_words`)."""
    sentences = lorem_ipsum = curly_bracket = 0
    for raw, split in zip(lines, line_words, strict=True):
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
        sentences += sentence_count(split if line is stripped else split_words(line))
    return C4Quality(sentences, lorem_ipsum, curly_bracket)


def sentence_count(words: list[str]) -> int:
    """How many sentences `words` make, as spaCy's sentencizer cuts them.

    A sentence ends at a sentence-ending mark (`.`, `!`, `?`, `。`...) and the next one begins
    at the first word after it that is not punctuation; a text has at least one.
    """
    if not words:
        return 0
    kinds = "".join(map(_word_kind, words))
    return 1 + len(_SENTENCE_BREAK.findall(kinds))


@functools.lru_cache(maxsize=65_536)
def _word_kind(word: str) -> str:
    """`E` for a sentence-ending mark, `P` for other punctuation, `W` for any other word."""
    if word.isalnum():
        return "W"
    if len(word) == 1 and is_terminal(word):
        return "E"
    return "P" if all(unicodedata.category(char).startswith("P") for char in word) else "W"
