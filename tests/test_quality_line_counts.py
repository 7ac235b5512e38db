"""The compiled line counts (Gopher's, FineWeb's, C4's) against their Python references."""

from __future__ import annotations

import random

import pytest

from tasks.quality._c4_quality import C4Quality, c4_quality, python_line_counts, sentence_kinds
from tasks.quality._fineweb_quality import line_counts as fineweb_line_counts
from tasks.quality._fineweb_quality import python_line_counts as python_fineweb_line_counts
from tasks.quality._gopher_quality import line_counts as gopher_line_counts
from tasks.quality._gopher_quality import python_line_counts as python_gopher_line_counts
from tasks.quality._parts import text_parts

# Lines at the edges of each rule: white space of every kind around them, bullets and
# ellipses inside it, sentence ends of other scripts, repeats, citation marks, the phrases
# C4 leaves out, too few words, a word too long, and curly brackets.
EDGE_LINES = [
    "", " ", "\t", "\u3000", "\x1c", "\x85", "\u2028", "\xa0\xa0",
    "- a bullet", "  • a bullet", "\u3000-x", "-", "•", "x - y", "x •",
    "the end...", "the end...  ", "the end… ", "the end ..", "...", "…", "And so it ended...",
    "And so it ended … ", "He said it ended ...",
    "It rose 5% [1].", "It rose [edit] again [citation needed].", "[1] [2] [3].",
    "It rose [1]. ", "Two words.", "Three words here.", "A line with \"quotes\"",
    "It's 'quoted'", "Ends with a question?", "Ends with an exclamation!",
    "Enable JavaScript to see this page.", "We use cookies on this site.",
    "Read our Privacy Policy now.", "The terms of use apply.", "Lorem ipsum dolor sit amet.",
    "function f() { return 1; }.", "Σ ΟΔΟΣ ΣΑΣ lorem IPSUM.", "日本語の文章です。本当に。はい。",
    "Был ли он? Да! Нет.", "क्या यह है। हाँ।", "هل هو؟ نعم.", "x " * 5 + "y" * 1001 + ".",
    "x " * 600 + ".", "word " * 40 + "end.", "Short line.", "A much longer line than thirty.",
]  # fmt: skip


def test_the_installed_package_counts_lines_compiled() -> None:
    from tasks.quality import _c4_quality, _fineweb_quality, _gopher_quality

    for module in (_c4_quality, _fineweb_quality, _gopher_quality):
        assert module._compiled_line_counts is not None, "run `make install`"


def _texts() -> list[str]:
    """Each edge line alone and with others, and random mixes with repeats."""
    rng = random.Random(20261204)
    texts = [*EDGE_LINES, "\n".join(EDGE_LINES), "\r\n".join(EDGE_LINES), "\n\n".join(EDGE_LINES)]
    for _ in range(300):
        lines = rng.choices(EDGE_LINES, k=rng.randint(0, 12))
        texts.append(rng.choice(["\n", "\n\n", "\r", "\n \n"]).join(lines))
    return texts


def test_gopher_line_counts_equal_python() -> None:
    for text in _texts():
        lines = text.splitlines()
        assert gopher_line_counts(lines) == python_gopher_line_counts(lines), text


def test_fineweb_line_counts_equal_python() -> None:
    for text in _texts():
        breaks = text.split("\n")
        assert fineweb_line_counts(breaks) == python_fineweb_line_counts(breaks), text


@pytest.mark.parametrize("language", ["en", "fr", "ja", None])
def test_c4_line_counts_equal_python(language: str | None) -> None:
    for text in _texts():
        parts = text_parts(text, language)
        words, ends = parts.line_words
        expected = python_line_counts(parts.lines, ends, sentence_kinds(words), language)
        assert c4_quality(parts, language) == C4Quality(*expected), text
