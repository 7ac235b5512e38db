"""The main text of an HTML page and its metadata, extracted by trafilatura."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from tasks.documents import DateSource, PageMetadata
from tasks.html._date_clues import date_clues
from tasks.html._metadata import htmldate_day, page_metadata
from tasks.html._publication_date import publication_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement


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

    make_elements_in_c()
    # Parsed once here: trafilatura works on a copy of a tree it is given, and the tree is
    # read again below for the page's metadata and the dates it states.
    tree = load_html(markup)
    if tree is None:
        return None
    text = _main_text(tree, focus)
    if text is None and focus is not Focus.RECALL:
        # Where the chosen focus finds nothing, favoring recall often finds a short text (and
        # with it the page's date); measured on wcxb_dev_articles, see benchmarks/README.md.
        text = _main_text(tree, Focus.RECALL)
    if text is None:
        return None
    try:  # trafilatura's metadata steps fail as they did inside bare_extraction: no page
        metadata = page_metadata(tree)
    except (TypeError, ValueError):
        return None
    clues = date_clues(tree, metadata.url or fetched_from)
    dated = publication_date(clues, None, latest)
    if dated.day is None:
        # htmldate's search is the fallback when the page states no date: only then is it run,
        # for it cannot change a day the clues chose.
        try:
            fallback = htmldate_day(tree, metadata.url, latest)
        except (TypeError, ValueError):
            return None
        dated = publication_date(clues, fallback, latest)
    return ExtractedPage(
        text=text,
        metadata=metadata,
        date=dated.day,
        date_source=dated.source,
        date_modified=dated.modified,
    )


@functools.cache
def make_elements_in_c() -> None:
    """trafilatura's HTML parser set to give every element lxml's `HtmlElement` class directly.

    Its default lookup (`lxml.html.HtmlElementClassLookup`) calls a Python method for each
    element object lxml makes, to give form tags their form classes, which no extraction step
    uses: 6-12% of an extraction's time over the benchmark pages, for the same text, metadata
    and dates (tests/test_html_elements.py; benchmarks/README.md, issue 18). Set once
    per process, before the first page is parsed.
    """
    from lxml import etree
    from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
    from trafilatura.utils import HTML_PARSER

    HTML_PARSER.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )


def _main_text(tree: HtmlElement, focus: Focus) -> str | None:
    """trafilatura's main text of the page in `tree`, or None when it found none."""
    from trafilatura import bare_extraction

    found = bare_extraction(
        tree,
        favor_precision=focus is Focus.PRECISION,
        favor_recall=focus is Focus.RECALL,
        include_comments=False,  # readers' comments are not the page's text
        with_metadata=False,  # page_metadata finds what docprep keeps, at less cost
    )
    if found is None or isinstance(found, dict) or not found.text:
        return None
    return str(found.text)
