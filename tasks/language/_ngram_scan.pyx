# cython: language_level=3, boundscheck=False, wraparound=False
"""langdetect's 1-, 2- and 3-gram keys of texts in one pass over their code points, in C.

`ngram_keys` (_ngrams.py) computes them with numpy, a whole array per step; this does the
same steps per position: normalize each character, skip what langdetect skips, pack the keys.
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint64_t

cdef uint64_t SPACE = 0x20
cdef int CHAR_BITS = 21


def scanned_keys(
    const uint64_t[::1] codes,
    const int64_t[::1] owners,
    const uint8_t[::1] separators,
    const uint64_t[::1] normalized,
    const uint8_t[::1] upper,
):
    """The keys and owners of the n-grams of `codes` (BMP code points, a space first), where
    `separators` marks each text's leading space and `normalized` and `upper` are
    langdetect's NGram.normalize and str.isupper of every BMP character."""
    cdef Py_ssize_t size = codes.shape[0], i, count = 0
    cdef Py_ssize_t most = 3 * max(size - 1, 0)  # three n-grams a position after the first
    keys = np.empty(most, dtype=np.uint64)
    found = np.empty(most, dtype=np.int64)
    cdef uint64_t[::1] out_keys = keys
    cdef int64_t[::1] out_owners = found
    cdef uint64_t current, previous, earlier = SPACE
    cdef bint current_upper, previous_upper
    if size == 0:
        return keys, found
    previous = normalized[codes[0]]
    previous_upper = upper[previous]
    with nogil:
        for i in range(1, size):
            current = normalized[codes[i]]
            current_upper = upper[current]
            if not (current_upper and previous_upper) and not separators[i]:
                if current != SPACE:
                    out_keys[count] = current + 1
                    out_owners[count] = owners[i]
                    count += 1
                if not (current == SPACE and previous == SPACE):
                    out_keys[count] = ((previous + 1) << CHAR_BITS) | (current + 1)
                    out_owners[count] = owners[i]
                    count += 1
                if previous != SPACE:
                    out_keys[count] = (
                        (((earlier + 1) << CHAR_BITS) | (previous + 1)) << CHAR_BITS
                    ) | (current + 1)
                    out_owners[count] = owners[i]
                    count += 1
            earlier, previous, previous_upper = previous, current, current_upper
    return keys[:count], found[:count]
