"""A chart rendered to SVG text that can sit inline in a page beside other charts."""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from lxml import etree

_ID = re.compile(r'\bid="([^"]+)"')
# How docprep turns a spec into the SVG it keeps (styling, `scoped_ids`): part of every
# drawing's hash, so that a change to it draws every chart again.
_DRAWING_FORMAT = "docprep-svg-1"
# What Vega's SVG renderer writes for docprep's charts: a chart taken from an earlier page
# holds nothing else, so nothing that runs or fetches can be carried into a new page.
_SVG = "{http://www.w3.org/2000/svg}"
_ELEMENTS = frozenset(
    _SVG + name
    for name in [
        "svg",
        "g",
        "path",
        "rect",
        "line",
        "circle",
        "ellipse",
        "polygon",
        "polyline",
        "text",
        "tspan",
        "title",
        "desc",
        "defs",
        "clipPath",
        "linearGradient",
        "radialGradient",
        "stop",
    ]
)
_URL = re.compile(r"url\(\s*(?!['\"]?#)", re.I)  # a url() that is not a reference within the page


@dataclass(frozen=True)
class Drawing:
    """A chart as inline SVG, and the hash of the spec (data included) it was drawn from."""

    spec: str
    svg: str


def chart_drawing(chart: Any, scope: str, earlier: Mapping[str, str]) -> Drawing:
    """An Altair chart rendered to SVG (by vl-convert, offline), its ids made unique by `scope`;
    taken from `earlier` drawings when one was drawn from the same spec and data.
    """
    styled = (
        chart.configure_title(fontSize=15, anchor="start", subtitleColor="#555")
        .configure_axis(labelFontSize=11, titleFontSize=12, titleFontWeight="normal")
        .configure_legend(labelFontSize=11, titleFontSize=12)
        .configure_view(stroke=None)
    )
    spec = f"{_renderer()}\0{scope}\0{styled.to_json(validate=False)}"
    key = hashlib.sha256(spec.encode()).hexdigest()
    if key in earlier:
        return Drawing(key, earlier[key])
    buffer = io.StringIO()
    styled.save(buffer, format="svg")
    return Drawing(key, scoped_ids(buffer.getvalue(), scope))


def start_chart_engine() -> None:
    """vl-convert's engine started in this process, by drawing an empty chart (~0.5 s)."""
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": []}})


@functools.cache
def _renderer() -> str:
    """What turns a spec into the SVG kept: docprep's drawing format and vl-convert's version."""
    return f"{_DRAWING_FORMAT} vl-convert {version('vl-convert-python')}"


def is_plain_drawing(svg: str) -> bool:
    """Whether `svg` is well-formed and holds only the elements Vega's renderer writes, no
    event attribute, and no link or `url()` that leads outside it."""
    try:
        root = etree.fromstring(
            svg.encode(), etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError:
        return False
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in _ELEMENTS:
            return False  # comments, processing instructions, anything not drawn by Vega
        for name, value in element.attrib.items():
            local = etree.QName(name).localname.lower()
            if local.startswith("on") or _URL.search(value):
                return False
            if local == "href" and not value.startswith("#"):
                return False
    return True


def scoped_ids(svg: str, scope: str) -> str:
    """`svg` with each element id, and each reference to it, prefixed by `scope`.

    Vega names the gradients and clip paths of every chart alike (`gradient_0`); inline in one
    page, a reference would find the first chart's element, not its own.
    """
    for name in dict.fromkeys(_ID.findall(svg)):
        svg = svg.replace(f'id="{name}"', f'id="{scope}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{scope}-{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{scope}-{name}"')
    return svg
