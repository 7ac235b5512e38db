"""The main text of an HTML page and its metadata, extracted by trafilatura."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from tasks.documents import DateSource, PageMetadata
from tasks.html._date_clues import date_clues
from tasks.html._publication_date import publication_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from trafilatura.settings import Document as Extraction


class Focus(StrEnum):
    """trafilatura's trade-off between keeping too little text and keeping boilerplate."""

    BALANCED = "balanced"
    PRECISION = "precision"
    RECALL = "recall"


# Chosen by measurement: see benchmarks/README.md (benchmarks/html_quality.py).
FOCUS = Focus.BALANCED


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What trafilatura found: main text (one block per line) and the page's metadata."""

    text: str
    metadata: PageMetadata
    date: date | None
    date_source: DateSource | None
    date_modified: dt.date | None  # `date` is a field name here


def extracted_page(
    markup: str, latest: date, focus: Focus = FOCUS, fetched_from: str | None = None
) -> ExtractedPage | None:
    """The page's main text and metadata (published by `latest`), None without main text."""
    from trafilatura.utils import load_html

    # Parsed once here: trafilatura works on a copy of a tree it is given, and the tree is
    # read again below for the dates the page states.
    tree = load_html(markup)
    if tree is None:
        return None
    found = _extraction(tree, focus, latest)
    if found is None and focus is not Focus.RECALL:
        # Where the chosen focus finds nothing, favoring recall often finds a short text (and
        # with it the page's date); measured on wcxb_dev_articles, see benchmarks/README.md.
        found = _extraction(tree, Focus.RECALL, latest)
    if found is None or not found.text:
        return None
    # htmldate's own search (trafilatura's date) is the fallback when the page states none.
    fallback = date.fromisoformat(found.date) if found.date else None
    dated = publication_date(date_clues(tree, found.url or fetched_from), fallback, latest)
    return ExtractedPage(
        text=found.text,
        metadata=PageMetadata(found.title, found.author, found.url, found.sitename),
        date=dated.day,
        date_source=dated.source,
        date_modified=dated.modified,
    )


def _extraction(tree: HtmlElement, focus: Focus, latest: date) -> Extraction | None:
    """trafilatura's document for the page in `tree`, or None when it found no main text."""
    from trafilatura import bare_extraction

    found = bare_extraction(
        tree,
        favor_precision=focus is Focus.PRECISION,
        favor_recall=focus is Focus.RECALL,
        include_comments=False,  # readers' comments are not the page's text
        with_metadata=True,
        # htmldate's search for the original date, bounded like the other signals.
        date_extraction_params={
            "original_date": True,
            "extensive_search": True,
            "max_date": latest.isoformat(),
        },
    )
    if found is None or isinstance(found, dict) or not found.text:
        return None
    return found
