"""The normal form of a text that copies share: its words, casefolded, without punctuation."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Punctuation and symbols are deleted, not turned into spaces: "U.S." and "US" are one word.
_NOT_WORD_OR_SPACE = re.compile(r"[^\w\s]+")


def normal_form(text: str) -> str:
    """`text` NFKC-normalized and casefolded, punctuation deleted, words joined by one space."""
    return " ".join(
        _NOT_WORD_OR_SPACE.sub("", unicodedata.normalize("NFKC", text).casefold()).split()
    )


def normal_hash(normal: str) -> str:
    """The 64-bit hex digest of a normal form: equal for texts that differ only in noise."""
    return hashlib.blake2b(normal.encode(), digest_size=8).hexdigest()
