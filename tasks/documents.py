"""The record a document is from reader to row, and how a dated text file becomes one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from tasks.cleaning import clean_text
from tasks.date_header import parse_date_header
from tasks.decoding import decode_bytes
from tasks.identity import content_sha256
from tasks.language import LanguageGuess, detect_languages
from tasks.paragraphs import Paragraph, locate_paragraphs, split_paragraphs
from tasks.quality import QualitySignals, quality_signals
from tasks.rejection import Reason, Rejected


class DateSource(StrEnum):
    """The part of an input that holds its date: the `date_source` column."""

    HEADER = "header"  # a text file's `date ...` line
    HTML_URL = "html_url"  # the page's URL (canonical link), such as /2024/11/02/story
    HTML_META = "html_meta"  # a <meta> tag such as article:published_time, or itemprop
    HTML_JSONLD = "html_jsonld"  # schema.org JSON-LD datePublished or dateCreated
    HTML_TIME = "html_time"  # a <time> element of the page's byline or header
    HTML_BYLINE = "html_byline"  # a date written in the text right after the headline
    HTML_BODY = "html_body"  # htmldate's search of the page, when nothing above dates it
    RECORD = "record"  # an archive record's own date field (JSON Lines)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a page says about itself: the `title`, `author`, `url` and `sitename` columns."""

    title: str | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A clean document with its metadata, paragraphs and their languages."""

    source: str
    content_sha256: str
    format: str
    encoding: str
    date: date | None
    date_source: DateSource | None
    text: str
    paragraphs: list[Paragraph]
    language: LanguageGuess
    paragraph_languages: list[LanguageGuess]
    quality: QualitySignals
    metadata: PageMetadata = field(default_factory=PageMetadata)
    date_modified: dt.date | None = None  # the day a page says it changed (`date` is a field)
    record_id: str | None = None  # the id an archive record gives itself
    fetched_at: datetime | None = None  # when a crawler fetched the page (WARC-Date), UTC


@dataclass(frozen=True, slots=True)
class Content:
    """What one input format yields: cleaned paragraphs, date and metadata, before languages."""

    format: str
    encoding: str
    paragraphs: list[str]
    date: date | None
    date_source: DateSource | None
    metadata: PageMetadata = field(default_factory=PageMetadata)
    date_modified: dt.date | None = None  # the day a page says it changed (`date` is a field)


def text_document(source: str, data: bytes) -> Document:
    """The document held in the bytes of a dated plain-text file."""
    raw, encoding = decode_bytes(data)
    text = clean_text(raw)
    if not text:
        raise Rejected(Reason.EMPTY, "no text left after cleaning")
    day, body = parse_date_header(text)
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        raise Rejected(Reason.EMPTY, "nothing follows the date header")
    return document_from(source, data, Content("txt", encoding, paragraphs, day, DateSource.HEADER))


def document_from(source: str, data: bytes, content: Content) -> Document:
    """The document of `content` read from `source`: paragraphs located, languages detected,
    quality signals computed in its language."""
    joined, located = locate_paragraphs(content.paragraphs)
    language, *paragraph_languages = detect_languages([joined, *(p.text for p in located)])
    return Document(
        source=source,
        content_sha256=content_sha256(data),
        format=content.format,
        encoding=content.encoding,
        date=content.date,
        date_source=content.date_source,
        text=joined,
        paragraphs=located,
        language=language,
        paragraph_languages=paragraph_languages,
        quality=quality_signals(joined, language.language),
        metadata=content.metadata,
        date_modified=content.date_modified,
    )
