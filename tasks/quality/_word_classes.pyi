"""Word classes for Gopher's counts and C4's sentences, compiled from _word_classes.pyx."""

from collections.abc import Callable

def gopher_word_counts(
    words: list[str],
    ascii: bytes,
    kind: Callable[[str], int],
    stop_words: frozenset[str] | None,
) -> tuple[int, int, int, int | None]: ...
def sentence_kinds(words: list[str], ascii: bytes, kind: Callable[[str], str]) -> bytes: ...
