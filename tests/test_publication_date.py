"""Publication dates of hand-written pages: each signal, each conflict, and the guard rails."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml import html

from tasks.html import PublicationDate, date_clues, latest_publication, publication_date

LATEST = date(2026, 12, 2)
JSONLD = '<script type="application/ld+json">%s</script>'
OG_PUBLISHED = '<meta property="article:published_time" content="%s">'
OG_MODIFIED = '<meta property="article:modified_time" content="%s">'
FOOTER = "<footer><p>© 2026 Example News. All rights reserved.</p></footer>"


def _page(head: str = "", body: str = "<p>Text of the story.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _story(byline: str = "", after: str = FOOTER) -> str:
    """A page body: headline, byline, two paragraphs, then `after`."""
    return (
        f"<article><h1>River survey finds otters</h1>{byline}"
        "<p>Volunteers found fresh otter tracks along the upper river.</p>"
        f"<p>The survey runs again next spring.</p></article>{after}"
    )


def _dated(
    markup: str, url: str | None = None, fallback: date | None = None, latest: date = LATEST
) -> PublicationDate:
    return publication_date(date_clues(html.fromstring(markup), url), fallback, latest)


D = date  # keeps the table below on one line per case


@pytest.mark.parametrize(
    ("markup", "url", "expected"),
    [
        # Each signal alone.
        (_page(), "https://e.org/2024/11/02/story", (D(2024, 11, 2), "html_url", None)),
        (_page(), "https://e.org/news/2024-11-02-story.html", (D(2024, 11, 2), "html_url", None)),
        (_page(), "https://e.org/world/2025/dec/05/story", (D(2025, 12, 5), "html_url", None)),
        (_page(), "https://e.org/archive/20241102/story", (D(2024, 11, 2), "html_url", None)),
        (
            _page(OG_PUBLISHED % "2024-11-02T23:30:00-05:00"),
            None,
            (D(2024, 11, 2), "html_meta", None),
        ),
        (
            _page('<meta name="DC.date.issued" content="2024-11-02">'),
            None,
            (D(2024, 11, 2), "html_meta", None),
        ),
        (
            _page('<meta itemprop="datePublished" content="Nov 2, 2024">'),
            None,
            (D(2024, 11, 2), "html_meta", None),
        ),
        (
            _page(JSONLD % '{"@type": "NewsArticle", "datePublished": "2024-11-02T08:00:00Z"}'),
            None,
            (D(2024, 11, 2), "html_jsonld", None),
        ),
        (
            _page(JSONLD % '{"@type": "Article", "dateCreated": "2024-11-02"}'),
            None,
            (D(2024, 11, 2), "html_jsonld", None),
        ),
        (
            _page(
                body=_story(
                    '<p class="byline">By Sam Reed, <time datetime="2024-11-02">2 Nov</time></p>'
                )
            ),
            None,
            (D(2024, 11, 2), "html_time", None),
        ),
        (
            _page(body=_story('<p class="meta">Sam Reed · Published 2 November 2024</p>')),
            None,
            (D(2024, 11, 2), "html_byline", None),
        ),
        # JSON-LD: published against modified, @graph, a list, broken JSON.
        (
            _page(
                JSONLD % '{"@type": "NewsArticle", "dateModified": "2024-11-09",'
                ' "datePublished": "2024-11-02"}'
            ),
            None,
            (D(2024, 11, 2), "html_jsonld", D(2024, 11, 9)),
        ),
        (
            _page(
                JSONLD % '{"@context": "https://schema.org", "@graph": ['
                '{"@type": "Organization", "name": "E"}, {"@type": "NewsArticle",'
                ' "datePublished": "2024-11-02", "dateModified": "2024-11-03"}]}'
            ),
            None,
            (D(2024, 11, 2), "html_jsonld", D(2024, 11, 3)),
        ),
        (
            _page(JSONLD % '[{"@type": "BlogPosting", "datePublished": "2024-11-02"}]'),
            None,
            (D(2024, 11, 2), "html_jsonld", None),
        ),
        (
            _page(JSONLD % '{"@type": "NewsArticle", "datePublished": "2024-11-02",}'),
            None,
            (D(2024, 11, 2), "html_jsonld", None),
        ),
        # The URL's full date beats a later date in the <meta> tags.
        (
            _page(OG_PUBLISHED % "2025-12-08T10:00:00Z"),
            "https://e.org/world/2025/dec/05/story",
            (D(2025, 12, 5), "html_url", None),
        ),
        # Open Graph beats JSON-LD; the modified date of either is kept as date_modified.
        (
            _page(
                (OG_PUBLISHED % "2024-11-02")
                + (OG_MODIFIED % "2024-11-20")
                + JSONLD % '{"@type": "NewsArticle", "datePublished": "2024-11-01"}'
            ),
            None,
            (D(2024, 11, 2), "html_meta", D(2024, 11, 20)),
        ),
        # Two signals that agree overrule the highest one standing alone (a time-zone shift).
        (
            _page(
                (OG_PUBLISHED % "2024-11-03T01:00:00Z")
                + JSONLD % '{"@type": "NewsArticle", "datePublished": "2024-11-02T20:00:00-05:00"}',
                _story('<p class="meta">Published 2 November 2024</p>'),
            ),
            None,
            (D(2024, 11, 2), "html_byline", None),
        ),
        # A byline "updated" date is the modified date, not the publication day.
        (
            _page(
                body=_story(
                    '<p class="meta"><span>Published 2 Nov 2024</span> ·'
                    " <span>Updated 9 Nov 2024</span></p>"
                    "<p>Last updated: <span>12 November 2024</span></p>"
                )
            ),
            None,
            (D(2024, 11, 2), "html_byline", D(2024, 11, 9)),
        ),
        # A <time> among related stories or in the footer does not date the page.
        (
            _page(
                body=_story(
                    after='<aside class="related"><time datetime="2024-12-24">x</time></aside>'
                )
            ),
            None,
            (None, None, None),
        ),
        # A copyright year in the footer is not a date; the byline's is.
        (
            _page(
                body=_story('<div class="byline"><time datetime="2021-09-08">8 Sep</time></div>')
            ),
            None,
            (D(2021, 9, 8), "html_time", None),
        ),
        # A date-time with milliseconds (which htmldate refuses) is read to its day.
        (
            _page((OG_PUBLISHED % "2025-12-08T22:31:00.000Z") + (OG_MODIFIED % "2025-12-31")),
            None,
            (D(2025, 12, 8), "html_meta", D(2025, 12, 31)),
        ),
        (
            _page(
                JSONLD
                % '{"@type": "NewsArticle", "datePublished": "2020-04-03T10:35:41.085+02:00",'
                ' "dateModified": "2020-04-11T08:27:52.7270000Z"}'
            ),
            None,
            (D(2020, 4, 3), "html_jsonld", D(2020, 4, 11)),
        ),
        (_page(OG_PUBLISHED % "2024-13-45T10:00:00.000Z"), None, (None, None, None)),
        # Two numbers up to 12 read in htmldate's order, unless the page writes the day the
        # other way round elsewhere and nothing writes htmldate's reading plainly.
        (
            _page(
                OG_PUBLISHED % "03-09-2026",
                _story('<p class="meta">Published March 9, 2026</p>'),
            ),
            None,
            (D(2026, 3, 9), "html_byline", None),
        ),
        (_page(OG_PUBLISHED % "03-09-2026"), None, (D(2026, 9, 3), "html_meta", None)),
        (
            _page(
                JSONLD % '{"@type": "BlogPosting", "datePublished": "2024-09-10T16:07:00.000Z"}',
                _story('<p class="meta">09.10.2024</p>'),
            ),
            None,
            (D(2024, 9, 10), "html_jsonld", None),
        ),
        (
            _page(
                (OG_PUBLISHED % "03-09-2026")
                + JSONLD % '{"@type": "NewsArticle", "datePublished": "2026-09-03"}',
                _story('<p class="meta">Published March 9, 2026</p>'),
            ),
            None,
            (D(2026, 9, 3), "html_meta", None),
        ),
        # A value that writes two years is not read in both orders; nor is one with a zero.
        (
            _page(
                OG_PUBLISHED % "Published 2026-05-01, ref 1-5-2026",
                _story('<p class="meta">Published January 5, 2026</p>'),
            ),
            None,
            (D(2026, 5, 1), "html_meta", None),
        ),
        (
            _page(body=_story('<p class="meta">Posted 1 May 2026 (0/5/2026)</p>')),
            None,
            (D(2026, 5, 1), "html_byline", None),
        ),
        # A leading ISO day that is no calendar day leaves the value to htmldate.
        (_page(OG_PUBLISHED % "2024-13-45 2024-05-01"), None, (D(2024, 5, 1), "html_meta", None)),
        # The classes of <body> describe the page ("no-sidebars"), not a sidebar around <time>.
        (
            "<html><body class='page no-sidebars'>"
            + _story(
                '<div class="meta"><time datetime="2022-01-25T08:00:00.000+01:00">x</time></div>'
            )
            + "</body></html>",
            None,
            (D(2022, 1, 25), "html_time", None),
        ),
        # A date in the URL that is not a calendar date, and a year-month URL, are no dates.
        (_page(), "https://e.org/2024/13/45/story", (None, None, None)),
        (_page(), "https://e.org/2024/11/story", (None, None, None)),
    ],
)
def test_each_signal_and_conflict(
    markup: str, url: str | None, expected: tuple[date | None, str | None, date | None]
) -> None:
    found = _dated(markup, url)
    assert (found.day, found.source, found.modified) == expected


@pytest.mark.parametrize(
    ("markup", "fallback", "expected"),
    [
        # Nothing stated: htmldate's own search is taken, as html_body.
        (_page(body=_story(after=FOOTER)), D(2024, 5, 1), (D(2024, 5, 1), "html_body", None)),
        (_page(body=_story(after=FOOTER)), None, (None, None, None)),
        # Only a modified date: it is not made the publication day...
        (_page(OG_MODIFIED % "2024-11-20"), None, (None, None, D(2024, 11, 20))),
        # ...though htmldate's search may still find the day the page was published.
        (
            _page(OG_MODIFIED % "2024-11-20"),
            D(2024, 11, 2),
            (D(2024, 11, 2), "html_body", D(2024, 11, 20)),
        ),
        # Only an update shown to readers in the byline: that day, over htmldate's search.
        (
            _page(body=_story(byline="<p>By Ann Lee. Updated 9 Nov 2024</p>")),
            D(2023, 1, 1),
            (D(2024, 11, 9), "html_byline", D(2024, 11, 9)),
        ),
        (
            _page(body=_story(byline="<p>By Ann Lee. Updated 9 Nov 2024</p>")),
            None,
            (D(2024, 11, 9), "html_byline", D(2024, 11, 9)),
        ),
        # A published signal is taken over htmldate's search.
        (_page(OG_PUBLISHED % "2024-11-02"), D(2026, 1, 1), (D(2024, 11, 2), "html_meta", None)),
        # A modified date before the publication day is noise, not kept.
        (
            _page((OG_PUBLISHED % "2024-11-02") + (OG_MODIFIED % "2024-10-01")),
            None,
            (D(2024, 11, 2), "html_meta", None),
        ),
    ],
)
def test_fallback_and_modified_dates(
    markup: str, fallback: date | None, expected: tuple[date | None, str | None, date | None]
) -> None:
    found = _dated(markup, fallback=fallback)
    assert (found.day, found.source, found.modified) == expected


@pytest.mark.parametrize(
    ("markup", "url", "fallback", "expected"),
    [
        # A date after the fetch (or the run's start) is not taken; the next signal is.
        (
            _page(
                OG_PUBLISHED % "2027-03-01", _story('<p class="byline"><time>2024-11-02</time></p>')
            ),
            None,
            None,
            (D(2024, 11, 2), "html_time"),
        ),
        (_page(OG_PUBLISHED % "2027-03-01"), None, D(2024, 11, 2), (D(2024, 11, 2), "html_body")),
        (_page(OG_PUBLISHED % "2027-03-01"), None, D(2027, 3, 1), (None, None)),
        (_page(), "https://e.org/2031/01/01/story", None, (None, None)),
        # Before 1990 is no web page's publication day.
        (_page('<meta name="date" content="1985-06-01">'), None, None, (None, None)),
        (_page(), None, D(1989, 12, 31), (None, None)),
        # The last day allowed is taken.
        (_page(OG_PUBLISHED % "2026-12-02"), None, None, (D(2026, 12, 2), "html_meta")),
    ],
)
def test_guard_rails(
    markup: str, url: str | None, fallback: date | None, expected: tuple[date | None, str | None]
) -> None:
    found = _dated(markup, url, fallback)
    assert (found.day, found.source) == expected


@pytest.mark.parametrize(
    ("run_started", "fetched_at", "expected"),
    [
        (datetime(2026, 12, 1, 9, 30, tzinfo=UTC), None, date(2026, 12, 2)),
        (
            datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
            datetime(2020, 6, 7, 23, 0, tzinfo=UTC),
            date(2020, 6, 8),
        ),
    ],
)
def test_latest_publication_is_the_fetch_else_the_run_start_plus_a_time_zone(
    run_started: datetime, fetched_at: datetime | None, expected: date
) -> None:
    assert latest_publication(run_started, fetched_at) == expected


@pytest.mark.parametrize(
    "value",
    [
        "00-05-2026",
        "0/0/0000",
        "99-99-2026",
        "31/31/2026",
        "2024-00-00T00:00:00.000Z",
        "1" * 200,
        "2026-02-30",
        "--",
        "0.0.2026 00-00-2026",
        "12/12/2026/12/12",
        "\x00 2026-01-01",
    ],
)
def test_no_date_string_raises(value: str) -> None:
    """Whatever a page writes where dates go, reading it never raises."""
    markup = _page(
        (OG_PUBLISHED % value) + JSONLD % f'{{"datePublished": "{value}"}}',
        _story(f'<p class="meta"><time datetime="{value}">{value}</time> {value}</p>'),
    )
    _dated(markup)
