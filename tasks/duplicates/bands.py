"""Locality-sensitive hashing: MinHash signatures cut into bands, and the pairs sharing a band."""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from tasks.duplicates.minhash import Signature

BandKeys = npt.NDArray[np.uint64]
Pairs = npt.NDArray[np.int64]
_SEED = 1987
_MIX = np.uint64(0xC4CEB9FE1A85EC53)


def band_keys(signatures: Signature, bands: int, rows: int) -> BandKeys:
    """One 64-bit key per band of each signature (`signatures` is documents x permutations).

    Equal keys mean equal bands; the band's number is mixed in, so keys of different bands
    never meet.
    """
    count = len(signatures)
    values = signatures[:, : bands * rows].reshape(count, bands, rows).astype(np.uint64)
    values *= _factors(rows)
    keys: BandKeys = values.sum(axis=2, dtype=np.uint64)  # wraps modulo 2**64
    keys += _offsets(bands)
    keys ^= keys >> np.uint64(33)
    keys *= _MIX
    keys ^= keys >> np.uint64(29)
    return keys


def pairs_within(keys: BandKeys) -> Pairs:
    """The distinct pairs (i, j), i < j, of rows of `keys` that share a key."""
    flat = keys.ravel()
    owners = np.repeat(np.arange(len(keys), dtype=np.int64), keys.shape[1])
    order = np.argsort(flat, kind="stable")
    flat, owners = flat[order], owners[order]
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(flat)])))
    found = [np.stack((owners[starts[sizes == 2]], owners[starts[sizes == 2] + 1]), axis=1)]
    for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
        members = owners[start : start + size]
        first, second = np.triu_indices(size, 1)
        found.append(np.stack((members[first], members[second]), axis=1))
    return _distinct(np.concatenate(found))


def pairs_between(query: BandKeys, other: BandKeys) -> Pairs:
    """The distinct pairs (i, j) of a row of `query` and a row of `other` that share a key."""
    flat = query.ravel()
    owners = np.repeat(np.arange(len(query), dtype=np.int64), query.shape[1])
    order = np.argsort(flat, kind="stable")
    flat, owners = flat[order], owners[order]
    probes = other.ravel()
    left = np.searchsorted(flat, probes, side="left")
    right = np.searchsorted(flat, probes, side="right")
    hits = right - left
    probe_owners = np.repeat(np.arange(len(other), dtype=np.int64), other.shape[1])
    # Every query row in [left, right) of each probe: runs of positions laid end to end.
    positions = np.repeat(left - np.cumsum(hits) + hits, hits) + np.arange(hits.sum())
    found = np.stack((owners[positions], np.repeat(probe_owners, hits)), axis=1)
    return _distinct(found, ordered=False)


def _distinct(pairs: Pairs, ordered: bool = True) -> Pairs:
    """`pairs` without repeats (and, when `ordered`, each as (smaller, larger))."""
    if not len(pairs):
        return np.empty((0, 2), np.int64)
    if ordered:
        pairs = np.sort(pairs, axis=1)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    distinct: Pairs = np.unique(pairs, axis=0)
    return distinct


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
