"""The dates an HTML page states: in its URL, <meta> tags, JSON-LD, byline <time> and text."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tasks.html._publication_date import Clue, Signal

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def date_clues(tree: HtmlElement, url: str | None) -> list[Clue]:
    """Every full date the page in `tree` (at `url`) states, published or modified."""
    clues = list(_url_clues(url)) if url else []
    headline = None
    # Only these tags are visited: a Python object for every element would cost more.
    for element in tree.iter("meta", "script", "time", "h1"):
        if element.tag == "meta":
            clues.extend(_meta_clues(element))
        elif element.tag == "script":
            if (element.get("type") or "").strip().lower() == "application/ld+json":
                clues.extend(_jsonld_clues(element.text or ""))
        elif element.tag == "time":
            clues.extend(_time_clues(element))
        elif headline is None:
            headline = element
    if headline is not None:
        clues.extend(_byline_clues(headline))
    return clues


# Full dates in URLs: /2024/11/02/, 2024-11-02, /2025/dec/05/, /20241102/.
_URL_NUMERIC = re.compile(r"(?<!\d)((?:19|20)\d\d)[/_.-](\d\d?)[/_.-](\d\d?)(?!\d)")
_URL_MONTH_NAME = re.compile(
    r"/((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/(\d\d?)/",
    re.IGNORECASE,
)
_URL_COMPACT = re.compile(r"/((?:19|20)\d\d)(\d\d)(\d\d)(?=[/_.-])")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _url_clues(url: str) -> Iterator[Clue]:
    """The first full year-month-day date written in a URL."""
    for pattern in (_URL_NUMERIC, _URL_MONTH_NAME, _URL_COMPACT):
        for year, month, day in pattern.findall(url):
            number = _MONTHS.index(month[:3].lower()) + 1 if month.isalpha() else int(month)
            try:
                yield Clue(date(int(year), number, int(day)), Signal.URL, False, "url")
            except ValueError:  # not a calendar date: 2024/13/45
                continue
            return


# Keys (of <meta> tags, itemprop, class names) that date a change rather than the page.
_MODIFIED = re.compile(r"modif|updat|lastmod|last-mod|revis|moddate|utime|edited")
# Other <meta> keys that date the page: htmldate's list (`htmldate.core.DATE_ATTRIBUTES`)
# without its loosest entries ("meta", "timestamp"), and Dublin Core's and schema.org's.
_PUBLISHED_META = frozenset(
    {
        "analyticsattributes.articledate",
        "article.created",
        "article.published",
        "article_date_original",
        "bt:pubdate",
        "citation_date",
        "citation_online_date",
        "citation_publication_date",
        "content_create_date",
        "created",
        "cxenseparse:recs:publishtime",
        "date",
        "date_created",
        "date_published",
        "datecreated",
        "dateposted",
        "datepublished",
        "dc.created",
        "dc.date",
        "dc.date.created",
        "dc.date.issued",
        "dc.date.publication",
        "dc:created",
        "dc:date",
        "dcsext.articlefirstpublished",
        "dcterms.created",
        "dcterms.date",
        "dcterms.issued",
        "displaydate",
        "doc_date",
        "gentime",
        "mediator_published_time",
        "original-publish-date",
        "originalpublicationdate",
        "parsely-pub-date",
        "pdate",
        "ptime",
        "pubdate",
        "publication_date",
        "publish-date",
        "publish_date",
        "publish_time",
        "publishdate",
        "published-date",
        "published_date",
        "published_time",
        "publisheddate",
        "rbpubdate",
        "release_date",
        "rnews:datepublished",
        "sailthru.date",
        "shareaholic:article_published_time",
        "twt-published-at",
        "video:release_date",
        "vr:published_time",
    }
)
_META_KEYS = ("property", "name", "itemprop", "http-equiv")


def _meta_clues(meta: HtmlElement) -> Iterator[Clue]:
    """The date a <meta> tag states, if it is one that dates the page or a change to it."""
    for attribute in _META_KEYS:
        key = (meta.get(attribute) or "").strip().lower()
        if not key:
            continue
        open_graph = key.startswith(("article:", "og:")) and "publish" in key
        modified = _MODIFIED.search(key) is not None
        if open_graph or modified or key in _PUBLISHED_META:
            signal = Signal.OPEN_GRAPH if open_graph else Signal.META
            clue = _clue(meta.get("content") or meta.get("datetime"), signal, modified, key)
            if clue is not None:
                yield clue
            return


_JSONLD_PUBLISHED = ("datePublished", "dateCreated", "uploadDate")
_JSONLD_MODIFIED = "dateModified"
# A date in JSON-LD that `json` cannot read (sites write broken JSON): its key and value.
_JSONLD_DATE = re.compile(r'"(datePublished|dateCreated|uploadDate|dateModified)"\s*:\s*"([^"]+)"')
_JSONLD_DEPTH = 8


def _jsonld_clues(script: str) -> Iterator[Clue]:
    """The dates of every object in a JSON-LD script, `@graph` and nested ones included."""
    if '"date' not in script and '"uploadDate' not in script:
        return
    try:
        found = [
            (f"{kind}.{name}", item.get(name))
            for kind, item in _jsonld_objects(json.loads(script), _JSONLD_DEPTH)
            for name in (*_JSONLD_PUBLISHED, _JSONLD_MODIFIED)
        ]
    except ValueError:
        found = [(f"?.{name}", value) for name, value in _JSONLD_DATE.findall(script)]
    for key, value in found:
        if isinstance(value, str):
            clue = _clue(value, Signal.JSONLD, key.endswith(_JSONLD_MODIFIED), key)
            if clue is not None:
                yield clue


def _jsonld_objects(data: Any, depth: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each JSON-LD object in `data` with its `@type`, outer objects first."""
    if depth == 0:
        return
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_objects(item, depth - 1)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kind = kind[0] if isinstance(kind, list) and kind else kind
        yield (kind if isinstance(kind, str) else "?"), data
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _jsonld_objects(value, depth - 1)


# Classes and ids of the parts of a page whose dates are other pages' (related stories,
# teasers) or readers' (comments): a <time> there does not date the page.
_ELSEWHERE = re.compile(r"comment|related|sidebar|widget|recent|popular|footer|teaser|reply")
_ELSEWHERE_TAGS = frozenset({"aside", "footer", "nav"})
_WHOLE_PAGE_TAGS = frozenset({"body", "html"})


def _time_clues(element: HtmlElement) -> Iterator[Clue]:
    """The date a <time> element of the page's own byline or header states."""
    itemprop = (element.get("itemprop") or "").strip().lower()
    value = element.get("datetime") or element.get("content") or element.text_content()
    if itemprop in ("datepublished", "datecreated", "datemodified", "dateupdated"):
        modified = _MODIFIED.search(itemprop) is not None
        clue = _clue(value, Signal.META, modified, f"itemprop {itemprop}")
        if clue is not None:
            yield clue
        return
    # The classes of <body> and <html> describe the page ("no-sidebars"), not a part of it.
    for ancestor in element.iterancestors():
        if ancestor.tag in _WHOLE_PAGE_TAGS:
            break
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower()
        if ancestor.tag in _ELSEWHERE_TAGS or _ELSEWHERE.search(names):
            return
    parent = element.getparent()
    marks = f"{element.get('class') or ''} {element.get('id') or ''} "
    marks += parent.get("class") or "" if parent is not None else ""
    clue = _clue(value, Signal.TIME, _MODIFIED.search(marks.lower()) is not None, "time")
    if clue is not None:
        yield clue


# Words before a date that make it the date of a change, in a few languages.
UPDATED_WORDS = re.compile(
    r"updat|modif|revis|edited|aktualisiert|geändert|änderung|stand:|mis à jour|actualiz"
    r"|aggiornat|bijgewerkt|обновл|оновл",
    re.IGNORECASE,
)
# How many pieces of text after the headline are read for the byline's dates.
_BYLINE_SEGMENTS = 40
_FOUR_DIGITS = re.compile(r"(?:\D*\d){4}")


def _byline_clues(headline: HtmlElement) -> Iterator[Clue]:
    """The first published and the first updated date written in the text after `headline`."""
    found: set[bool] = set()
    before = ""
    for segment in itertools.islice(_text_after(headline), _BYLINE_SEGMENTS):
        if 6 <= len(segment) <= 80 and _FOUR_DIGITS.match(segment):
            modified = UPDATED_WORDS.search(f"{before} {segment}") is not None
            clue = None if modified in found else _clue(segment, Signal.BYLINE, modified, "byline")
            if clue is not None:
                found.add(modified)
                yield clue
                if len(found) == 2:
                    return
        before = segment[-40:]


_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def _text_after(element: HtmlElement) -> Iterator[str]:
    """The visible pieces of text that follow `element` in the page, white space made single."""
    for text in _texts_after(element):
        if text and not text.isspace():
            yield " ".join(text.split())


def _texts_after(element: HtmlElement) -> Iterator[str | None]:
    """The texts and tails that follow `element` in page order, those of scripts left out."""
    from lxml.etree import iterwalk

    for ancestor in itertools.chain([element], element.iterancestors()):
        yield ancestor.tail
        for sibling in ancestor.itersiblings():
            for event, inner in iterwalk(sibling, events=("start", "end")):
                if event == "end":
                    yield inner.tail
                elif isinstance(inner.tag, str) and inner.tag not in _INVISIBLE:
                    yield inner.text


_PARSE_FROM = datetime(1900, 1, 1)
_PARSE_UNTIL = datetime(2199, 12, 31)
# The part of a value read as a date: htmldate reads no more either.
_PARSE_REACH = 64
# An ISO 8601 day, alone or starting a date-time: htmldate's parser refuses many date-times
# with a fraction of a second (`2025-12-08T22:31:00.000Z`, `...:41.085+02:00`, `...:00.123456`).
_ISO_DAY = re.compile(r"((?:19|20|21)\d\d)-(\d\d)-(\d\d)(?:$|[T ]\d)")
# A day written as two numbers from 1 to 12 and a four-digit year (`03-09-2026`,
# `11/01/2023 12:43`, `09.10.2024`): day first in most of the world, month first in the US.
_EITHER_ORDER = re.compile(
    r"(?<!\d)(0?[1-9]|1[0-2])([./-])(0?[1-9]|1[0-2])\2((?:19|20|21)\d\d)(?!\d)"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")


def _clue(value: str | None, signal: Signal, modified: bool, key: str) -> Clue | None:
    """The clue a date string at `key` gives, if it writes a day (read as htmldate reads it)."""
    if not value:
        return None
    value = value.strip()[:_PARSE_REACH]
    day = _iso_day(value)
    if day is not None:
        return Clue(day, signal, modified, key)
    day = _htmldate_day(value)
    if day is None:
        return None
    return Clue(day, signal, modified, key, _other_order(value, day))


def _other_order(value: str, day: date) -> date | None:
    """`day` read in the other day-month order, where `value` writes it as two numbers."""
    either = _EITHER_ORDER.search(value)
    # Only a value that writes one year can be read in both orders: in "Published 2026-05-01,
    # ref 1-5-2026" the day read need not be the ambiguous one.
    if either is None or len(_YEAR.findall(value)) != 1:
        return None
    first, second, year = int(either[1]), int(either[3]), int(either[4])
    readings = {date(year, second, first), date(year, first, second)}
    if day not in readings or len(readings) == 1:
        return None
    return (readings - {day}).pop()


def _iso_day(value: str) -> date | None:
    """The ISO 8601 day that starts `value` (stripped), if it is a calendar day."""
    iso = _ISO_DAY.match(value)
    if iso is None:
        return None
    try:
        return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:  # not a calendar date: 2024-13-45
        return None


def _htmldate_day(value: str) -> date | None:
    """The calendar day htmldate reads in a date string (a date-time keeps its own day)."""
    from htmldate.extractors import try_date_expr

    found = try_date_expr(value, "%Y-%m-%d", False, _PARSE_FROM, _PARSE_UNTIL)
    return date.fromisoformat(found) if found else None
