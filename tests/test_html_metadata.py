"""A page's metadata and htmldate's day, each as trafilatura's `extract_metadata` finds it."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import pytest
from trafilatura import bare_extraction
from trafilatura.metadata import extract_author, extract_metadata
from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from tasks.html._author import page_author
from tasks.html._metadata import htmldate_day, page_metadata
from tests.paths import HTML_FIXTURES as FIXTURES

LATEST = date(2026, 12, 2)
# The start of the SHA-256 of trafilatura 2.3's author expressions, whitespace collapsed.
_AUTHOR_EXPRESSIONS = "2af94d4a6e04e948"
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


# Author elements, one per rule of trafilatura's author expressions (each with its own name, so
# that the wrong one taken shows), then names at the length limits.
_BYLINES = [
    byline.format(name=f"{first} Lee")
    for first, byline in zip(
        [
            "Ann",
            "Bea",
            "Cal",
            "Dan",
            "Eve",
            "Fay",
            "Gus",
            "Hal",
            "Ivy",
            "Jon",
            "Kim",
            "Lou",
            "Max",
            "Ned",
            "Oda",
            "Pat",
            "Quy",
            "Roy",
            "Sue",
            "Tom",
        ],
        [
            '<a rel="author">{name}</a>',
            '<span id="author">{name}</span>',
            '<div class="author">{name}</div>',
            '<p itemprop="author name">{name}</p>',
            "<span><rel>me</rel>{name}</span>",
            '<div data-testid="AuthorCard">{name}</div>',
            '<link data-testid="AuthorURL">{name}</link>',
            '<strong class="post-author-name">{name}</strong>',
            '<address id="author">{name}</address>',
            "<author>{name}</author>",
            '<p class="byline">By {name}</p>',
            '<h4 class="username">{name}</h4>',
            '<h3 class="BBL">{name}</h3>',
            '<span itemprop="creator author">{name}</span>',
            '<div id="zuozhe-1">{name}</div>',
            '<a class="meta posted-by">{name}</a>',
            '<section data-component="Byline">{name}</section>',
            '<em id="mainAuthor">{name}</em>',
            '<b class="staff-writer">{name}</b>',
            '<address class="Byline">{name}</address>',
        ],
        strict=True,
    )
] + [f'<span class="author">{"N" * length}</span>' for length in (2, 3, 119, 120)]
# What prunes an author's element: each rule of AUTHOR_DISCARD_XPATHS, and one that does not.
_PRUNERS = [
    *(f'<div id="{value}">{{}}</div>' for value in ["comments", "comments-2", "my-commentlist"]),
    '<span id="ProductReviews">{}</span>',
    *(f'<div class="{value}">{{}}</div>' for value in ["comments", "title", "date"]),
    *(
        f'<section class="x {value} y">{{}}</section>'
        for value in [
            "commentlist",
            "comments-list",
            "sidebar",
            "is-hidden",
            "blockquote",
            "embedly-instagram",
            "article-share",
            "article-support",
            "print",
            "category",
            "meta-date",
            "meta-reviewer",
        ]
    ),
    '<a class="Comments">{}</a>',
    '<span data-component="FigureCaption">{}</span>',
    "<figure>{}</figure>",
    "<time>{} 2021</time>",
    '<p class="comments">{}</p>',  # a <p>: not pruned
    '<div class="x comments">{}</div>',  # comments not at the start: not pruned
]


def _author_page(parts: list[str]) -> str:
    """A page whose body holds `parts`, between paragraphs with tails."""
    body = "".join(f"<p>Text {index}.</p>{part} and more." for index, part in enumerate(parts))
    return f"<html><head><title>A page</title></head><body><article>{body}</article></body></html>"


def test_each_author_rule_is_extract_authors() -> None:
    found = set()
    for byline in _BYLINES:
        for wrapper in ["{}", *_PRUNERS]:
            tree = load_html(_author_page([wrapper.format(byline)]))
            assert page_author(tree) == extract_author(tree), (byline, wrapper)
            found.add(page_author(tree))
    assert len(found) > len(_BYLINES) // 2  # authors were found, not only None


def test_random_pages_give_extract_authors_author() -> None:
    # Bylines and pruners nested at random: which rule wins, what is pruned first, and tails.
    generator = random.Random(18)
    for _ in range(400):
        parts = generator.sample(_BYLINES, generator.randrange(1, 5))
        for index in range(len(parts)):
            for _ in range(generator.randrange(0, 3)):
                parts[index] = generator.choice(_PRUNERS).format(parts[index])
        tree = load_html(_author_page(parts))
        assert page_author(tree) == extract_author(tree), parts


@pytest.mark.parametrize(("name", "markup"), _trees(), ids=[name for name, _ in _trees()])
def test_fixture_pages_give_extract_authors_author(name: str, markup: str) -> None:
    assert page_author(load_html(markup)) == extract_author(load_html(markup))


def test_the_author_expressions_are_those_page_author_was_written_for() -> None:
    # A new trafilatura that changes them must have _author.py read them again.
    expressions = "\n".join(" ".join(x.path.split()) for x in AUTHOR_XPATHS + AUTHOR_DISCARD_XPATHS)
    assert hashlib.sha256(expressions.encode()).hexdigest()[:16] == _AUTHOR_EXPRESSIONS
