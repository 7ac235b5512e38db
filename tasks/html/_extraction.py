"""The main text of an HTML page and its metadata, extracted by trafilatura."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from tasks.documents import DateSource, PageMetadata
from tasks.html._date_source import html_date_source

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


def extracted_page(markup: str, focus: Focus = FOCUS) -> ExtractedPage | None:
    """The main text and metadata of the page in `markup`, or None when it has no main text."""
    from trafilatura.utils import load_html

    # Parsed once here: trafilatura works on a copy of a tree it is given, and the tree is
    # read again below for where the date was found.
    tree = load_html(markup)
    if tree is None:
        return None
    found = _extraction(tree, focus)
    if found is None and focus is not Focus.RECALL:
        # Where the chosen focus finds nothing, favoring recall often finds a short text (and
        # with it the page's date); measured on wcxb_dev_articles, see benchmarks/README.md.
        found = _extraction(tree, Focus.RECALL)
    if found is None or not found.text:
        return None
    day = date.fromisoformat(found.date) if found.date else None
    return ExtractedPage(
        text=found.text,
        metadata=PageMetadata(found.title, found.author, found.url, found.sitename),
        date=day,
        date_source=None if day is None else html_date_source(tree, found.url, day),
    )


def _extraction(tree: HtmlElement, focus: Focus) -> Extraction | None:
    """trafilatura's document for the page in `tree`, or None when it found no main text."""
    from trafilatura import bare_extraction

    found = bare_extraction(
        tree,
        favor_precision=focus is Focus.PRECISION,
        favor_recall=focus is Focus.RECALL,
        include_comments=False,  # readers' comments are not the page's text
        with_metadata=True,
    )
    if found is None or isinstance(found, dict) or not found.text:
        return None
    return found
