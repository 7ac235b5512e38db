"""Reuters-21578 newswire items as seed-shaped texts: a date header, the headline, paragraphs."""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

_ITEM = re.compile(r"<REUTERS.*?</REUTERS>", re.DOTALL)
_DATE = re.compile(r"<DATE>\s*(\d{1,2}-[A-Z]{3}-\d{4})")
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.DOTALL)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
_NEW_ID = re.compile(r'NEWID="(\d+)"')
# Paragraphs in the wire text start on an indented line.
_PARAGRAPH_BREAK = re.compile(r"\n\s{3,}")
_SIGN_OFF = re.compile(r"\s+(reuter)\s*$", re.IGNORECASE)


def reuters_items(corpus: Path) -> Iterator[tuple[str, str]]:
    """(name, seed-shaped text) of every item with a body, in file order."""
    for path in sorted(corpus.glob("reut2-*.sgm.gz")):
        raw = gzip.decompress(path.read_bytes()).decode("latin-1")
        for item in _ITEM.findall(raw):
            text = _seed_text(item)
            if text is not None:
                yield f"reuters-{_NEW_ID.search(item).group(1)}", text  # type: ignore[union-attr]


def _seed_text(item: str) -> str | None:
    """The item as `date YYYY-MM-DD` + headline + body paragraphs, or None without a body."""
    body, day = _BODY.search(item), _DATE.search(item)
    if body is None or day is None:
        return None
    date = datetime.strptime(day.group(1).title(), "%d-%b-%Y").date()
    title = _TITLE.search(item)
    text = _SIGN_OFF.sub(r"\n    \1", html.unescape(body.group(1)).replace("\x03", ""))
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    if title:
        paragraphs.insert(0, " ".join(html.unescape(title.group(1)).split()))
    return f"date {date.isoformat()} " + "\n\n".join(paragraphs) + "\n"
