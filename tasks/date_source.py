"""Where a document's date came from: the `date_source` column."""

from __future__ import annotations

from enum import StrEnum


class DateSource(StrEnum):
    """The part of an input that holds its date."""

    HEADER = "header"  # a text file's `date ...` line
    HTML_URL = "html_url"  # the page's URL (canonical link), such as /2024/11/02/story
    HTML_META = "html_meta"  # a <meta> tag such as article:published_time, or itemprop
    HTML_JSONLD = "html_jsonld"  # schema.org JSON-LD datePublished or dateCreated
    HTML_TIME = "html_time"  # a <time> element of the page's byline or header
    HTML_BYLINE = "html_byline"  # a date written in the text right after the headline
    HTML_BODY = "html_body"  # htmldate's search of the page, when nothing above dates it
