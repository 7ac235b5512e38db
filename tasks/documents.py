"""A raw input turned into a document: decoded, cleaned, dated, split and language-tagged."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from datetime import date

from tasks.cleaning import clean_text
from tasks.date_header import parse_date_header
from tasks.date_source import DateSource
from tasks.decoding import decode_bytes
from tasks.language import LanguageGuess, detect_languages
from tasks.paragraphs import Paragraph, locate_paragraphs, split_paragraphs
from tasks.rejection import Reason, Rejected


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
    title: str | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None
    date_modified: dt.date | None = None  # `date` is a field name here


@dataclass(frozen=True, slots=True)
class Content:
    """What one input format yields: cleaned paragraphs, date and metadata, before languages."""

    format: str
    encoding: str
    paragraphs: list[str]
    date: date | None
    date_source: DateSource | None
    title: str | None = None
    author: str | None = None
    url: str | None = None
    sitename: str | None = None
    date_modified: dt.date | None = None  # `date` is a field name here


def doc_id_for(source: str) -> str:
    """The stable id of the document read from `source` (the same across content changes)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:32]


def content_sha256(data: bytes) -> str:
    """The hex SHA-256 of an input's bytes."""
    return hashlib.sha256(data).hexdigest()


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
    """The document of `content` read from `source`: paragraphs located, languages detected."""
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
        title=content.title,
        author=content.author,
        url=content.url,
        sitename=content.sitename,
        date_modified=content.date_modified,
    )
