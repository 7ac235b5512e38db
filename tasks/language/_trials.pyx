# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""langdetect's seeded trials in C: per text, the operations of `Detector._detect_block` in
its order, over the Mersenne Twister outputs that `random.Random(seed)` gives.

For each text the generator is reseeded; each of 7 trials draws a smoothing alpha (`gauss`),
then multiplies the language probabilities by those of n-grams drawn with `choice`,
normalizing every 5 draws until one language passes 0.99999 or 1,000 draws are made.
"""

from libc.math cimport cos, fabs, isfinite, log, sin, sqrt
from libc.stdint cimport int64_t, uint32_t
from libc.stdlib cimport free, malloc

cdef double ALPHA_DEFAULT = 0.5
cdef double ALPHA_WIDTH = 0.05
cdef int ITERATION_LIMIT = 1000
cdef double CONVERGENCE_THRESHOLD = 0.99999
cdef double BASE_FREQ = 10000.0
cdef int TRIALS = 7
cdef double TWO_PI = 2.0 * 3.141592653589793


cdef inline double _random_float(uint32_t high, uint32_t low) noexcept nogil:
    # random.random(): 53 bits from two outputs.
    return ((high >> 5) * 67108864.0 + (low >> 6)) * (1.0 / 9007199254740992.0)


cdef inline double _sum(double *values, Py_ssize_t size, bint compensated) noexcept nogil:
    # Python's sum() of a list of floats: left to right, or with Neumaier's compensation as
    # Python 3.12 and later add them.
    cdef double total = 0.0, correction = 0.0, added
    cdef Py_ssize_t i
    if not compensated:
        for i in range(size):
            total += values[i]
        return total
    for i in range(size):
        added = total + values[i]
        if fabs(total) >= fabs(values[i]):
            correction += (total - added) + values[i]
        else:
            correction += (values[i] - added) + total
        total = added
    if correction != 0.0 and isfinite(correction):
        total += correction
    return total


cdef struct _Generator:
    # random.Random(seed) replayed from its first outputs: where it is, and gauss()'s spare.
    const uint32_t *outputs
    Py_ssize_t available
    Py_ssize_t position
    bint has_spare
    double spare


cdef inline bint _gauss(_Generator *generator, double *value) noexcept nogil:
    # random.gauss(0, 1) into `value`: a pair from four outputs, the second kept for the next
    # call; False when the outputs run out.
    cdef double x2pi, g2rad
    cdef const uint32_t *outputs
    if generator.has_spare:
        generator.has_spare = False
        value[0] = generator.spare
        return True
    if generator.position + 4 > generator.available:
        return False
    outputs = generator.outputs + generator.position
    generator.position += 4
    x2pi = _random_float(outputs[0], outputs[1]) * TWO_PI
    g2rad = sqrt(-2.0 * log(1.0 - _random_float(outputs[2], outputs[3])))
    value[0] = cos(x2pi) * g2rad
    generator.spare = sin(x2pi) * g2rad
    generator.has_spare = True
    return True


cdef inline int64_t _choice(_Generator *generator, int64_t count, int shift) noexcept nogil:
    # random.choice()'s index among `count`: an output's top bits (`shift` drops the others),
    # again while too large; -1 when the outputs run out.
    cdef uint32_t pick
    while generator.position < generator.available:
        pick = generator.outputs[generator.position] >> shift
        generator.position += 1
        if pick < count:
            return pick
    return -1


cdef bint _text_probabilities(
    const int64_t *rows,
    int64_t count,
    const double *probabilities,
    Py_ssize_t languages,
    _Generator *generator,
    double *prob,
    double *result,
    bint compensated,
) noexcept nogil:
    # langdetect's `_detect_block` for one text whose known n-grams are `rows`: its
    # probabilities added into `result`; False when the generator's outputs run out.
    cdef int trial, draw, shift = 32
    cdef int64_t pick
    cdef Py_ssize_t language
    cdef const double *word
    cdef double gauss, weight, total, largest, value
    while shift > 0 and (<int64_t>1 << (32 - shift)) <= count:
        shift -= 1  # now 32 - count.bit_length(), as choice() takes its bits
    for trial in range(TRIALS):
        for language in range(languages):
            prob[language] = 1.0 / languages
        if not _gauss(generator, &gauss):
            return False
        weight = (ALPHA_DEFAULT + gauss * ALPHA_WIDTH) / BASE_FREQ
        draw = 0
        while True:
            pick = _choice(generator, count, shift)
            if pick < 0:
                return False
            word = probabilities + rows[pick] * languages
            for language in range(languages):
                prob[language] *= weight + word[language]
            if draw % 5 == 0:
                total = _sum(prob, languages, compensated)
                largest = 0.0
                for language in range(languages):
                    value = prob[language] / total
                    if largest < value:
                        largest = value
                    prob[language] = value
                if largest > CONVERGENCE_THRESHOLD or draw >= ITERATION_LIMIT:
                    break
            draw += 1
        for language in range(languages):
            result[language] += prob[language] / TRIALS
    return True


def trial_probabilities(
    const int64_t[::1] rows,
    const int64_t[::1] counts,
    const double[:, ::1] probabilities,
    const uint32_t[::1] outputs,
    double[:, ::1] result,
    bint compensated,
):
    """Write into `result` langdetect's language probabilities of each text, one row per
    text; False, with `result` incomplete, when `outputs` run out before a text's trials end.

    `rows` holds each text's known n-grams (rows of `probabilities`) in langdetect's order,
    text after text, `counts` how many each has (at least one); `outputs` are the first 32-bit
    outputs of `random.Random(seed)`.
    """
    cdef Py_ssize_t texts = counts.shape[0]
    cdef Py_ssize_t languages = probabilities.shape[1]
    cdef Py_ssize_t text, language, offset = 0
    cdef _Generator generator
    cdef bint enough = True
    cdef double *prob = <double *>malloc(languages * sizeof(double))
    if prob == NULL:
        raise MemoryError()
    try:
        with nogil:
            for text in range(texts):
                # Reseeded for each text: the same outputs from the start, no spare gauss.
                generator = _Generator(&outputs[0], outputs.shape[0], 0, False, 0.0)
                for language in range(languages):
                    result[text, language] = 0.0
                enough = _text_probabilities(
                    &rows[offset],
                    counts[text],
                    &probabilities[0, 0],
                    languages,
                    &generator,
                    prob,
                    &result[text, 0],
                    compensated,
                )
                if not enough:
                    break
                offset += counts[text]
    finally:
        free(prob)
    return enough
