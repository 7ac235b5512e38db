"""The n-grams langdetect extracts from a text, by its own cleaning and normalization rules."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from tasks.language._profiles import packed_keys

_scanned_keys: Callable[..., tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]] | None
try:  # built by `pip install` from _ngram_scan.pyx: the same keys in one pass, in C
    from tasks.language._ngram_scan import scanned_keys as _scanned_keys
except ImportError:  # a source tree that was never installed: numpy, below
    _scanned_keys = None

MAX_TEXT_LENGTH = 10_000  # langdetect's Detector reads no further than this
_SPACE = 0x20
_SPACE_RUNS = re.compile(" {2,}")
_LATIN_EXTENDED_ADDITIONAL = (0x1E00, 0x1EFF)
_BMP = 0x10000


def ngram_keys(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """The packed keys of the 1-, 2- and 3-grams of the texts, in the order langdetect lists
    them, and the index of the text each came from."""
    if not texts:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp)
    appended = [_appended_text(text) for text in texts]
    # One pass over all texts, each after a space: langdetect's NGram buffer starts as one.
    codes = _code_points(" " + " ".join(appended))
    lengths = np.array([len(text) + 1 for text in appended], dtype=np.intp)
    owners = np.repeat(np.arange(len(texts)), lengths)
    separators = np.zeros(len(codes), dtype=np.bool_)
    separators[np.cumsum(lengths) - lengths] = True
    codes, owners, separators = _without_latin_in_non_latin_texts(
        codes, owners, separators, len(texts)
    )
    if _scanned_keys is not None and bool((codes < _BMP).all()):
        return _scanned_keys(
            np.ascontiguousarray(codes),
            np.ascontiguousarray(owners, dtype=np.int64),
            np.ascontiguousarray(separators).view(np.uint8),
            _normalized_bmp(),
            _upper_bmp().view(np.uint8),
        )
    return _numpy_keys(codes, owners, separators)


def _numpy_keys(
    codes: npt.NDArray[np.uint64], owners: npt.NDArray[np.intp], separators: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """ngram_keys' last steps with numpy, a whole array at a time: the reference the compiled
    scan is held to, and the path for text beyond the BMP."""
    codes = _normalized(codes)
    # Each position sees its character, the one before and the one before that.
    current = codes[1:]
    previous = codes[:-1]
    earlier = np.concatenate((np.array([_SPACE], dtype=np.uint64), codes[:-2]))
    upper = _upper(codes)
    capital_word = upper[1:] & upper[:-1]  # two capitals in a row: langdetect skips the n-grams
    space, previous_space = current == _SPACE, previous == _SPACE
    # The space that ends one text and starts the next yields nothing.
    skipped = capital_word | separators[1:]
    valid = np.stack((~space, ~(space & previous_space), ~previous_space), axis=1)
    valid &= ~skipped[:, None]
    keys = np.stack(
        (
            packed_keys(current),
            packed_keys(previous, current),
            packed_keys(earlier, previous, current),
        ),
        axis=1,
    )
    return keys[valid], np.broadcast_to(owners[1:, None], valid.shape)[valid]


def _appended_text(text: str) -> str:
    """`text` as langdetect's Detector.append keeps it: no URLs or e-mail addresses,
    Vietnamese diacritics composed, cut at MAX_TEXT_LENGTH, runs of spaces as one."""
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    # The guards only skip patterns that cannot match.
    if "://" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    if any(mark in text for mark in NGram.DMARK_CLASS):
        text = NGram.normalize_vi(text)
    return _SPACE_RUNS.sub(" ", text[:MAX_TEXT_LENGTH])


def _without_latin_in_non_latin_texts(
    codes: npt.NDArray[np.uint64],
    owners: npt.NDArray[np.intp],
    separators: npt.NDArray[np.bool_],
    texts: int,
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """The positions left once texts mostly not in Latin letters lose their Latin letters,
    as langdetect's cleaning_text does (its 'A' to 'z' includes [ \\ ] ^ _ `)."""
    latin = (codes >= ord("A")) & (codes <= ord("z"))
    low, high = _LATIN_EXTENDED_ADDITIONAL
    non_latin = (codes >= 0x300) & ((codes < low) | (codes > high))
    cleaned = np.bincount(owners[latin], minlength=texts) * 2 < np.bincount(
        owners[non_latin], minlength=texts
    )
    if not cleaned.any():
        return codes, owners, separators
    kept = ~(latin & cleaned[owners])
    return codes[kept], owners[kept], separators[kept]


def _code_points(text: str) -> npt.NDArray[np.uint64]:
    """The code points of `text`."""
    data = text.encode("utf-32-le", "surrogatepass")
    return np.frombuffer(data, dtype="<u4").astype(np.uint64)


def _normalized(codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The code points as langdetect's NGram.normalize maps them (it changes only BMP ones)."""
    in_bmp = codes < _BMP
    if in_bmp.all():
        return _normalized_bmp()[codes]
    normalized = codes.copy()
    normalized[in_bmp] = _normalized_bmp()[codes[in_bmp]]
    return normalized


def _upper(codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """Whether each code point is an upper-case character, by str.isupper as langdetect asks."""
    in_bmp = codes < _BMP
    if in_bmp.all():
        return _upper_bmp()[codes]
    upper = np.zeros(len(codes), dtype=np.bool_)
    upper[in_bmp] = _upper_bmp()[codes[in_bmp]]
    upper[~in_bmp] = [chr(code).isupper() for code in codes[~in_bmp].tolist()]
    return upper


@functools.cache
def _normalized_bmp() -> npt.NDArray[np.uint64]:
    """langdetect's NGram.normalize of every BMP character, as a code point lookup table."""
    from langdetect.utils.ngram import NGram

    return np.array([ord(NGram.normalize(chr(code))) for code in range(_BMP)], dtype=np.uint64)


@functools.cache
def _upper_bmp() -> npt.NDArray[np.bool_]:
    """str.isupper of every BMP character, as a code point lookup table."""
    return np.array([chr(code).isupper() for code in range(_BMP)], dtype=np.bool_)
