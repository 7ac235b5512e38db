"""What the quality signals need of a language: whether its words can be split, its stop words."""

from __future__ import annotations

# Gopher's stop words (Rae et al. 2021), datatrove's list: a text in English with fewer than
# two of them is unlikely to be prose. No published list of the same kind exists for the other
# languages datatrove's defaults cover, so their count is null rather than a wrong flag.
_STOP_WORDS = {"en": frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})}
# Written without spaces between words: datatrove splits them with a segmenter (jieba,
# SudachiPy, Kiwi, PyThaiNLP, pyvi), docprep does not, so their word signals are null.
_UNSPLIT = frozenset({"zh-cn", "zh-tw", "ja", "ko", "th", "vi"})


def stop_words(language: str | None) -> frozenset[str] | None:
    """The Gopher stop words of `language`; None when there is no list for it."""
    return _STOP_WORDS.get(language) if language else None


def splits_words(language: str | None) -> bool:
    """Whether docprep splits the words of `language` as datatrove does."""
    return language not in _UNSPLIT
