# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Gopher's n-gram repetition counts in C: the same answers as `_gopher_repetition`'s Python.

Each n-gram is numbered from its (n-1)-gram's number and its last word's through one hash
table per length, numbers given in order of first occurrence; the counts and datatrove's
left-to-right reading of repeats then run over plain arrays.
"""

from libc.stdint cimport int64_t, uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memset

cdef enum:
    FIRST_DUPLICATED = 5  # the shortest n-gram whose repeats are counted; shorter: the top one
    LONGEST = 10


# Where `key` is first looked for in a table of `mask + 1` slots (murmur3's 64-bit mixing).
cdef inline Py_ssize_t _slot(uint64_t key, uint64_t mask) noexcept nogil:
    key ^= key >> 33
    key *= 0xFF51AFD7ED558CCDULL
    key ^= key >> 33
    return <Py_ssize_t>(key & mask)


def n_gram_chars(list words):
    """The characters of the top n-gram of each length 2-4 (None when there are fewer
    words) and of the n-grams that repeat an earlier one, of each length 5-10.

    `words` must be a list of str; see `_gopher_repetition._n_gram_chars`.
    """
    cdef Py_ssize_t size = len(words)
    cdef Py_ssize_t slots = 16
    while slots < 2 * size:
        slots *= 2
    cdef uint64_t mask = <uint64_t>(slots - 1)
    cdef int64_t *ends = <int64_t *>malloc((size + 1) * sizeof(int64_t))
    cdef int64_t *ids = <int64_t *>malloc((size + 1) * sizeof(int64_t))
    cdef int64_t *numbers = <int64_t *>malloc((size + 1) * sizeof(int64_t))
    cdef int64_t *counts = <int64_t *>malloc((size + 1) * sizeof(int64_t))
    cdef int64_t *firsts = <int64_t *>malloc((size + 1) * sizeof(int64_t))
    cdef int64_t *keys = <int64_t *>malloc(slots * sizeof(int64_t))
    cdef int64_t *values = <int64_t *>malloc(slots * sizeof(int64_t))
    cdef unsigned char *seen = <unsigned char *>malloc(size + 1)
    if not (ends and ids and numbers and counts and firsts and keys and values and seen):
        free(ends); free(ids); free(numbers); free(counts); free(firsts)
        free(keys); free(values); free(seen)
        raise MemoryError()
    cdef Py_ssize_t i, n, slot, distinct, count_places, top_number, index
    cdef int64_t key, best, chars
    cdef Py_hash_t word_hash
    cdef str word
    top = []
    duplicated = []
    try:
        # Each word's number, in order of first occurrence: the table holds the place where
        # a word first occurs (`keys`) and its number (`values`), its hash in `firsts`.
        memset(values, 0xFF, slots * sizeof(int64_t))
        distinct = 0
        ends[0] = 0
        for i in range(size):
            word = words[i]
            ends[i + 1] = ends[i] + len(word)
            word_hash = hash(word)
            firsts[i] = word_hash
            slot = _slot(<uint64_t>word_hash, mask)
            while values[slot] >= 0 and not (
                firsts[keys[slot]] == word_hash and <str>words[keys[slot]] == word
            ):
                slot = (slot + 1) & mask
            if values[slot] < 0:
                keys[slot] = i
                values[slot] = distinct
                distinct += 1
            ids[i] = values[slot]
            numbers[i] = ids[i]
        distinct = -1
        for n in range(2, LONGEST + 1):
            count_places = size - n + 1
            if count_places <= 0:
                if n < FIRST_DUPLICATED:
                    top.append(None)
                else:
                    duplicated.append(0)
                continue
            if distinct == count_places + 1:
                # Every (n-1)-gram occurs once, so every n-gram does: the top one is the
                # first, and none repeats.
                if n < FIRST_DUPLICATED:
                    top.append(ends[n] - ends[0] + n - 1)
                else:
                    duplicated.append(0)
                distinct = count_places
                continue
            memset(values, 0xFF, slots * sizeof(int64_t))  # -1: an empty slot
            distinct = 0
            for i in range(count_places):
                key = numbers[i] * size + ids[i + n - 1]
                slot = _slot(<uint64_t>key, mask)
                while values[slot] >= 0 and keys[slot] != key:
                    slot = (slot + 1) & mask
                if values[slot] < 0:
                    keys[slot] = key
                    values[slot] = distinct
                    counts[distinct] = 0
                    firsts[distinct] = i
                    distinct += 1
                numbers[i] = values[slot]
                counts[numbers[i]] += 1
            if n < FIRST_DUPLICATED:
                # Numbers go in order of first occurrence: of equal counts, the first wins.
                best = 0
                top_number = 0
                for index in range(distinct):
                    if counts[index] > best:
                        best = counts[index]
                        top_number = index
                i = firsts[top_number]
                top.append((ends[i + n] - ends[i] + n - 1) * best)
                continue
            memset(seen, 0, distinct)
            chars = 0
            i = 0
            while i < count_places:
                if seen[numbers[i]]:
                    chars += ends[i + n] - ends[i]
                    i += n
                else:
                    seen[numbers[i]] = 1
                    i += 1
            duplicated.append(chars)
    finally:
        free(ends); free(ids); free(numbers); free(counts); free(firsts)
        free(keys); free(values); free(seen)
    return top, duplicated
