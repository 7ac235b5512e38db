# cython: language_level=3, boundscheck=False, wraparound=False
"""What the words of a text are, for Gopher's word counts and C4's sentences, in C.

A word of ASCII characters is read from a table of what each ASCII character is (its bits
below, built by the Python module that defines the word classes); any other word is given
to that module's function for it. Each class holds of a word exactly when it holds of each
of its characters, or of one, so the table decides it.
"""

from cpython.unicode cimport Py_UNICODE_ISALPHA

# Bits of a character in the tables.
cdef enum:
    GOPHER_LETTER = 1  # str.isalpha
    GOPHER_SYMBOL = 2  # in the punctuation Gopher does not count as a word
    C4_ALNUM = 1  # str.isalnum
    C4_TERMINAL = 2  # ends a sentence
    C4_PUNCTUATION = 4  # a Unicode punctuation category (P*)

# Gopher's kinds of a word that is not all letters (`_gopher_quality._kind`).
cdef enum:
    SYMBOL = 0
    WITH_LETTER = 1


def gopher_word_counts(list words, bytes ascii, object kind, object stop_words):
    """Of `words`: those that are not only punctuation, their characters, those with a
    letter, and the distinct `stop_words` among them (None without a list). `ascii` has
    each ASCII character's GOPHER_ bits; `kind` classes any other word not all letters."""
    cdef const unsigned char *table = ascii
    cdef Py_ssize_t counted = 0, length = 0, letters = 0, size
    cdef unsigned char all_bits, any_bits
    cdef bint plain
    cdef Py_UCS4 char
    cdef str word
    cdef set stops = set()
    cdef Py_ssize_t longest_stop = -1  # no word is looked up without a list
    if not stop_words:
        stop_words = None  # an empty list counts nothing, as no list
    else:
        for word in stop_words:  # no longer word is looked up
            longest_stop = max(longest_stop, len(word))
    for word in words:
        size = len(word)
        all_bits, any_bits, plain = 0xFF, 0, True
        for char in word:
            if char >= 128:
                plain = False
                break
            all_bits &= table[char]
            any_bits |= table[char]
        if size == 0:
            all_bits = 0  # "".isalpha() is False, and so is a match of one or more marks
        elif not plain:
            all_bits = GOPHER_LETTER if _all_letters(word) else 0
            if not all_bits:
                found = kind(word)
                all_bits = GOPHER_SYMBOL if found == SYMBOL else 0
                any_bits = GOPHER_LETTER if found == WITH_LETTER else 0
        if size <= longest_stop and word in stop_words:
            stops.add(word)
        if all_bits & GOPHER_LETTER:
            letters += 1
        elif all_bits & GOPHER_SYMBOL:
            continue
        elif any_bits & GOPHER_LETTER:
            letters += 1
        counted += 1
        length += size
    return counted, length, letters, None if stop_words is None else len(stops)


def sentence_kinds(list words, bytes ascii, object kind):
    """One byte per word: `E` a sentence end, `P` other punctuation, `W` any other word.
    `ascii` has each ASCII character's C4_ bits; `kind` gives any other word's (a str)."""
    cdef const unsigned char *table = ascii
    cdef bytearray kinds = bytearray(len(words))
    cdef unsigned char all_bits
    cdef bint plain
    cdef Py_ssize_t index = 0
    cdef Py_UCS4 char
    cdef str word
    for word in words:
        all_bits, plain = 0xFF, True
        for char in word:
            if char >= 128:
                plain = False
                break
            all_bits &= table[char]
        if not plain or len(word) == 0:
            kinds[index] = ord(kind(word))
        elif all_bits & C4_ALNUM:
            kinds[index] = c'W'
        elif len(word) == 1 and all_bits & C4_TERMINAL:
            kinds[index] = c'E'
        elif all_bits & C4_PUNCTUATION:
            kinds[index] = c'P'
        else:
            kinds[index] = c'W'
        index += 1
    return bytes(kinds)


cdef bint _all_letters(str word) noexcept:
    cdef Py_UCS4 char
    for char in word:
        if not Py_UNICODE_ISALPHA(char):
            return False
    return True
