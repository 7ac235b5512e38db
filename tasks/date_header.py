"""The `date ...` header that opens every text document."""

from __future__ import annotations

import re
from datetime import date

from dateutil import parser as dateparser

from tasks.rejection import Reason, Rejected

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
_ISO = (
    r"(?P<day>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?))?"
)
_WRITTEN = (
    rf"(?:{_WEEKDAY})?(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}})"
)
# A header is `date` as a word, an optional colon, then the value; body text may follow.
_HEADER = re.compile(
    rf"\A\s*date\b[ \t]*(?P<colon>:)?[ \t]*(?:(?P<iso>{_ISO})|(?P<written>{_WRITTEN}))?(?=\s|\Z)",
    re.IGNORECASE,
)
# After `date` without a colon, only a number (signed or not), a weekday or a month makes
# the line a header attempt.
_LOOKS_LIKE_DATE = re.compile(
    rf"\A\s*date\b[ \t]*(?:[+-]?\d|{_WEEKDAY}|(?:{_MONTHS})\b)", re.IGNORECASE
)
_QUOTED_TOKEN = re.compile(r"\A\s*date\b[ \t]*:?[ \t]*(?P<value>\S+(?:[ \t]+\S+){0,2})", re.I)


def parse_date_header(text: str) -> tuple[date, str]:
    """The date in the header of `text` and the text with the header removed."""
    match = _HEADER.match(text)
    if match is None or not (match["iso"] or match["written"]):
        if match is not None and (match["colon"] or _LOOKS_LIKE_DATE.match(text)):
            raise Rejected(Reason.INVALID_DATE, f"unreadable date in header: {_quoted(text)}")
        raise Rejected(
            Reason.MISSING_DATE, "the text does not begin with a `date YYYY-MM-DD` header"
        )
    value = match["iso"] or match["written"]
    try:
        parsed = _iso_date(match["day"], match["time"]) if match["iso"] else _written_date(value)
    except (ValueError, OverflowError) as error:
        raise Rejected(
            Reason.INVALID_DATE, f"impossible date in header: '{value}' ({error})"
        ) from None
    return parsed, text[match.end() :].lstrip(" \t")


class _YearsAsWritten(dateparser.parserinfo):
    """dateutil's parser settings with no two-digit-year guess: a header's year has four digits."""

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        """The year as written: `0024` is the year 24, and `0000` stays 0 so it is rejected."""
        return year


def _iso_date(day: str, time: str | None) -> date:
    """The day of an ISO date-time as written: no timezone shift, and `T24:00` keeps its day."""
    parser = dateparser.isoparser()
    calendar_day = parser.parse_isodate(day)
    if time is not None:
        parser.parse_isotime(time)  # checked only: even 24:00 leaves the day as written
    return calendar_day


def _written_date(value: str) -> date:
    """The calendar date of a written date such as `November 2, 2024`."""
    return dateparser.parse(value, parserinfo=_YearsAsWritten()).date()


def _quoted(text: str) -> str:
    """The first words after `date` in `text`, quoted for a reject detail."""
    match = _QUOTED_TOKEN.match(text)
    return f"'{match['value']}'" if match else "''"
