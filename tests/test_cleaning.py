"""Text cleaning, one rule per row."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES, is_bad

from tasks.cleaning import (
    _BADNESS_REACH,
    _CONTROL,
    _INVISIBLE,
    _UNICODE_SPACES,
    _without_mojibake,
    clean_text,
    looks_bad,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("e\u0301te\u0301", "\u00e9t\u00e9"),  # NFC
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),  # CRLF and CR to LF
        ("a\x00b\x07c\x1bd\x7fe\x81f\x9dg", "abcdefg"),  # C0 and C1 controls dropped
        ("wait\x85", "wait…"),  # except a C1 that is cp1252 mojibake: ftfy repairs it
        ("tab\there\nnext", "tab\there\nnext"),  # tabs and newlines kept
        ("zero\u200bwidth\ufeffbom\u00adsoft\u2060joiner", "zerowidthbomsoftjoiner"),
        ("a\u00a0b\u2009c\u3000d\u202fe", "a b c d e"),  # Unicode spaces to plain spaces
        ("many     spaces", "many spaces"),
        ("  trimmed line  \n\t indented\t", "trimmed line\nindented"),
        ("didnâ€™t", "didn’t"),  # mojibake repaired
        ("See the menu\nÃ  la carte", "See the menu\nà la carte"),  # mojibake opening a line
        ("ﬁne ﬂags", "fine flags"),  # Latin ligatures taken apart
        ("\x1b[31mred\x1b[0m alert", "red alert"),  # terminal escapes removed whole
        ("“quoted” and ‘single’", "“quoted” and ‘single’"),  # typographic quotes kept
        ("AT&amp;T", "AT&amp;T"),  # text files keep entities as written
        ("\n\n  body  \n\n", "body"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_cleaning_is_idempotent() -> None:
    raw = " date 2024-11-02 Ukraine\u00a0launched didnâ€™t \u200b\r\n\r\nNext\u00ad one "
    once = clean_text(raw)
    assert clean_text(once) == once


def test_odd_spaces_are_every_space_but_the_plain_ones() -> None:
    odd = {chr(c) for c in range(sys.maxunicode + 1) if _UNICODE_SPACES.fullmatch(chr(c))}
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert odd == spaces - set(" \t\n\r\f\v")


def _reference_clean_text(text: str) -> str:
    """clean_text as first written, with str.translate and a regex for every step."""
    drop = str.maketrans("", "", _INVISIBLE + _CONTROL)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _without_mojibake(text)
    text = unicodedata.normalize("NFC", text).translate(drop)
    text = re.sub(r"[^\S\t\n\r\f\v]", " ", text)
    text = re.sub(r" {2,}", " ", text)
    return re.sub(r"^[ \t]+|[ \t]+$", "", text, flags=re.MULTILINE).strip("\n")


def test_clean_text_does_what_its_reference_does() -> None:
    # Strings drawn from what each step acts on: spaces of every kind, controls, invisible
    # characters, line breaks, combining marks and mojibake, between plain letters.
    pieces = [*" \t\n\r\f\v", *_INVISIBLE, *_CONTROL, "\u0301", "â€™", "Ã ", "ﬁ", "ab", "é"]
    pieces += [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    generator = random.Random(18)
    for _ in range(3000):
        text = "".join(generator.choices(pieces, k=generator.randrange(0, 40)))
        assert clean_text(text) == _reference_clean_text(text), repr(text)


def _needs_non_ascii(item: tuple[object, object]) -> bool:
    """Whether one parsed regex item matches only a non-ASCII character."""
    from re import _constants as sre  # type: ignore[attr-defined]

    op, argument = item
    if op is sre.LITERAL:
        return isinstance(argument, int) and argument > 0x7F
    if op is sre.IN and isinstance(argument, list):
        return all(
            (kind is sre.LITERAL and value > 0x7F) or (kind is sre.RANGE and value[0] > 0x7F)
            for kind, value in argument
        )
    return False


def test_every_badness_match_holds_a_non_ascii_character_within_reach() -> None:
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    ((_, (_, branches)),) = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags).data
    assert len(branches) > 30  # ftfy's alternatives, each checked below
    for branch in branches:
        assert branch.getwidth()[1] - 1 <= _BADNESS_REACH, branch
        assert any(_needs_non_ascii(item) for item in branch.data), branch


def test_looks_bad_is_ftfys_is_bad() -> None:
    # Plain text with mojibake's characters sprinkled in, near and far from each other, so that
    # the searched stretches both merge and stay apart; and lines that begin with "Ã ".
    literals = set("ÂÃÎÐ€Œœ°×²³ØÙà√≈‚ВГРСΒΓΞΟāβ")  # the pattern's own characters
    mojibake = sorted(set("".join(MOJIBAKE_CATEGORIES.values())) | literals)
    mojibake += ["ГўВЂВ", "вЂ", "‚Ä", "β€", "ā€", "â€™", "Ã "]  # ftfy's longer sequences
    plain = [*"abcdefXYZ .,?!", "\n", "  ", "word ", "a longer stretch of plain words "]
    generator = random.Random(1)
    for _ in range(4000):
        pieces = generator.choices(plain, k=generator.randrange(0, 60))
        for _ in range(generator.randrange(0, 6)):
            pieces.insert(generator.randrange(len(pieces) + 1), generator.choice(mojibake))
        text = "".join(pieces)
        assert looks_bad(text) == is_bad(text), repr(text)
    for text in ["Ã tout", "x\nÃ  la", "didnâ€™t", "“quoted”", "plain", "", "é", "Ã"]:
        assert looks_bad(text) == is_bad(text), repr(text)
