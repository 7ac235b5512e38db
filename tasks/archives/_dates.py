"""A record's date field: an ISO date or date-time, an RFC 2822 date or epoch seconds."""

from __future__ import annotations

import email.utils
import math
from datetime import UTC, date, datetime

from tasks.rejection import Reason, Rejected

# Epoch seconds beyond this are taken for milliseconds or nonsense, not for a year past 5138.
_LATEST_EPOCH_SECONDS = 100_000_000_000


def record_date(value: object) -> date:
    """The calendar day of a record's date field, as the publisher wrote it (no timezone shift).

    A date-time with an offset keeps its own day: `2024-11-02T23:30-05:00` is 2 November.
    Epoch seconds have no offset and are read in UTC.
    """
    try:
        if isinstance(value, bool):
            raise ValueError("true or false is not a date")
        if isinstance(value, int | float):
            return _epoch_day(float(value))
        if isinstance(value, str):
            return _written_day(value.strip())
        raise ValueError(f"a JSON {type(value).__name__} is not a date")
    except (ValueError, OverflowError) as error:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise Rejected(Reason.INVALID_DATE, f"unreadable date {shown}: {error}") from None


def _epoch_day(seconds: float) -> date:
    """The UTC day of a number of seconds since 1970."""
    if not math.isfinite(seconds) or abs(seconds) >= _LATEST_EPOCH_SECONDS:
        raise ValueError("not a number of seconds since 1970")
    return datetime.fromtimestamp(seconds, UTC).date()


def _written_day(text: str) -> date:
    """The day of an ISO date or date-time, an RFC 2822 date, or epoch seconds as digits."""
    if not text:
        raise ValueError("empty")
    if text.lstrip("-").replace(".", "", 1).isdigit() and len(text) > 8:
        return _epoch_day(float(text))
    try:
        return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(
            "expected an ISO date or date-time, an RFC 2822 date or epoch seconds"
        ) from None
