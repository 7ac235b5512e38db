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
    cdef Py_ssize_t available = outputs.shape[0]
    cdef double *prob = <double *>malloc(languages * sizeof(double))
    if prob == NULL:
        raise MemoryError()
    cdef Py_ssize_t text, offset = 0, position, language, row
    cdef int64_t count
    cdef int trial, draw, shift
    cdef uint32_t pick
    cdef double spare, gauss, x2pi, g2rad, weight, total, largest, value
    cdef bint has_spare, enough = True
    try:
        with nogil:
            for text in range(texts):
                count = counts[text]
                shift = 32
                while shift > 0 and (<int64_t>1 << (32 - shift)) <= count:
                    shift -= 1
                # `shift` keeps count.bit_length() bits of an output, as choice() does.
                position = 0
                has_spare = False
                for language in range(languages):
                    result[text, language] = 0.0
                for trial in range(TRIALS):
                    for language in range(languages):
                        prob[language] = 1.0 / languages
                    if has_spare:
                        gauss = spare
                        has_spare = False
                    else:
                        if position + 4 > available:
                            enough = False
                            break
                        x2pi = _random_float(outputs[position], outputs[position + 1]) * TWO_PI
                        g2rad = sqrt(
                            -2.0
                            * log(1.0 - _random_float(outputs[position + 2], outputs[position + 3]))
                        )
                        position += 4
                        gauss = cos(x2pi) * g2rad
                        spare = sin(x2pi) * g2rad
                        has_spare = True
                    weight = (ALPHA_DEFAULT + gauss * ALPHA_WIDTH) / BASE_FREQ
                    draw = 0
                    while True:
                        while True:  # choice(): an output's top bits, again while too large
                            if position >= available:
                                enough = False
                                break
                            pick = outputs[position] >> shift
                            position += 1
                            if pick < count:
                                break
                        if not enough:
                            break
                        row = rows[offset + pick]
                        for language in range(languages):
                            prob[language] *= weight + probabilities[row, language]
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
                    if not enough:
                        break
                    for language in range(languages):
                        result[text, language] += prob[language] / TRIALS
                if not enough:
                    break
                offset += count
    finally:
        free(prob)
    return enough
