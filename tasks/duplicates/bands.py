"""Locality-sensitive hashing: MinHash signatures cut into bands, and the pairs sharing a band."""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from tasks.duplicates.minhash import Signature

BandKeys = npt.NDArray[np.uint64]
_SEED = 1987
_MIX = np.uint64(0xC4CEB9FE1A85EC53)
_DOCUMENTS_AT_ONCE = 8192


def band_keys(signatures: Signature, bands: int, rows: int) -> BandKeys:
    """One 64-bit key per band of each signature (`signatures` is documents x permutations).

    Equal keys mean equal bands; the band's number is mixed in, so keys of different bands
    never meet.
    """
    keys: BandKeys = np.empty((len(signatures), bands), np.uint64)
    # A slice of documents at a time: the 64-bit copy of their values is 8 bytes a value.
    for start in range(0, len(signatures), _DOCUMENTS_AT_ONCE):
        part = signatures[start : start + _DOCUMENTS_AT_ONCE, : bands * rows]
        values = part.reshape(len(part), bands, rows).astype(np.uint64)
        values *= _factors(rows)
        keys[start : start + len(part)] = values.sum(axis=2, dtype=np.uint64)  # wraps mod 2**64
    keys += _offsets(bands)
    keys ^= keys >> np.uint64(33)
    keys *= _MIX
    keys ^= keys >> np.uint64(29)
    return keys


def shared_buckets(
    keys: BandKeys,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The rows of `keys` that share a key, grouped: `owners[starts[k]:ends[k]]` are the rows
    (ascending) of the k-th key shared by two rows or more."""
    flat = keys.ravel()
    owners = np.repeat(np.arange(len(keys), dtype=np.int64), keys.shape[1])
    order = np.argsort(flat, kind="stable")
    flat, owners = flat[order], owners[order]
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    ends = np.concatenate((starts[1:], [len(flat)])).astype(np.int64)
    shared = ends - starts > 1
    return owners, starts[shared], ends[shared]


class KeySet:
    """Band keys to look stored keys up in: sorted, behind a bitmap of their low bits.

    Most stored keys match no query key; the bitmap (one byte per slot, about 16 slots per
    key) turns those away with one lookup each, and only the few that pass are searched.
    """

    def __init__(self, keys: BandKeys) -> None:
        flat = np.sort(keys, axis=None)
        self.sorted = flat[np.concatenate(([True], flat[1:] != flat[:-1]))] if len(flat) else flat
        bits = max(16, min(26, int(np.ceil(np.log2(max(len(self.sorted), 1) * 16)))))
        self._mask = np.uint64((1 << bits) - 1)
        self._slots = np.zeros(1 << bits, np.bool_)
        self._slots[self.sorted & self._mask] = True

    def sharing(self, other: BandKeys) -> npt.NDArray[np.bool_]:
        """Whether each row of `other` (documents x bands) holds a key of this set."""
        if not len(self.sorted):
            return np.zeros(len(other), np.bool_)
        maybe = self._slots[other & self._mask]
        rows, columns = np.nonzero(maybe)
        keys = other[rows, columns]
        places = np.searchsorted(self.sorted, keys).clip(max=len(self.sorted) - 1)
        hits = np.zeros(len(other), np.bool_)
        hits[rows[self.sorted[places] == keys]] = True
        return hits


@cache
def _factors(rows: int) -> npt.NDArray[np.uint64]:
    """Odd multipliers that mix a band's values by position."""
    rng = np.random.default_rng(_SEED)
    factors: npt.NDArray[np.uint64] = rng.integers(0, 2**63, rows, np.uint64) * 2 + 1
    return factors


@cache
def _offsets(bands: int) -> npt.NDArray[np.uint64]:
    """A distinct 64-bit offset per band."""
    rng = np.random.default_rng(_SEED + 1)
    offsets: npt.NDArray[np.uint64] = rng.integers(0, 2**63, bands, np.uint64)
    return offsets
