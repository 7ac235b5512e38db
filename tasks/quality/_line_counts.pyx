# cython: language_level=3, boundscheck=False, wraparound=False
"""What the lines of a text hold, for Gopher's, FineWeb's and C4's line rules, in C.

Each function is one pass over the lines doing what its filter's Python module does line by
line (`python_` functions there), without a new string per line where a count will do:
white space is that of `str.strip` and `str.split` (Py_UNICODE_ISSPACE).
"""

from cpython.unicode cimport Py_UNICODE_ISSPACE


def gopher_line_counts(list lines, tuple bullets, tuple ellipses):
    """How many `lines` start with one of `bullets` once white space is stripped, and how
    many end with one of `ellipses`."""
    cdef Py_ssize_t starts = 0, ends = 0, first, last
    cdef str line
    for line in lines:
        first, last = _content(line)
        starts += line.startswith(bullets, first)
        ends += line.endswith(ellipses, 0, last)
    return starts, ends


def fineweb_line_counts(list breaks, Py_ssize_t short, bytes ascii, object is_terminal):
    """Of `breaks` (a text cut at each `\\n`) those with more than white space: how many,
    how many end with a sentence end, how many are `short` characters or fewer, and the
    characters of those that repeat an earlier one. `ascii` is 1 for each ASCII sentence
    end; `is_terminal` tells any other character."""
    cdef const unsigned char *table = ascii
    cdef Py_ssize_t count = 0, terminal = 0, shorts = 0, repeated = 0, size
    cdef Py_UCS4 last
    cdef set seen = set()
    cdef str line
    for line in breaks:
        size = len(line)
        if _content(line)[0] == size:
            continue  # empty, or white space only
        count += 1
        last = line[size - 1]
        terminal += table[last] if last < 128 else bool(is_terminal(line[size - 1]))
        shorts += size <= short
        if line in seen:
            repeated += size
        else:
            seen.add(line)
    return count, terminal, shorts, repeated


def c4_line_counts(
    list lines,
    list ends,
    bytes kinds,
    Py_ssize_t longest_word,
    Py_ssize_t fewest_words,
    tuple line_ends,
    tuple policy,
    object without_citations,
    object cited_kinds,
):
    """C4's sentences, lorem ipsum lines and curly bracket lines among `lines`, whose words'
    `kinds` (see `_c4_quality.sentence_kinds`) end at `ends`. `without_citations` takes the
    citation marks out of a stripped line with a `[`, and `cited_kinds` gives the kinds of
    the words of a line it changed."""
    cdef Py_ssize_t sentences = 0, lorem_ipsum = 0, curly_bracket = 0
    cdef Py_ssize_t index, start = 0, end, first, last, pieces, longest
    cdef str raw, stripped, line, lowered
    cdef bytes cited
    for index in range(len(lines)):
        raw = lines[index]
        end = ends[index]
        first, last = _content(raw)
        stripped = raw if first == 0 and last == len(raw) else raw[first:last]
        line = without_citations(stripped) if u"[" in stripped else stripped
        if line.endswith(line_ends) and not line.endswith(u"..."):
            # A line of `longest_word` characters or fewer holds no longer piece: count
            # only up to `fewest_words` pieces then.
            pieces, longest = _pieces(raw, -1 if len(raw) > longest_word else fewest_words)
            if pieces >= fewest_words and not (
                len(raw) > longest_word and longest > longest_word
            ):
                lowered = line.lower()
                lorem_ipsum += u"lorem ipsum" in lowered
                if u"javascript" not in lowered:
                    curly_bracket += u"{" in line
                    if not _holds_any(lowered, policy):
                        if line is stripped:
                            sentences += _sentence_count(kinds, start, end)
                        else:
                            cited = cited_kinds(line)
                            sentences += _sentence_count(cited, 0, len(cited))
        start = end
    return sentences, lorem_ipsum, curly_bracket


cdef inline (Py_ssize_t, Py_ssize_t) _content(str line):
    # Where `line` stripped of white space starts and ends (start == len(line): nothing left).
    cdef Py_ssize_t first = 0, last = len(line)
    while first < last and Py_UNICODE_ISSPACE(line[first]):
        first += 1
    while last > first and Py_UNICODE_ISSPACE(line[last - 1]):
        last -= 1
    return first, last


cdef (Py_ssize_t, Py_ssize_t) _pieces(str line, Py_ssize_t enough):
    # How many pieces `line.split()` gives, and the longest one's length; when `enough` is
    # not -1, counting stops at that many pieces (the longest is then not known).
    cdef Py_ssize_t count = 0, longest = 0, size = 0
    cdef Py_UCS4 char
    for char in line:
        if Py_UNICODE_ISSPACE(char):
            size = 0
        else:
            size += 1
            if size == 1:
                count += 1
                if count == enough:
                    break
            if size > longest:
                longest = size
    return count, longest


cdef bint _holds_any(str text, tuple phrases) except -1:
    cdef str phrase
    for phrase in phrases:
        if phrase in text:
            return True
    return False


cdef Py_ssize_t _sentence_count(bytes kinds, Py_ssize_t start, Py_ssize_t end) except -1:
    # Sentences in words of these kinds: the first starts one, and so does each word (`W`)
    # after a sentence end (`E`) since the last start, as spaCy's sentencizer reads them.
    cdef const unsigned char *each = kinds
    cdef Py_ssize_t count = 1, place
    cdef bint seen_end = False
    if end <= start:
        return 0
    for place in range(start, end):
        if each[place] == c'E':
            seen_end = True
        elif each[place] == c'W' and seen_end:
            count += 1
            seen_end = False
    return count
