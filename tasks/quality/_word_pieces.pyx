# cython: language_level=3, boundscheck=False, wraparound=False
"""The words of plain pieces of text in C; every other piece goes to the regex splitter.

A plain piece is a core (runs of letters with a single `-` or `/` between them, or ASCII
digits with a single `.` or `,` between them) with marks around it that spaCy's rules take
off one at a time: before the core, marks of `affixes` (punctuation and quotes that come off
alone whatever is beside them); after it, those marks, `'` and `’`, a `.` where a suffix
rule takes it off (after a digit, a lower-case ASCII letter, a mark, or two upper-case ASCII
letters; never `..`), and right after the core `'s`. Its words are the marks before, the
core (the words of its special case, or its letter runs and the `-` and `/` between them),
and the marks after, `'s` whole. No special case holds a mark of `affixes`, nor a core and
more than the first mark after it: a plain piece without those marks is looked up (a
special case gives its words), and so are the core and its first mark when that is `.`,
`'`, `’` or `'s` (`Inc.`, `doin'`, `it's`: the regex splitter then takes the piece). Why
each rule holds is in `_words.py` (`plain pieces`).
"""

from cpython.unicode cimport Py_UNICODE_ISALPHA


def line_words(list lines, dict special, frozenset affixes, object slow):
    """The words of `lines`, each piece between white space split here when it is plain and
    by `slow` otherwise, and where each line's words end; `special` are the special cases."""
    cdef list words = []
    cdef list ends = []
    cdef str line, piece
    for line in lines:
        for piece in line.split():
            if not _add_plain_words(words, piece, special, affixes):
                words.extend(slow(piece))
        ends.append(len(words))
    return words, ends


cdef bint _add_plain_words(list words, str piece, dict special, frozenset affixes) except -1:
    """Append the words of `piece` to `words` when it is plain; whether it was."""
    cdef Py_ssize_t size = len(piece)
    cdef Py_ssize_t start = 0, end, place, first_mark = -1, index
    cdef Py_UCS4 char
    cdef bint joined = False, marked
    cdef object case
    while start < size and _is_mark(piece[start], affixes):
        start += 1
    marked = start > 0  # the piece holds a mark of `affixes`
    end = start
    if end < size and Py_UNICODE_ISALPHA(piece[end]):
        while True:
            while end < size and Py_UNICODE_ISALPHA(piece[end]):
                end += 1
            if end + 1 < size and _is_joint(piece[end]) and Py_UNICODE_ISALPHA(piece[end + 1]):
                joined = True
                end += 1
            else:
                break
    elif end < size and _is_digit(piece[end]):
        end += 1
        while end < size:
            if _is_digit(piece[end]):
                end += 1
            elif (
                end + 1 < size
                and (piece[end] == u"." or piece[end] == u",")
                and _is_digit(piece[end + 1])
            ):
                end += 2
            else:
                break
    elif start == size:  # marks only, each a word (no special case holds one)
        for index in range(size):
            words.append(piece[index])
        return True
    else:
        return False
    # The marks after the core: each must come off alone, from the outside in.
    if end < size and not _is_mark(piece[end], affixes):
        first_mark = end + 1
        if _is_apostrophe(piece[end]) and end + 1 < size and piece[end + 1] in u"sS":
            first_mark += 1
    place = end
    while place < size:
        char = piece[place]
        if char == u".":
            if not _full_stop_comes_off(piece, place, affixes):
                return False
            place += 1
        elif _is_apostrophe(char) and place + 1 < size and piece[place + 1] in u"sS":
            if place != end:
                return False  # `'s` after other marks: left to the regex splitter
            place += 2
        elif _is_apostrophe(char):
            place += 1
        elif _is_mark(char, affixes):
            marked = True
            place += 1
        else:
            return False
    # No special case holds a mark of `affixes`: the whole piece can be one only without
    # them, and else the core with a first mark after it that is not one of them (`Inc.`,
    # `doin'`, `it's`), which is left to the regex rules.
    if not marked:
        case = special.get(piece)
        if case is not None:
            words.extend(<tuple>case)
            return True
    if first_mark > 0 and (start or first_mark < size) and piece[start:first_mark] in special:
        return False
    for index in range(start):
        words.append(piece[index])
    core = piece if start == 0 and end == size else piece[start:end]
    case = None if core is piece else special.get(core)  # the piece: looked up above
    if case is not None:
        words.extend(<tuple>case)
    elif joined:  # cut at each joint
        index = start
        for place in range(start, end):
            if _is_joint(piece[place]):
                words.append(piece[index:place])
                words.append(piece[place])
                index = place + 1
        words.append(piece[index:end])
    else:
        words.append(core)
    index = end
    while index < size:
        if _is_apostrophe(piece[index]) and index + 1 < size and piece[index + 1] in u"sS":
            words.append(piece[index : index + 2])
            index += 2
        else:
            words.append(piece[index])
            index += 1
    return True


cdef bint _full_stop_comes_off(str piece, Py_ssize_t place, frozenset affixes) except -1:
    """Whether the `.` at `place`, after the core, comes off alone as a suffix."""
    cdef Py_UCS4 before = piece[place - 1]
    if before == u".":
        return False  # `..` comes off whole
    return (
        _is_digit(before)
        or u"a" <= before <= u"z"
        or _is_apostrophe(before)
        or _is_mark(before, affixes)
        or (u"A" <= before <= u"Z" and place >= 2 and u"A" <= piece[place - 2] <= u"Z")
    )


cdef inline bint _is_digit(Py_UCS4 char) noexcept:
    return u"0" <= char <= u"9"


cdef inline bint _is_joint(Py_UCS4 char) noexcept:
    return char == u"-" or char == u"/"


cdef inline bint _is_apostrophe(Py_UCS4 char) noexcept:
    return char == u"'" or char == u"’"


cdef inline bint _is_mark(Py_UCS4 char, frozenset affixes) except -1:
    # Letters and digits are never marks: no set lookup for them.
    return not (Py_UNICODE_ISALPHA(char) or _is_digit(char)) and char in affixes
