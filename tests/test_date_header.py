"""The date header: accepted forms, removed from the text, and the rejects."""

from __future__ import annotations

from datetime import date

import pytest

from tasks.date_header import parse_date_header
from tasks.rejection import Reason, Rejected


@pytest.mark.parametrize(
    ("text", "day", "body"),
    [
        ("date 2024-11-02 Ukraine launched", date(2024, 11, 2), "Ukraine launched"),
        ("DATE: 2024-11-02\n\nBody", date(2024, 11, 2), "\n\nBody"),
        ("Date:2024-01-05 x", date(2024, 1, 5), "x"),
        ("date 2024-11-02T23:30:00-05:00 Late", date(2024, 11, 2), "Late"),
        ("date 2024-11-02T01:00:00Z Early", date(2024, 11, 2), "Early"),
        ("date 2024-11-02 10:15 Spaced", date(2024, 11, 2), "Spaced"),
        ("Date: November 2, 2024\nBody", date(2024, 11, 2), "\nBody"),
        ("date Nov. 2, 2024 Body", date(2024, 11, 2), "Body"),
        ("date 2 November 2024 Body", date(2024, 11, 2), "Body"),
        ("Date: Saturday, November 2, 2024 Body", date(2024, 11, 2), "Body"),
        ("date 2024-11-02", date(2024, 11, 2), ""),
        # a four-digit year is taken as written, in both forms
        ("date 0024-03-05 Body", date(24, 3, 5), "Body"),
        ("Date: March 5, 0024 Body", date(24, 3, 5), "Body"),
        ("date 0099-03-05 Body", date(99, 3, 5), "Body"),
        ("Date: 5 March 0099 Body", date(99, 3, 5), "Body"),
        ("date 0012-12-31 Body", date(12, 12, 31), "Body"),
        ("date 31 December 0012 Body", date(12, 12, 31), "Body"),
        # 24:00 is the end of the day written, not the start of the next
        ("date 2024-12-31T24:00:00 Body", date(2024, 12, 31), "Body"),
        ("date 2024-12-31 24:00 Body", date(2024, 12, 31), "Body"),
        ("date 2024-02-29T24:00:00.000+05:00 Body", date(2024, 2, 29), "Body"),
        # a written date carries no time: what follows it is body text
        ("Date: December 31, 2024 24:00 Body", date(2024, 12, 31), "24:00 Body"),
    ],
)
def test_header_forms(text: str, day: date, body: str) -> None:
    assert parse_date_header(text) == (day, body)


@pytest.mark.parametrize(
    ("text", "reason", "quoted"),
    [
        ("Ukraine launched another wave", Reason.MISSING_DATE, None),
        ("Dates are a sweet fruit", Reason.MISSING_DATE, None),
        ("date night was fun", Reason.MISSING_DATE, None),
        ("", Reason.MISSING_DATE, None),
        ("date 2024-13-45 Body", Reason.INVALID_DATE, "2024-13-45"),
        ("date 2024-02-30 Body", Reason.INVALID_DATE, "2024-02-30"),
        ("date: yesterday morning", Reason.INVALID_DATE, "yesterday"),
        ("date 12/11/2024 Body", Reason.INVALID_DATE, "12/11/2024"),
        ("Date: February 30, 2024 Body", Reason.INVALID_DATE, "February 30, 2024"),
        # there is no year 0, in either form
        ("date 0000-01-01 Body", Reason.INVALID_DATE, "impossible date in header: '0000-01-01'"),
        (
            "Date: January 1, 0000 Body",
            Reason.INVALID_DATE,
            "impossible date in header: 'January 1, 0000'",
        ),
        # a year of fewer than four digits is no year, in either form
        ("date 24-03-05 Body", Reason.INVALID_DATE, "unreadable date in header: '24-03-05"),
        ("Date: March 5, 24 Body", Reason.INVALID_DATE, "unreadable date in header: 'March 5, 24"),
        # hour 24 only as 24:00:00
        (
            "date 2024-12-31T24:30 Body",
            Reason.INVALID_DATE,
            "impossible date in header: '2024-12-31T24:30'",
        ),
        (
            "date 2024-12-31T24:00:01 Body",
            Reason.INVALID_DATE,
            "impossible date in header: '2024-12-31T24:00:01'",
        ),
        # a signed year is a date attempt that cannot be read, in either form
        ("date -2024-01-01 Body", Reason.INVALID_DATE, "unreadable date in header: '-2024-01-01"),
        ("date +2024-01-01 Body", Reason.INVALID_DATE, "unreadable date in header: '+2024-01-01"),
        ("Date: -2024-01-01 Body", Reason.INVALID_DATE, "unreadable date in header: '-2024-01-01"),
        (
            "date January 1, -2024 Body",
            Reason.INVALID_DATE,
            "unreadable date in header: 'January 1, -2024'",
        ),
    ],
)
def test_header_rejects(text: str, reason: Reason, quoted: str | None) -> None:
    with pytest.raises(Rejected) as rejected:
        parse_date_header(text)
    assert rejected.value.reason == reason
    if quoted:
        assert quoted in rejected.value.detail
