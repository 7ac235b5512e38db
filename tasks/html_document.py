"""An HTML page turned into a document: its main text, cleaned and split like any other input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from tasks.cleaning import clean_text
from tasks.documents import Content, Document, document_from
from tasks.html_extraction import FOCUS, Focus, extracted_page
from tasks.html_markup import MAX_HTML_BYTES, html_markup
from tasks.publication_date import latest_publication
from tasks.rejection import Reason, Rejected
from tasks.time_limit import within_time_limit

# Typical pages take a tenth of a second; a page still running after this is pathological.
EXTRACTION_TIME_LIMIT = 30.0
# Fewer letters than a short sentence is menu or button text that trafilatura fell back on.
# Letters, not words: Chinese or Japanese text has few spaces to count words by.
MIN_LETTERS = 20


def html_document(
    source: str,
    data: bytes,
    *,
    run_started: datetime,
    fetched_at: datetime | None = None,
    time_limit: float = EXTRACTION_TIME_LIMIT,
) -> Document:
    """The document held in the bytes of an HTML page (gzipped or not), read by a run.

    The page was published before it was fetched (`fetched_at`, when known) and before the
    run started.
    """
    latest = latest_publication(run_started, fetched_at)
    return document_from(source, data, html_content(data, latest=latest, time_limit=time_limit))


def html_content(
    data: bytes,
    *,
    time_limit: float = EXTRACTION_TIME_LIMIT,
    max_bytes: int = MAX_HTML_BYTES,
    focus: Focus = FOCUS,
    latest: date | None = None,
) -> Content:
    """The cleaned paragraphs (one per extracted block) and metadata of an HTML page.

    `latest` is the last day the page can have been published (by default, tomorrow).
    """
    markup, encoding = html_markup(data, max_bytes)
    if latest is None:
        latest = latest_publication(datetime.now(UTC))
    page = within_time_limit(partial(extracted_page, markup, latest, focus), time_limit)
    if page is None:
        raise Rejected(Reason.NO_CONTENT, "no main text found in the page")
    # trafilatura puts each paragraph, heading, list item or table row on a line of its own
    paragraphs = [line for line in clean_text(page.text).split("\n") if line]
    letters = sum(char.isalpha() for paragraph in paragraphs for char in paragraph)
    if letters < MIN_LETTERS:
        raise Rejected(Reason.NO_CONTENT, f"only {letters} letters of main text")
    return Content(
        format="html",
        encoding=encoding,
        paragraphs=paragraphs,
        date=page.date,
        date_source=page.date_source,
        date_modified=page.date_modified,
        title=_cleaned(page.title),
        author=_cleaned(page.author),
        url=page.url,
        sitename=_cleaned(page.sitename),
    )


def _cleaned(field: str | None) -> str | None:
    """A metadata field cleaned like the text, on one line; None when nothing is left."""
    if field is None:
        return None
    return " ".join(clean_text(field).split()) or None
