"""Language identification: langdetect's answers, replayed over numpy arrays."""

from tasks.language._detection import (
    UNKNOWN,
    LanguageGuess,
    detect_language,
    detect_languages,
    estimated_languages,
    langdetect_languages,
    reference_language,
)

__all__ = [
    "UNKNOWN",
    "LanguageGuess",
    "detect_language",
    "detect_languages",
    "estimated_languages",
    "langdetect_languages",
    "reference_language",
]
