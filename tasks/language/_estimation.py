"""langdetect's seeded random-sampling estimate of language probabilities, replayed with numpy.

For every text langdetect reseeds a `random.Random` with the same seed and runs 7 trials:
draw a smoothing alpha (`gauss`), then multiply the language probabilities by those of
n-grams drawn with `choice`, normalizing and checking convergence every 5 draws. As the seed
never changes, the generator's 32-bit outputs are one fixed sequence: replaying `gauss` and
`choice` over it gives langdetect's draws, and multiplying over arrays (rescaling every 50
draws rather than normalizing every 5) its probabilities, for many texts at a time.
"""

from __future__ import annotations

import functools
import math
import random
import sys
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

_compiled_trials: Callable[..., bool] | None
try:  # built by `pip install` from _trials.pyx: langdetect's own loop, in C
    from tasks.language._trials import trial_probabilities as _compiled_trials
except ImportError:  # a source tree that was never installed: the numpy replay below
    _compiled_trials = None

# langdetect's Detector constants.
ALPHA_DEFAULT = 0.5
ALPHA_WIDTH = 0.05
ITERATION_LIMIT = 1000
CONVERGENCE_THRESHOLD = 0.99999
BASE_FREQ = 10_000
TRIALS = 7
CHECK_EVERY = 5

# Each round, every text makes 50 more draws (10 blocks between convergence checks) in its
# current trial; on ordinary text half the trials converge within ~35 draws, 95% within ~100.
_ROUND = 50
_BLOCKS = _ROUND // CHECK_EVERY
# The first check comes after draw 0 alone: 4 draws of factor 1 make its block whole.
_FIRST_PADDING = CHECK_EVERY - 1
# Texts estimated together: bounds the draws x languages array to a few MB.
_GROUP = 128
# Outputs of the generator first tabulated: 7 ordinary trials use ~500, and the table grows
# for longer ones (7 trials that never converge use ~14,000).
_FIRST_OUTPUTS = 1024


# Generator outputs the compiled trials start with: about twice what 7 trials of 1,000 draws
# take (a choice() retries up to half its outputs); doubled when a text needs more.
_COMPILED_OUTPUTS = 32_768


def language_probabilities(
    rows: npt.NDArray[np.intp],
    counts: npt.NDArray[np.intp],
    probabilities: npt.NDArray[np.float64],
    seed: int,
) -> npt.NDArray[np.float64]:
    """langdetect's language probabilities for each text, one row per text (see
    replayed_probabilities), from the compiled trials when they are built."""
    if _compiled_trials is None:
        return replayed_probabilities(rows, counts, probabilities, seed)
    result = np.empty((len(counts), probabilities.shape[1]))
    arguments = (
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(counts, dtype=np.int64),
        np.ascontiguousarray(probabilities, dtype=np.float64),
    )
    outputs = _COMPILED_OUTPUTS
    # Python's sum() of floats compensates from 3.12 on: langdetect's normalizing sums with it.
    compensated = sys.version_info >= (3, 12)
    while not _compiled_trials(*arguments, _raw_outputs(seed, outputs), result, compensated):
        outputs *= 2
    return result


def compiled() -> bool:
    """Whether langdetect's trials run compiled."""
    return _compiled_trials is not None


def replayed_probabilities(
    rows: npt.NDArray[np.intp],
    counts: npt.NDArray[np.intp],
    probabilities: npt.NDArray[np.float64],
    seed: int,
) -> npt.NDArray[np.float64]:
    """langdetect's language probabilities for each text, one row per text, replayed with numpy.

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
    """langdetect's language probabilities for a group of texts, one row per text.

    Texts go through their trials at their own pace: a round draws for whichever trial each
    text is in, so one slow text does not hold the others back.
    """
    texts, languages = len(counts), probabilities.shape[1]
    replay = _Replay(seed, counts)
    result = np.zeros((texts, languages))
    # Language probabilities in the current trial, relative to the largest (as langdetect
    # normalizes them every 5 draws, they underflow to 0 when they fall far behind).
    levels = np.ones((texts, languages))
    weights = np.zeros(texts)
    trials = np.zeros(texts, dtype=np.intp)
    done = np.zeros(texts, dtype=np.intp)  # draws made in the current trial
    active = np.arange(texts)
    block_ends = CHECK_EVERY * np.arange(_BLOCKS) + CHECK_EVERY - 1  # in the round's draws
    while len(active):
        new = done[active] == 0
        weights[active[new]] = (
            ALPHA_DEFAULT + replay.gausses(active[new]) * ALPHA_WIDTH
        ) / BASE_FREQ
        padding = new * _FIRST_PADDING
        picks, ends = replay.choices(active, padding)
        factors = probabilities[rows[offsets[active, None] + picks]]
        factors += weights[active, None, None]
        factors[:, :_FIRST_PADDING][new] = 1.0
        # 50 factors of at least weight (~5e-5) each stay above 1e-230: no underflow of the
        # largest probability before the levels are rescaled at the end of the round.
        blocks = factors.reshape(len(active), _BLOCKS, CHECK_EVERY, languages).prod(axis=2)
        running = np.cumprod(blocks, axis=1) * levels[active, None, :]
        largest = running.max(axis=2) / running.sum(axis=2)
        checked = (done[active] - padding)[:, None] + block_ends  # the draw each block ends on
        stops = (largest > CONVERGENCE_THRESHOLD) | (checked >= ITERATION_LIMIT)
        stopped = stops.any(axis=1)
        last = np.where(stopped, stops.argmax(axis=1), _BLOCKS - 1)
        replay.move(active, ends[np.arange(len(active)), block_ends[last]])
        reached = running[np.arange(len(active)), last]
        trial = reached[stopped]
        result[active[stopped]] += trial / trial.sum(axis=1, keepdims=True) / TRIALS
        levels[active] = np.where(
            stopped[:, None], 1.0, reached / reached.max(axis=1, keepdims=True)
        )
        done[active] = np.where(stopped, 0, done[active] + _ROUND - padding)
        trials[active] += stopped
        active = active[trials[active] < TRIALS]
    return result


class _Replay:
    """`random.Random(seed)` reseeded for each of a group of texts, replayed from its outputs.

    Text i draws gauss() and choice() of an n-gram among counts[i].
    """

    def __init__(self, seed: int, counts: npt.NDArray[np.intp]) -> None:
        self._seed = seed
        self._counts = counts
        # choice(n) keeps the top n.bit_length() bits of an output, and retries when >= n.
        self._shifts = np.array([32 - int(n).bit_length() for n in counts], dtype=np.uint32)
        self._positions = np.zeros(len(counts), dtype=np.intp)
        self._spare_gausses: list[float | None] = [None] * len(counts)
        self._tabulate(_FIRST_OUTPUTS)

    def gausses(self, texts: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        """The next random.gauss(0, 1) of each of these texts."""
        positions = self._positions[texts].tolist()
        if positions and max(positions) + 4 > len(self._outputs):
            self._tabulate(2 * len(self._outputs))
        values = []
        for index, text in enumerate(texts.tolist()):
            spare = self._spare_gausses[text]
            if spare is None:
                position = positions[index]
                value, self._spare_gausses[text] = _gauss_pair(
                    *self._output_list[position : position + 4]
                )
                positions[index] = position + 4
            else:
                value, self._spare_gausses[text] = spare, None
            values.append(value)
        self._positions[texts] = positions
        return np.array(values, dtype=np.float64)

    def choices(
        self, texts: npt.NDArray[np.intp], padding: npt.NDArray[np.intp]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """For each of these texts, its next choice() indices, and the output position just
        after each: a round of them, of which the first `padding` repeat the first draw."""
        while True:
            first = self._draws_before[texts, self._positions[texts]]
            if (first + _ROUND - padding <= self._available[texts]).all():
                break
            self._tabulate(2 * len(self._outputs))
        columns = first[:, None] + np.maximum(np.arange(_ROUND) - padding[:, None], 0)
        rows = texts[:, None]
        return self._picks[rows, columns], self._draw_ends[rows, columns]

    def move(self, texts: npt.NDArray[np.intp], positions: npt.NDArray[np.intp]) -> None:
        """Continue these texts from these output positions."""
        self._positions[texts] = positions

    def _tabulate(self, outputs: int) -> None:
        """Tabulate each text's choice() draws over the generator's first `outputs` outputs."""
        self._outputs = _raw_outputs(self._seed, outputs)
        self._output_list: list[int] = self._outputs.tolist()
        indices = self._outputs[None, :] >> self._shifts[:, None]
        accepted = indices < self._counts[:, None]
        # Per text and output position: how many draws the outputs before it made.
        self._draws_before = np.zeros((len(self._counts), outputs + 1), dtype=np.intp)
        np.cumsum(accepted, axis=1, out=self._draws_before[:, 1:])
        self._available = self._draws_before[:, -1]
        texts, positions = np.nonzero(accepted)
        ranks = self._draws_before[texts, positions]
        shape = (len(self._counts), int(self._available.max()))
        self._picks = np.zeros(shape, dtype=np.intp)
        self._picks[texts, ranks] = indices[texts, positions]
        self._draw_ends = np.zeros(shape, dtype=np.intp)
        self._draw_ends[texts, ranks] = positions + 1


def _gauss_pair(first: int, second: int, third: int, fourth: int) -> tuple[float, float]:
    """random.gauss(0, 1) from four generator outputs, and the second value it keeps."""
    x2pi = _random_float(first, second) * 2.0 * math.pi
    g2rad = math.sqrt(-2.0 * math.log(1.0 - _random_float(third, fourth)))
    return math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad


def _random_float(high: int, low: int) -> float:
    """random.random() from two generator outputs: 53 bits."""
    return ((high >> 5) * 67108864.0 + (low >> 6)) * (1.0 / 9007199254740992.0)


@functools.lru_cache(maxsize=2)
def _raw_outputs(seed: int, count: int) -> npt.NDArray[np.uint32]:
    """The first `count` 32-bit outputs of random.Random(seed)'s Mersenne Twister."""
    generator = random.Random(seed)
    return np.array([generator.getrandbits(32) for _ in range(count)], dtype=np.uint32)
