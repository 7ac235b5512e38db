"""Pieces of text spaCy's tokenizer keeps whole or cuts its own way: in any language, in English.

Rebuilt from the rules behind spaCy's tables (`spacy/lang/tokenizer_exceptions.py`,
`spacy/lang/en/tokenizer_exceptions.py`): contractions, abbreviations with their full stop,
clock times. Emoticons are left out: news and articles hardly have them, and a missing one
only splits a `:)` into two symbols.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

# A dict, which the compiled word splitter reads; each is built once and never changed.
SpecialCases = dict[str, tuple[str, ...]]

# Single letters with a full stop stay whole ("J. Smith"), in every language.
_LETTERS = "abcdefghijklmnopqrstuvwxyzäöü"
_BASE_WHOLE = ("C++", "''", "'")

# English contractions: what follows each pronoun or question word.
_AFTER_PERSON = {
    "i": ("'m", "'ma", "'ll", "'ll've", "'d", "'d've", "'ve"),
    **dict.fromkeys(("you", "we", "they"), ("'ll", "'ll've", "'d", "'d've", "'ve", "'re")),
    **dict.fromkeys(("he", "she", "it"), ("'ll", "'ll've", "'d", "'d've", "'s")),
    **dict.fromkeys(
        ("who", "what", "when", "where", "why", "how", "there"),
        ("'s", "'ll", "'ll've", "'re", "'ve", "'d", "'d've"),
    ),
    **dict.fromkeys(("that", "this"), ("'s", "'ll", "'ll've", "'d", "'d've")),
    **dict.fromkeys(("these", "those"), ("'ll", "'ll've", "'re", "'ve", "'d", "'d've")),
}
# Verbs before n't, and those of them that also take n't've.
_BEFORE_NOT = ("ai", "are", "is", "was", "were", "has", "have", "dare")
_BEFORE_NOT_HAVE = (
    "ca", "could", "did", "does", "do", "had", "may", "might", "must", "need", "ought", "sha",
    "should", "wo", "would",
)  # fmt: skip
_BEFORE_HAVE = ("could", "might", "must", "should", "would")
# Run together without an apostrophe these are words of their own, not contractions.
_NOT_CONTRACTIONS = {
    "ill", "its", "hell", "shell", "shed", "were", "well", "whore",
    "Ill", "Its", "Hell", "Shell", "Shed", "Were", "Well", "Whore",
}  # fmt: skip
_OTHER_CUTS = {
    "y'all": ("y'", "all"),
    "yall": ("y", "all"),
    "how'd'y": ("how", "'d", "'y"),
    "How'd'y": ("How", "'d", "'y"),
    "not've": ("not", "'ve"),
    "notve": ("not", "ve"),
    "Not've": ("Not", "'ve"),
    "Notve": ("Not", "ve"),
    "cannot": ("can", "not"),
    "Cannot": ("Can", "not"),
    "gonna": ("gon", "na"),
    "Gonna": ("Gon", "na"),
    "gotta": ("got", "ta"),
    "Gotta": ("Got", "ta"),
    "let's": ("let", "'s"),
    "Let's": ("Let", "'s"),
    "c'mon": ("c'm", "on"),
    "C'mon": ("C'm", "on"),
}
_ENGLISH_WHOLE = (
    # clipped words
    "'s", "'S", "'d", "'ll", "'re", "'em", "'nuff", "'bout", "'cause", "'cos", "'coz", "'cuz",
    "'Cause", "'Cos", "'Coz", "'Cuz", "and/or", "w/o", "ma'am", "Ma'am", "o'clock", "O'clock",
    *(f"{word}'" for word in ("doin", "goin", "havin", "lovin", "nothin", "nuthin", "somethin")),
    *(f"{word.title()}'" for word in ("doin", "goin", "havin", "lovin", "nothin", "nuthin")),
    "Somethin'", "ol'", "Ol'",
    # abbreviations
    "a.m.", "p.m.", "e.g.", "E.g.", "E.G.", "i.e.", "I.e.", "I.E.", "vs.", "v.s.", "co.",
    "Adm.", "Bros.", "Co.", "Corp.", "D.C.", "Dr.", "Gen.", "Gov.", "Inc.", "Jr.", "Ltd.",
    "Messrs.", "Mr.", "Mrs.", "Ms.", "Mt.", "Ph.D.", "Prof.", "Rep.", "Rev.", "Sen.", "St.",
    # months
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
    # US states
    "Ak.", "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ia.",
    "Id.", "Ill.", "Ind.", "Kan.", "Kans.", "Ky.", "La.", "Mass.", "Md.", "Mich.", "Minn.",
    "Miss.", "Mo.", "Mont.", "N.C.", "N.D.", "N.H.", "N.J.", "N.M.", "N.Y.", "Neb.", "Nebr.",
    "Nev.", "Okla.", "Ore.", "Pa.", "S.C.", "Tenn.", "Va.", "Wash.", "Wis.",
)  # fmt: skip


@functools.cache
def base_special_cases() -> SpecialCases:
    """The special cases of every language."""
    whole = (*_BASE_WHOLE, *(f"{letter}." for letter in _LETTERS))
    return {word: (word,) for word in whole}


@functools.cache
def english_special_cases() -> SpecialCases:
    """The special cases of English: the base ones, contractions, abbreviations, clock times."""
    cases = dict(base_special_cases())
    cuts = dict(_contractions())
    cuts.update(_OTHER_CUTS)
    cuts.update(_clock_times())
    cases.update({word: (word,) for word in _ENGLISH_WHOLE})
    for text, parts in list(cuts.items()) + [(w, (w,)) for w in _ENGLISH_WHOLE]:
        cases[text] = parts
        if "'" in text:  # the same with a typographic apostrophe
            cases[text.replace("'", "’")] = tuple(part.replace("'", "’") for part in parts)
    return cases


def _contractions() -> Iterator[tuple[str, tuple[str, ...]]]:
    """Contractions as `("don't", ("do", "n't"))`, also title-cased and without apostrophes."""
    pairs = [(word, ending) for word, endings in _AFTER_PERSON.items() for ending in endings]
    pairs += [(verb, "n't") for verb in (*_BEFORE_NOT, *_BEFORE_NOT_HAVE)]
    pairs += [(verb, "n't've") for verb in _BEFORE_NOT_HAVE]
    pairs += [(verb, "'ve") for verb in _BEFORE_HAVE]
    for word, ending in pairs:
        for host in (word, word.title()):
            parts = (host, *_ending_parts(ending))
            yield host + ending, parts
            bare = host + ending.replace("'", "")
            if bare not in _NOT_CONTRACTIONS:
                yield bare, tuple(part.replace("'", "") for part in parts)


def _ending_parts(ending: str) -> tuple[str, ...]:
    """The words of a contraction's ending: `n't've` is `n't` and `'ve`, `'ma` is `'m` and `a`."""
    if ending == "'ma":
        return ("'m", "a")
    if ending.startswith("n't"):
        return ("n't", *(("'ve",) if ending.endswith("'ve") else ()))
    head, _, tail = ending[1:].partition("'")
    return (f"'{head}", *((f"'{tail}",) if tail else ()))


def _clock_times() -> Iterator[tuple[str, tuple[str, ...]]]:
    """`10a.m.`, `10am`, `10p.m.` and `10pm` for each hour: the number, then the period."""
    for hour in range(1, 13):
        for period in ("a.m.", "am", "p.m.", "pm"):
            yield f"{hour}{period}", (str(hour), period)
