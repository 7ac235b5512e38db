"""The words of plain pieces of text, compiled from _word_pieces.pyx."""

from collections.abc import Callable

def line_words(
    lines: list[str],
    special: dict[str, tuple[str, ...]],
    affixes: frozenset[str],
    slow: Callable[[str], tuple[str, ...]],
) -> tuple[list[str], list[int]]: ...
