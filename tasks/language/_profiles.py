"""langdetect's own language profiles as an n-gram-by-language probability matrix."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

_key_table: Callable[..., tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]] | None
_table_rows: Callable[..., None] | None
try:  # built by `pip install` from _key_table.pyx: a hash table instead of binary search
    from tasks.language._key_table import key_table as _key_table
    from tasks.language._key_table import table_rows as _table_rows
except ImportError:  # a source tree that was never installed: searchsorted, below
    _key_table = _table_rows = None

# A character's code point + 1 fits in 21 bits, so up to three of them pack into one uint64;
# the + 1 keeps "a" and "\0a" apart.
_CHAR_BITS = 21


@dataclass(frozen=True, slots=True)
class LangdetectProfiles:
    """Languages in langdetect's order, and P(n-gram | language) in rows sorted by n-gram key."""

    languages: tuple[str, ...]
    keys: npt.NDArray[np.uint64]
    probabilities: npt.NDArray[np.float64]
    # The keys' hash table (its slots and their rows), when _key_table.pyx is compiled.
    table: tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]] | None = None

    def rows_of(self, keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
        """The profile row of each n-gram key, or -1 for n-grams no profile knows."""
        if self.table is None:
            return self.searched_rows(keys)
        assert _table_rows is not None  # a table is built only where _key_table.pyx is
        found = np.empty(len(keys), dtype=np.int64)
        _table_rows(*self.table, np.ascontiguousarray(keys, dtype=np.uint64), found)
        return found

    def searched_rows(self, keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
        """rows_of by binary search in the sorted keys: the reference the table is held to."""
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
    table = _key_table(keys) if _key_table is not None else None
    return LangdetectProfiles(tuple(languages), keys, matrix, table)
