"""Line counts for Gopher's, FineWeb's and C4's rules, compiled from _line_counts.pyx."""

from collections.abc import Callable

def gopher_line_counts(
    lines: list[str], bullets: tuple[str, ...], ellipses: tuple[str, ...]
) -> tuple[int, int]: ...
def fineweb_line_counts(
    breaks: list[str], short: int, ascii: bytes, is_terminal: Callable[[str], bool]
) -> tuple[int, int, int, int]: ...
def c4_line_counts(
    lines: list[str],
    ends: list[int],
    kinds: bytes,
    longest_word: int,
    fewest_words: int,
    line_ends: tuple[str, ...],
    policy: tuple[str, ...],
    without_citations: Callable[[str], str],
    cited_kinds: Callable[[str], bytes],
) -> tuple[int, int, int]: ...
