"""What a page says about itself, as trafilatura's `extract_metadata` finds it, minus unkept parts.

`extract_metadata` also looks for categories, tags and a license, which docprep does not keep,
and runs htmldate's search for a date, which docprep needs only for a page that states none
(`_publication_date.py`): in a profile over HTML benchmark pages those took 29% of
`bare_extraction`'s time (benchmarks/README.md, issue 18). `page_metadata` takes
trafilatura's steps for the four fields docprep keeps, in its order, with its author step made
quicker (`_author.py`); `htmldate_day` is the date search, run when asked. Both give what
`extract_metadata` gives: tests/test_html_metadata.py holds them to it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tasks.documents import PageMetadata
from tasks.html._author import page_author

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def page_metadata(tree: HtmlElement) -> PageMetadata:
    """The page's title, author, canonical URL and site name, as `extract_metadata` has them."""
    from trafilatura.metadata import (
        LOGGER,
        META_URL,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    # extract_metadata's steps for these fields, in its order (trafilatura/metadata.py).
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    try:
        found = extract_meta_json(tree, found)
    except Exception as error:  # as trafilatura does: a bug in its JSON-LD reading
        LOGGER.warning("error in JSON metadata extraction: %s", error)
    found.title = found.title or extract_title(tree)
    found.author = found.author or page_author(tree)  # extract_author's, quicker
    found.url = found.url or extract_url(tree)
    if not found.sitename:
        found.sitename = extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url:
        match = META_URL.match(found.url)
        if match:
            found.sitename = match[1]
    found.clean_and_trim()
    return PageMetadata(found.title, found.author, found.url, found.sitename)


def htmldate_day(tree: HtmlElement, url: str | None, latest: date) -> date | None:
    """htmldate's original date of the page (at `url`), no later than `latest`, if it finds one."""
    from htmldate import find_date

    # The parameters docprep gave trafilatura's `date_extraction_params` before.
    found = find_date(
        tree, url=url, original_date=True, extensive_search=True, max_date=latest.isoformat()
    )
    return date.fromisoformat(found) if found else None
