"""HTML pages to documents: main text, metadata, dates, and the pages that are rejected."""

from __future__ import annotations

import gzip
from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest

from tasks.html import html_content, html_document
from tasks.rejection import Reason, Rejected
from tests.paths import HTML_FIXTURES as FIXTURES

RUN_STARTED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "article_meta.html",
            {
                "encoding": "utf-8",
                "date": date(2024, 3, 5),
                "date_source": "html_meta",
                "title": "River survey finds otters back in the valley",
                "author": "Jane Doe",
                "url": "https://news.example.org/nature/river-survey-otters",
                "sitename": "Example News",
            },
        ),
        (
            "article_jsonld.html",
            {
                "encoding": "utf-8",
                "date": date(2023, 11, 20),
                "date_source": "html_jsonld",
                "title": "Town library extends its opening hours",
                "author": "Ola Nordmann",
                "sitename": "Valley Courier",
            },
        ),
        (
            "article_url.html",
            {
                "date": date(2022, 6, 14),
                "date_source": "html_url",
                "url": "https://coastline.example.net/2022/06/14/harbour-ferry-returns",
            },
        ),
        (
            "article_byline.html",
            {"date": date(2021, 9, 8), "date_source": "html_time", "author": "Sam Reed"},
        ),
        ("undated.html", {"date": None, "date_source": None, "author": None}),
        ("cp1251.html", {"encoding": "cp1251", "title": "Новая линия трамвая откроется весной"}),
        ("latin1.html", {"encoding": "cp1252"}),
    ],
)
def test_html_content_metadata(name: str, expected: dict[str, object]) -> None:
    content = html_content(_fixture(name))
    assert content.format == "html"
    found = {
        "date": content.date,
        "date_source": content.date_source,
        "encoding": content.encoding,
        **asdict(content.metadata),
    }
    assert {key: found[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        (
            "article_meta.html",
            [
                "River survey finds otters back in the valley",
                "Volunteers counting wildlife along the upper river found fresh otter tracks",
                "What the volunteers recorded",
                "A holt dug into the roots of an alder tree on the north bank.",
            ],
            ["Subscribe now", "Most popular", "Ten gadgets", "Copyright", "Privacy policy"],
        ),
        (
            "article_jsonld.html",
            ["The public library on Market Street will stay open until nine in the evening"],
            ["Log in", "Newsletter sign-up"],
        ),
        (
            "cp1251.html",
            ["Строительство новой трамвайной линии через северный район почти завершено"],
            ["Главная", "права защищены"],
        ),
        (
            "article_url.html",
            ["in service after four months in dry dock", "at six on Sundays"],
            ["Sign in", "Most read", "Tide tables", "All rights reserved"],
        ),
        (
            "article_byline.html",
            ["won the regional prize for school gardens", "before the end of the autumn term"],
            ["Events", "Newsletter", "Advertise"],
        ),
        (
            "latin1.html",
            ["Die älteste Bäckerei der Altstadt schließt Ende des Monats"],
            ["Startseite", "Alle Rechte vorbehalten"],
        ),
    ],
)
def test_html_content_keeps_main_text_only(
    name: str, present: list[str], absent: list[str]
) -> None:
    paragraphs = html_content(_fixture(name)).paragraphs
    for snippet in present:
        assert any(snippet in paragraph for paragraph in paragraphs), snippet
    for snippet in absent:
        assert not any(snippet in paragraph for paragraph in paragraphs), snippet


def test_each_block_is_a_paragraph() -> None:
    document = html_document(
        "article_meta.html", _fixture("article_meta.html"), run_started=RUN_STARTED
    )
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "River survey finds otters back in the valley"  # the heading
    assert texts[3] == "What the volunteers recorded"
    assert sum("weir" in text or "holt" in text or "stone" in text for text in texts) == 3
    assert len(texts) == 8  # h1, 2 paragraphs, h2, 3 list items, paragraph
    assert all("\n" not in text for text in texts)
    assert document.text == "\n\n".join(texts)
    assert [document.text[p.char_start : p.char_end] for p in document.paragraphs] == texts
    assert document.language.language == "en"
    assert document.format == "html"


def test_gzipped_page_reads_like_the_plain_one() -> None:
    plain = html_document("a.html", _fixture("article_meta.html"), run_started=RUN_STARTED)
    zipped = html_document(
        "a.html.gz", gzip.compress(_fixture("article_meta.html")), run_started=RUN_STARTED
    )
    assert zipped.text == plain.text
    assert zipped.date == plain.date
    assert zipped.content_sha256 != plain.content_sha256


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_fixture("no_content.html"), Reason.NO_CONTENT),
        (b"<html><body></body></html>", Reason.NO_CONTENT),
        (b"", Reason.EMPTY),
        (_fixture("article_meta.html") * 600, Reason.TOO_LARGE),  # ~1.2 MB over a 1 MB cap
        (gzip.compress(_fixture("article_meta.html") * 600), Reason.TOO_LARGE),
    ],
)
def test_html_content_rejects(data: bytes, reason: Reason) -> None:
    with pytest.raises(Rejected) as rejected:
        html_content(data, max_bytes=1_000_000)
    assert rejected.value.reason == reason


def test_short_text_without_spaces_is_kept() -> None:
    sentence = (
        "与田はこのショットについて「普段の私の家での感じがとても出ていると思います」と紹介した。"
    )
    page = f'<html><head><meta charset="utf-8"></head><body><article><p>{sentence}</p></article>'
    assert sentence in html_content(f"{page}</body></html>".encode()).paragraphs


_STORY = (
    "<article><h1>Harbour ferry returns after the winter</h1>{byline}"
    "<p>The ferry between the two harbours sails again from Monday, after repairs to its "
    "engines kept it in the yard for the whole winter.</p>"
    "<p>Islanders who drove the long way round the bay welcomed the news.</p></article>"
    "<footer><p>© 2026 Coastline News. All rights reserved.</p></footer>"
)


@pytest.mark.parametrize(
    ("head", "byline", "latest", "expected"),
    [
        # The URL's full date beats a later Open Graph date.
        (
            '<link rel="canonical" href="https://coast.example.net/news/2025/dec/05/ferry">'
            '<meta property="article:published_time" content="2025-12-08T10:00:00Z">',
            "",
            None,
            (date(2025, 12, 5), "html_url", None),
        ),
        # JSON-LD's datePublished, not its dateModified, nor the footer's copyright year.
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",'
            ' "datePublished": "2024-02-01", "dateModified": "2024-03-15"}]}</script>',
            "",
            None,
            (date(2024, 2, 1), "html_jsonld", date(2024, 3, 15)),
        ),
        # The byline's date, not the footer's copyright year.
        (
            "",
            '<p class="byline">By Ann Lee · 3 March 2022</p>',
            None,
            (date(2022, 3, 3), "html_byline", None),
        ),
        # A date after the fetch or the run's start is refused: the byline's is taken.
        (
            '<meta property="article:published_time" content="2024-06-01">',
            '<p class="byline">By Ann Lee · 3 March 2022</p>',
            date(2023, 1, 1),
            (date(2022, 3, 3), "html_byline", None),
        ),
    ],
)
def test_html_content_publication_date(
    head: str,
    byline: str,
    latest: date | None,
    expected: tuple[date | None, str | None, date | None],
) -> None:
    page = f"<html><head>{head}</head><body>{_STORY.format(byline=byline)}</body></html>"
    content = html_content(page.encode(), latest=latest)
    assert (content.date, content.date_source, content.date_modified) == expected
