"""An HTML page turned into a document: its main text, cleaned and split like any other input."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from functools import partial

from tasks.cleaning import clean_text
from tasks.documents import Content, Document, PageMetadata, document_from
from tasks.html._extraction import FOCUS, Focus, extracted_page
from tasks.html._markup import MAX_HTML_BYTES, html_markup
from tasks.html._publication_date import latest_publication
from tasks.html._time_limit import within_time_limit
from tasks.rejection import Reason, Rejected

# Typical pages take a tenth of a second; a page still running after this is pathological.
EXTRACTION_TIME_LIMIT = 30.0
# Fewer letters than a short sentence is menu or button text that trafilatura fell back on.
# Letters, not words: Chinese or Japanese text has few spaces to count words by.
MIN_MAIN_TEXT_LETTERS = 20


def html_document(
    source: str,
    data: bytes,
    *,
    run_started: datetime,
    time_limit: float = EXTRACTION_TIME_LIMIT,
    max_bytes: int = MAX_HTML_BYTES,
) -> Document:
    """The document in an HTML page's bytes (gzipped or not), dated no later than `run_started`."""
    latest = latest_publication(run_started)
    content = html_content(data, time_limit=time_limit, max_bytes=max_bytes, latest=latest)
    return document_from(source, data, content)


def html_content(
    data: bytes,
    *,
    time_limit: float = EXTRACTION_TIME_LIMIT,
    max_bytes: int = MAX_HTML_BYTES,
    focus: Focus = FOCUS,
    latest: date | None = None,
    fetched_from: str | None = None,
) -> Content:
    """An HTML page's cleaned paragraphs and metadata, its date no later than `latest`."""
    markup, encoding = html_markup(data, max_bytes)
    if latest is None:  # no run or fetch to bound it: published by now
        latest = latest_publication(datetime.now(UTC))
    extraction = partial(extracted_page, markup, latest, focus, fetched_from)
    page = within_time_limit(extraction, time_limit)
    if page is None:
        raise Rejected(Reason.NO_CONTENT, "no main text found in the page")
    # trafilatura puts each paragraph, heading, list item or table row on a line of its own
    paragraphs = [line for line in clean_text(page.text).split("\n") if line]
    letters = _letters(paragraphs, up_to=MIN_MAIN_TEXT_LETTERS)
    if letters < MIN_MAIN_TEXT_LETTERS:
        raise Rejected(Reason.NO_CONTENT, f"only {letters} letters of main text")
    return Content(
        format="html",
        encoding=encoding,
        paragraphs=paragraphs,
        date=page.date,
        date_source=page.date_source,
        date_modified=page.date_modified,
        metadata=PageMetadata(
            title=_cleaned(page.metadata.title),
            author=_cleaned(page.metadata.author),
            url=page.metadata.url,
            sitename=_cleaned(page.metadata.sitename),
        ),
    )


def _letters(paragraphs: list[str], up_to: int) -> int:
    """How many letters `paragraphs` hold, counted no further than `up_to`."""
    # Counting stops there: a page's text holds thousands, and each costs a call.
    found = filter(str.isalpha, itertools.chain.from_iterable(paragraphs))
    return sum(1 for _ in itertools.islice(found, up_to))


def _cleaned(field: str | None) -> str | None:
    """A metadata field cleaned like the text, on one line; None when nothing is left."""
    if field is None:
        return None
    return " ".join(clean_text(field).split()) or None
