"""trafilatura's parser set to make plain `HtmlElement`s: the same extraction, page for page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from lxml.html import FormElement, HtmlElement, HtmlElementClassLookup
from trafilatura.utils import HTML_PARSER, load_html

from tasks.html._extraction import extracted_page, make_elements_in_c
from tests.paths import HTML_FIXTURES as FIXTURES

LATEST = date(2026, 12, 2)
# Form tags are the ones lxml's default lookup gives classes of their own.
_FORM_PAGE = (
    "<html><head><title>Apply for a permit</title>"
    '<meta property="article:published_time" content="2025-04-02T09:00:00Z"></head><body>'
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Permits</h1>"
    "<p>Residents can now apply for a parking permit online, the council said on Tuesday.</p>"
    '<form action="/apply"><label for="n">Name</label><input id="n" name="n" value="x">'
    "<select name='zone'><option>North</option><option selected>South</option></select>"
    "<textarea name='why'>Because the street is full every evening.</textarea>"
    "<p>Applications are processed within ten working days of being received.</p></form>"
    "<p>Permits cost 40 euros a year and are valid for one car registered at the address.</p>"
    "</article><footer>Copyright 2019 City Council</footer></body></html>"
)


def _pages() -> list[tuple[str, str]]:
    """Each fixture page's markup by name, and the form page above."""
    pages = [
        (path.name, path.read_bytes().decode("utf-8", "replace"))
        for path in sorted(FIXTURES.glob("*.html"))
    ]
    return [*pages, ("form", _FORM_PAGE)]


@contextmanager
def _default_lookup() -> Iterator[None]:
    """trafilatura's parser with lxml.html's own lookup for the duration."""
    make_elements_in_c()
    HTML_PARSER.set_element_class_lookup(HtmlElementClassLookup())
    try:
        yield
    finally:
        make_elements_in_c.__wrapped__()


@pytest.mark.parametrize(("name", "markup"), _pages(), ids=[name for name, _ in _pages()])
def test_pages_extract_alike_with_plain_elements(name: str, markup: str) -> None:
    with _default_lookup():
        expected = extracted_page(markup, LATEST)
        assert isinstance(load_html(_FORM_PAGE).find(".//form"), FormElement)
    found = extracted_page(markup, LATEST)
    assert found == expected
    form = load_html(_FORM_PAGE).find(".//form")
    assert type(form) is HtmlElement and form.getroottree().parser is HTML_PARSER
    if name == "form":
        assert found is not None and "ten working days" in found.text


def test_the_elements_keep_lxml_html_s_methods() -> None:  # the mixin trafilatura relies on
    make_elements_in_c()
    tree = load_html(_FORM_PAGE)
    assert tree.text_content().startswith("Apply for a permit")
    assert tree.find(".//a").get("href") == "/"
