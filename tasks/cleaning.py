"""Text cleaning: Unicode normalization, invisible characters, spaces and mojibake."""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS, LIGATURES

# ftfy repairs mojibake; quotes, HTML entities and line breaks are left to us.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_character_width=False,
    fix_c1_controls=False,
    normalization=None,
    explain=False,
)
# What ftfy's other enabled fixes act on: ligatures, control characters (terminal escapes
# begin with one) and surrogates. Text without them that does not look bad, it leaves alone.
_FTFY_TARGETS = re.compile(
    "[" + re.escape("".join(map(chr, sorted({*LIGATURES, *CONTROL_CHARS})))) + "\ud800-\udfff]"
)
# ftfy asks `is_bad` of each line; the one anchored pattern in it could match at a line start.
_BAD_LINE_START = re.compile("^[ÃÂ] ", re.MULTILINE)
_INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e"  # zero-width space, word joiner, BOM, soft hyphen
_CONTROL = "".join(
    chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\t\n"
)
# A character class, not str.translate: a regex skips clean text in C, translate looks up
# each character (0.64 against 0.05 ms a page of HTML text, benchmarks/README.md, issue 18).
_DROPPED = re.compile("[" + re.escape(_INVISIBLE + _CONTROL) + "]")
# Every space character but the plain one, tab and line breaks: what `\s` matches (str.isspace)
# less " \t\n\r\f\v", listed so that the plain spaces are not each replaced by themselves.
_ODD_SPACES = "\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_UNICODE_SPACES = re.compile(f"[{_ODD_SPACES}]")
_SPACE_RUNS = re.compile(r" {2,}")
# Every match of ftfy's badness pattern holds a non-ASCII character, and reaches at most this
# many characters to either side of it: its widest match is 7 (tests/test_cleaning.py reads
# both off the pattern).
_BADNESS_REACH = 6
_NON_ASCII_RUNS = re.compile(r"[^\x00-\x7f]+")


def clean_text(text: str) -> str:
    """`text` repaired, normalized to NFC, with invisible characters dropped and spaces tidied."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _without_mojibake(text)
    text = _DROPPED.sub("", unicodedata.normalize("NFC", text))
    text = _UNICODE_SPACES.sub(" ", text)
    text = _SPACE_RUNS.sub(" ", text)
    return "\n".join(line.strip(" \t") for line in text.split("\n")).strip("\n")


def _without_mojibake(text: str) -> str:
    """`text` as ftfy fixes it, without asking ftfy line by line when no fix can apply."""
    if _FTFY_TARGETS.search(text) or _BAD_LINE_START.search(text) or looks_bad(text):
        return ftfy.fix_text(text, _FTFY_CONFIG)
    return text


def looks_bad(text: str) -> bool:
    """ftfy's `is_bad(text)`: whether its badness pattern matches, searched only around the
    non-ASCII characters every match holds.

    Most text is ASCII but for a few quotes and dashes: 0.35 against 2.25 ms a page of HTML
    text (benchmarks/README.md, issue 18).
    """
    if text.isascii():
        return False
    start = end = -1
    for run in _NON_ASCII_RUNS.finditer(text):
        if run.start() - _BADNESS_REACH > end:
            # pos and endpos, not a slice: `^` still matches only where the text begins.
            if end >= 0 and BADNESS_RE.search(text, start, end):
                return True
            start = max(run.start() - _BADNESS_REACH, 0)
        end = run.end() + _BADNESS_REACH
    return BADNESS_RE.search(text, start, end) is not None
