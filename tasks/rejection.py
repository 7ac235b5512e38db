"""Why an input was rejected: a short reason code and a readable detail."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Reason codes written to the `rejects` table."""

    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    MISSING_DATE = "missing_date"
    INVALID_DATE = "invalid_date"
    UNREADABLE = "unreadable"
    NO_CONTENT = "no_content"
    TOO_LARGE = "too_large"
    EXTRACTION_TIMEOUT = "extraction_timeout"
    EXTRACTION_CRASHED = "extraction_crashed"
    INTERNAL_ERROR = "internal_error"
    INVALID_JSON = "invalid_json"  # a JSON Lines line that is not a JSON object
    MISSING_TEXT = "missing_text"  # a record with neither a text nor an HTML field
    DAMAGED_ARCHIVE = "damaged_archive"  # the rest of a truncated or corrupt archive


class Rejected(Exception):
    """An input that cannot become a document, with its reason code and detail."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[Rejected], tuple[Reason, str]]:
        """Pickled by reason and detail, so it can cross from a helper process."""
        return (Rejected, (self.reason, self.detail))
