"""HTML pages: markup decoded within a size cap, main text and metadata extracted in time."""

from tasks.html._date_clues import date_clues
from tasks.html._document import EXTRACTION_TIME_LIMIT, html_content, html_document
from tasks.html._extraction import FOCUS, Focus
from tasks.html._markup import MAX_HTML_BYTES, html_markup
from tasks.html._publication_date import (
    Clue,
    PublicationDate,
    Signal,
    latest_publication,
    publication_date,
)

__all__ = [
    "EXTRACTION_TIME_LIMIT",
    "FOCUS",
    "MAX_HTML_BYTES",
    "Clue",
    "Focus",
    "PublicationDate",
    "Signal",
    "date_clues",
    "html_content",
    "html_document",
    "html_markup",
    "latest_publication",
    "publication_date",
]
