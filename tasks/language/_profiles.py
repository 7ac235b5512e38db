"""langdetect's own language profiles as an n-gram-by-language probability matrix."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

# A character's code point + 1 fits in 21 bits, so up to three of them pack into one uint64;
# the + 1 keeps "a" and "\0a" apart.
_CHAR_BITS = 21


@dataclass(frozen=True, slots=True)
class LangdetectProfiles:
    """Languages in langdetect's order, and P(n-gram | language) in rows sorted by n-gram key."""

    languages: tuple[str, ...]
    keys: npt.NDArray[np.uint64]
    probabilities: npt.NDArray[np.float64]

    def rows_of(self, keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
        """The profile row of each n-gram key, or -1 for n-grams no profile knows."""
        positions = np.searchsorted(self.keys, keys)
        positions[positions == len(self.keys)] = 0
        return np.where(self.keys[positions] == keys, positions, -1)


def ngram_key(ngram: str) -> int:
    """The packed integer key of an n-gram of one to three characters."""
    key = 0
    for char in ngram:
        key = (key << _CHAR_BITS) | (ord(char) + 1)
    return key


def packed_keys(
    first: npt.NDArray[np.uint64], *rest: npt.NDArray[np.uint64]
) -> npt.NDArray[np.uint64]:
    """The keys of n-grams given as arrays of code points, one array per character position."""
    keys = first + np.uint64(1)
    for codes in rest:
        keys = (keys << np.uint64(_CHAR_BITS)) | (codes + np.uint64(1))
    return keys


def load_langdetect_profiles(directory: Path) -> LangdetectProfiles:
    """The profiles in langdetect's profile `directory`, weighted as its DetectorFactory does."""
    # langdetect numbers languages in os.listdir order; keeping it keeps its tie-breaking.
    files = [
        directory / name
        for name in os.listdir(directory)
        if not name.startswith(".") and (directory / name).is_file()
    ]
    languages: list[str] = []
    entry_keys: list[int] = []
    entry_columns: list[int] = []
    entry_probabilities: list[float] = []
    for column, file in enumerate(files):
        profile = json.loads(file.read_text(encoding="utf-8"))
        languages.append(str(profile["name"]))
        totals: list[int] = profile["n_words"]
        for ngram, count in profile["freq"].items():
            if 1 <= len(ngram) <= 3:
                entry_keys.append(ngram_key(ngram))
                entry_columns.append(column)
                entry_probabilities.append(count / totals[len(ngram) - 1])
    packed = np.array(entry_keys, dtype=np.uint64)
    keys = np.unique(packed)
    # Dense, like langdetect's own word_lang_prob_map: 87,598 n-grams x 55 languages, 39 MB.
    matrix = np.zeros((len(keys), len(languages)))
    matrix[np.searchsorted(keys, packed), entry_columns] = entry_probabilities
    return LangdetectProfiles(languages=tuple(languages), keys=keys, probabilities=matrix)
