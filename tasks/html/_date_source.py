"""Where a document's date came from: the `date_source` column."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from dateutil.parser import ParserError
from dateutil.parser import parse as parse_date

from tasks.documents import DateSource

if TYPE_CHECKING:
    from lxml.html import HtmlElement


# Dates in URLs, as htmldate reads them: /2024/11/02/, 2024-11-02, /20241102/.
_URL_DATES = (
    re.compile(r"(?<!\d)(\d{4})[/_.-](\d{1,2})[/_.-](\d{1,2})(?!\d)"),
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),
)
# Attribute values naming a date-bearing <meta> tag (name, property, itemprop, http-equiv).
_DATE_META = re.compile(r"date|time|published|created|modified|issued|updated", re.IGNORECASE)
# Date-valued keys of JSON-LD objects: datePublished, dateCreated, uploadDate, ...
_JSONLD_DATE = re.compile(r'"(?:date\w*|uploadDate)"\s*:\s*"([^"]{4,64})"', re.IGNORECASE)
_META_KEYS = ("name", "property", "itemprop", "http-equiv", "pubdate")


def html_date_source(tree: HtmlElement, url: str | None, found: date) -> DateSource:
    """Where in the page `found` (the date htmldate chose) is written.

    htmldate does not say where its date came from, so the page's dated places are checked
    in the order htmldate reads them: the URL, <meta> tags, JSON-LD, and then the body.
    """
    if url is not None and found in _url_dates(url):
        return DateSource.HTML_URL
    if found in _meta_dates(tree):
        return DateSource.HTML_META
    if found in _jsonld_dates(tree):
        return DateSource.HTML_JSONLD
    return DateSource.HTML_BODY


def _url_dates(url: str) -> Iterator[date]:
    """The year-month-day dates written in a URL."""
    for pattern in _URL_DATES:
        for year, month, day in pattern.findall(url):
            try:
                yield date(int(year), int(month), int(day))
            except ValueError:
                continue


def _meta_dates(tree: HtmlElement) -> Iterator[date]:
    """The dates in the content of the page's date-bearing <meta> tags."""
    for meta in tree.iter("meta"):
        if any(_DATE_META.search(meta.get(key) or "") for key in _META_KEYS):
            day = _date_in(meta.get("content") or "")
            if day is not None:
                yield day


def _jsonld_dates(tree: HtmlElement) -> Iterator[date]:
    """The dates under date-valued keys of the page's JSON-LD scripts."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            for value in _JSONLD_DATE.findall(script.text or ""):
                day = _date_in(value)
                if day is not None:
                    yield day


def _date_in(value: str) -> date | None:
    """The calendar date a metadata value writes (an ISO date-time keeps its own day)."""
    if not any(char.isdigit() for char in value):
        return None
    try:
        return parse_date(value).date()
    except (ParserError, ValueError, OverflowError):
        return None
