"""A page's metadata and htmldate's day, each as trafilatura's `extract_metadata` finds it."""

from __future__ import annotations

from datetime import date

import pytest
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from tasks.html._metadata import htmldate_day, page_metadata
from tests.paths import HTML_FIXTURES as FIXTURES

LATEST = date(2026, 12, 2)
_PAGES = sorted(path.name for path in FIXTURES.glob("*.html"))
# A page that fills each field from a fallback: no <meta>, no JSON-LD, an author in the text,
# a relative canonical link, a site name from the <title>, and a date only in the text.
_BARE_PAGE = (
    "<html><head><title>Ferry returns | harbour.example.com</title>"
    '<meta property="og:url" content="https://harbour.example.com/x">'
    '<link rel="canonical" href="/news/ferry"></head><body><article><h1>Ferry returns</h1>'
    '<p class="byline">By <span class="author">Sam Reed</span>, 3 March 2021</p>'
    "<p>The ferry between the two harbours sails again from Monday, after repairs.</p>"
    "</article></body></html>"
)


def _trees() -> list[tuple[str, str]]:
    """Each fixture page's markup by name, and the page above."""
    pages = [(name, (FIXTURES / name).read_bytes().decode("utf-8", "replace")) for name in _PAGES]
    return [*pages, ("fallbacks", _BARE_PAGE)]


@pytest.mark.parametrize(("name", "markup"), _trees(), ids=[name for name, _ in _trees()])
def test_metadata_is_extract_metadata_s(name: str, markup: str) -> None:
    expected = extract_metadata(
        load_html(markup),
        date_config={"original_date": True, "extensive_search": True, "max_date": "2026-12-02"},
    )
    found = page_metadata(load_html(markup))
    assert (found.title, found.author, found.url, found.sitename) == (
        expected.title,
        expected.author,
        expected.url,
        expected.sitename,
    )
    day = htmldate_day(load_html(markup), found.url, LATEST)
    assert (day.isoformat() if day else None) == expected.date


@pytest.mark.parametrize(("name", "markup"), _trees(), ids=[name for name, _ in _trees()])
def test_reading_metadata_leaves_the_tree_as_it_was(name: str, markup: str) -> None:
    tree = load_html(markup)
    page_metadata(tree)
    htmldate_day(tree, None, LATEST)
    found = bare_extraction(tree, include_comments=False)
    expected = bare_extraction(load_html(markup), include_comments=False)
    assert _text(found) == _text(expected)


def _text(found: object) -> str | None:
    """The main text of what `bare_extraction` returned, if any."""
    return getattr(found, "text", None)
