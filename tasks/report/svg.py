"""A chart rendered to SVG text that can sit inline in a page beside other charts."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

_ID = re.compile(r'\bid="([^"]+)"')
# A drawn chart in a page written by `report_page`: its figure names the spec it was drawn from.
_DRAWN = re.compile(r'<figure id="[^"]*" data-spec="([0-9a-f]{64})">(<svg\b.*?</svg>)', re.S)
_ACTIVE = re.compile(r"<script|<foreignObject|\bon[a-z]+=", re.I)


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
    spec = f"{version('vl-convert-python')}\0{scope}\0{styled.to_json(validate=False)}"
    key = hashlib.sha256(spec.encode()).hexdigest()
    if key in earlier:
        return Drawing(key, earlier[key])
    buffer = io.StringIO()
    styled.save(buffer, format="svg")
    return Drawing(key, scoped_ids(buffer.getvalue(), scope))


def earlier_drawings(page: str) -> dict[str, str]:
    """The charts of a report page written before, SVG by spec hash (none that runs script)."""
    return {key: svg for key, svg in _DRAWN.findall(page) if not _ACTIVE.search(svg)}


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
