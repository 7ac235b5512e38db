"""langdetect's seeded random-sampling estimate of language probabilities, replayed with numpy.

For every text langdetect reseeds a `random.Random` with the same seed and runs 7 trials:
draw a smoothing alpha (`gauss`), then multiply the language probabilities by those of
n-grams drawn with `choice`, normalizing and checking convergence every 5 draws. As the seed
never changes, the generator's 32-bit outputs are one fixed sequence: replaying `gauss` and
`choice` over it, and the products as sums of logarithms, reproduces langdetect's draws and
probabilities, many texts at a time.
"""

from __future__ import annotations

import functools
import math
import random

import numpy as np
import numpy.typing as npt

# langdetect's Detector constants.
ALPHA_DEFAULT = 0.5
ALPHA_WIDTH = 0.05
ITERATION_LIMIT = 1000
CONVERGENCE_THRESHOLD = 0.99999
BASE_FREQ = 10_000
TRIALS = 7
CHECK_EVERY = 5

# Draws per round, adding up to the 1,001 (draws 0 to 1,000) the iteration limit allows. On
# ordinary text half the trials converge within ~35 draws and 95% within ~100. Rounds after
# the first are multiples of 5 so that they hold whole blocks between convergence checks.
_ROUNDS = (96, 200, 400, 305)
# The first check comes after draw 0 alone: 4 draws of factor 1 make its block whole.
_FIRST_PADDING = CHECK_EVERY - 1
# Texts estimated together: bounds the draws x languages array to a few MB.
_GROUP = 128
# Outputs of the generator replayed; 7 non-converging trials use ~14,000 on average.
_STREAM_LENGTH = 1 << 15
# exp(_CLOSE) is a little above 1 / CONVERGENCE_THRESHOLD - 1 (about 1.00001e-5): a second
# language that close to the best keeps the best below the threshold.
_CLOSE = math.log(1.0 / CONVERGENCE_THRESHOLD - 1.0) + 0.01


def language_probabilities(
    rows: npt.NDArray[np.intp],
    counts: npt.NDArray[np.intp],
    probabilities: npt.NDArray[np.float64],
    seed: int,
) -> npt.NDArray[np.float64]:
    """langdetect's language probabilities for each text, one row per text.

    `rows` holds each text's n-grams (as rows of the n-gram x language `probabilities`) one
    text after another, `counts` how many each text has (at least one).
    """
    ends = np.cumsum(counts)
    result = np.empty((len(counts), probabilities.shape[1]))
    for first in range(0, len(counts), _GROUP):
        group = slice(first, first + _GROUP)
        starts = ends[group] - counts[group]
        texts_rows = rows[starts[0] : ends[group][-1]]
        result[group] = _group_probabilities(
            texts_rows, starts - starts[0], counts[group], probabilities, seed
        )
    return result


def _group_probabilities(
    rows: npt.NDArray[np.intp],
    offsets: npt.NDArray[np.intp],
    counts: npt.NDArray[np.intp],
    probabilities: npt.NDArray[np.float64],
    seed: int,
) -> npt.NDArray[np.float64]:
    """langdetect's language probabilities for a group of texts, one row per text."""
    replay = _Replay(seed, counts)
    result = np.zeros((len(counts), probabilities.shape[1]))
    for _ in range(TRIALS):
        alphas = ALPHA_DEFAULT + replay.gausses() * ALPHA_WIDTH
        scores = _trial_scores(rows, offsets, alphas / BASE_FREQ, probabilities, replay)
        trial = np.exp(scores - scores.max(axis=1, keepdims=True))
        result += trial / trial.sum(axis=1, keepdims=True) / TRIALS
    return result


def _trial_scores(
    rows: npt.NDArray[np.intp],
    offsets: npt.NDArray[np.intp],
    weights: npt.NDArray[np.float64],
    probabilities: npt.NDArray[np.float64],
    replay: _Replay,
) -> npt.NDArray[np.float64]:
    """Per text, the log-probabilities (up to a constant) of the languages where a trial stops."""
    languages = probabilities.shape[1]
    scores = np.zeros((len(offsets), languages))
    final = np.empty_like(scores)
    active = np.arange(len(offsets))
    done = 0
    for draws in _ROUNDS:
        picks, ends = replay.choices(active, draws)
        # langdetect multiplies by weight + p; the common factor cancels on normalizing.
        factors = probabilities[rows[offsets[active, None] + picks]]
        factors += weights[active, None, None]
        padding = _FIRST_PADDING if done == 0 else 0
        if padding:
            factors = np.concatenate((np.ones((len(active), padding, languages)), factors), 1)
        blocks = factors.reshape(len(active), -1, CHECK_EVERY, languages).prod(axis=2)
        running = scores[active, None, :] + np.cumsum(np.log(blocks), axis=1)
        checked = done - padding + CHECK_EVERY - 1 + CHECK_EVERY * np.arange(blocks.shape[1])
        stops = _first_converged(running)
        if checked[-1] >= ITERATION_LIMIT:
            stops[stops < 0] = len(checked) - 1
        stopped = stops >= 0
        stopping, block = np.flatnonzero(stopped), stops[stopped]
        final[active[stopping]] = running[stopping, block]
        replay.move(active[stopping], ends[stopping, checked[block] - done])
        going = np.flatnonzero(~stopped)
        scores[active[going]] = running[going, -1]
        replay.move(active[going], ends[going, -1])
        active = active[going]
        done += draws
        if not len(active):
            break
    return final


def _first_converged(running: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Per text, the first block whose largest normalized probability passes langdetect's
    convergence threshold, or -1."""
    gaps = running - running.max(axis=2, keepdims=True)
    candidates = (gaps > _CLOSE).sum(axis=2) == 1
    firsts = np.full(len(running), -1)
    texts = np.flatnonzero(candidates.any(axis=1))
    while len(texts):
        blocks = candidates[texts].argmax(axis=1)
        largest = 1.0 / np.exp(gaps[texts, blocks]).sum(axis=1)
        converged = largest > CONVERGENCE_THRESHOLD
        firsts[texts[converged]] = blocks[converged]
        candidates[texts[~converged], blocks[~converged]] = False
        texts = texts[~converged]
        texts = texts[candidates[texts].any(axis=1)]
    return firsts


class _Replay:
    """`random.Random(seed)` reseeded for each of a group of texts, replayed from its outputs.

    Text i draws gauss() and choice() of an n-gram among counts[i].
    """

    def __init__(self, seed: int, counts: npt.NDArray[np.intp]) -> None:
        self._seed = seed
        self._outputs = _raw_outputs(seed, _STREAM_LENGTH)
        self._counts = counts
        # choice(n) keeps the top n.bit_length() bits of an output, and retries when >= n.
        self._shifts = np.array([32 - int(n).bit_length() for n in counts], dtype=np.uint32)
        self._positions = np.zeros(len(counts), dtype=np.intp)
        self._spare_gausses: list[float | None] = [None] * len(counts)

    def gausses(self) -> npt.NDArray[np.float64]:
        """Each text's next random.gauss(0, 1)."""
        self._ensure(int(self._positions.max()) + 4)
        return np.array([self._gauss(text) for text in range(len(self._counts))])

    def choices(
        self, texts: npt.NDArray[np.intp], draws: int
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """For each of these texts, its next `draws` choice() indices, and the output
        position just after each."""
        positions = self._positions[texts]
        span = 2 * draws + 64
        while True:
            self._ensure(int(positions.max()) + span)
            outputs = self._outputs[positions[:, None] + np.arange(span)]
            indices = outputs >> self._shifts[texts, None]
            accepted = indices < self._counts[texts, None]
            ranks = np.cumsum(accepted, axis=1)
            if (ranks[:, -1] >= draws).all():
                break
            span *= 2
        columns = np.nonzero(accepted & (ranks <= draws))[1].reshape(len(texts), draws)
        picks = np.take_along_axis(indices, columns, axis=1).astype(np.intp)
        return picks, positions[:, None] + columns + 1

    def move(self, texts: npt.NDArray[np.intp], positions: npt.NDArray[np.intp]) -> None:
        """Continue these texts from these output positions."""
        self._positions[texts] = positions

    def _gauss(self, text: int) -> float:
        """random.gauss(0, 1) for one text, which keeps a second value for its next call."""
        spare = self._spare_gausses[text]
        if spare is not None:
            self._spare_gausses[text] = None
            return spare
        x2pi = self._random(text) * 2.0 * math.pi
        g2rad = math.sqrt(-2.0 * math.log(1.0 - self._random(text)))
        self._spare_gausses[text] = math.sin(x2pi) * g2rad
        return math.cos(x2pi) * g2rad

    def _random(self, text: int) -> float:
        """random.random() for one text: 53 bits from two outputs."""
        position = int(self._positions[text])
        high = int(self._outputs[position]) >> 5
        low = int(self._outputs[position + 1]) >> 6
        self._positions[text] = position + 2
        return (high * 67108864.0 + low) * (1.0 / 9007199254740992.0)

    def _ensure(self, end: int) -> None:
        """Make at least `end` outputs available."""
        if end > len(self._outputs):
            self._outputs = _raw_outputs(self._seed, max(end, 2 * len(self._outputs)))


@functools.lru_cache(maxsize=2)
def _raw_outputs(seed: int, count: int) -> npt.NDArray[np.uint32]:
    """The first `count` 32-bit outputs of random.Random(seed)'s Mersenne Twister."""
    generator = random.Random(seed)
    return np.array([generator.getrandbits(32) for _ in range(count)], dtype=np.uint32)
