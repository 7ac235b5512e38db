"""Language of a text, by langdetect's model and answers, deterministic, null when too short."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tasks.language._estimation import language_probabilities
from tasks.language._ngrams import ngram_keys
from tasks.language._profiles import LangdetectProfiles, load_langdetect_profiles

# Fewer letters than this and langdetect guesses wildly; such text gets no language.
MIN_LETTERS = 20
# langdetect's answers are those of DetectorFactory.seed = 0.
LANGDETECT_SEED = 0
# langdetect lists no language below this probability.
PROB_THRESHOLD = 0.1
# Answers kept per process for texts up to a paragraph long, which recur (bylines,
# boilerplate, syndicated paragraphs): at most ~16 MB of text.
_REMEMBERED = 16_384
_REMEMBERED_LENGTH = 1_000


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """An ISO 639-1 language code (langdetect's) and its probability; both null if unjudged."""

    language: str | None
    score: float | None


UNKNOWN = LanguageGuess(None, None)


def detect_language(text: str) -> LanguageGuess:
    """The most probable language of `text`, or UNKNOWN when it is too short to judge."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[LanguageGuess]:
    """The most probable language of each text, as detect_language gives it, estimated together."""
    remembered = _remembered_guesses()
    guesses = {text: remembered[text] for text in texts if text in remembered}
    unknown = list(dict.fromkeys(text for text in texts if text not in guesses))
    guesses.update(zip(unknown, estimated_languages(unknown), strict=True))
    for text in unknown:
        if len(text) <= _REMEMBERED_LENGTH:
            if len(remembered) >= _REMEMBERED:
                del remembered[next(iter(remembered))]  # the oldest
            remembered[text] = guesses[text]
    return [guesses[text] for text in texts]


def estimated_languages(texts: Sequence[str]) -> list[LanguageGuess]:
    """The most probable language of each text, estimated for all at once, none remembered."""
    guesses = [UNKNOWN] * len(texts)
    judged = [index for index, text in enumerate(texts) if _long_enough(text)]
    if not judged:
        return guesses
    profiles = _profiles()
    keys, owners = ngram_keys([texts[index] for index in judged])
    rows = profiles.rows_of(keys)
    known = rows >= 0
    counts = np.bincount(owners[known], minlength=len(judged))
    with_ngrams = np.flatnonzero(counts)  # langdetect cannot judge text without known n-grams
    if not len(with_ngrams):
        return guesses
    probabilities = language_probabilities(
        rows[known], counts[with_ngrams], profiles.probabilities, LANGDETECT_SEED
    )
    best = probabilities.argmax(axis=1)
    for judged_index, column, probability in zip(
        with_ngrams.tolist(), best.tolist(), probabilities.max(axis=1).tolist(), strict=True
    ):
        if probability > PROB_THRESHOLD:
            guess = LanguageGuess(profiles.languages[column], round(probability, 6))
            guesses[judged[judged_index]] = guess
    return guesses


def langdetect_languages() -> tuple[str, ...]:
    """The language codes langdetect's profiles cover."""
    return _profiles().languages


def reference_language(text: str) -> LanguageGuess:
    """The language plain langdetect (seed 0) gives `text`: what detect_language reproduces."""
    if not _long_enough(text):
        return UNKNOWN
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNKNOWN
    return LanguageGuess(str(best.lang), round(float(best.prob), 6))


def _long_enough(text: str) -> bool:
    """Whether `text` has enough letters to judge its language."""
    letters = 0
    for char in text:
        letters += char.isalpha()
        if letters >= MIN_LETTERS:
            return True
    return False


@functools.cache
def _remembered_guesses() -> dict[str, LanguageGuess]:
    """The answers this process remembers, oldest first."""
    return {}


@functools.cache
def _profiles() -> LangdetectProfiles:
    """langdetect's profiles, loaded once per process."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    return load_langdetect_profiles(Path(PROFILES_DIRECTORY))


@functools.cache
def _factory() -> Any:
    """langdetect's detector factory with its profiles loaded, seeded once for determinism."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    DetectorFactory.seed = LANGDETECT_SEED
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory
