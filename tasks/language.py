"""Language of a text, by langdetect, deterministic, and null when the text is too short."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

# Fewer letters than this and langdetect guesses wildly; such text gets no language.
MIN_LETTERS = 20


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """An ISO 639-1 language code (langdetect's) and its probability; both null if unjudged."""

    language: str | None
    score: float | None


UNKNOWN = LanguageGuess(None, None)


def detect_language(text: str) -> LanguageGuess:
    """The most probable language of `text`, or UNKNOWN when it is too short to judge."""
    if sum(1 for char in text if char.isalpha()) < MIN_LETTERS:
        return UNKNOWN
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNKNOWN
    return LanguageGuess(str(best.lang), round(float(best.prob), 6))


@functools.cache
def _factory() -> Any:
    """langdetect's detector factory with its profiles loaded, seeded once for determinism."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    DetectorFactory.seed = 0
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    return factory
