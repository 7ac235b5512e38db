"""Where a page's date is written: URL, <meta> tags, JSON-LD or the body."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html

from tasks.documents import DateSource
from tasks.html._date_source import html_date_source

DAY = date(2024, 11, 2)
JSONLD = '<script type="application/ld+json">{"@type": "NewsArticle", %s}</script>'
DATE_PUBLISHED = '"datePublished": "2024-11-02"'


def _page(head: str = "", body: str = "<p>Text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("markup", "url", "expected"),
    [
        (_page(), "https://example.org/2024/11/02/story", DateSource.HTML_URL),
        (_page(), "https://example.org/news/2024-11-02-story.html", DateSource.HTML_URL),
        (_page(), "https://example.org/archive/20241102/story", DateSource.HTML_URL),
        (
            _page('<meta property="article:published_time" content="2024-11-02T23:30:00-05:00">'),
            "https://example.org/news/story",
            DateSource.HTML_META,
        ),
        (_page('<meta name="DC.date.issued" content="2024-11-02">'), None, DateSource.HTML_META),
        (_page('<meta itemprop="datePublished" content="Nov 2, 2024">'), None, "html_meta"),
        (_page(JSONLD % '"datePublished": "2024-11-02T08:00:00Z"'), None, DateSource.HTML_JSONLD),
        (_page(JSONLD % '"dateCreated": "2024-11-02"'), None, "html_jsonld"),
        (_page(body='<time datetime="2024-11-02">2 November</time>'), None, DateSource.HTML_BODY),
        (_page(body="<p>Published on 2 November 2024.</p>"), None, DateSource.HTML_BODY),
        # A date elsewhere in the URL or metadata is not where this one came from.
        (_page(), "https://example.org/2023/01/15/story", DateSource.HTML_BODY),
        (_page('<meta name="description" content="2024-11-02">'), None, DateSource.HTML_BODY),
        (_page('<meta name="date" content="2024-10-31">'), None, DateSource.HTML_BODY),
        (_page('<meta name="date" content="soon">'), None, DateSource.HTML_BODY),
        (_page(JSONLD % '"headline": "2024-11-02"'), None, DateSource.HTML_BODY),
        # Not a calendar date at all: no crash, just no match.
        (_page(), "https://example.org/2024/13/45/story", DateSource.HTML_BODY),
        # Where several places agree, the first htmldate reads wins: the URL, then <meta>.
        (
            _page('<meta name="date" content="2024-11-02">'),
            "https://example.org/2024/11/02/x",
            DateSource.HTML_URL,
        ),
        (
            _page(f'<meta name="date" content="2024-11-02">{JSONLD % DATE_PUBLISHED}'),
            None,
            DateSource.HTML_META,
        ),
    ],
)
def test_html_date_source(markup: str, url: str | None, expected: str) -> None:
    assert html_date_source(html.fromstring(markup), url, DAY) == expected
