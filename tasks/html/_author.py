"""A page's author as trafilatura's `extract_author` finds it, its expressions matched in one pass.

`extract_author` evaluates four XPath expressions over every element of a copy of the page: one
to prune comments, sidebars and the like, three to find the author, most specific first. On
the HTML benchmark pages that cost 5 ms a page, the most of any metadata step; libxml2's
predicate evaluation, not the regexes, is what costs (benchmarks/README.md, issue 18). Here the
same tests on each element's tag and attributes are made in one Python pass per step, and the
copy is pruned and read with trafilatura's own functions.

Written for the expressions of trafilatura 2.3: tests/test_html_metadata.py holds the result to
`extract_author` and fails when those expressions change.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# AUTHOR_DISCARD_XPATHS[0]: `.//*[self::a or self::div or self::section or self::span][...]`;
# its `@id='comments'` is among what `^comments` finds.
_PRUNED_TAGS = frozenset({"a", "div", "section", "span"})
_PRUNED_CLASSES = frozenset({"comments", "title", "date"})
_PRUNED_ID = re.compile("^comments|comment-?list|ProductReviews")
_PRUNED_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    "|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
# AUTHOR_XPATHS[0], specific and almost specific, and its `|//author`.
_SPECIFIC_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_SPECIFIC_CLASS = re.compile("author-?name|AuthorName|authorName")
_AUTHOR_CARDS = frozenset({"AuthorCard", "AuthorURL"})
# AUTHOR_XPATHS[1], almost generic and generic.
_GENERIC_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_GENERIC_CLASSES = frozenset({"byline", "username", "byl", "BBL"})
_GENERIC_ID = re.compile("author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
# AUTHOR_XPATHS[2], the last resort: any element.
_LAST_ID = re.compile("[Aa]uthor")
_LAST_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
# What any of the three expressions' class (or id) patterns finds: most classes match none.
_ANY_CLASS = re.compile(
    "|".join(pattern.pattern for pattern in (_SPECIFIC_CLASS, _GENERIC_CLASS, _LAST_CLASS))
)
_ANY_ID = re.compile(f"{_GENERIC_ID.pattern}|{_LAST_ID.pattern}")
# extract_author's length limit on the text of an author's element.
_LONGEST = 120


def page_author(tree: HtmlElement) -> str | None:
    """The author trafilatura's `extract_author(tree)` gives: the text of the first element the
    most specific of its expressions finds in the pruned page, normalized."""
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.utils import trim
    from trafilatura.xml import delete_element
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

    pruned = deepcopy(tree)
    for element in [e for e in pruned.iterdescendants(*_PRUNED_TAGS) if _is_pruned(e)]:
        delete_element(element)
    for element in AUTHOR_DISCARD_XPATHS[1](pruned):  # `//time|//figure`: name tests, quick
        delete_element(element)
    for candidates in _candidates(pruned):
        for element in candidates:
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < _LONGEST:
                author: str | None = normalize_authors(None, content)
                return author
    return None


def _is_pruned(element: HtmlElement) -> bool:
    """Whether AUTHOR_DISCARD_XPATHS[0] selects `element`, one of `_PRUNED_TAGS`."""
    id_, class_ = element.get("id"), element.get("class")
    return (
        class_ in _PRUNED_CLASSES
        or (id_ is not None and _PRUNED_ID.search(id_) is not None)
        or (class_ is not None and _PRUNED_CLASS.search(class_) is not None)
        or "Figure" in (element.get("data-component") or "")
    )


def _candidates(root: HtmlElement) -> tuple[list[HtmlElement], ...]:
    """What each of the three AUTHOR_XPATHS selects under `root`, in document order."""
    from lxml import etree

    specific: list[HtmlElement] = []
    generic: list[HtmlElement] = []
    last: list[HtmlElement] = []
    # `rel='me'` compares the text of `rel` children: left to lxml, for their parents only.
    with_rel = {child.getparent() for child in root.iter("rel")}
    for element in root.iter(etree.Element):
        tag, id_, class_ = element.tag, element.get("id"), element.get("class")
        itemprop = element.get("itemprop") or ""
        # Only a class or id one of the patterns finds is searched with each of them.
        class_found = class_ is not None and _ANY_CLASS.search(class_) is not None
        id_found = id_ is not None and _ANY_ID.search(id_) is not None
        if tag == "author" or (
            tag in _SPECIFIC_TAGS
            and (
                element.get("rel") == "author"
                or id_ == "author"
                or class_ == "author"
                or itemprop == "author name"
                or (element in with_rel and bool(element.xpath("rel='me'")))
                or element.get("data-testid") in _AUTHOR_CARDS
                or (class_found and _SPECIFIC_CLASS.search(class_) is not None)
            )
        ):
            specific.append(element)
        if tag in _GENERIC_TAGS and (
            class_ in _GENERIC_CLASSES
            or "author" in itemprop
            or (id_found and _GENERIC_ID.search(id_) is not None)
            or (class_found and _GENERIC_CLASS.search(class_) is not None)
        ):
            generic.append(element)
        if (
            "Byline" in (element.get("data-component") or "")
            or "author" in itemprop
            or (id_found and _LAST_ID.search(id_) is not None)
            or (class_found and _LAST_CLASS.search(class_) is not None)
        ):
            last.append(element)
    return specific, generic, last
