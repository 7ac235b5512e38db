"""MinHash signatures of word shingles, vectorized with numpy."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import numpy.typing as npt

_compiled_signature: Callable[..., None] | None
try:  # built by `pip install` from _signature.pyx
    from tasks.duplicates._signature import signature_into as _compiled_signature
except ImportError:  # a source tree that was never installed: numpy, below
    _compiled_signature = None

Signature = npt.NDArray[np.uint32]
Hashes = npt.NDArray[np.uint64]
# Fixed seeds: signatures must be comparable across runs, processes and machines.
_PERMUTATION_SEED = 15
_BASE = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
_MIX = np.uint64(0xFF51AFD7ED558CCD)
_SHIFT = np.uint64(32)


def shingle_hashes(normal: str, shingle: int) -> Hashes:
    """The distinct 32-bit hashes (as uint64) of the `shingle`-word n-grams of a normal form.

    A shingle is hashed as its bytes (words and the single spaces between them) by a
    polynomial hash computed for every shingle at once from prefix sums. A text shorter than
    one shingle is one shingle of all its words; an empty one has none.
    """
    data = np.frombuffer(normal.encode(), np.uint8)
    if not len(data):
        return np.empty(0, np.uint64)
    powers, inverse_powers = _powers(len(data) + 1)
    prefix = np.zeros(len(data) + 1, np.uint64)
    np.cumsum((data.astype(np.uint64) + np.uint64(1)) * powers[:-1], out=prefix[1:])
    spaces = np.flatnonzero(data == ord(" "))
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [len(data)]))
    width = min(shingle, len(starts))
    first, last = starts[: len(starts) - width + 1], ends[width - 1 :]
    hashes = (prefix[last] - prefix[first]) * inverse_powers[first]  # position-free, mod 2**64
    hashes ^= hashes >> np.uint64(31)
    hashes *= _MIX
    return np.unique(hashes >> _SHIFT)


def minhash(hashes: Hashes, permutations: int) -> Signature:
    """The MinHash signature of a set of 32-bit hashes: each permutation's minimum.

    The permutations are multiply-add-shift hashes `(a * x + b) >> 32` modulo 2**64; an empty
    set has the all-ones signature.
    """
    if _compiled_signature is None:
        return numpy_minhash(hashes, permutations)
    signature: Signature = np.empty(permutations, np.uint32)
    _compiled_signature(
        np.ascontiguousarray(hashes, np.uint64), *_permutation_parameters(permutations), signature
    )
    return signature


def numpy_minhash(hashes: Hashes, permutations: int) -> Signature:
    """`minhash` in numpy: the reference the compiled signature is held to."""
    if not len(hashes):
        return np.full(permutations, np.iinfo(np.uint32).max, np.uint32)
    a, b = _permutation_parameters(permutations)
    # In place: fresh temporaries of this size cost more in page faults than the arithmetic.
    values = np.multiply.outer(hashes, a)
    values += b
    values >>= _SHIFT
    minimums: Signature = values.min(axis=0).astype(np.uint32)
    return minimums


def _powers(length: int) -> tuple[Hashes, Hashes]:
    """BASE**i and BASE**-i modulo 2**64 for i below `length`."""
    powers = _power_table(_BASE)
    inverse = _power_table(_inverse(_BASE))
    if len(powers) < length:
        return _grown(_BASE, length), _grown(_inverse(_BASE), length)
    return powers[:length], inverse[:length]


@cache
def _power_table(base: np.uint64) -> Hashes:
    """The powers of `base` for texts up to 64 KiB (longer ones compute their own)."""
    return _grown(base, 1 << 16)


def _grown(base: np.uint64, length: int) -> Hashes:
    """base**i modulo 2**64 for i below `length`."""
    powers = np.full(length, base, np.uint64)
    powers[0] = 1
    result: Hashes = np.cumprod(powers, dtype=np.uint64)
    return result


def _inverse(odd: np.uint64) -> np.uint64:
    """The inverse of an odd number modulo 2**64."""
    return np.uint64(pow(int(odd), -1, 1 << 64))


@cache
def _permutation_parameters(permutations: int) -> tuple[Hashes, Hashes]:
    """The `a` (odd) and `b` of each permutation."""
    rng = np.random.default_rng(_PERMUTATION_SEED)
    a = rng.integers(0, 2**63, size=permutations, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=permutations, dtype=np.uint64)
    return a, b
