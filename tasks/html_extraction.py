"""The main text of an HTML page and its metadata, extracted by trafilatura."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


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
    title: str | None
    author: str | None
    url: str | None
    sitename: str | None
    date: date | None


def extracted_page(markup: str, focus: Focus = FOCUS) -> ExtractedPage | None:
    """The main text and metadata of the page in `markup`, or None when it has no main text."""
    from trafilatura import bare_extraction

    found = bare_extraction(
        markup,
        favor_precision=focus is Focus.PRECISION,
        favor_recall=focus is Focus.RECALL,
        include_comments=False,  # readers' comments are not the page's text
        with_metadata=True,
    )
    if found is None or isinstance(found, dict) or not found.text:
        return None
    return ExtractedPage(
        text=found.text,
        title=found.title,
        author=found.author,
        url=found.url,
        sitename=found.sitename,
        date=date.fromisoformat(found.date) if found.date else None,
    )
